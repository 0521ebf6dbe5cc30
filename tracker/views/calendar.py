"""The calendar: month grid (/calendar/2022/11), ISO week (/calendar/2022/week/46) and the jumps to today.

Every calendar page takes the one shared filter (``tracker.filters``) from the query string, with the
viewer's remembered zone (``tracker.web.page_filter``), and renders ``event_filter`` into its template so the
subscribe and reminder partials of the feeds and reminders work can use it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request
from werkzeug.wrappers import Response

from tracker.filters import FILTER_PARAMETERS, EventFilter
from tracker.i18n import gettext as _
from tracker.models import utcnow
from tracker.parsing import IntegerError, parse_int
from tracker.services import search
from tracker.services.calendar import month_view, week_view
from tracker.services.calendar_grid import today_in
from tracker.services.calendar_queries import CalendarRangeError
from tracker.services.filter_choices import filter_choices
from tracker.validation import MAX_YEAR, MIN_YEAR
from tracker.web.auth import current_user
from tracker.web.links import filter_url
from tracker.web.page_filter import viewer_filter
from tracker.web.sessions import get_session

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def page_context(event_filter: EventFilter, view: str) -> dict[str, Any]:
    """Context every calendar and agenda page shares (the filter bar, highlighting, the current view)."""
    return {
        "event_filter": event_filter,
        "view": view,
        "highlight_terms": search.highlight_terms(event_filter.q) if event_filter.q else (),
        "viewer_zone": event_filter.tz or None,
        "filter_parameters": FILTER_PARAMETERS,
        **filter_choices(get_session(), include_internal=current_user() is not None),
    }


def requested_month(event_filter: EventFilter) -> tuple[int, int]:
    """The month in ``month=2022-11`` (a 400 page when malformed), else this month in the viewer's zone."""
    raw = request.args.get("month", "").strip()
    if not raw:
        today = today_in(event_filter.tz or None, utcnow())
        return today.year, today.month
    raw_year, _dash, raw_month = raw.partition("-")
    try:
        year = parse_int(raw_year, name="month", minimum=MIN_YEAR, maximum=MAX_YEAR)
        month = parse_int(raw_month, name="month", minimum=1, maximum=12)
    except IntegerError:
        abort(
            400, description=_("Give the month as YYYY-MM, for example 2022-11 (not %(value)s).", value=repr(raw[:20]))
        )
    return year, month


@bp.get("/")
def current_month() -> Response:
    """This month in the viewer's zone, or the month typed into the jump form (``month=2022-11``)."""
    event_filter = viewer_filter(get_session())
    year, month = requested_month(event_filter)
    return redirect(filter_url("calendar.month", event_filter, year=year, month=month))


@bp.get("/week")
def current_week() -> Response:
    event_filter = viewer_filter(get_session())
    iso = today_in(event_filter.tz or None, utcnow()).isocalendar()
    return redirect(filter_url("calendar.week", event_filter, year=iso.year, week=iso.week))


def _grid_page(build: Any, name: str, year: int, number: int) -> str:
    """A month or week page: ``build`` is ``month_view`` or ``week_view``."""
    session = get_session()
    event_filter = viewer_filter(session)
    now = utcnow()
    try:
        view = build(session, event_filter, year, number, now, include_internal=current_user() is not None)
    except CalendarRangeError as error:
        abort(400, description=str(error))
    today = today_in(event_filter.tz or None, now)
    return render_template(f"calendar_{name}.html", today=today, **{name: view}, **page_context(event_filter, name))


@bp.get("/<int:year>/<int:month>")
def month(year: int, month: int) -> str:
    return _grid_page(month_view, "month", year, month)


@bp.get("/<int:year>/week/<int:week>")
def week(year: int, week: int) -> str:
    return _grid_page(week_view, "week", year, week)
