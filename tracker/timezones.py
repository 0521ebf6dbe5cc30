"""All time-zone arithmetic in one place: local wall time ↔ UTC instants, and all-day date bounds.

Rules: instants are stored in UTC; timed events are shown in their own IANA zone; all-day events are
calendar dates and never shift with the viewer's zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from tracker.i18n import day_in_words
from tracker.i18n import gettext as _


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


#: Abbreviations people type for a zone, with the place zones to choose instead. They are refused rather than
#: mapped: "CET" names no place (Berlin, Skopje and Belgrade share it today but have not always, and need not
#: tomorrow), and a zone stored as "CET" reads "CET (CET)" on the event page. Only the names the pickers offer
#: (``zone_names``: UTC and Area/City) are accepted from forms; stored events keep loading whatever zone they hold.
ABBREVIATION_HINTS = {
    "CET": "Europe/Berlin, Europe/Skopje or Europe/Brussels",
    "CEST": "Europe/Berlin, Europe/Skopje or Europe/Brussels",
    "MET": "Europe/Berlin or Europe/Skopje",
    "EET": "Europe/Athens, Europe/Sofia or Europe/Kyiv",
    "EEST": "Europe/Athens, Europe/Sofia or Europe/Kyiv",
    "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon",
    "GMT": "UTC, or Europe/London for British time",
    "BST": "Europe/London",
    "MSK": "Europe/Moscow",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "CST": "America/Chicago",
    "MST": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
}


def region_zone(name: str) -> str:
    """The zone a form may store: UTC or an Area/City name from ``zone_names``, spelt as tzdata spells it.

    A name typed in another case ("europe/skopje") becomes its proper spelling; an abbreviation ("CET") or a
    legacy alias ("US/Eastern", "Etc/GMT-1") is refused with a message naming zones to choose instead.
    """
    value = name.strip()
    if value.lower() in _UTC_NAMES:
        return "UTC"  # what some systems and browsers call UTC ("Etc/UTC", "Zulu"): the same zone, one spelling
    by_lower = _zone_names_by_lower()
    if value.lower() in by_lower:
        return by_lower[value.lower()]
    hint = ABBREVIATION_HINTS.get(value.upper())
    if hint:
        raise TimeError(
            _("“%(value)s” is an abbreviation, not a place's time zone; choose a city's zone such as %(hint)s",
              value=value[:10], hint=hint)
        )  # fmt: skip
    raise TimeError(_unknown_zone(value[:64]))


def _unknown_zone(name: str) -> str:
    return _("unknown time zone %(name)s; use an IANA name such as Europe/Skopje", name=repr(name))


#: Other tzdata names of UTC, in lower case ("GMT" is not one: in London it names the local winter time).
_UTC_NAMES = frozenset({"etc/utc", "etc/uct", "etc/universal", "etc/zulu", "etc/gmt", "uct", "universal", "zulu"})


@lru_cache(maxsize=1)
def _zone_names_by_lower() -> dict[str, str]:
    return {zone.lower(): zone for zone in zone_names()}


@lru_cache(maxsize=1024)
def get_zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name; raises ``TimeError`` with a readable message otherwise."""
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        raise TimeError(_unknown_zone(name))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise TimeError(_unknown_zone(name)) from None


def local_to_utc(day: date, wall: time, zone_name: str) -> datetime:
    """The UTC instant of a wall-clock time in a zone.

    A wall time inside a spring-forward gap does not exist and is refused; in an autumn overlap the
    first (summer-time) occurrence is taken, as calendar clients do.
    """
    zone = get_zone(zone_name)
    local = datetime.combine(day, wall.replace(tzinfo=None), tzinfo=zone)
    instant = local.astimezone(UTC)
    shifted = instant.astimezone(zone)
    if shifted.replace(tzinfo=None) != local.replace(tzinfo=None):
        # A sentence of its own, with the zone spelt as given: callers show it as it is (never ``capitalize()``).
        raise TimeError(
            _("The time %(time)s on %(day)s does not exist in %(zone)s: the clocks go forward then (%(time)s reads "
              "%(shifted)s there). Choose another time", time=f"{wall:%H:%M}", shifted=f"{shifted:%H:%M}",
              day=day_in_words(day), zone=zone_name)
        )  # fmt: skip
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
