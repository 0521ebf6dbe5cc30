"""Which language a request is answered in, and the links that switch it.

Order: ``?lang=`` (the switcher's links and the ``hreflang`` alternates), then the ``lang`` cookie the switcher
left, then the browser's ``Accept-Language``, then ``TRACKER_DEFAULT_LANGUAGE``. A ``?lang=`` is remembered in
the cookie for a year. Pages say what they depend on (``Vary``) and which language they are in
(``Content-Language``). Feeds follow ``?lang=`` and the default only; embeds (framed by other sites) follow
``?lang=`` and their visitor's browser, and neither read nor set the cookie.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, request

from tracker.filters import FILTER_PARAMETERS, EventFilter
from tracker.i18n import LANGUAGES, LanguageError, current_language, parse_language, reset_language, set_language

COOKIE = "lang"
COOKIE_SECONDS = 365 * 24 * 3600


def requested_language() -> str | None:
    """The ``?lang=`` of this request, or None; a value that is not offered is the sender's error (400)."""
    raw = request.args.get("lang")
    return None if raw is None else parse_language(raw)


def _reader_independent() -> bool:
    """Whether this view's answer must not depend on who asks (feeds, ``user_not_needed``): then only ``?lang=``
    and the configured default choose, so a calendar client's polls stay cacheable and the ETag stable."""
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "tracker_user_not_needed", False)) and not _framed()


def _framed() -> bool:
    """Whether this view's answer is put in other sites' frames: it follows its visitor's browser, not a cookie."""
    return bool(getattr(current_app.view_functions.get(request.endpoint or ""), "tracker_frameable", False))


def select_language() -> str:
    """The language of this request's answer (see the module's docstring for the order)."""
    chosen = g.language_asked = requested_language()
    if chosen:
        return chosen
    if _reader_independent():
        return current_app.config["DEFAULT_LANGUAGE"]
    remembered = "" if _framed() else request.cookies.get(COOKIE, "")
    if remembered in LANGUAGES:
        return remembered
    best = request.accept_languages.best_match(LANGUAGES)
    return best or current_app.config["DEFAULT_LANGUAGE"]


def language_url(language: str, event_filter: EventFilter | None = None) -> str:
    """This page's URL in ``language``: the same path and query with ``lang`` set (switcher, ``hreflang``).

    With the page's filter, the filter parameters the query holds are written as the filter reads them
    (``tz=Europe/Skopje`` for a typed ``europe/skopje``), like every other link of the page; a filter that did not
    come from the query (an organisation's page, a remembered zone) adds nothing."""
    asked = [(name, value) for name, value in request.args.items(multi=True) if name != "lang"]
    if event_filter is not None:
        present = {name for name, _value in asked} & set(FILTER_PARAMETERS)
        canonical = [(name, value) for name, value in event_filter.to_params() if name in present]
        asked = canonical + [(name, value) for name, value in asked if name not in FILTER_PARAMETERS]
    return f"{request.path}?{urlencode([*asked, ('lang', language)])}"


def init_app(app: Flask) -> None:
    @app.before_request
    def _choose_language() -> None:
        g.language_token = None
        try:
            language = select_language()
        except LanguageError:
            g.language_token = set_language(app.config["DEFAULT_LANGUAGE"])
            raise
        g.language_token = set_language(language)

    @app.after_request
    def _say_language(response: Response) -> Response:
        response.headers.setdefault("Content-Language", current_language())
        if _reader_independent():
            return response
        response.vary.add("Accept-Language")
        if _framed():
            return response
        response.vary.add("Cookie")
        asked = g.get("language_asked")
        if asked and request.cookies.get(COOKIE) != asked:
            response.set_cookie(COOKIE, asked, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True)
        return response

    @app.teardown_request
    def _forget_language(_exc: BaseException | None) -> None:
        token = g.pop("language_token", None)
        if token is not None:
            reset_language(token)
