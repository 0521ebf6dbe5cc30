"""Downloads of the current filter: ``/events.csv`` (the agenda's filter; ``past=1`` adds past events)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request, url_for

from tracker.i18n import gettext as _
from tracker.models import utcnow
from tracker.services.csv_export import MAX_ROWS, export_events
from tracker.web.auth import current_user
from tracker.web.links import base_url
from tracker.web.page_filter import viewer_filter
from tracker.web.sessions import get_session

bp = Blueprint("exports", __name__)


def include_past() -> bool:
    """``past=1`` includes past events; absent, empty or ``0`` means upcoming only; anything else is a 400."""
    raw = request.args.get("past", "").strip()
    if raw not in {"", "0", "1"}:
        abort(400, description=_("past must be 1 (include past events) or 0 (upcoming events only)."))
    return raw == "1"


@bp.get("/events.csv")
def events_csv() -> Response:
    """The filter's events as CSV; internal ones only for logged-in editors, as on the agenda."""
    session = get_session()
    event_filter = viewer_filter(session)
    past = include_past()
    include_internal = current_user() is not None
    prefix = base_url()
    export = export_events(
        session, event_filter, utcnow(), include_internal=include_internal, include_past=past,
        event_url=lambda event_id: prefix + url_for("public.event_page", event_id=event_id),
    )  # fmt: skip
    response = Response(export.body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="events.csv"'
    if export.truncated:
        response.headers["X-Truncated"] = f"only the first {MAX_ROWS} events"
    if include_internal:
        response.headers["Cache-Control"] = "private, no-store"
    return response
