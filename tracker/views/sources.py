"""Editors: calendar sources — register a feed, see each one's last fetch, sync it now, settle conflicts.

The scheduler syncs due sources on its own (``tracker.scheduler``); "Sync now" runs one sync in the request,
after ending the request's own transaction so that no database lock is held while the feed is fetched.
"""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.formatting import enum_choices
from tracker.i18n import gettext as _
from tracker.i18n import ngettext
from tracker.models import CalendarSource, EventKind, ImportedEvent, Organisation, Visibility, utcnow
from tracker.parsing import optional_id
from tracker.services import import_words, imports, source_flags, sources
from tracker.validation import InputError
from tracker.web.auth import current_user, login_required
from tracker.web.sessions import get_engine, get_session

bp = Blueprint("sources", __name__, url_prefix="/edit/sources")

#: What the new-source form shows before anything is typed.
NEW_SOURCE: dict[str, object] = {"default_kind": "meeting", "default_visibility": "public", "interval_minutes": 60}


@bp.app_template_global("source_error_lines")
def source_error_lines(source: CalendarSource) -> list[str]:
    """A source's last error, one message a line, in the reader's language (the admin page shows the first)."""
    return sources.error_lines(source)


def _failures_text(source: CalendarSource) -> str:
    """How many fetches failed in a row, and when the next try is ("" when the last one worked)."""
    if not source.failures:
        return ""
    if source.next_fetch_dt is None:
        return ngettext("%(num)d failure in a row", "%(num)d failures in a row", source.failures)
    next_try = source.next_fetch_dt.strftime("%Y-%m-%d %H:%M UTC")
    return ngettext(
        "%(num)d failure in a row; next try %(next)s",
        "%(num)d failures in a row; next try %(next)s",
        source.failures,
        next=next_try,
    )


def _form_context(values: dict[str, object], errors: dict[str, str]) -> dict[str, object]:
    return {
        "values": values,
        "errors": errors,
        "kind_options": enum_choices(EventKind),
        "visibility_options": enum_choices(Visibility),
        "result_label": import_words.result_label,
    }


def _load(source_id: int) -> CalendarSource:
    source = get_session().get(CalendarSource, source_id)
    if source is None:
        abort(404)
    return source


def _source_values(source: CalendarSource) -> dict[str, object]:
    session = get_session()
    organisation = session.get(Organisation, source.organisation_id) if source.organisation_id else None
    values: dict[str, object] = {
        name: getattr(source, name)
        for name in ("name", "url", "default_kind", "default_visibility", "default_tags", "interval_minutes")
    }
    values["organisation"] = organisation.name if organisation else ""
    return values


@bp.get("")
@login_required
def source_list() -> str:
    listed = get_session().exec(sources.all_sources_statement()).all()
    return render_template("sources.html", sources=listed, now=utcnow(), **_form_context(NEW_SOURCE, {}))


@bp.post("")
@login_required
def create() -> Response | tuple[str, int]:
    session = get_session()
    user = current_user()
    try:
        values = sources.source_values(request.form)
        source = sources.save_source(session, values, user.id if user else None, utcnow())
    except InputError as exc:
        session.rollback()
        listed = session.exec(sources.all_sources_statement()).all()
        context = _form_context(request.form.to_dict(), exc.errors)
        return render_template("sources.html", sources=listed, now=utcnow(), **context), 400
    session.commit()
    flash(
        _(
            "The source “%(name)s” was added; its first sync runs within a minute, or use “Sync now”.",
            name=source.name,
        )
    )
    return redirect(url_for("sources.source_page", source_id=source.id))


@bp.get("/<int:source_id>")
@login_required
def source_page(source_id: int) -> str:
    source = _load(source_id)
    session = get_session()
    conflicts = imports.conflicts_shown(session, source_id)
    counts = json.loads(source.last_counts) if source.last_counts else {}
    context = _form_context(_source_values(source), {})
    flagged = source_flags.flagged_shown(source)
    return render_template(
        "source.html",
        source=source,
        conflicts=conflicts,
        counts_text=import_words.describe_counts(counts) if counts else "",
        error_lines=sources.error_lines(source),
        failures_text=_failures_text(source),
        flagged=flagged,
        **context,
    )


@bp.post("/<int:source_id>")
@login_required
def update(source_id: int) -> Response | tuple[str, int]:
    session = get_session()
    source = _load(source_id)
    try:
        values = sources.source_values(request.form)
        sources.save_source(session, values, None, utcnow(), source)
    except InputError as exc:
        session.rollback()
        source = _load(source_id)
        context = _form_context(request.form.to_dict(), exc.errors)
        page = render_template("source.html", source=source, conflicts=[], error_lines=[], **context)
        return page, 400
    session.commit()
    flash(_("The source was saved."))
    return redirect(url_for("sources.source_page", source_id=source_id))


@bp.post("/<int:source_id>/sync")
@login_required
def sync_now(source_id: int) -> Response:
    _load(source_id)
    get_session().rollback()  # no lock held while the feed is fetched
    result = sources.sync_source(
        get_engine(), source_id, sources.SyncSettings.from_config(current_app.config), utcnow()
    )
    message = _("Sync: %(result)s.", result=import_words.result_label(result))
    if result == "error":
        errors = sources.error_lines(_load(source_id))
        message = _("Sync failed: %(error)s", error=errors[0]) if errors else _("Sync failed: see below.")
    flash(message)
    return redirect(url_for("sources.source_page", source_id=source_id))


@bp.post("/<int:source_id>/flagged")
@login_required
def answer_flagged(source_id: int) -> Response:
    """The editor's answer about an event the sync left out as a possible duplicate: link it, or create it."""
    session = get_session()
    source = _load(source_id)
    key, choice = request.form.get("key", ""), request.form.get("choice", "")
    try:
        if choice == "create":
            source_flags.create_anyway(source, key, utcnow())
            message = _("It will be created on the next sync; use “Sync now” to create it at once.")
        elif choice == "link":
            event_id = optional_id(request.form.get("event_id"))
            if event_id is None:
                raise source_flags.FlagError(_("Choose one of the events shown."))
            event = source_flags.link_to(session, source, key, event_id, utcnow())
            message = _(
                "Linked to “%(title)s”: later changes in the source will be offered to you there.", title=event.title
            )
        else:
            abort(400)
    except source_flags.FlagError as exc:
        session.rollback()
        flash(str(exc))
    else:
        session.commit()
        flash(message)
    return redirect(url_for("sources.source_page", source_id=source_id))


@bp.post("/<int:source_id>/delete")
@login_required
def delete(source_id: int) -> Response:
    session = get_session()
    source = _load(source_id)
    name = source.name
    sources.delete_source(session, source)
    session.commit()
    flash(_("The source “%(name)s” was removed; its events stay, no longer synced.", name=name))
    return redirect(url_for("sources.source_list"))


@bp.post("/conflicts/<int:link_id>")
@login_required
def resolve(link_id: int) -> Response:
    session = get_session()
    link = session.get(ImportedEvent, link_id)
    if link is None:
        abort(404)
    source_id = link.source_id
    choice = request.form.get("choice")
    if choice not in {"source", "local"}:
        abort(400)
    try:
        imports.resolve_conflict(session, link_id, choice == "source", current_user(), utcnow())
    except LookupError:
        session.rollback()
        flash(_("That conflict was settled already."))
    else:
        session.commit()
        flash(_("The source's version was applied.") if choice == "source" else _("Your edit was kept."))
    if source_id is None:
        return redirect(url_for("imports.import_form"))
    return redirect(url_for("sources.source_page", source_id=source_id))
