"""iCalendar over HTTP like a calendar server: public and private feeds, one event's .ics.

Responses carry ``text/calendar; charset=utf-8``, a strong ETag (a digest of the bytes; the gzip variant has
its own), Last-Modified, Cache-Control and CORS for read-only use; ``If-None-Match`` (preferred) and
``If-Modified-Since`` give 304; HEAD is answered by Flask from the same view; gzip is sent when accepted.

``?lang=en|mk|sq`` (``tracker.web.language`` makes it the request's language; feeds ignore cookies and
``Accept-Language``, so a client's polls always get the same bytes) writes titles, descriptions and labels in that
language, with RFC 5545 ``LANGUAGE`` parameters; another value is answered 400. Each language is a feed of its own
(its own cache entry, stored blocks and ETag). Editing an event's translations is not a reschedule: SEQUENCE
follows the existing rule (dates, times, status), as RFC 5545 §3.8.7.4 asks for significant changes only.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from flask import Blueprint, Flask, abort, after_this_request, current_app, request
from werkzeug.http import http_date
from werkzeug.wrappers import Response

from tracker.filters import EventFilter, parse_filter
from tracker.i18n import current_language, gettext
from tracker.models import utcnow
from tracker.services import feeds
from tracker.visibility import EDITORS, PUBLIC, may_see
from tracker.web import links
from tracker.web.auth import current_user, user_not_needed
from tracker.web.sessions import get_engine, get_session

bp = Blueprint("feeds", __name__)

PUBLIC_CACHE_CONTROL = "public, max-age=300"
PRIVATE_CACHE_CONTROL = "private, max-age=300"
#: CORS for read-only use from any origin (no credentials); the preflight-only headers go on OPTIONS answers.
CORS_HEADERS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "ETag, Last-Modified, Content-Disposition"),
]
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}
CALENDAR_ENDPOINTS = frozenset({"feeds.calendar_feed", "feeds.private_feed", "feeds.event_ics"})
CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _feed_cache(app: Flask) -> feeds.FeedCache:
    cache = app.extensions.get("tracker.feed_cache")
    if cache is None:
        recheck = float(app.config.get("FEED_RECHECK_SECONDS", feeds.RECHECK_SECONDS))
        budget = int(app.config.get("FEED_CACHE_MAX_BYTES", feeds.DEFAULT_CACHE_BYTES))
        cache = app.extensions["tracker.feed_cache"] = feeds.FeedCache(budget, recheck_seconds=recheck)
    return cache


@lru_cache(maxsize=256)
def _accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding value allows gzip (``gzip;q=0`` does not); clients send few distinct values."""
    allowed = {"gzip": False, "x-gzip": False, "*": False}
    for item in accept_encoding.lower().split(","):
        name, _, parameters = item.strip().partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name.strip() in allowed:
            allowed[name.strip()] = quality > 0
    return allowed["gzip"] or allowed["x-gzip"] or ("gzip" not in accept_encoding.lower() and allowed["*"])


@lru_cache(maxsize=256)
def _http_date(instant: datetime) -> str:
    return http_date(instant)


def _not_modified(feed: feeds.Feed, etags: tuple[str, str]) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only otherwise."""
    if "If-None-Match" in request.headers:
        return any(request.if_none_match.contains_weak(tag) for tag in etags)  # "*" matches too
    if "If-Modified-Since" not in request.headers:
        return False
    since = request.if_modified_since
    return since is not None and feed.last_modified.replace(microsecond=0) <= since


@lru_cache(maxsize=512)
def _response_headers(
    etag: str, last_modified: datetime, cache_control: str, filename: str, attachment: bool, cors: bool, use_gzip: bool
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The headers of a 304 and of a 200 for one variant of one feed: made once (immutable), copied per request."""
    headers = [
        ("ETag", f'"{etag}-gzip"' if use_gzip else f'"{etag}"'),
        ("Last-Modified", _http_date(last_modified)),
        ("Cache-Control", cache_control),
        ("Vary", "Accept-Encoding"),
    ]
    if cors:
        headers += CORS_HEADERS
    full = [*headers, ("Content-Disposition", f'{"attachment" if attachment else "inline"}; filename="{filename}"')]
    if use_gzip:
        full.append(("Content-Encoding", "gzip"))
    return tuple(headers), tuple(full)


def calendar_response(
    feed: feeds.Feed, *, cache_control: str, filename: str, attachment: bool = False, cors: bool = True
) -> Response:
    """The HTTP answer for calendar bytes, with validators, conditional 304, gzip and CORS."""
    use_gzip = _accepts_gzip(request.headers.get("Accept-Encoding", ""))
    not_modified_headers, headers = _response_headers(
        feed.etag, feed.last_modified, cache_control, filename, attachment, cors, use_gzip
    )
    if _not_modified(feed, (feed.etag, f"{feed.etag}-gzip")):
        return Response(status=304, headers=not_modified_headers)
    body = feed.gzipped() if use_gzip else feed.body
    return Response(body, status=200, headers=headers, content_type=CALENDAR_TYPE)


def _tagged() -> bool:
    """Whether the feed was asked for in a language (``?lang=``, already checked by ``tracker.web.language``)."""
    return "lang" in request.args


@lru_cache(maxsize=256)
def _public_spec(
    event_filter: EventFilter,
    org_labels: tuple[str, ...],
    calendar_name: str,
    base_url: str,
    language: str,
    tagged: bool,
) -> feeds.FeedSpec:
    """The feed's spec (its name describes the filter), made once per filter, organisations' current names (the
    filter's equality leaves them out: a renamed organisation must rename the feed), language and address."""
    url = links.public_feed_url(event_filter, language if tagged else None)
    return feeds.public_spec(event_filter, calendar_name, url, tagged=tagged)


@lru_cache(maxsize=512)
def _cache_key(spec: feeds.FeedSpec, base_url: str) -> tuple[Any, ...]:
    return spec.cache_key(base_url)


def _feed(spec: feeds.FeedSpec) -> feeds.Feed:
    """The feed from this process's memory when it is known to be current, else through the service."""
    cache = _feed_cache(current_app)
    base_url = links.base_url()
    now = utcnow()
    feed = cache.peek(_cache_key(spec, base_url), now)
    if feed is None:
        session = get_session()
        feed = feeds.get_feed(session, cache, spec, base_url, now)
        _keep_blocks(session)
    return feed


def _keep_blocks(session: Any) -> None:
    """Store the blocks a build serialized (so the next build and process find them), after the answer.

    A GET answers from a read-only transaction; the blocks are written once the response has been sent
    (``call_on_close``), in a short write transaction of their own that never fails the request.
    """
    unsaved = feeds.take_unsaved_blocks(session)
    if unsaved is None:
        return
    engine = get_engine()

    @after_this_request
    def _store_after_answer(response: Response) -> Response:
        response.call_on_close(lambda: feeds.save_blocks(engine, unsaved))
        return response


@bp.route("/calendar.ics", methods=["GET"])
@user_not_needed
def calendar_feed() -> Response:
    """All public events, or those of any filter of the web views (``?kind=conference&country=MK``)."""
    event_filter = parse_filter(request.args, get_session(), include_internal=PUBLIC) if request.args else EventFilter()
    calendar_name = current_app.config["CALENDAR_NAME"]
    spec = _public_spec(
        event_filter, event_filter.org_labels, calendar_name, links.base_url(), current_language(), _tagged()
    )
    return calendar_response(_feed(spec), cache_control=PUBLIC_CACHE_CONTROL, filename="calendar.ics")


@bp.route("/feeds/<token>.ics", methods=["GET"])
@user_not_needed
def private_feed(token: str) -> Response:
    """A user's private feed (internal events too), opened by an unguessable token."""
    session = get_session()
    user = feeds.user_for_feed_token(session, token)
    if user is None:
        abort(404)
    event_filter = parse_filter(request.args, session, include_internal=EDITORS) if request.args else EventFilter()
    spec = feeds.private_spec(event_filter, current_app.config["CALENDAR_NAME"], tagged=_tagged())
    response = calendar_response(_feed(spec), cache_control=PRIVATE_CACHE_CONTROL, filename="calendar.ics")
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _filename(title: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60].strip("-")
    return f"{slug or 'event'}.ics"


@bp.route("/events/<int:event_id>.ics", methods=["GET"])
def event_ics(event_id: int) -> Response:
    """One event as a calendar file to download (internal events for logged-in users only)."""
    session = get_session()
    event = feeds.load_for_ics(session, event_id)
    if event is None or not may_see(event, include_internal=current_user() is not None):
        abort(404)  # the same answer as for an id that does not exist
    internal = not may_see(event, include_internal=PUBLIC)
    if event.deleted_dt is not None:
        abort(410, description=gettext("This event has been deleted."))
    language = current_language() if _tagged() else None
    calendar_name = current_app.config["CALENDAR_NAME"]
    feed = feeds.single_event_feed(session, event, links.base_url(), calendar_name, language)
    _keep_blocks(session)
    return calendar_response(
        feed,
        cache_control=PRIVATE_CACHE_CONTROL if internal else PUBLIC_CACHE_CONTROL,
        filename=_filename(event.title),
        attachment=True,
        cors=not internal,
    )


@bp.after_request
def _cors_preflight(response: Response) -> Response:
    """Flask answers OPTIONS itself; the calendar routes add CORS headers to that answer too."""
    if request.method == "OPTIONS" and request.endpoint in CALENDAR_ENDPOINTS:
        response.headers.update(PREFLIGHT_HEADERS)
    return response
