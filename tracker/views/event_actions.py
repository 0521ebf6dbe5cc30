"""Editors' actions on one event besides the form: change status, delete, history."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.models import EventStatus, utcnow
from tracker.services import events as event_service
from tracker.services import revisions
from tracker.views.editor import expected_revision, load_or_404
from tracker.web.auth import current_user, login_required
from tracker.web.sessions import get_session

bp = Blueprint("event_actions", __name__, url_prefix="/edit")


@bp.post("/events/<int:event_id>/status")
@login_required
def change_status(event_id: int) -> Response | tuple[str, int]:
    load_or_404(event_id)
    status = request.form.get("status", "")
    if status not in {member.value for member in EventStatus}:
        abort(400, description="Unknown status; choose tentative, confirmed, postponed or cancelled.")
    session = get_session()
    try:
        event_service.set_status(session, event_id, status, expected_revision(request.form), current_user(), utcnow())
    except event_service.EditConflict as conflict:
        flash(conflict.message, "error")
        return redirect(url_for("public.event_page", event_id=event_id))
    session.commit()
    flash(f"Status set to {EventStatus(status).label.lower()}.", "success")
    return redirect(url_for("public.event_page", event_id=event_id))


@bp.post("/events/<int:event_id>/delete")
@login_required
def delete_event(event_id: int) -> Response:
    load_or_404(event_id)
    session = get_session()
    try:
        event_service.delete_event(session, event_id, expected_revision(request.form), current_user(), utcnow())
    except event_service.EditConflict as conflict:
        flash(conflict.message, "error")
        return redirect(url_for("public.event_page", event_id=event_id))
    session.commit()
    flash("Event deleted. Subscribed calendars will show it as cancelled.", "success")
    return redirect(url_for("public.index"))


@bp.get("/events/<int:event_id>/history")
@login_required
def event_history(event_id: int) -> str:
    event = load_or_404(event_id)
    return render_template("history.html", event=event, revisions=revisions.history(get_session(), event_id))
