"""Absolute and relative links the pages build: filtered page URLs, feed URLs and the ways to subscribe to a feed."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

import segno
from flask import current_app, url_for

from tracker.filters import EventFilter
from tracker.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, gettext


def base_url() -> str:
    """The configured public base URL of the app, without a trailing slash."""
    return str(current_app.config["BASE_URL"]).rstrip("/")


def filter_url(endpoint: str, event_filter: EventFilter | None = None, **values: Any) -> str:
    """``url_for`` with the filter's query parameters, so navigation keeps the filter and the zone."""
    params: dict[str, list[str]] = {}
    for name, value in event_filter.to_params() if event_filter else []:
        params.setdefault(name, []).append(value)
    return url_for(endpoint, **values, **params)


def week_of(day: date) -> dict[str, int]:
    """The ISO year and week of ``day``, as the week page's URL parameters."""
    iso = day.isocalendar()
    return {"year": iso.year, "week": iso.week}


def with_language(url: str, language: str | None) -> str:
    """``url`` with ``lang=`` added last (a feed in that language); unchanged when ``language`` is None."""
    if language is None:
        return url
    return url + ("&" if "?" in url else "?") + urlencode({"lang": language})


def public_feed_url(event_filter: EventFilter | None, language: str | None = None) -> str:
    """The absolute https (or http) URL of the public feed for a filter (canonical parameter order), in
    ``language`` when given (``?lang=``, last)."""
    query = event_filter.query_string(include_tz=False) if event_filter is not None else ""
    return with_language(f"{base_url()}/calendar.ics" + (f"?{query}" if query else ""), language)


@lru_cache(maxsize=256)
def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI (CSP allows ``img-src data:``)."""
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)


def _ways(https_url: str, name: str) -> dict[str, str]:
    """The addresses of one feed: https, webcal://, Google, Outlook.com and Outlook for Microsoft 365."""
    webcal_url = re.sub(r"^https?://", "webcal://", https_url)
    outlook_query = urlencode({"url": https_url, "name": name})
    return {
        "https": https_url,
        "webcal": webcal_url,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal_url, safe=""),
        "outlook": f"https://outlook.live.com/calendar/0/addfromweb?{outlook_query}",
        "outlook365": f"https://outlook.office.com/calendar/0/addfromweb?{outlook_query}",
    }


def feed_links(
    event_filter: EventFilter | None = None, *, url: str | None = None, name: str = "", language: str | None = None
) -> dict[str, Any]:
    """Every way to subscribe to one feed: webcal://, the https URL, Google, Outlook, and a QR code.

    The feed is offered in each language (``?lang=``): the top-level links are those of ``language`` (default:
    the reader's current language), ``languages`` lists every language's links, the chosen one first marked
    ``current``.
    """
    chosen = language or current_language()
    plain_url = url or public_feed_url(event_filter)
    if not name:
        calendar_name = current_app.config["CALENDAR_NAME"]
        described = event_filter is not None and not event_filter.is_empty
        name = (
            gettext("%(calendar)s: %(what)s", calendar=calendar_name, what=event_filter.describe())  # type: ignore[union-attr]
            if described
            else calendar_name
        )
    languages = [
        {"code": code, "name": LANGUAGE_NAMES[code], "current": code == chosen,
         **_ways(with_language(plain_url, code), name)}
        for code in LANGUAGES
    ]  # fmt: skip
    mine = next(item for item in languages if item["current"])
    ways = {key: value for key, value in mine.items() if key not in ("code", "name", "current")}
    return {"name": name, "language": chosen, **ways, "qr": qr_data_uri(mine["webcal"]), "languages": languages}


def embed_links(event_filter: EventFilter | None = None) -> dict[str, str]:
    """The embeddable views and the CSV of a filter: absolute URLs and ready-to-paste ``<iframe>`` code.

    The viewer's zone is left out of the embed URLs (another site's visitors are not this viewer); the CSV
    links are relative (this viewer downloads them, with their zone and login)."""
    query = event_filter.query_string(include_tz=False) if event_filter is not None else ""
    suffix = f"?{query}" if query else ""
    name = current_app.config["CALENDAR_NAME"]
    month, upcoming = f"{base_url()}/embed/month{suffix}", f"{base_url()}/embed/agenda{suffix}"

    def iframe(src: str, title: str) -> str:
        return f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="640" loading="lazy"></iframe>'

    return {
        "month": month,
        "agenda": upcoming,
        "month_iframe": iframe(month, gettext("%(name)s: month", name=name)),
        "agenda_iframe": iframe(upcoming, gettext("%(name)s: upcoming events", name=name)),
        "csv": filter_url("exports.events_csv", event_filter),
        "csv_past": filter_url("exports.events_csv", event_filter, past=1),
    }
