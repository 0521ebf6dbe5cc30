"""Editors' actions on one event besides the form: change status (with a reason for a cancellation), delete
(after a confirmation page) and restore, history."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.i18n import N_
from tracker.i18n import gettext as _
from tracker.models import EventStatus, utcnow
from tracker.services import change_text, deletion, revisions
from tracker.services import events as event_service
from tracker.validation import single_line
from tracker.views.editor import expected_revision, load_or_404
from tracker.web.auth import current_user, login_required
from tracker.web.sessions import get_session

bp = Blueprint("event_actions", __name__, url_prefix="/edit")
#: The longest reason for a cancellation (the column's size).
REASON_MAX = 500


def _event_page(event_id: int) -> Response:
    return redirect(url_for("public.event_page", event_id=event_id))


def lost_race(conflict: event_service.EditConflict) -> str:
    """What the editor is told when a status change, a delete or a restore lost the race to another save."""
    return _(
        "%(name)s changed this event while you were looking at it; check it and try again.", name=conflict.changed_by
    )


#: What the status message calls each status (a whole sentence each, for the translators).
STATUS_SET = {
    EventStatus.TENTATIVE.value: N_("Status set to tentative."),
    EventStatus.CONFIRMED.value: N_("Status set to confirmed."),
    EventStatus.POSTPONED.value: N_("Status set to postponed."),
    EventStatus.CANCELLED.value: N_("Status set to cancelled."),
}


@bp.post("/events/<int:event_id>/status")
@login_required
def change_status(event_id: int) -> Response | tuple[str, int]:
    """Set the status; ``reason`` (optional, one line) is kept with a cancellation and cleared otherwise."""
    event = load_or_404(event_id)
    status = request.form.get("status", "")
    if status not in {member.value for member in EventStatus}:
        abort(400, description=_("Unknown status; choose tentative, confirmed, postponed or cancelled."))
    revision = expected_revision(request.form)
    raw_reason = request.form.get("reason", "")
    try:
        reason = single_line(raw_reason, REASON_MAX, N_("The reason"))
    except ValueError as exc:
        values: dict[str, Any] = {"status": status, "reason": raw_reason, "revision": revision}
        return render_template("event_status.html", event=event, values=values, error=str(exc)), 400
    session = get_session()
    try:
        event_service.set_status(session, event_id, status, revision, current_user(), utcnow(), reason=reason)
    except event_service.EditConflict as conflict:
        flash(lost_race(conflict), "error")
        return _event_page(event_id)
    session.commit()
    flash(_(STATUS_SET[status]), "success")
    return _event_page(event_id)


@bp.get("/events/<int:event_id>/delete")
@login_required
def confirm_delete(event_id: int) -> str:
    """What a delete will do, and the button that does it."""
    event = load_or_404(event_id)
    effects = deletion.delete_effects(get_session(), event_id)
    return render_template("event_delete.html", event=event, effects=effects)


@bp.post("/events/<int:event_id>/delete")
@login_required
def delete_event(event_id: int) -> Response:
    """Delete once confirmed (the ``confirm`` field of the confirmation page); land where Undo is offered."""
    load_or_404(event_id)
    revision = expected_revision(request.form)
    if not request.form.get("confirm"):
        return redirect(url_for("event_actions.confirm_delete", event_id=event_id))
    session = get_session()
    try:
        event_service.delete_event(session, event_id, revision, current_user(), utcnow())
    except event_service.EditConflict as conflict:
        flash(lost_race(conflict), "error")
        return _event_page(event_id)
    session.commit()
    flash(_("Event deleted. Subscribed calendars will show it as cancelled; its reminders are withdrawn."), "success")
    return _event_page(event_id)


@bp.post("/events/<int:event_id>/restore")
@login_required
def restore_event(event_id: int) -> Response:
    """Undo a delete: the event comes back with its links and history, feeds and reminders follow."""
    session = get_session()
    try:
        event_service.load_event(session, event_id, include_deleted=True)
    except event_service.EventNotFound:
        abort(404)
    revision = expected_revision(request.form)
    try:
        change = event_service.restore_event(session, event_id, revision, current_user(), utcnow())
    except event_service.EditConflict as conflict:
        flash(lost_race(conflict), "error")
        return _event_page(event_id)
    if not change.changes:
        flash(_("This event is not deleted; nothing was changed."), "info")
        return _event_page(event_id)
    session.commit()
    flash(_("Event restored. Subscribed calendars will show it again, and its reminders are planned again."), "success")
    return _event_page(event_id)


@bp.get("/events/<int:event_id>/history")
@login_required
def event_history(event_id: int) -> str:
    """Every revision in sentences, in the event's own zone."""
    event = load_or_404(event_id)
    entries = change_text.history_entries(event, revisions.history(get_session(), event_id))
    return render_template("history.html", event=event, entries=entries)
