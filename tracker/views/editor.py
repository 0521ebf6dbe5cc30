"""Editors' event form: create, copy and edit (status changes, delete and history are in ``event_actions``).

A save runs in one transaction: the input is validated (after the end follows a moved start), applied and
flushed, then checked (``tracker.services.save_checks``). Questions or warnings the editor has not settled roll
it back and show the form again with them on top, answered **409** like an edit conflict: nothing was stored.
Input errors answer 400; "Add rows" answers 200 with more empty rows and saves nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from tracker.event_form import follow_start
from tracker.i18n import gettext as _
from tracker.models import Event, utcnow
from tracker.parsing import MAX_ID, IntegerError, optional_id, parse_int
from tracker.services import events as event_service
from tracker.services import save_checks
from tracker.validation import EventInput, InputError
from tracker.views.editor_form import form_values, more_rows, name_choices, render_form
from tracker.web.auth import current_user, login_required
from tracker.web.sessions import get_session

bp = Blueprint("editor", __name__, url_prefix="/edit")

NEW_EVENT_DEFAULTS: dict[str, Any] = {
    "kind": "conference",
    "status": "confirmed",
    "visibility": "public",
    "organisations": [],
    "people": [],
}
#: What "Duplicate event" does not copy: the copy is a new event, with its own source, status and history.
NOT_COPIED = ("revision", "source_url", "source_citation", "status")


def expected_revision(form: MultiDict[str, str]) -> int:
    try:
        return parse_int(form.get("revision", ""), name="revision", minimum=1, maximum=MAX_ID)
    except IntegerError:
        abort(400, description=_("The form is missing the event's revision; reload the page and try again."))


def load_or_404(event_id: int) -> Any:
    try:
        return event_service.load_event(get_session(), event_id)
    except event_service.EventNotFound:
        abort(404)


def _announce(change: event_service.EventChange, data: EventInput, moved: bool) -> None:
    if moved:
        flash(_("The end moved with the start, so the event keeps its length."), "info")
    if data.zone_note:
        flash(data.zone_note, "info")
    for organisation in change.created_organisations:
        flash(
            _("New organisation “%(name)s” was added; complete it under Organisations.", name=organisation.name), "info"
        )
    for person in change.created_people:
        flash(_("New person “%(name)s” was added; complete them under People.", name=person.name), "info")


def _copy_values(raw: str) -> tuple[dict[str, Any], Event]:
    """A new form's values from an existing event (``?copy=<id>``): everything but its source and revision."""
    copy_id = optional_id(raw)
    if copy_id is None:
        abort(404)
    original = load_or_404(copy_id)
    values = {key: value for key, value in event_service.event_input_from(original).items() if key not in NOT_COPIED}
    return {**values, "status": NEW_EVENT_DEFAULTS["status"]}, original


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new_event() -> Response | tuple[str, int]:
    if request.method == "POST":
        return _save(None)
    if "copy" in request.args:
        values, original = _copy_values(request.args["copy"])
        return render_form(values, copied_from=original)
    return render_form(dict(NEW_EVENT_DEFAULTS))


@bp.route("/events/<int:event_id>", methods=["GET", "POST"])
@login_required
def edit_event(event_id: int) -> Response | tuple[str, int]:
    event = load_or_404(event_id)
    if request.method == "POST":
        return _save(event)
    values = event_service.event_input_from(event)
    values["revision"] = event.revision
    return render_form(values, event=event)


def _save(event: Event | None) -> Response | tuple[str, int]:
    """Validate, apply, check and commit one posted form; or show it again with errors or questions.

    Long because it is the one place the save's outcomes meet: more rows, input errors, an edit conflict,
    unsettled warnings (each rolls back and re-renders) and the commit with its messages.
    """
    form = request.form
    session = get_session()
    values = form_values(form)
    answers = name_choices(form)
    expected = expected_revision(form) if event is not None else None
    if expected is not None:
        values["revision"] = expected
    if "add_rows" in form:
        return render_form(values, event=event, accepted=_new_names(answers), blank_rows=more_rows(form))
    values["organisations"], values["people"], accepted = save_checks.apply_choices(
        session, values["organisations"], values["people"], answers
    )
    values, moved = follow_start(values)
    try:
        data = EventInput.from_form(values)
        if event is None:
            change = event_service.create_event(session, data, current_user(), utcnow())
        else:
            change = event_service.update_event(session, event.id, data, expected, current_user(), utcnow())  # type: ignore[arg-type]
        warnings = save_checks.review(session, change, accepted=accepted)
    except InputError as error:
        session.rollback()
        return render_form(values, event=event, errors=error.errors, accepted=_new_names(answers), status=400)
    except event_service.EditConflict as conflict:
        # Keep the editor's input; the hidden revision moves to the stored one, so saving again is deliberate.
        values["revision"] = conflict.current.revision
        return render_form(values, event=conflict.current, conflict=conflict, status=409)
    if not warnings.settled_by(form.get("confirm", "")):
        session.rollback()
        return render_form(values, event=event, warnings=warnings, accepted=_new_names(answers), status=409)
    session.commit()
    _announce(change, data, moved)
    if event is None:
        flash(_("Event created."), "success")
    else:
        flash(_("Changes saved.") if change.changes else _("Nothing was changed."), "success")
    return redirect(url_for("public.event_page", event_id=change.event.id))


def _new_names(answers: list[save_checks.NameChoice]) -> list[save_checks.NameChoice]:
    """The answers "create new", carried by the next form as ``new_org[]``/``new_person[]``."""
    return [answer for answer in answers if answer.choice == save_checks.NameChoice.NEW]
