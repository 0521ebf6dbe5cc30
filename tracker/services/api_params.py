"""The JSON API's own query parameters, parsed strictly: the ``start``/``end`` window, ``timeZone``, paging.

FullCalendar's JSON event source sends ``start`` and ``end`` (exclusive) as ISO 8601 and ``timeZone`` as an IANA
name or ``UTC`` (nothing for its ``local`` mode, which sends offsets instead). Only ISO 8601 calendar dates and
date-times are accepted — ``2022-11-01``, ``2022-11-01T00:00:00``, with ``Z`` or ``+01:00`` — never a bare number
(``end=5``, which pydantic's lax mode reads as a second after 1970), week dates or the basic format. A value
without an offset is a wall time in ``timeZone`` (UTC when none is given). Every bad value is an ``ApiError``
(400) whose message names the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tracker.parsing import IntegerError, parse_int
from tracker.timezones import TimeError, get_zone, region_zone
from tracker.validation import MAX_YEAR, MIN_YEAR

#: The widest window one request may ask for: a year view with the weeks around it fits.
MAX_WINDOW_DAYS = 400
#: Without ``start``/``end``: from the start of today, this many days.
DEFAULT_WINDOW_DAYS = 366
DEFAULT_LIMIT = 500
MAX_LIMIT = 1000
MAX_OFFSET = 100_000
#: What ``timeZone`` may say besides a zone name: FullCalendar's ``local`` and an empty value mean UTC here.
UTC_ALIASES = frozenset({"", "local", "utc"})
_ISO = re.compile(
    r"(?P<day>\d{4}-\d{2}-\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(?P<offset>Z|[+-]\d{2}:\d{2})?)?",
    re.ASCII,
)


class ApiError(ValueError):
    """An API request that cannot be answered as asked: ``status`` and a message for the client's developer.

    ``fields`` maps body fields to their messages (validation of a written event).
    """

    def __init__(self, status: int, message: str, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = dict(fields or {})


@dataclass(frozen=True, slots=True)
class Window:
    """The instants [start, end) asked for, the local days they touch [first_day, end_day) and the output zone."""

    start: datetime
    end: datetime
    first_day: date
    end_day: date
    zone: str


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int


def parse_zone(raw: str | None) -> str:
    """``timeZone``: an IANA name (UTC or Area/City), or UTC for none, "" and FullCalendar's ``local``."""
    value = (raw or "").strip()
    if value.lower() in UTC_ALIASES:
        return "UTC"
    try:
        return region_zone(value[:64])
    except TimeError as exc:
        raise ApiError(400, f"timeZone: {exc}.") from None


def parse_instant(name: str, raw: str, zone: str) -> tuple[datetime, date, bool]:
    """An ISO 8601 date or date-time as (UTC instant, local day, whether it was midnight on that day).

    The local day is the day in the value's own offset when it has one, else in ``zone``.
    """
    value = raw.strip()
    match = _ISO.fullmatch(value) if len(value) <= 40 else None
    if match is None:
        raise ApiError(
            400,
            f"{name}: {value[:40]!r} is not an ISO 8601 date or date-time such as 2022-11-01 or 2022-11-01T00:00:00Z.",
        )
    try:
        day = date.fromisoformat(match["day"])
        wall = time.fromisoformat(match["time"]) if match["time"] else time(0)
    except ValueError:
        raise ApiError(400, f"{name}: {value[:40]!r} is not a real date or time.") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ApiError(400, f"{name}: the calendar covers the years {MIN_YEAR} to {MAX_YEAR}.")
    offset = match["offset"]
    if offset:
        local = datetime.fromisoformat(f"{day.isoformat()}T{wall.isoformat()}{'+00:00' if offset == 'Z' else offset}")
    else:
        local = datetime.combine(day, wall, tzinfo=get_zone(zone))
    return local.astimezone(UTC), day, wall == time(0)


def parse_window(args: Mapping[str, Any], now: datetime) -> Window:
    """The window of ``start``, ``end`` and ``timeZone`` (see the module docstring); bounded to
    ``MAX_WINDOW_DAYS``. Without ``start`` it begins today (in the zone); without ``end`` it lasts
    ``DEFAULT_WINDOW_DAYS``."""
    zone = parse_zone(args.get("timeZone"))
    raw_start, raw_end = args.get("start"), args.get("end")
    if raw_start is not None:
        start, first_day, _midnight = parse_instant("start", raw_start, zone)
    else:
        first_day = now.astimezone(get_zone(zone)).date()
        start, first_day, _midnight = parse_instant("start", first_day.isoformat(), zone)
    if raw_end is not None:
        end, last_day, midnight = parse_instant("end", raw_end, zone)
        end_day = last_day if midnight else last_day + timedelta(days=1)  # the end is exclusive
    else:
        end_day = first_day + timedelta(days=DEFAULT_WINDOW_DAYS)
        end, _day, _midnight = parse_instant("end", end_day.isoformat(), zone)
    if end <= start:
        raise ApiError(400, "end: the end of the window must be after its start (the end is exclusive).")
    if end - start > timedelta(days=MAX_WINDOW_DAYS):
        raise ApiError(
            400, f"end: a window covers at most {MAX_WINDOW_DAYS} days; ask for the rest in another request."
        )
    return Window(start=start, end=end, first_day=first_day, end_day=end_day, zone=zone)


def parse_page(args: Mapping[str, Any]) -> Page:
    """``limit`` (1 to ``MAX_LIMIT``, default ``DEFAULT_LIMIT``) and ``offset`` (0 to ``MAX_OFFSET``); given but
    empty is refused, like any value that is not a number."""
    try:
        limit = parse_int(args.get("limit", str(DEFAULT_LIMIT)), name="limit", minimum=1, maximum=MAX_LIMIT)
        offset = parse_int(args.get("offset", "0"), name="offset", minimum=0, maximum=MAX_OFFSET)
    except IntegerError as exc:
        raise ApiError(400, f"{exc.name}: a whole number from {exc.minimum} to {exc.maximum}.") from None
    return Page(limit=limit, offset=offset)
