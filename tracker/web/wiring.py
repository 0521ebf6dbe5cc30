"""Attach the web layer to an app: middleware, converter, CSRF, template helpers, error pages, headers.

The blueprints (``tracker.views``) are registered by ``create_app`` after this, so the web layer never imports
the views that use it."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from tracker.filters import FilterError
from tracker.i18n import LANGUAGES, LanguageError, set_language
from tracker.i18n import gettext as _
from tracker.parsing import IntegerError
from tracker.web import templating
from tracker.web.csrf import csrf
from tracker.web.errors import is_api_request, render_error, render_http_error
from tracker.web.framing import content_security_policy, is_frameable_request
from tracker.web.routing import BoundedIntConverter, QueryStringRepair

log = logging.getLogger(__name__)

#: Set on every answer unless the view set its own value (e.g. the private feed's ``no-referrer``).
SECURITY_HEADERS = (
    ("Content-Security-Policy", content_security_policy(())),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)


def embed_security_headers(origins: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The headers of a frameable answer: the configured ``frame-ancestors``, no X-Frame-Options."""
    return (
        ("Content-Security-Policy", content_security_policy(origins)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    )


def init_app(app: Flask) -> None:
    app.wsgi_app = QueryStringRepair(app.wsgi_app)  # type: ignore[method-assign]
    app.url_map.converters["int"] = BoundedIntConverter
    csrf.init_app(app)
    embed_headers = embed_security_headers(tuple(app.config["EMBED_ALLOWED_ORIGINS"]))
    templating.init_app(app)
    app.before_request(api_in_english)

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400, _("The form had expired or came from elsewhere. Go back, reload the page and try again.")
        )

    @app.errorhandler(FilterError)
    def _filter_error(error: FilterError) -> tuple[str, int]:
        return render_error(400, filter_error_message(error))

    @app.errorhandler(LanguageError)
    def _language_error(error: LanguageError) -> tuple[str, int]:
        return render_error(
            400,
            _(
                "The language “%(value)s” is not offered: choose one of %(choices)s.",
                value=error.value[:20],
                choices=", ".join(LANGUAGES),
            ),
        )

    @app.errorhandler(IntegerError)
    def _integer_error(error: IntegerError) -> tuple[str, int]:
        """A number from outside that no view turned into its own message is still the sender's error."""
        return render_error(400, f"{error.translated()}.")

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response | tuple[str, int]:
        if error.code is None or error.code < 400:
            return error.get_response()
        description = error.description if error.code not in (404, 500) else None
        return render_http_error(error, description)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500, _("The error has been logged. Please try again later."))

    @app.after_request
    def _security_headers(response: Response) -> Response:
        """Add each security header the view did not set itself (one pass over the headers, not four)."""
        present = {name.lower() for name, _value in response.headers}
        wanted = embed_headers if is_frameable_request(app) else SECURITY_HEADERS
        missing = [item for item in wanted if item[0].lower() not in present]
        if missing:
            response.headers.extend(missing)
        return response


def api_in_english() -> None:
    """The JSON API speaks English whatever the client's Accept-Language (its messages are for programs); the
    language module's teardown still restores the language from before the request."""
    if is_api_request():
        set_language("en")


def filter_error_message(error: FilterError) -> str:
    """The sentence of a filter's error page, in the reader's language (English under ``/api/``)."""
    return _("The filter “%(name)s” is not valid: %(why)s.", name=error.parameter, why=error.translated())
