"""Time zones of an imported file: which IANA zone a TZID names, and the file's own VTIMEZONE definitions.

``icalendar`` keeps the zones it builds from VTIMEZONE components in one process-wide cache keyed by TZID
(``icalendar.timezone.tzp``) and never replaces an entry, so a second file's ``TZID=MyZone`` silently got the
first file's definition. The reader therefore never lets ``icalendar`` see a VTIMEZONE: every TZID is resolved
here first — an IANA name (in any case), a Windows name through ``icalendar``'s own table, a "globally unique"
``/vendor/Area/City`` name — and the text ``icalendar`` parses names that zone instead. A TZID that only the
file itself defines is built here from the file's block with ``dateutil``'s VTIMEZONE reader (what
``icalendar``'s ``Timezone.to_tz`` uses underneath), under a name no cache holds, and attached to the times
after parsing. Nothing process-wide is changed, so files read concurrently cannot affect each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.tz import tzical
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from tracker.ical.reading_lines import Block
from tracker.phrases import said as _
from tracker.timezones import TimeError, get_zone, region_zone

_WINDOWS_BY_LOWER = {name.lower(): zone for name, zone in WINDOWS_TO_OLSON.items()}
_OFFSET = re.compile(r"[+-]([01]\d|2[0-3])[0-5]\d(\d\d)?\Z")
_DATE_TIME = re.compile(r"\d{8}(T\d{6}Z?)?\Z")
#: Longer TZIDs are no zone names anyone writes.
MAX_TZID = 200


def iana_name(tzid: str) -> str | None:
    """The IANA zone a TZID names, spelt as tzdata spells it, or None when it names none."""
    value = tzid.strip()
    if not value or len(value) > MAX_TZID:
        return None
    candidates = [value]
    if value.lower() in _WINDOWS_BY_LOWER:
        candidates.append(_WINDOWS_BY_LOWER[value.lower()])
    if value.startswith("/"):  # RFC 5545 "globally unique" ids: /freeassociation.sourceforge.net/Europe/Berlin
        parts = value.strip("/").split("/")
        candidates.extend("/".join(parts[start:]) for start in range(len(parts)))
    for candidate in candidates:
        name = _known_zone(candidate)
        if name:
            return name
    return None


def _known_zone(name: str) -> str | None:
    try:
        return region_zone(name)  # UTC or Area/City, case normalised ("europe/skopje")
    except TimeError:
        pass
    try:
        get_zone(name)  # any other tzdata name ("US/Eastern", "Etc/GMT-1")
    except TimeError:
        return None
    return name


@dataclass(frozen=True)
class FileZone:
    """A zone only this file defines: its own tzinfo, and the IANA zone the file says it stands for."""

    tzid: str
    line: int
    zone: tzinfo
    #: X-LIC-LOCATION of the block when it names an IANA zone; used only where its offsets agree.
    location: str | None


def file_zone(block: Block, tzid: str) -> tuple[FileZone | None, str]:
    """The zone a VTIMEZONE block defines, built without any cache, or None and why it cannot be used."""
    where = {"line": block.line, "zone": tzid[:60]}
    parts = [block for block in block.children if block.name in ("STANDARD", "DAYLIGHT")]
    if not parts:
        return None, _("Line %(line)d: the time zone “%(zone)s” defines no STANDARD or DAYLIGHT offsets", **where)
    out = ["BEGIN:VTIMEZONE", "TZID:zone"]
    for part in parts:
        lines, why = _part_lines(part, where)
        if why:
            return None, why
        out.extend(lines)
    out.append("END:VTIMEZONE")
    try:
        zone = tzical(StringIO("\n".join(out))).get()
        zone.utcoffset(datetime(2000, 1, 1))  # a definition dateutil accepts but cannot use fails here
    except (ValueError, TypeError, OverflowError, IndexError, KeyError):
        return None, _("Line %(line)d: the time zone “%(zone)s” cannot be read", **where)
    location = block.get("X-LIC-LOCATION")
    return FileZone(tzid, block.line, zone, iana_name(location.value) if location else None), ""


def _part_lines(part: Block, where: dict[str, Any]) -> tuple[list[str], str]:
    """The lines of one STANDARD or DAYLIGHT part that dateutil needs, checked, or why they cannot be used."""
    start, offset_from, offset_to = (part.get(name) for name in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"))
    if start is None or offset_from is None or offset_to is None:
        return [], _(
            "Line %(line)d: the time zone “%(zone)s” has a %(part)s part without DTSTART, TZOFFSETFROM or TZOFFSETTO",
            part=part.name,
            **where,
        )
    begin = start.value.strip().rstrip("Z")
    if not _DATE_TIME.match(begin):
        return [], _(
            "Line %(line)d: the time zone “%(zone)s” has a %(part)s part that starts at “%(start)s”, which is no date",
            part=part.name,
            start=begin[:20],
            **where,
        )
    if len(begin) == 8:
        begin += "T000000"
    for offset in (offset_from, offset_to):
        if not _OFFSET.match(offset.value.strip()):
            return [], _(
                "Line %(line)d: the time zone “%(zone)s” has an offset “%(offset)s” that is not like +0100",
                offset=offset.value[:12],
                **where,
            )
    lines = [
        f"BEGIN:{part.name}",
        f"DTSTART:{begin}",
        f"TZOFFSETFROM:{offset_from.value.strip()}",
        f"TZOFFSETTO:{offset_to.value.strip()}",
    ]
    name = part.get("TZNAME")
    if name and name.value.strip():
        lines.append("TZNAME:" + re.sub(r"[^A-Za-z0-9+\-_ ]", "", name.value.strip())[:20])
    for rule in part.all("RRULE"):
        if "FREQ=YEARLY" not in rule.value.upper().replace(" ", ""):
            return [], "changes its clocks by a rule that is not yearly"
        lines.append("RRULE:" + rule.value.strip())
    for rdate in part.all("RDATE"):
        lines.append("RDATE:" + rdate.value.strip())
    lines.append(f"END:{part.name}")
    return lines, ""


def zone_of(local: datetime, end: datetime, file_zones: dict[int, FileZone], calendar_zone: str | None) -> str:
    """The IANA name to show a timed event in; ``"UTC"`` when its start has no zone we can name.

    A file's own zone stands for its X-LIC-LOCATION, or failing that the calendar's X-WR-TIMEZONE, only when
    that zone's UTC offsets agree with the file's definition at the event's start and its end; the instants
    always follow the file's definition.
    """
    zone = local.tzinfo
    if isinstance(zone, ZoneInfo):
        return zone.key if zone.key else "UTC"
    if zone is UTC or zone is None:
        return "UTC"
    own = file_zones.get(id(zone))
    if own is None:
        return "UTC"
    for candidate in (own.location, calendar_zone):
        if candidate and all(_agrees(moment, candidate) for moment in (local, end)):
            return candidate
    return "UTC"


def _agrees(moment: datetime, zone_name: str) -> bool:
    offset = moment.utcoffset()
    return offset is not None and moment.astimezone(get_zone(zone_name)).utcoffset() == offset


def in_zone(moment: datetime, zone_name: str) -> datetime:
    """``moment`` as the wall time of ``zone_name`` (the same instant)."""
    return moment.astimezone(get_zone(zone_name))


def floating_zone(calendar_zone: str | None, default_zone: str) -> str:
    """The zone of times with no zone: the calendar's X-WR-TIMEZONE, else the caller's default, else UTC."""
    return calendar_zone or iana_name(default_zone) or "UTC"
