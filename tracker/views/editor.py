"""Editors' event form: create and edit (status changes, delete and history are in ``event_actions``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from tracker.models import utcnow
from tracker.parsing import MAX_ID, IntegerError, parse_int
from tracker.services import directory
from tracker.services import events as event_service
from tracker.validation import EventInput, InputError
from tracker.web.auth import current_user, login_required
from tracker.web.sessions import get_session

bp = Blueprint("editor", __name__, url_prefix="/edit")

BLANK_ORGANISATION_ROWS = 3
BLANK_PERSON_ROWS = 3


def form_values(form: MultiDict[str, str]) -> dict[str, Any]:
    """Raw form fields as ``EventInput`` expects them (organisation rows become (name, role) pairs)."""
    values: dict[str, Any] = {key: form.get(key, "") for key in form if not key.endswith("[]")}
    values["all_day"] = form.get("all_day", "")
    names, roles = form.getlist("org_name[]"), form.getlist("org_role[]")
    values["organisations"] = [(name, role) for name, role in zip(names, roles, strict=False) if name.strip()]
    values["people"] = [name for name in form.getlist("person_name[]") if name.strip()]
    return values


def expected_revision(form: MultiDict[str, str]) -> int:
    try:
        return parse_int(form.get("revision", ""), name="revision", minimum=1, maximum=MAX_ID)
    except IntegerError:
        abort(400, description="The form is missing the event's revision; reload the page and try again.")


def _render_form(
    values: dict[str, Any],
    *,
    event: Any = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    conflict: Any = None,
) -> tuple[str, int]:
    session = get_session()
    org_rows = list(values.get("organisations", [])) + [("", "host")] * BLANK_ORGANISATION_ROWS
    person_rows = list(values.get("people", [])) + [""] * BLANK_PERSON_ROWS
    return (
        render_template(
            "edit_event.html",
            values=values,
            event=event,
            errors=errors or {},
            conflict=conflict,
            organisations=directory.list_organisations(session),
            people=directory.list_people(session),
            org_rows=org_rows,
            person_rows=person_rows,
        ),
        status,
    )


def load_or_404(event_id: int) -> Any:
    try:
        return event_service.load_event(get_session(), event_id)
    except event_service.EventNotFound:
        abort(404)


def _announce_created(change: event_service.EventChange) -> None:
    for organisation in change.created_organisations:
        flash(f"New organisation “{organisation.name}” was added; complete it under Organisations.", "info")
    for person in change.created_people:
        flash(f"New person “{person.name}” was added; complete them under People.", "info")


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new_event() -> Response | tuple[str, int]:
    if request.method == "GET":
        defaults = {
            "kind": "conference",
            "status": "confirmed",
            "visibility": "public",
            "organisations": [],
            "people": [],
        }
        return _render_form(defaults)
    values = form_values(request.form)
    session = get_session()
    try:
        data = EventInput.from_form(values)
        change = event_service.create_event(session, data, current_user(), utcnow())
    except InputError as error:
        session.rollback()
        return _render_form(values, errors=error.errors, status=400)
    session.commit()
    _announce_created(change)
    flash("Event created.", "success")
    return redirect(url_for("public.event_page", event_id=change.event.id))


@bp.route("/events/<int:event_id>", methods=["GET", "POST"])
@login_required
def edit_event(event_id: int) -> Response | tuple[str, int]:
    event = load_or_404(event_id)
    if request.method == "GET":
        values = event_service.event_input_from(event)
        values["revision"] = event.revision
        return _render_form(values, event=event)
    values = form_values(request.form)
    expected = expected_revision(request.form)
    session = get_session()
    try:
        data = EventInput.from_form(values)
        change = event_service.update_event(session, event_id, data, expected, current_user(), utcnow())
    except InputError as error:
        session.rollback()
        values["revision"] = expected
        return _render_form(values, event=event, errors=error.errors, status=400)
    except event_service.EditConflict as conflict:
        # Keep the editor's input; the hidden revision moves to the stored one, so saving again is deliberate.
        values["revision"] = conflict.current.revision
        return _render_form(values, event=conflict.current, conflict=conflict, status=409)
    session.commit()
    _announce_created(change)
    flash("Changes saved." if change.changes else "Nothing was changed.", "success")
    return redirect(url_for("public.event_page", event_id=event_id))
