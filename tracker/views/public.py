"""Pages everyone can read: the upcoming-events list and the event page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from tracker.auth import current_user
from tracker.db import get_session
from tracker.filters import parse_filter
from tracker.models import Visibility, utcnow
from tracker.services import listing
from tracker.services.events import EventNotFound, load_event

bp = Blueprint("public", __name__)
PAGE_SIZE = 50


def page_number() -> int:
    """The ``page`` query parameter: a whole number from 1 to 10,000, else a 400."""
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        abort(400, description="The page number must be a whole number from 1 to 10000.")
    return int(raw)


@bp.get("/")
def index() -> str:
    session = get_session()
    event_filter = parse_filter(request.args, session)
    page = page_number()
    events = listing.upcoming(
        session,
        event_filter,
        utcnow(),
        include_internal=current_user() is not None,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    return render_template(
        "upcoming.html",
        events=events[:PAGE_SIZE],
        has_more=len(events) > PAGE_SIZE,
        page=page,
        event_filter=event_filter,
    )


@bp.get("/events/<int:event_id>")
def event_page(event_id: int) -> str | tuple[str, int]:
    session = get_session()
    try:
        event = load_event(session, event_id, include_deleted=True)
    except EventNotFound:
        abort(404)
    if event.visibility != Visibility.PUBLIC.value and current_user() is None:
        abort(404)
    if event.deleted_dt is not None:
        return render_template("event_deleted.html", event=event), 410
    viewer_zone = request.args.get("tz") or None
    if viewer_zone:
        viewer_zone = parse_filter({"tz": viewer_zone}, session).tz
    return render_template("event.html", event=event, viewer_zone=viewer_zone)
