"""The JSON API under ``/api/``: events in FullCalendar's event-source shape, one event, organisations,
people; create, update and cancel with a write token; the OpenAPI 3.1 description at ``/api/openapi.json``.

Who is asking is decided by the bearer token alone (``Authorization: Bearer trk_…``); session cookies mean
nothing here, so no page's login can be ridden by another site (and CSRF tokens are not needed: a write
without a token is refused). No token: the public audience; a token with ``can_see_internal``: internal events
too. Every list answer is a plain JSON array (FullCalendar reads nothing else), ``limit`` items at most, with a
``Link: <…>; rel="next"`` header when more follow. Answers carry a strong ETag (304 on ``If-None-Match``) and
CORS for reading from any origin; errors are JSON (``tracker.web.errors``).
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, after_this_request, current_app, request, url_for

from tracker.filters import parse_filter
from tracker.models import utcnow
from tracker.services import api_answers, api_directory, api_events, api_schema, api_tokens, api_writes
from tracker.services.api_params import ApiError, parse_page, parse_window, parse_zone
from tracker.services.api_tokens import ApiCaller
from tracker.services.calendar_queries import query_key
from tracker.services.feeds.cache import DEFAULT_CACHE_BYTES, RECHECK_SECONDS, FeedCache
from tracker.web.auth import user_not_needed
from tracker.web.csrf import csrf
from tracker.web.errors import json_error
from tracker.web.links import base_url
from tracker.web.sessions import get_engine, get_session

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)  # cookies open nothing here: every write needs a bearer token (module docstring)
log = logging.getLogger(__name__)

JSON_TYPE = "application/json"
CORS_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag, Link"}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, If-None-Match",
    "Access-Control-Max-Age": "86400",
}
_REVISION_TAG = re.compile(r"([0-9]{1,9})-[0-9a-f]{16}")


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    return json_error(error.status, error.message, error.fields)


def _caller() -> ApiCaller | None:
    """The token's caller; None without a token. A token that opens nothing is a 401, never the public view."""
    token = api_tokens.bearer_token(request.headers.get("Authorization"))
    if token is None:
        return None
    caller = api_tokens.authenticate(get_session(), token)
    if caller is None:
        raise ApiError(401, "The API token is not valid: unknown, revoked, or its account is deactivated.")
    if request.method in ("GET", "HEAD") and api_tokens.use_is_due(caller, utcnow()):
        _record_use_after_answer(caller.token_id)
    return caller


def _record_use_after_answer(token_id: int) -> None:
    """Write the token's last use once the answer is sent, in a transaction of its own (a GET writes nothing)."""
    engine = get_engine()

    def _record() -> None:
        try:
            api_tokens.record_use_apart(engine, token_id, utcnow())
        except Exception:  # a missed use mark must never fail or slow the answer
            log.warning("could not record the use of API token %s", token_id, exc_info=True)

    @after_this_request
    def _later(response: Response) -> Response:
        response.call_on_close(_record)
        return response


def _writer() -> ApiCaller:
    caller = _caller()
    if caller is None:
        raise ApiError(401, "Writing needs an API token: Authorization: Bearer <token>.")
    if not caller.can_write:
        raise ApiError(403, "This API token may only read.")
    api_tokens.record_use(get_session(), caller.token_id, utcnow())
    return caller


def _answers() -> FeedCache:
    """This process's cache of finished list answers (``services.api_answers``), within a byte budget."""
    cache = current_app.extensions.get("tracker.api_answers")
    if cache is None:
        budget = int(current_app.config.get("FEED_CACHE_MAX_BYTES", DEFAULT_CACHE_BYTES)) // 4
        recheck = float(current_app.config.get("FEED_RECHECK_SECONDS", RECHECK_SECONDS))
        cache = current_app.extensions["tracker.api_answers"] = FeedCache(budget, recheck_seconds=recheck)
    return cache


def _listing(key: tuple[Any, ...], build: Any, page: Any, private: bool) -> Response:
    """A list answer from the cache (or built and kept), with its ETag and ``Link`` to the next page."""
    answer = api_answers.cached_answer(get_session(), _answers(), (*key, base_url()), utcnow(), build)
    response = _send(answer.body, answer.etag, private=private)
    return _with_next_link(response, answer.more, page.offset, page.limit)


def _json(data: Any, *, status: int = 200, private: bool = False, etag: str | None = None) -> Response:
    """A JSON answer with a strong ETag (a digest of the bytes unless given), 304 on ``If-None-Match``."""
    body = api_answers.json_bytes(data)
    return _send(body, etag or hashlib.sha256(body).hexdigest()[:32], status=status, private=private)


def _send(body: bytes, tag: str, *, status: int = 200, private: bool = False) -> Response:
    headers = {
        "ETag": f'"{tag}"',
        "Cache-Control": "private, no-cache" if private else "no-cache",
        "Vary": "Authorization",
    }
    headers.update(CORS_HEADERS)
    if status == 200 and request.if_none_match.contains_weak(tag):
        return Response(status=304, headers=headers)
    return Response(body, status=status, headers=headers, content_type=JSON_TYPE)


def _with_next_link(response: Response, more: bool, offset: int, limit: int) -> Response:
    if more:
        args = [(name, value) for name, value in request.args.items(multi=True) if name != "offset"]
        query = urlencode([*args, ("offset", str(offset + limit))])
        response.headers["Link"] = f'<{base_url()}{request.path}?{query}>; rel="next"'
    return response


@bp.get("/events")
@user_not_needed
def events() -> Response:
    """Events overlapping ``start``–``end`` (exclusive), with the shared filter, as FullCalendar reads them."""
    caller = _caller()
    include_internal = api_tokens.sees_internal(caller)
    session = get_session()
    window = parse_window(request.args, utcnow())
    page = parse_page(request.args)
    event_filter = parse_filter(request.args, session, include_internal=include_internal)
    key = ("events", query_key(event_filter), window, page, include_internal)
    return _listing(
        key,
        lambda: api_events.window_events(
            session, event_filter, window, page, base_url(), include_internal=include_internal
        ),
        page,
        private=caller is not None,
    )


@bp.get("/events/<int:event_id>")
@user_not_needed
def event(event_id: int) -> Response:
    """One event (404 for one the caller may not see, as for a missing id; 410 once deleted)."""
    caller = _caller()
    session = get_session()
    found = api_writes.visible(session, event_id, caller)
    item = api_events.one_event(session, found, parse_zone(request.args.get("timeZone")), base_url())
    return _json(item, private=caller is not None, etag=_event_etag(found.revision, item))


def _event_etag(revision: int, item: Any) -> str:
    """``<revision>-<digest>``: the revision lets ``If-Match`` name what an update was made on."""
    digest = hashlib.sha256(api_answers.json_bytes(item)).hexdigest()[:16]
    return f"{revision}-{digest}"


def _body() -> Any:
    body = request.get_json(silent=True) if request.mimetype == JSON_TYPE else None
    if body is None:
        raise ApiError(400, "Send a JSON object with Content-Type: application/json.")
    return body


def _expected_revision(body: Any, *, required: bool) -> tuple[int | None, bool]:
    """The revision an update was made on, from ``If-Match`` (the event's ETag) or the body's ``revision``;
    and whether it came from the header (a conflict is then 412, else 409)."""
    if "If-Match" in request.headers:
        if request.if_match.star_tag:
            return None, True
        for tag in request.if_match.as_set():
            match = _REVISION_TAG.fullmatch(tag or "")
            if match:
                return int(match[1]), True
        raise ApiError(412, "If-Match must carry the event's ETag, as GET /api/events/<id> sends it.")
    revision = body.pop("revision", None) if isinstance(body, dict) else None
    if revision is None and required:
        raise ApiError(
            428, 'Name the revision you changed: If-Match with the event\'s ETag, or "revision" in the body.'
        )
    if revision is not None and (isinstance(revision, bool) or not isinstance(revision, int) or revision < 1):
        raise ApiError(422, "The event was not saved: revision: a whole number from 1", {"revision": "a whole number"})
    return revision, False


def _saved(found: Any, status: int = 200) -> Response:
    session = get_session()
    session.commit()
    item = api_events.one_event(session, found, "UTC", base_url())
    response = _json(item, status=status, private=True, etag=_event_etag(found.revision, item))
    if status == 201:
        response.headers["Location"] = base_url() + url_for("api.event", event_id=found.id)
    return response


@bp.post("/events")
@user_not_needed
def create_event() -> Response:
    """Create an event from the editor form's fields (``api_writes``); 201 with the event and its address."""
    caller = _writer()
    return _saved(api_writes.create(get_session(), _body(), caller, utcnow()), status=201)


@bp.patch("/events/<int:event_id>")
@user_not_needed
def update_event(event_id: int) -> Response:
    """Change the fields the body names, on the revision named by ``If-Match`` or ``revision``."""
    caller = _writer()
    body = _body()
    expected, by_header = _expected_revision(body, required=True)
    session = get_session()
    if expected is None:
        expected = api_writes.visible(session, event_id, caller).revision
    return _saved(api_writes.update(session, event_id, body, expected, by_header, caller, utcnow()))


@bp.post("/events/<int:event_id>/cancel")
@user_not_needed
def cancel_event(event_id: int) -> Response:
    """Cancel an event, with an optional one-line ``reason`` (and ``revision``, or ``If-Match``)."""
    caller = _writer()
    body = _body() if request.content_length else {}
    if not isinstance(body, dict) or not set(body) <= {"reason", "revision"}:
        raise ApiError(422, 'The body may hold only "reason" and "revision".')
    expected, by_header = _expected_revision(body, required=False)
    found = api_writes.cancel(get_session(), event_id, body, expected, by_header, caller, utcnow())
    return _saved(found)


@bp.get("/organisations")
@user_not_needed
def organisations() -> Response:
    """Organisations the caller may know of, by name, a page at a time."""
    caller = _caller()
    page = parse_page(request.args)
    include_internal = api_tokens.sees_internal(caller)
    session = get_session()
    return _listing(
        ("organisations", page, include_internal),
        lambda: api_directory.organisations(session, page, base_url(), include_internal=include_internal),
        page,
        private=caller is not None,
    )


@bp.get("/people")
@user_not_needed
def people() -> Response:
    """People the caller may know of, by name, a page at a time."""
    caller = _caller()
    page = parse_page(request.args)
    include_internal = api_tokens.sees_internal(caller)
    session = get_session()
    return _listing(
        ("people", page, include_internal),
        lambda: api_directory.people(session, page, include_internal=include_internal),
        page,
        private=caller is not None,
    )


@bp.get("/openapi.json")
@user_not_needed
def openapi() -> Response:
    """The OpenAPI 3.1 description of every endpoint here."""
    return _json(api_schema.document(base_url()))


@bp.after_request
def _cors_preflight(response: Response) -> Response:
    """Flask answers OPTIONS itself; reading endpoints add the CORS preflight headers to that answer."""
    if request.method == "OPTIONS":
        response.headers.update(PREFLIGHT_HEADERS)
    return response
