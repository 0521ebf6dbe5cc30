"""The viewer's filter for a page: the query string, plus the time zone they chose earlier (a cookie).

``tz`` in the query string wins and is remembered; ``tz=`` (empty) forgets it; without ``tz`` the remembered
zone applies, and it is put back into the filter so every link the page builds carries it (bookmarkable).
A cookie with an unknown zone is ignored, never an error: the viewer did not type it into this request.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Response, after_this_request, request
from sqlmodel import Session

from tracker.filters import EventFilter, parse_filter
from tracker.timezones import TimeError, region_zone
from tracker.web.auth import current_user

ZONE_COOKIE = "tracker_tz"
ZONE_COOKIE_MAX_AGE = 365 * 24 * 3600


def remembered_zone() -> str:
    """The zone in the cookie, if it names one; empty otherwise."""
    value = request.cookies.get(ZONE_COOKIE, "")
    try:
        return region_zone(value) if value else ""
    except TimeError:
        return ""


def viewer_filter(session: Session) -> EventFilter:
    """Parse the request's filter (``FilterError`` → 400) for the viewer's audience, and apply or update the
    remembered zone."""
    event_filter = parse_filter(request.args, session, include_internal=current_user() is not None)
    if "tz" not in request.args:
        zone = remembered_zone()
        return replace(event_filter, tz=zone) if zone else event_filter
    chosen = event_filter.tz
    if chosen != remembered_zone():

        @after_this_request
        def _remember(response: Response) -> Response:
            if chosen:
                response.set_cookie(
                    ZONE_COOKIE, chosen, max_age=ZONE_COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                    secure=request.is_secure,
                )  # fmt: skip
            else:
                response.delete_cookie(ZONE_COOKIE, httponly=True, samesite="Lax")
            return response

    return event_filter
