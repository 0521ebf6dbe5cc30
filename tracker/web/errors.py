"""The error page of every 4xx and 5xx answer: the app's own words, never the framework's stock text.

A view that aborts with a ``description`` of its own ("The page number must be …") has that shown; otherwise
(and for werkzeug's built-in descriptions, which talk of "the requested resource" and "the server") the page
says in plain words what happened and what the reader can do. Headers an answer needs keep travelling with
it: ``Allow`` on a 405, ``Retry-After`` on a 429 or 503.

Under ``/api/`` every error is JSON instead, ``{"error": {"status": 404, "message": "…"}}`` (with ``fields``
for a body's invalid fields), whichever part of the app raised it: the JSON API's clients read no pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, has_request_context, render_template, request
from werkzeug.exceptions import HTTPException, default_exceptions

from tracker.i18n import N_, gettext

ERROR_TITLES = {
    400: N_("Bad request"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    410: N_("Gone"),
    413: N_("Too large"),
    429: N_("Too many requests"),
    500: N_("Something went wrong"),
}

#: What each status means for the reader, when the view gave no message of its own.
ERROR_HELP = {
    400: N_("The request could not be understood. Check the address, or go back, reload the page and try again."),
    403: N_("Your account may not open this page: it is for administrators. Ask an administrator if you need it."),
    404: N_("The page you asked for does not exist. The address may be mistyped, or the page may have been removed."),
    405: N_("This address does not accept that kind of request. Open it from a link or a form on this site."),
    409: N_("Someone else changed this at the same time. Reload the page to see their change, then try again."),
    410: N_("This page has been removed and will not come back."),
    413: N_(
        "What you sent is larger than this site accepts. Send less (a shorter text or a smaller file) and try again."
    ),
    429: N_("Too many requests came from you in a short time. Wait a few minutes and try again."),
    500: N_("Something went wrong on our side. The error has been logged; please try again later."),
}
#: The title and the help of a status neither list names.
OTHER_TITLE = N_("Error")
OTHER_HELP = N_("The request could not be answered. Go back and try again.")
#: The same, for a program calling the JSON API.
API_HELP = {
    400: "The request could not be understood; see the API description at /api/openapi.json.",
    401: "Send a valid API token: Authorization: Bearer <token>.",
    403: "This API token may not do this.",
    404: "There is no such API address; see /api/openapi.json.",
    405: "This API address does not accept this method; the Allow header lists those it accepts.",
    413: "The request body is larger than this site accepts.",
    429: "Too many requests; wait and try again.",
    500: "Something went wrong on our side. The error has been logged; please try again later.",
}
#: werkzeug's own descriptions: never shown, since they speak the framework's language, not the reader's.
STOCK_DESCRIPTIONS = frozenset(str(cls.description) for cls in default_exceptions.values() if cls.description)
#: Headers of an ``HTTPException`` that the error page keeps.
KEPT_HEADERS = ("Allow", "Retry-After")


def error_message(status: int, message: str | None) -> str:
    """The view's own message, else the help for the status (werkzeug's stock text counts as none)."""
    if message and message not in STOCK_DESCRIPTIONS:
        return message
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        if limit:
            size = _size(int(limit))
            return gettext(
                "What you sent is larger than this site accepts (at most %(size)s). Send less and try again.", size=size
            )
    return gettext(ERROR_HELP.get(status, OTHER_HELP))


def _size(octets: int) -> str:
    """``2 MiB``, ``500 KiB``, ``1,000 bytes``: the limit as a reader would say it."""
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if octets >= scale:
            amount = octets / scale
            return f"{amount:,.0f} {unit}" if amount == int(amount) else f"{amount:,.1f} {unit}"
    return gettext("%(count)s bytes", count=f"{octets:,}")


def is_api_request() -> bool:
    """Whether the request is for the JSON API, whose errors are JSON."""
    return has_request_context() and (request.path == "/api" or request.path.startswith("/api/"))


def json_error(status: int, message: str, fields: Mapping[str, str] | None = None, headers: Any = None) -> Response:
    """The JSON API's error answer: ``{"error": {"status", "message"[, "fields"]}}``."""
    error: dict[str, Any] = {"status": status, "message": message}
    if fields:
        error["fields"] = dict(fields)
    body = json.dumps({"error": error}, ensure_ascii=False)
    response = Response(body, status=status, headers=headers, content_type="application/json")
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def render_error(status: int, message: str | None = None, headers: Any = None) -> Any:
    """The error page for ``status``: ``(body, status)`` or, with headers to keep, ``(body, status, headers)``;
    a JSON error under ``/api/``."""
    if is_api_request():
        text = message if message and message not in STOCK_DESCRIPTIONS else None
        return json_error(status, text or API_HELP.get(status, "The request could not be answered."), headers=headers)
    title = gettext(ERROR_TITLES.get(status, OTHER_TITLE))
    body = render_template("error.html", status=status, title=title, message=error_message(status, message))
    return (body, status, headers) if headers else (body, status)


def render_http_error(error: HTTPException, description: str | None) -> Any:
    """The error page of an ``HTTPException``, with the headers it must keep (``Allow``, ``Retry-After``)."""
    kept = [(name, value) for name, value in error.get_headers() if name in KEPT_HEADERS]
    return render_error(error.code or 500, description, kept)
