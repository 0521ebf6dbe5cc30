"""Reading an iCalendar file from outside (an upload, a feed) into plain events: ``read_calendar``.

A pure function, bytes and limits in, events or problems out; a file with any problem gives no events at all
(a bad file is refused as a whole). The steps, each bounded:

1. size, UTF-8, lines and structure (``reading_lines``: every problem with its physical line number);
2. zones (``reading_zones``): every TZID resolved to an IANA zone or to the file's own VTIMEZONE, built without
   ``icalendar``'s process-wide cache; an unknown TZID is a problem;
3. each VEVENT's lines checked before anything is expanded (``reading_checks``): a rule more often than daily,
   or starting so long before the window that expanding would walk tens of thousands of periods, a date outside
   the stored years, a second DTSTART …, each a problem naming the event and its line;
4. ``icalendar`` parses the rewritten text; ``x-wr-timezone`` applies X-WR-TIMEZONE;
5. ``recurring-ical-events`` expands each series lazily inside [window_start, window_end) (EXDATE, RDATE and
   RECURRENCE-ID overrides honoured), counting occurrences per series and in all, and watching the time budget;
   single events are returned whatever their date.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import icalendar
import x_wr_timezone
from icalendar.prop import vDDDLists

from tracker.ical.reading_checks import event_problems
from tracker.ical.reading_events import ReadEvent, ReadLimits
from tracker.ical.reading_lines import (
    Block,
    ReadProblem,
    decode,
    event_title,
    property_text,
    rewrite,
    scan,
    short,
    uid_text,
    unescape,
)
from tracker.ical.reading_series import Zones, expand_events
from tracker.ical.reading_zones import file_zone, floating_zone, iana_name
from tracker.phrases import number_text
from tracker.phrases import said as _
from tracker.phrases import said_plural as ngettext
from tracker.timezones import get_zone

__all__ = ["ReadEvent", "ReadLimits", "ReadProblem", "ReadResult", "read_calendar"]


@dataclass(frozen=True)
class ReadResult:
    """The events of a file, or (and then no events) why the file cannot be used."""

    events: tuple[ReadEvent, ...]  # empty when there are problems
    problems: tuple[ReadProblem, ...]
    calendar_name: str  # X-WR-CALNAME or ""

    @property
    def ok(self) -> bool:
        return not self.problems


MAX_PROBLEMS = 100
#: The properties whose unreadable value makes the event unreadable (a broken ATTENDEE does not matter here).
USED = frozenset(
    {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "UID", "SEQUENCE", "LAST-MODIFIED"}
    | {"SUMMARY", "STATUS"}
)
#: The VCALENDAR's own properties handed to icalendar (the others are not used, and cannot break the file).
CALENDAR_PROPERTIES = frozenset({"VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME", "X-WR-TIMEZONE"})
TIME_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "RDATE", "EXDATE")
#: Prefix of the names under which the file's own zones are handed to icalendar (random per read, cached nowhere).
ZONE_TOKEN = "X-TRACKER-OWN-ZONE-"
#: How the last guard's message begins in English (the fuzz tests look for it).
UNEXPECTED = "The file could not be read: an unexpected"


def read_calendar(data: bytes, limits: ReadLimits) -> ReadResult:
    """The events of an iCalendar file, or the problems that make it unusable (never an exception)."""
    try:
        return _read(data, limits)
    except Exception as error:  # the last guard: bytes from outside must never raise
        message = _("The file could not be read: an unexpected %(error)s while reading it", error=type(error).__name__)
        return _refused([ReadProblem(0, "", message)])


def _refused(problems: list[ReadProblem], name: str = "") -> ReadResult:
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS + 1
        problems = [
            *problems[: MAX_PROBLEMS - 1],
            ReadProblem(0, "", _more(more)),
        ]
    return ReadResult((), tuple(problems), name)


def _more(count: int) -> str:
    return ngettext("… and %(num)d more problem", "… and %(num)d more problems", count)


def _read(data: bytes, limits: ReadLimits) -> ReadResult:
    deadline = time.monotonic() + limits.budget_seconds
    if len(data) > limits.max_bytes:
        size = _(
            "The file has %(size)s bytes; at most %(limit)s can be read",
            size=number_text(len(data)),
            limit=number_text(limits.max_bytes),
        )
        return _refused([ReadProblem(0, "", size)])
    text, problem = decode(data)
    if text is None:
        return _refused([problem] if problem else [])
    found = scan(text)
    calendar = found.calendar
    if found.problems or calendar is None:
        return _refused(found.problems or [ReadProblem(0, "", _("The file is empty: it holds no BEGIN:VCALENDAR"))])
    name = property_text(calendar, "X-WR-CALNAME")
    problems = _structure_problems(calendar, limits)
    if problems:
        return _refused(problems, name)
    zones = _zones(calendar, limits)
    problems = zones.problems + [
        problem for block in calendar.walk("VEVENT") for problem in event_problems(block, limits)
    ]
    if problems:
        return _refused(problems, name)
    parsed, problems = _parse(found, calendar, zones)
    if problems or parsed is None:
        return _refused(problems, name)
    cancelled = str(parsed.get("METHOD", "")).strip().upper() == "CANCEL"
    components = [component for component in parsed.subcomponents if component.name == "VEVENT"]
    events, problems = expand_events(
        list(zip(components, calendar.walk("VEVENT"), strict=True)), zones, limits, deadline, cancelled
    )
    if problems:
        return _refused(problems, name)
    return ReadResult(tuple(events), (), name)


def _structure_problems(calendar: Block, limits: ReadLimits) -> list[ReadProblem]:
    events = calendar.walk("VEVENT")
    if len(events) > limits.max_events:
        message = _(
            "The file holds %(count)s events; at most %(limit)s can be read at once",
            count=number_text(len(events)),
            limit=number_text(limits.max_events),
        )
        return [ReadProblem(0, "", message)]
    problems = []
    scale = calendar.get("CALSCALE")
    if scale and scale.value.strip().upper() != "GREGORIAN":
        message = _("Line %(line)d: only Gregorian calendars can be read", line=scale.number)
        problems.append(ReadProblem(scale.number, "", message))
    pending = [child for child in calendar.children]
    while pending:
        block = pending.pop()
        for child in block.children:
            if child.name == "VEVENT":
                message = _("Line %(line)d: a VEVENT inside a %(component)s", line=child.line, component=block.name)
                problems.append(ReadProblem(child.line, "", message))
            pending.append(child)
    return problems


def _zones(calendar: Block, limits: ReadLimits) -> Zones:
    """Every TZID the events use, resolved once: an IANA zone, the file's own definition, or a problem."""
    zone_line = calendar.get("X-WR-TIMEZONE")
    calendar_zone = iana_name(unescape(zone_line.value)) if zone_line else None
    zones = Zones({}, {}, calendar_zone, floating_zone(calendar_zone, limits.default_zone), [])
    defined: dict[str, Block] = {}
    for block in calendar.walk("VTIMEZONE"):
        tzid = block.get("TZID")
        if tzid:  # as written, and without TEXT escapes (a written "Rome\, Vienna" is "Rome, Vienna" in TZID=)
            defined.setdefault(tzid.value.strip(), block)
            defined.setdefault(unescape(tzid.value).strip(), block)
    by_lower = {tzid.lower(): block for tzid, block in reversed(defined.items())}
    failed: set[str] = set()
    for event in calendar.walk("VEVENT"):
        for line in event.properties:
            tzid = line.param("TZID") if line.params and line.name in TIME_PROPERTIES else None
            if tzid is None or tzid in zones.names or tzid in failed:
                continue
            iana = iana_name(tzid)
            if iana:
                zones.names[tzid] = iana
                continue
            block = defined.get(tzid.strip()) or by_lower.get(tzid.strip().lower())
            own, why = file_zone(block, tzid) if block else (None, "")
            if own is None:
                failed.add(tzid)
                why = why or _(
                    "Line %(line)d: the time zone “%(zone)s” is not defined in the file",
                    line=line.number,
                    zone=short(tzid, 60),
                )
                zones.problems.append(ReadProblem(line.number, uid_text(event), why))
                continue
            token = ZONE_TOKEN + secrets.token_hex(8)
            zones.names[tzid] = token
            zones.own[token] = own
    return zones


def _parse(found: Any, calendar: Block, zones: Zones) -> tuple[Any, list[ReadProblem]]:
    """The calendar parsed by icalendar from the rewritten text, its times in their zones, X-WR-TIMEZONE
    applied; or the problems icalendar found in the values the reader uses."""
    # Only the VCALENDAR's own lines and its VEVENTs' own lines: zones are resolved already, and alarms, to-dos
    # and the like are not imported (nor can their values break the file).
    events = calendar.walk("VEVENT")
    leave_out = [child for child in calendar.children if child.name != "VEVENT"]
    leave_out += [child for event in events for child in event.children]
    try:
        drop = {line.index for line in calendar.properties if line.name not in CALENDAR_PROPERTIES}
        parsed = icalendar.Calendar.from_ical(rewrite(found, zones.names, leave_out, drop))
    except (ValueError, KeyError, TypeError, IndexError) as error:
        return None, [ReadProblem(0, "", _("The file could not be read: %(error)s", error=short(str(error), 200)))]
    problems = []
    components = [component for component in parsed.subcomponents if component.name == "VEVENT"]
    for component, block in zip(components, calendar.walk("VEVENT"), strict=True):
        for name, _message in getattr(component, "errors", []):
            line = block.get(str(name).upper()) if name else None
            if line is not None and line.name in USED:
                shown = short(line.value.strip(), 40)
                problems.append(
                    ReadProblem(
                        line.number,
                        uid_text(block),
                        _(
                            "Line %(line)d: %(property)s of the event “%(title)s” (line %(event_line)d) holds"
                            " “%(value)s”, which cannot be read",
                            line=line.number,
                            property=line.name,
                            title=event_title(block),
                            event_line=block.line,
                            value=shown,
                        ),
                    )
                )
    if problems:
        return None, problems
    own = {token: zone.zone for token, zone in zones.own.items()}
    floating = get_zone(zones.floating)
    for component in components:
        _attach_zones(component, own, floating)
    if zones.calendar_zone:
        parsed = x_wr_timezone.to_standard(parsed, timezone=get_zone(zones.calendar_zone))
    return parsed, []


def _attach_zones(component: Any, own: dict[str, Any], floating: Any) -> None:
    """Give each time of the event its zone: the file's own definition for its TZID, or the floating zone."""
    for name in TIME_PROPERTIES:
        values = component.get(name)
        for prop in values if isinstance(values, list) else [values] if values is not None else []:
            zone = own.get(str(prop.params.get("TZID", "")))
            for item in prop.dts if isinstance(prop, vDDDLists) else [prop]:
                value = item.dt
                if isinstance(value, tuple):  # a PERIOD: (start, end or duration)
                    item.dt = tuple(_zoned(part, zone, floating) for part in value)
                else:
                    item.dt = _zoned(value, zone, floating)


def _zoned(value: Any, zone: Any, floating: Any) -> Any:
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is not None:
        return value  # UTC ("Z"), or an IANA zone icalendar attached
    return value.replace(tzinfo=floating if zone is None else zone)
