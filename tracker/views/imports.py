"""Editors: import an .ics file — upload, preview what would be created, updated, skipped or flagged, then import.

Nothing is stored before "Import": the preview's transaction is rolled back, the file waits under a token
(``tracker.services.import_uploads``) and is read and planned again on confirmation. The preview carries a
fingerprint of its plan; if the database changed meanwhile so that the plan differs, the new preview is shown
instead of importing something the editor did not see.
"""

from __future__ import annotations

import hashlib
import json

from babel.numbers import format_decimal
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.formatting import enum_choices
from tracker.i18n import current_locale
from tracker.i18n import gettext as _
from tracker.ical.reading import ReadLimits, read_calendar
from tracker.models import EventKind, Visibility, utcnow
from tracker.services import import_uploads
from tracker.services.import_forms import defaults_values, import_defaults, known_organisation
from tracker.services.import_words import action_label, describe_counts, describe_plan
from tracker.services.imports import ImportPlan, apply_import, conflicts_shown, plan_import
from tracker.services.sources import SyncSettings
from tracker.validation import InputError
from tracker.web.auth import current_user, login_required
from tracker.web.sessions import get_session

bp = Blueprint("imports", __name__, url_prefix="/edit")


def fingerprint(plan: ImportPlan) -> str:
    """What the editor saw: each change's source event, action and our event."""
    seen = [(change.key, change.action, change.event_id) for change in plan.changes]
    return hashlib.sha256(json.dumps(seen).encode()).hexdigest()[:32]


def _page(status: int = 200, **context: object) -> tuple[str, int]:
    context.setdefault("errors", {})
    context.setdefault("values", {"default_kind": "meeting", "default_visibility": "public"})
    context.setdefault("conflicts", conflicts_shown(get_session(), None))
    page = render_template(
        "import.html",
        kind_options=enum_choices(EventKind),
        visibility_options=enum_choices(Visibility),
        action_label=action_label,
        describe_plan=describe_plan,
        max_bytes_text=format_decimal(int(current_app.config["IMPORT_MAX_BYTES"]), locale=current_locale()),
        **context,
    )
    return page, status


def _limits() -> ReadLimits:
    return SyncSettings.from_config(current_app.config).read_limits(utcnow().date())


def _plan(data: bytes, form: dict[str, str], file_name: str) -> tuple[ImportPlan | None, dict[str, str]]:
    """Read and plan the file in the request's session (the caller rolls back or applies).

    The file is read first, outside any transaction: the login check opened a write transaction, and on SQLite
    reading a large file inside it would keep every other editor waiting for the lock.
    """
    get_session().rollback()
    result = read_calendar(data, _limits())
    try:
        values = defaults_values(form)
        organisation = known_organisation(get_session(), values["organisation"])
    except InputError as exc:
        return None, exc.errors
    defaults = import_defaults(values, organisation, f"Imported from {file_name}"[:300])
    return plan_import(get_session(), result, defaults, source_id=None, now=utcnow()), {}


@bp.get("/import")
@login_required
def import_form() -> tuple[str, int]:
    return _page()


@bp.post("/import")
@login_required
def preview() -> tuple[str, int]:
    upload = request.files.get("file")
    form = request.form.to_dict()
    if upload is None or not upload.filename:
        return _page(400, values=form, errors={"file": _("Choose an .ics file to import.")})
    maximum = int(current_app.config["IMPORT_MAX_BYTES"])
    data = upload.stream.read(maximum + 1)
    if len(data) > maximum:
        too_big = _("The file is larger than %(limit)s bytes.", limit=format_decimal(maximum, locale=current_locale()))
        return _page(413, values=form, errors={"file": too_big})
    name = (upload.filename or "file.ics")[:120]
    plan, errors = _plan(data, form, name)
    session = get_session()
    session.rollback()
    if plan is None or not plan.ok:
        return _page(400, values=form, errors=errors, problems=plan.problems if plan else [], file_name=name)
    user = current_user()
    assert user is not None and user.id is not None
    token = import_uploads.keep_upload(current_app.instance_path, user.id, data)
    return _page(values=form, plan=plan, token=token, file_name=name, fingerprint=fingerprint(plan))


@bp.post("/import/confirm")
@login_required
def confirm() -> Response | tuple[str, int]:
    form = request.form.to_dict()
    user = current_user()
    assert user is not None and user.id is not None
    token, name = form.get("token", ""), form.get("file_name", "file.ics")[:120]
    data = import_uploads.load_upload(current_app.instance_path, user.id, token)
    if data is None:
        return _page(410, values=form, errors={"file": _("The uploaded file is gone; upload it again.")})
    plan, errors = _plan(data, form, name)
    session = get_session()
    if plan is None or not plan.ok:
        session.rollback()
        return _page(400, values=form, errors=errors, problems=plan.problems if plan else [], file_name=name)
    if fingerprint(plan) != form.get("fingerprint"):
        session.rollback()
        notice = _("The calendar changed since the preview: check what the import would do now.")
        return _page(
            409, values=form, plan=plan, token=token, file_name=name, fingerprint=fingerprint(plan), notice=notice
        )
    chosen = frozenset(request.form.getlist("create_duplicate"))
    counts = apply_import(session, plan, user, utcnow(), source_id=None, create_duplicates=chosen)
    session.commit()
    import_uploads.discard_upload(current_app.instance_path, user.id, token)
    flash(_("Imported %(file)s: %(counts)s.", file=name, counts=describe_counts(counts)))
    return redirect(url_for("imports.import_form"))


@bp.post("/import/cancel")
@login_required
def cancel() -> Response:
    user = current_user()
    assert user is not None and user.id is not None
    import_uploads.discard_upload(current_app.instance_path, user.id, request.form.get("token", ""))
    flash(_("Nothing was imported."))
    return redirect(url_for("imports.import_form"))
