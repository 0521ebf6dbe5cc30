"""All time-zone arithmetic in one place: local wall time ↔ UTC instants, and all-day date bounds.

Rules: instants are stored in UTC; timed events are shown in their own IANA zone; all-day events are
calendar dates and never shift with the viewer's zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


class TimeError(ValueError):
    """A local time that cannot be used (unknown zone, or a wall time skipped by a DST change)."""


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Canonical-looking IANA names for pickers (``Area/City`` plus UTC), sorted."""
    names = {
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    }
    return ("UTC", *sorted(names))


@lru_cache(maxsize=1024)
def get_zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name; raises ``TimeError`` with a readable message otherwise."""
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        raise TimeError(f"unknown time zone {name!r}; use an IANA name such as Europe/Skopje")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise TimeError(f"unknown time zone {name!r}; use an IANA name such as Europe/Skopje") from None


def local_to_utc(day: date, wall: time, zone_name: str) -> datetime:
    """The UTC instant of a wall-clock time in a zone.

    A wall time inside a spring-forward gap does not exist and is refused; in an autumn overlap the
    first (summer-time) occurrence is taken, as calendar clients do.
    """
    zone = get_zone(zone_name)
    local = datetime.combine(day, wall.replace(tzinfo=None), tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise TimeError(
            f"{day.isoformat()} {wall.strftime('%H:%M')} does not exist in {zone_name} (the clocks go forward then)"
        )
    return instant


def utc_to_local(instant: datetime, zone_name: str) -> datetime:
    return instant.astimezone(get_zone(zone_name))


def all_day_bounds(first_day: date, last_day: date, zone_name: str) -> tuple[datetime, datetime]:
    """UTC instants of local midnight starting ``first_day`` and local midnight after ``last_day``."""
    start = local_to_utc_lenient(first_day, zone_name)
    end = local_to_utc_lenient(last_day + timedelta(days=1), zone_name)
    return start, end


def local_to_utc_lenient(day: date, zone_name: str) -> datetime:
    """Start of a local day in UTC; a day whose midnight is skipped begins at the first existing instant."""
    zone = get_zone(zone_name)
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def zone_abbreviation(instant: datetime, zone_name: str) -> str:
    """``CET``/``CEST``-style abbreviation, or the UTC offset where the zone has only numbers."""
    local = utc_to_local(instant, zone_name)
    abbreviation = local.tzname() or ""
    if abbreviation and not abbreviation.lstrip("+-").isdigit():
        return abbreviation
    offset = local.strftime("%z")  # e.g. +0530
    hours, minutes = offset[:3], offset[3:]
    return f"UTC{hours}" + (f":{minutes}" if minutes != "00" else "")
