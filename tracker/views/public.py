"""Pages everyone can read: the agenda of upcoming events (the home page, which is also where a search
lands, ranked), the archive of past events, and the event page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from markupsafe import Markup

from tracker.i18n import gettext as _
from tracker.models import utcnow
from tracker.parsing import IntegerError, parse_int
from tracker.services import agenda, change_text, revisions, search
from tracker.services.calendar_grid import today_in
from tracker.services.clashes import clashes_for_page
from tracker.services.events import EventNotFound, load_event
from tracker.services.structured_data import event_json_ld, json_ld_text
from tracker.validation import MAX_YEAR, MIN_YEAR
from tracker.views.calendar import page_context
from tracker.visibility import may_see
from tracker.web.auth import current_user
from tracker.web.links import base_url
from tracker.web.page_filter import viewer_filter
from tracker.web.sessions import get_session

bp = Blueprint("public", __name__)
PAGE_SIZE = 50


def page_number() -> int:
    """The ``page`` query parameter: a whole number from 1 to 10,000, else a 400."""
    try:
        return parse_int(request.args.get("page", "1"), name="page", minimum=1, maximum=10_000)
    except IntegerError:
        abort(400, description=_("The page number must be a whole number from 1 to 10000."))


@bp.get("/")
def index() -> str:
    """Upcoming events day by day; with a search (``q``), the matching events of any date, best first."""
    session = get_session()
    event_filter = viewer_filter(session)
    page = page_number()
    now = utcnow()
    include_internal = current_user() is not None
    zone = event_filter.tz or None
    context = page_context(event_filter, "agenda")
    if event_filter.q:
        hits = search.search_events(
            session, event_filter, include_internal=include_internal, limit=PAGE_SIZE + 1,
            offset=(page - 1) * PAGE_SIZE,
        )  # fmt: skip
        return render_template(
            "agenda/search.html", hits=hits[:PAGE_SIZE], has_more=len(hits) > PAGE_SIZE, page=page, now=now, **context
        )
    events = agenda.agenda(
        session, event_filter, now, include_internal=include_internal, limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )  # fmt: skip
    today = today_in(zone, now)
    return render_template(
        "agenda/upcoming.html",
        days=agenda.group_by_day(events[:PAGE_SIZE], zone, today if page == 1 else None),
        has_more=len(events) > PAGE_SIZE,
        page=page,
        today=today,
        **context,
    )


@bp.get("/past")
def past() -> str:
    """The archive: events already over, latest first, a year at a time when ``year`` is given."""
    session = get_session()
    event_filter = viewer_filter(session)
    page = page_number()
    now = utcnow()
    raw_year = request.args.get("year", "").strip()
    year: int | None = None
    if raw_year:
        try:
            year = parse_int(raw_year, name="year", minimum=MIN_YEAR, maximum=MAX_YEAR)
        except IntegerError:
            abort(
                400,
                description=_(
                    "The year must be a whole number from %(first)s to %(last)s.", first=MIN_YEAR, last=MAX_YEAR
                ),
            )
    events = agenda.archive(
        session, event_filter, now, include_internal=current_user() is not None, year=year,
        limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE,
    )  # fmt: skip
    return render_template(
        "past.html",
        months=agenda.group_by_month(events[:PAGE_SIZE], event_filter.tz or None),
        has_more=len(events) > PAGE_SIZE,
        page=page,
        year=year,
        years=agenda.archive_years(
            session, now, include_internal=current_user() is not None, event_filter=event_filter
        ),
        today=today_in(event_filter.tz or None, now),
        **page_context(event_filter, "past"),
    )


@bp.get("/events/<int:event_id>")
def event_page(event_id: int) -> str | tuple[str, int]:
    session = get_session()
    try:
        event = load_event(session, event_id, include_deleted=True)
    except EventNotFound:
        abort(404)
    if not may_see(event, include_internal=current_user() is not None):
        abort(404)  # the same answer as for an id that does not exist
    if event.deleted_dt is not None:
        return render_template("event_deleted.html", event=event), 410
    event_filter = viewer_filter(session)
    viewer_zone = event_filter.tz or None
    moved_from = change_text.moved_from(event, revisions.last_move(session, event_id))
    clashes = clashes_for_page(session, event) if current_user() is not None else []
    page_url = base_url() + url_for("public.event_page", event_id=event_id)
    json_ld = Markup(json_ld_text(event_json_ld(event, page_url)))  # escaped for <script> by json_ld_text
    return render_template(
        "event.html", event=event, viewer_zone=viewer_zone, moved_from=moved_from, clashes=clashes, json_ld=json_ld
    )
