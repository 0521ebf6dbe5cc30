"""Pages other sites may put in an ``<iframe>``: the month grid (``/embed/month``) and the upcoming events
(``/embed/agenda``), with the same filter parameters as the full pages.

The embedding page is public, so these pages are the public's whoever looks: internal events never show, even
to a logged-in editor (``include_internal=PUBLIC``), and the zone comes from the query string only (the
remembered-zone cookie is neither read nor set). They carry no site navigation, no form and no login link;
links to events open the full page in a new tab. Only these answers may be framed, and they set no cookie
(``tracker.web.framing``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from werkzeug.exceptions import HTTPException

from tracker.filters import FILTER_PARAMETERS, EventFilter, FilterError, parse_filter
from tracker.i18n import current_language
from tracker.i18n import gettext as _
from tracker.models import utcnow
from tracker.parsing import IntegerError
from tracker.services import agenda, search
from tracker.services.calendar import month_view
from tracker.services.calendar_grid import today_in
from tracker.services.calendar_queries import CalendarRangeError
from tracker.views.calendar import requested_month
from tracker.visibility import PUBLIC
from tracker.web.auth import user_not_needed
from tracker.web.framing import frameable
from tracker.web.sessions import get_session
from tracker.web.wiring import filter_error_message

bp = Blueprint("embed", __name__, url_prefix="/embed")
#: Upcoming events an embedded agenda lists; a link leads to the rest on the full page.
EMBED_AGENDA_SIZE = 30
#: Links out of an embed open a new tab (with rel=noopener), so the embedding page stays where it is.
LINK_TARGET = "_blank"


def embed_filter() -> EventFilter:
    """The query string's filter as the public may use it (an internal-only organisation or tag is unknown)."""
    return parse_filter(request.args, get_session(), include_internal=PUBLIC)


def embed_context(event_filter: EventFilter, view: str) -> dict[str, Any]:
    return {
        "event_filter": event_filter,
        "view": view,
        "viewer_zone": event_filter.tz or None,
        "highlight_terms": search.highlight_terms(event_filter.q) if event_filter.q else (),
        "filter_parameters": FILTER_PARAMETERS,
        "link_target": LINK_TARGET,
        # a language the embedding site chose (``?lang=``) stays on the frame's links; else the visitor's browser's
        "keep_language": {"lang": current_language()} if request.args.get("lang") else {},
    }


@bp.get("/month")
@frameable
@user_not_needed
def month() -> str:
    """A month grid (this month in the filter's zone, or ``month=2022-11``), with links to the months around it."""
    event_filter = embed_filter()
    year, number = requested_month(event_filter)
    now = utcnow()
    try:
        view = month_view(get_session(), event_filter, year, number, now, include_internal=PUBLIC)
    except CalendarRangeError as error:
        abort(400, description=str(error))
    today = today_in(event_filter.tz or None, now)
    return render_template("embed/month.html", month=view, today=today, **embed_context(event_filter, "month"))


@bp.get("/agenda")
@frameable
@user_not_needed
def upcoming() -> str:
    """The next events, soonest first, by day (a search ``q`` narrows them; it does not rank them)."""
    event_filter = embed_filter()
    now = utcnow()
    zone = event_filter.tz or None
    events = agenda.agenda(get_session(), event_filter, now, include_internal=PUBLIC, limit=EMBED_AGENDA_SIZE + 1)
    today = today_in(zone, now)
    return render_template(
        "embed/agenda.html",
        days=agenda.group_by_day(events[:EMBED_AGENDA_SIZE], zone, today),
        has_more=len(events) > EMBED_AGENDA_SIZE,
        today=today,
        **embed_context(event_filter, "agenda"),
    )


def _embed_error(status: int, message: str) -> tuple[str, int]:
    """An error inside the frame: the message, without the site's navigation."""
    return render_template("embed/error.html", status=status, message=message), status


@bp.errorhandler(FilterError)
def _filter_error(error: FilterError) -> tuple[str, int]:
    return _embed_error(400, filter_error_message(error))


@bp.errorhandler(IntegerError)
def _integer_error(error: IntegerError) -> tuple[str, int]:
    return _embed_error(400, f"{error.translated()}.")


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Any:
    if error.code is None or error.code < 400:
        return error.get_response()
    message = error.description if error.code not in (404, 500) else _("This calendar view is not available.")
    return _embed_error(error.code, str(message))
