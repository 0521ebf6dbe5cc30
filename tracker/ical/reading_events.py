"""``ReadLimits`` and ``ReadEvent`` (what the reader is asked and answers), and what one parsed VEVENT says
as plain cleaned values: text, status, link, categories, times.

Every value from the file is cleaned (no control characters, whitespace collapsed in one-line text) and bounded
where a stored value has a bound of its own (a UID, a category, the number of categories, a link). Titles and
descriptions come back whole: cutting them is for whoever stores them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from tracker.ical.reading_zones import FileZone, in_zone, zone_of
from tracker.ical.text import clean_text, clean_uri


@dataclass(frozen=True)
class ReadLimits:
    """How much of a file is read: its window for repeating events and its bounds in size, count and time."""

    window_start: date  # recurring series expanded from here ...
    window_end: date  # ... to here (exclusive)
    max_bytes: int = 5_000_000
    max_events: int = 20_000  # VEVENT components in the file
    max_occurrences: int = 50_000  # events after expansion, whole file
    max_per_series: int = 500  # occurrences of one series inside the window; more makes the file bad
    budget_seconds: float = 20.0  # time.monotonic() budget for the whole read
    default_zone: str = "UTC"  # for floating times when the calendar names no X-WR-TIMEZONE


@dataclass(frozen=True)
class ReadEvent:
    """One event, or one occurrence of a repeating one, as the file says it."""

    uid: str
    recurrence_id: str  # "" for a single event; an occurrence's original start, UTC "YYYYMMDDTHHMMSSZ" or "YYYYMMDD"
    sequence: int
    last_modified: datetime | None  # aware UTC
    title: str
    status: str  # "tentative" | "confirmed" | "cancelled"
    all_day: bool
    timezone: str  # IANA name; "UTC" for UTC times and when no better zone is known
    start: datetime | date  # aware, in ``timezone``; a date for all-day events
    end: datetime | date  # after ``start``; the exclusive end date for all-day events
    location: str
    description: str
    url: str | None
    categories: tuple[str, ...]
    line: int  # physical line of this VEVENT's BEGIN:VEVENT


#: The longest UID the import tables store (``ImportedEvent.uid``).
UID_MAX = 500
CATEGORY_MAX = 60
MAX_CATEGORIES = 50
URL_MAX = 2000
STATUSES = {"TENTATIVE": "tentative", "CONFIRMED": "confirmed", "CANCELLED": "cancelled"}
SEQUENCE_MAX = 2**31 - 1


@dataclass(frozen=True)
class EventText:
    """The values of a VEVENT that do not depend on which occurrence it is."""

    uid: str
    sequence: int
    last_modified: datetime | None
    title: str
    status: str
    location: str
    description: str
    url: str | None
    categories: tuple[str, ...]


def first(component: Any, name: str) -> Any:
    """A property's value, the first one when the file repeats it; None when absent."""
    value = component.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def text_of(component: Any, name: str, *, multiline: bool = False) -> str:
    value = first(component, name)
    return clean_text(str(value), multiline=multiline) if value is not None else ""


def event_text(component: Any, *, cancelled: bool) -> EventText:
    """Cleaned values of a parsed VEVENT; ``cancelled`` when the calendar says METHOD:CANCEL."""
    status = STATUSES.get(text_of(component, "STATUS").upper(), "confirmed")
    return EventText(
        uid=uid_of(component),
        sequence=_sequence(first(component, "SEQUENCE")),
        last_modified=_utc(first(component, "LAST-MODIFIED")),
        title=text_of(component, "SUMMARY"),
        status="cancelled" if cancelled else status,
        location=text_of(component, "LOCATION"),
        description=text_of(component, "DESCRIPTION", multiline=True),
        url=web_address(first(component, "URL")),
        categories=categories(component.get("CATEGORIES")),
    )


def uid_of(component: Any) -> str:
    """The event's UID; one made of its start and title when the file gives none (RFC 5545 requires one, some
    hand-written files have none), so that reading the same file again gives the same UID."""
    uid = text_of(component, "UID")
    if uid:
        return uid
    start = first(component, "DTSTART")
    seed = f"{start.to_ical().decode() if start is not None else ''}\n{text_of(component, 'SUMMARY')}"
    return "no-uid-" + hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()[:24]


def _sequence(value: Any) -> int:
    try:
        return min(max(int(value), 0), SEQUENCE_MAX) if value is not None else 0
    except (TypeError, ValueError):
        return 0


def _utc(value: Any) -> datetime | None:
    moment = getattr(value, "dt", None)
    if not isinstance(moment, datetime):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def web_address(value: Any) -> str | None:
    """The URL property when it is an http(s) address of bounded length, cleaned; None otherwise."""
    if value is None:
        return None
    address = clean_uri(str(value))
    try:
        parts = urlsplit(address)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(address) > URL_MAX:
        return None
    return address


def categories(value: Any) -> tuple[str, ...]:
    """Every CATEGORIES value split on commas, cleaned, cut to ``CATEGORY_MAX`` characters, without repeats
    (compared without case), at most ``MAX_CATEGORIES``."""
    found: dict[str, str] = {}
    for prop in value if isinstance(value, list) else [value] if value is not None else []:
        for item in getattr(prop, "cats", [prop]):
            for piece in str(item).split(","):
                name = clean_text(piece)[:CATEGORY_MAX].strip()
                if name and name.casefold() not in found and len(found) < MAX_CATEGORIES:
                    found[name.casefold()] = name
    return tuple(found.values())


@dataclass(frozen=True)
class Times:
    all_day: bool
    timezone: str
    start: datetime | date
    end: datetime | date


def event_times(
    start: date, end: date | None, file_zones: dict[int, FileZone], calendar_zone: str | None, day_zone: str
) -> Times:
    """Start and end as the reader returns them: dates with an exclusive end for all-day events (one day when
    the end is missing or not after the start); aware times in the zone they are shown in otherwise (one hour
    when the end is missing or not after the start). ``day_zone`` is the zone all-day events are given."""
    if not isinstance(start, datetime):
        last = end.date() if isinstance(end, datetime) else end
        if not isinstance(last, date) or last <= start:
            last = start + timedelta(days=1)
        return Times(True, day_zone, start, last)
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    if isinstance(end, datetime) and end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    if not isinstance(end, datetime) or end <= start:
        end = (start.astimezone(UTC) + timedelta(hours=1)).astimezone(start.tzinfo)
    zone = zone_of(start, end, file_zones, calendar_zone)
    return Times(False, zone, in_zone(start, zone), in_zone(end, zone))


def recurrence_key(value: date) -> str:
    """An occurrence's identity from its original start: UTC ``YYYYMMDDTHHMMSSZ``, or ``YYYYMMDD`` for a date."""
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return f"{moment.year:04}{moment.month:02}{moment.day:02}T{moment.hour:02}{moment.minute:02}{moment.second:02}Z"
    return f"{value.year:04}{value.month:02}{value.day:02}"
