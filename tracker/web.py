"""Wiring of the web layer: blueprints, CSRF protection, error pages, security headers, template helpers."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map, ValidationError

from tracker import formatting
from tracker.filters import FilterError
from tracker.parsing import MAX_ID, IntegerError, parse_int, percent_encode_invalid_utf8

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

csrf = CSRFProtect()
log = logging.getLogger(__name__)

ERROR_TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "Gone",
    413: "Too large",
    429: "Too many requests",
    500: "Something went wrong",
}

#: Set on every answer unless the view set its own value (e.g. the private feed's ``no-referrer``).
SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)


def render_error(status: int, message: str | None = None) -> tuple[str, int]:
    title = ERROR_TITLES.get(status, "Error")
    return render_template("error.html", status=status, title=title, message=message), status


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` in every route matches only ASCII digits a 32-bit database column can hold (else a plain 404).

    Werkzeug's own ``\\d+`` also matches ``٣`` and ``𝟗``, which would give one event many URLs."""

    regex = "[0-9]+"

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int = 0, max: int = MAX_ID) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max)

    def to_python(self, value: str) -> int:
        try:
            return parse_int(value, name="id", minimum=self.min or 0, maximum=self.max or MAX_ID)
        except IntegerError:
            raise ValidationError() from None


class QueryStringRepair:
    """WSGI middleware: a query string that is not valid UTF-8 gets those bytes percent-encoded (see
    ``parsing.percent_encode_invalid_utf8``) before Werkzeug decodes it strictly and fails with a 500."""

    def __init__(self, wsgi_app: WSGIApplication) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        query = environ.get("QUERY_STRING", "")
        if not query.isascii():  # WSGI hands the raw bytes over as latin-1
            environ["QUERY_STRING"] = percent_encode_invalid_utf8(query.encode("latin-1")).decode("latin-1")
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    app.wsgi_app = QueryStringRepair(app.wsgi_app)  # type: ignore[method-assign]
    from tracker.views import register_blueprints

    app.url_map.converters["int"] = BoundedIntConverter
    csrf.init_app(app)
    formatting.init_app(app)
    register_blueprints(app)

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(400, "The form had expired or came from elsewhere. Go back, reload the page and try again.")

    @app.errorhandler(FilterError)
    def _filter_error(error: FilterError) -> tuple[str, int]:
        return render_error(400, f"The filter “{error.parameter}” is not valid: {error.message}.")

    @app.errorhandler(IntegerError)
    def _integer_error(error: IntegerError) -> tuple[str, int]:
        """A number from outside that no view turned into its own message is still the sender's error."""
        return render_error(400, f"{error}.")

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response | tuple[str, int]:
        if error.code is None or error.code < 400:
            return error.get_response()
        description = error.description if error.code not in (404, 500) else None
        return render_error(error.code, description)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500, "The error has been logged. Please try again later.")

    @app.after_request
    def _security_headers(response: Response) -> Response:
        """Add each security header the view did not set itself (one pass over the headers, not four)."""
        present = {name.lower() for name, _value in response.headers}
        missing = [item for item in SECURITY_HEADERS if item[0].lower() not in present]
        if missing:
            response.headers.extend(missing)
        return response
