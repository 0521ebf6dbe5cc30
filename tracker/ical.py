"""Events → iCalendar text (RFC 5545 / RFC 7986), serialized by the ``icalendar`` library.

Three pieces, so that a feed can be assembled from cached parts (``tracker.services.feeds``):

- ``event_block``: one VEVENT, a pure function of the stored event, its links and the site's base URL. The
  same data gives the same bytes: DTSTAMP and LAST-MODIFIED come from ``updated_dt``, never from "now".
  It takes an ``EventData`` (plain values, loadable with column selects) or a loaded ``Event``, and writes
  the text itself: ``icalendar`` builds several objects per property and takes about 1 ms per event, which
  made the first build of a 10,000-event feed take 14 s. ``reference_block`` is the same VEVENT built
  with ``icalendar``; the two are byte-identical (``tests/test_ical.py`` compares them on hostile data), so
  stored blocks and ETags do not depend on which one wrote them.
- ``vtimezone_block``: a VTIMEZONE for an IANA zone, generated from zoneinfo/tzdata transitions in RRULE form
  (``add_missing_timezones()`` writes one long RDATE list that ical.js and vobject misread).
- ``calendar_header`` / ``assemble``: the VCALENDAR around them, with NAME, X-WR-CALNAME, REFRESH-INTERVAL and
  X-PUBLISHED-TTL.

Text safety: every text value is stripped of control characters here and escaped and folded (by ``_escape``
and ``_fold``, which follow ``icalendar``'s rules to the byte: lines of at most 75 octets, cut on character
boundaries), so a title can never add a property or a line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit

import icalendar
from icalendar import Parameters, vDuration, vText
from icalendar.timezone.tzid import tzid_from_tzinfo

from tracker.countries import country_name
from tracker.models import Event, EventKind, EventStatus, OrganisationRole, Visibility
from tracker.timezones import get_zone

#: Bump when the bytes ``event_block`` writes change, so that blocks cached in the database are rebuilt.
FORMAT_VERSION = 1
PRODID = "-//Conference Tracker//tracker 0.1//EN"
REFRESH_INTERVAL = timedelta(hours=1)
CRLF = "\r\n"
#: Zone names that are UTC itself: their times are written with a trailing Z and need no VTIMEZONE.
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"})

# C0 controls except TAB and LF, DEL, C1 controls, and Unicode noncharacters: never valid in iCalendar TEXT.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_WHITESPACE_RUN = re.compile(r"\s+")


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """Text that is safe to hand to ``icalendar``: no control characters, no lone surrogates.

    Line breaks of every kind become ``\\n`` (escaped by icalendar) in multi-line values and a space in
    one-line values (SUMMARY, LOCATION, CATEGORIES), where a client would show them verbatim.
    """
    if not value:
        return ""
    if value.isascii() and value.isprintable():  # the common case, the same result without the regexes
        return value.rstrip() if multiline else " ".join(value.split())
    text = _SURROGATES.sub("\ufffd", unicodedata.normalize("NFC", value))
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    if not multiline:
        return _WHITESPACE_RUN.sub(" ", text).strip()
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def clean_uri(value: str) -> str:
    """A URI with no characters that could break a content line (controls, spaces, quotes are %-encoded)."""
    parts = urlsplit(_CONTROL.sub("", _LINE_BREAKS.sub("", value.strip())))
    safe = "/:@!$&'()*+,;=-._~%"
    return urlunsplit(
        (
            parts.scheme,
            parts.netloc,
            quote(parts.path, safe=safe),
            quote(parts.query, safe=safe + "?"),
            quote(parts.fragment, safe=safe + "?"),
        )
    )


def is_utc_zone(zone_name: str) -> bool:
    return zone_name in UTC_NAMES


def is_ambiguous(instant: datetime, zone_name: str) -> bool:
    """True when the instant's wall-clock time occurs twice in the zone (the hour repeated in autumn)."""
    local = instant.astimezone(get_zone(zone_name))
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def needs_utc(event: Event | EventData) -> bool:
    """Timed events are written in UTC when their zone is UTC, or when a wall time is ambiguous: RFC 5545
    says such a time means its first occurrence, but ical.js takes the second, so only UTC is read alike."""
    if is_utc_zone(event.timezone):
        return True
    return is_ambiguous(event.start_dt, event.timezone) or is_ambiguous(event.end_dt, event.timezone)


def event_url(base_url: str, event_id: int) -> str:
    return _event_url_prefix(base_url) + str(int(event_id))


@lru_cache(maxsize=64)
def _event_url_prefix(base_url: str) -> str:
    """The cleaned URL of the event pages up to the id (digits need no cleaning), made once per site."""
    return clean_uri(f"{base_url.rstrip('/')}/events/")


# --- one event ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventData:
    """Everything one VEVENT shows, as plain values: from a loaded ``Event`` (``from_event``) or from column
    rows (``tracker.services.feeds``), so that serializing thousands of events needs no ORM objects."""

    id: int
    uid: str
    title: str
    kind: str
    status: str
    all_day: bool
    timezone: str
    start_dt: datetime
    end_dt: datetime
    start_date: date | None
    end_date: date | None
    venue: str
    city: str
    country: str | None
    description: str
    source_url: str | None
    visibility: str
    revision: int
    sequence: int
    created_dt: datetime
    updated_dt: datetime
    deleted_dt: datetime | None
    #: (role, organisation label) in the event's order.
    organisations: tuple[tuple[str, str], ...] = ()
    #: (person label, short name of the person's organisation or None) in the event's order.
    people: tuple[tuple[str, str | None], ...] = ()
    #: Tags, sorted.
    tags: tuple[str, ...] = ()

    @classmethod
    def from_event(cls, event: Event) -> EventData:
        """The values of a loaded event (organisation, people and tag links must be loaded)."""
        links = sorted(event.organisation_links, key=lambda link: link.sort_order)
        return cls(
            **{name: getattr(event, name) for name in EVENT_COLUMNS},
            organisations=tuple((link.role, link.organisation.label) for link in links),
            people=tuple(
                (person.label, person.organisation.short if person.organisation is not None else None)
                for person in event.people
            ),
            tags=tuple(event.tags),
        )


#: The columns of ``event`` that ``EventData`` holds (the rest of it comes from the link tables).
EVENT_COLUMNS = tuple(
    name for name in EventData.__dataclass_fields__ if name not in {"organisations", "people", "tags"}
)


def _data(event: Event | EventData) -> EventData:
    return event if isinstance(event, EventData) else EventData.from_event(event)


STATUS_MAP = {
    EventStatus.CONFIRMED.value: "CONFIRMED",
    EventStatus.TENTATIVE.value: "TENTATIVE",
    # A postponed event keeps its original dates until a new one is set: shown, but not as a firm booking.
    EventStatus.POSTPONED.value: "TENTATIVE",
    EventStatus.CANCELLED.value: "CANCELLED",
}
POSTPONED_PREFIX = "Postponed, new date to be announced: "
CANCELLED_PREFIX = "Cancelled: "
# The enums' plain values: reading ``.value`` is a descriptor call, and a dozen per event added up.
_CANCELLED = EventStatus.CANCELLED.value
_POSTPONED = EventStatus.POSTPONED.value
_TENTATIVE = EventStatus.TENTATIVE.value
_PUBLIC = Visibility.PUBLIC.value
_ROLES = tuple(role.value for role in OrganisationRole)


def is_cancelled(event: Event | EventData) -> bool:
    """Cancelled or deleted: published as STATUS:CANCELLED so that subscribed calendars drop it."""
    return event.deleted_dt is not None or event.status == _CANCELLED


def event_summary(event: EventData) -> str:
    title = clean_text(event.title)
    if is_cancelled(event):
        return CANCELLED_PREFIX + title
    if event.status == _POSTPONED:
        return POSTPONED_PREFIX + title
    return title


def event_location(event: EventData) -> str:
    parts = (clean_text(event.venue), clean_text(event.city), country_name(event.country) if event.country else "")
    return ", ".join(part for part in parts if part)


def event_description(event: EventData, base_url: str) -> str:
    """The event's text, then organisers by role (in ``OrganisationRole`` order), participants, the source and
    the event page."""
    lines: list[str] = []
    if event.deleted_dt is not None:
        lines.append("This event has been removed from the calendar.")
    elif event.status == _CANCELLED:
        lines.append("This event has been cancelled.")
    elif event.status == _POSTPONED:
        lines.append("This event has been postponed; a new date will be announced. The dates are those planned.")
    elif event.status == _TENTATIVE:
        lines.append("Tentative: the dates are not yet confirmed.")
    facts: list[str] = []
    by_role: dict[str, list[str]] = {role: [] for role in _ROLES}
    for role, organisation in event.organisations:
        by_role.setdefault(role, []).append(organisation)
    for role, organisations in by_role.items():
        if organisations:
            label = OrganisationRole(role).label + ("s" if len(organisations) > 1 else "")
            facts.append(f"{label}: " + "; ".join(clean_text(organisation) for organisation in organisations))
    people = []
    for person, organisation in event.people:
        text = clean_text(person)
        if organisation is not None:
            text += f" ({clean_text(organisation)})"
        people.append(text)
    if people:
        facts.append("Participants: " + "; ".join(people))
    if event.source_url:
        facts.append("Source: " + clean_text(event.source_url))
    facts.append("Event page: " + event_url(base_url, event.id))
    body = clean_text(event.description, multiline=True)
    blocks = ["\n".join(lines), body, "\n".join(facts)]
    return "\n\n".join(block for block in blocks if block)


def _utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)


def event_component(event: Event | EventData, base_url: str) -> icalendar.Event:
    """The VEVENT of a stored event built with ``icalendar``: the reference for ``event_block``."""
    event = _data(event)
    component = icalendar.Event()
    component.add("uid", vText(clean_text(event.uid)))
    component.add("dtstamp", _utc(event.updated_dt))
    component.add("created", _utc(event.created_dt))
    component.add("last-modified", _utc(event.updated_dt))
    component.add("sequence", event.sequence)
    if event.all_day and event.start_date and event.end_date:
        component.add("dtstart", event.start_date)
        component.add("dtend", event.end_date + timedelta(days=1))  # DTEND of dates is exclusive
    elif needs_utc(event):
        component.add("dtstart", _utc(event.start_dt))
        component.add("dtend", _utc(event.end_dt))
    else:
        zone = get_zone(event.timezone)
        component.add("dtstart", event.start_dt.astimezone(zone))
        component.add("dtend", event.end_dt.astimezone(zone))
    component.add("summary", vText(event_summary(event)))
    location = event_location(event)
    if location:
        component.add("location", vText(location))
    component.add("description", vText(event_description(event, base_url)))
    component.add("url", event_url(base_url, event.id), parameters={"VALUE": "URI"})
    categories = [EventKind(event.kind).label] + [clean_text(tag) for tag in event.tags]
    component.add("categories", [vText(category) for category in categories if category])
    cancelled = is_cancelled(event)
    component.add("status", "CANCELLED" if cancelled else STATUS_MAP.get(event.status, "CONFIRMED"))
    component.add("class", "PUBLIC" if event.visibility == _PUBLIC else "PRIVATE")
    transparent = cancelled or event.status == _POSTPONED
    component.add("transp", "TRANSPARENT" if transparent else "OPAQUE")
    return component


def reference_block(event: Event | EventData, base_url: str) -> str:
    """The VEVENT written by ``icalendar`` (slow): what ``event_block`` must equal, byte for byte."""
    return event_component(event, base_url).to_ical().decode("utf-8")


def _escape(text: str) -> str:
    """RFC 5545 TEXT escaping exactly as ``icalendar`` does it (its ``_escape_char``, in the same order).

    Like it, a literal backslash-N in the text is first read as a line break.
    """
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _value(text: str) -> str:
    """A property value as icalendar writes it: it decodes each value as "utf-8-sig", which drops one byte
    order mark at the start (and only there)."""
    return text[1:] if text[:1] == "\ufeff" else text


_FOLD_OCTETS = 74  # icalendar cuts before the octet that would make 75 (a continuation line: space + 74)
_BACKSLASH, _CARET = 0x5C, 0x5E


def _fold(line: str) -> str:
    """Fold a content line as ``icalendar`` does: pieces of at most 74 octets, never inside a UTF-8 character,
    and an escape character (backslash or caret) that would end a piece starts the next one instead."""
    if line.isascii() and len(line) <= _FOLD_OCTETS:  # isascii is O(1) on CPython
        return line
    data = line.encode("utf-8")
    if len(data) <= _FOLD_OCTETS:
        return line
    pieces: list[bytes] = []
    start = 0
    while len(data) - start > _FOLD_OCTETS:
        end = start + _FOLD_OCTETS
        while data[end] & 0xC0 == 0x80:  # a continuation byte: the character would be split
            end -= 1
        if end - start > 1 and data[end - 1] in (_BACKSLASH, _CARET):
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def _stamp(instant: datetime) -> str:
    """A DATE-TIME in UTC (``instant`` must be aware); whole seconds, as icalendar writes it."""
    value = instant.astimezone(UTC)
    return f"{value.year:04}{value.month:02}{value.day:02}T{value.hour:02}{value.minute:02}{value.second:02}Z"


def _wall(value: datetime) -> str:
    return f"{value.year:04}{value.month:02}{value.day:02}T{value.hour:02}{value.minute:02}{value.second:02}"


def _day(value: date) -> str:
    return f"{value.year:04}{value.month:02}{value.day:02}"


@lru_cache(maxsize=1024)
def _zone_parameters(zone_name: str) -> tuple[str, str]:
    """(";TZID=…" or "", "Z" or "") for wall times in a zone, decided by icalendar's own rules once per zone
    (it names a zone by its key, or UTC when the zone is an alias of UTC, which then gets a Z and no TZID)."""
    tzid = tzid_from_tzinfo(get_zone(zone_name))
    if tzid == "UTC":
        return "", "Z"
    return ";" + Parameters({"TZID": tzid}).to_ical().decode("utf-8"), ""


def event_block(event: Event | EventData, base_url: str) -> str:
    """The VEVENT as folded text with CRLF line ends, ready to be joined into a calendar.

    Properties in icalendar's order (its canonical ones first, then the rest alphabetically).
    """
    event = _data(event)
    if event.all_day and event.start_date and event.end_date:
        start = f"DTSTART;VALUE=DATE:{_day(event.start_date)}"
        end = f"DTEND;VALUE=DATE:{_day(event.end_date + timedelta(days=1))}"  # DTEND of dates is exclusive
    elif needs_utc(event):
        start, end = f"DTSTART:{_stamp(event.start_dt)}", f"DTEND:{_stamp(event.end_dt)}"
    else:
        zone = get_zone(event.timezone)
        parameters, suffix = _zone_parameters(event.timezone)
        start = f"DTSTART{parameters}:{_wall(event.start_dt.astimezone(zone))}{suffix}"
        end = f"DTEND{parameters}:{_wall(event.end_dt.astimezone(zone))}{suffix}"
    updated = _stamp(event.updated_dt)
    categories = [EventKind(event.kind).label] + [clean_text(tag) for tag in event.tags]
    cancelled = is_cancelled(event)
    transparent = cancelled or event.status == _POSTPONED
    location = event_location(event)
    # Lines of fixed shape are short ASCII and never folded; the others go through _fold.
    lines = [
        "BEGIN:VEVENT",
        _fold("SUMMARY:" + _value(_escape(event_summary(event)))),
        _fold(start),
        _fold(end),
        "DTSTAMP:" + updated,
        _fold("UID:" + _value(_escape(clean_text(event.uid)))),
        f"SEQUENCE:{event.sequence}",
        _fold("CATEGORIES:" + _value(",".join(_escape(category) for category in categories if category))),
        "CLASS:" + ("PUBLIC" if event.visibility == _PUBLIC else "PRIVATE"),
        "CREATED:" + _stamp(event.created_dt),
        _fold("DESCRIPTION:" + _value(_escape(event_description(event, base_url)))),
        "LAST-MODIFIED:" + updated,
    ]
    if location:
        lines.append(_fold("LOCATION:" + _value(_escape(location))))
    lines += [
        "STATUS:" + ("CANCELLED" if cancelled else STATUS_MAP.get(event.status, "CONFIRMED")),
        "TRANSP:" + ("TRANSPARENT" if transparent else "OPAQUE"),
        _fold("URL;VALUE=URI:" + event_url(base_url, event.id)),
        "END:VEVENT",
        "",
    ]
    return CRLF.join(lines)


@dataclass(frozen=True)
class ZoneUse:
    """Which years a zone is needed for in one calendar (its VTIMEZONE covers them, with a year's margin)."""

    name: str
    first_year: int
    last_year: int


def zone_uses(timed: Iterable[tuple[str, datetime, datetime]]) -> list[ZoneUse]:
    """Zones of timed events (name, start, end) that need a VTIMEZONE, with the years they span."""
    years: dict[str, tuple[int, int]] = {}
    for zone_name, start, end in timed:
        if is_utc_zone(zone_name) or is_ambiguous(start, zone_name) or is_ambiguous(end, zone_name):
            continue
        first, last = start.year, end.year  # UTC years; the margin below covers the local new year
        if zone_name in years:
            low, high = years[zone_name]
            years[zone_name] = (min(low, first), max(high, last))
        else:
            years[zone_name] = (first, last)
    return [ZoneUse(name, low, high) for name, (low, high) in sorted(years.items())]


# --- VTIMEZONE from tzdata ------------------------------------------------------------------------------

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Transition:
    """One change of a zone's offset (or of its DST flag) at a UTC instant."""

    instant: datetime  # UTC
    offset_from: timedelta
    offset_to: timedelta
    dst: bool  # after the change
    name: str  # abbreviation after the change

    @property
    def local_start(self) -> datetime:
        """Wall-clock time just before the change, as VTIMEZONE's DTSTART wants it (RFC 5545 §3.6.5)."""
        return (self.instant + self.offset_from).replace(tzinfo=None)

    def rule_key(self) -> tuple[object, ...]:
        local = self.local_start
        return (self.dst, self.offset_from, self.offset_to, self.name, local.month, local.weekday(), local.time())

    def byday_choices(self) -> set[int]:
        """Ordinals that describe the day in its month: 2 for the second Sunday, -1 for the last, …"""
        local = self.local_start
        next_month = date(local.year + local.month // 12, local.month % 12 + 1, 1)
        days_in_month = (next_month - timedelta(days=1)).day
        return {(local.day - 1) // 7 + 1, -((days_in_month - local.day) // 7 + 1)}


def _state(zone_name: str, timestamp: float) -> tuple[timedelta, bool, str]:
    local = datetime.fromtimestamp(timestamp, tz=get_zone(zone_name))
    return local.utcoffset() or timedelta(0), bool(local.dst()), local.tzname() or ""


def zone_transitions(zone_name: str, start: datetime, end: datetime) -> list[Transition]:
    """Every transition of ``zone_name`` in [start, end), found by a daily scan and bisection to the second."""
    step = 86_400
    transitions: list[Transition] = []
    low_ts = int(start.timestamp())
    end_ts = int(end.timestamp())
    low_state = _state(zone_name, low_ts)
    while low_ts < end_ts:
        high_ts = min(low_ts + step, end_ts)
        high_state = _state(zone_name, high_ts)
        if high_state[:2] != low_state[:2]:
            before, after = low_ts, high_ts  # state(before) == low_state, state(after) != low_state
            while after - before > 1:
                middle = (before + after) // 2
                if _state(zone_name, middle)[:2] == low_state[:2]:
                    before = middle
                else:
                    after = middle
            state = _state(zone_name, after)
            transitions.append(
                Transition(datetime.fromtimestamp(after, UTC), low_state[0], state[0], state[1], state[2])
            )
            low_ts, low_state = after, state
            continue
        low_ts, low_state = high_ts, high_state
    return transitions


def _runs(transitions: Sequence[Transition]) -> list[tuple[list[Transition], int | None]]:
    """Group transitions into yearly rules: same kind, offsets, month, weekday, wall time and ordinal.

    Returns (transitions, BYDAY ordinal) pairs; the ordinal is None for a transition that fits no rule.
    """
    open_runs: dict[tuple[object, ...], tuple[list[Transition], set[int]]] = {}
    finished: list[tuple[list[Transition], set[int]]] = []
    for transition in transitions:
        key = transition.rule_key()
        choices = transition.byday_choices()
        current = open_runs.get(key)
        if current is not None:
            run, common = current
            if transition.instant.year == run[-1].instant.year + 1 and common & choices:
                run.append(transition)
                open_runs[key] = (run, common & choices)
                continue
            finished.append(current)
        open_runs[key] = ([transition], choices)
    finished.extend(open_runs.values())
    finished.sort(key=lambda item: item[0][0].instant)
    result: list[tuple[list[Transition], int | None]] = []
    for run, common in finished:
        if len(run) == 1:
            result.append((run, None))
        else:
            result.append((run, -1 if -1 in common else min(common, key=lambda n: (n < 0, abs(n)))))
    return result


def _observance(
    dst: bool, name: str, offset_from: timedelta, offset_to: timedelta, start: datetime
) -> icalendar.cal.Component:
    observance = icalendar.TimezoneDaylight() if dst else icalendar.TimezoneStandard()
    observance.add("dtstart", start)
    if name:
        observance.add("tzname", vText(name))
    observance.add("tzoffsetfrom", offset_from)
    observance.add("tzoffsetto", offset_to)
    return observance


@lru_cache(maxsize=512)
def vtimezone_block(zone_name: str, first_year: int, last_year: int) -> str:
    """A VTIMEZONE for ``zone_name`` that is right from ``first_year`` − 1 to ``last_year`` + 1.

    The observance in force at the start of that window comes first; each later transition belongs to a
    yearly RRULE (with a UTC UNTIL when the rule ended inside the window, open-ended when it lasts to the
    window's end) or, when it fits no rule, stands alone with its own DTSTART — never an RDATE list.
    """
    window_start = datetime(first_year - 1, 1, 1, tzinfo=UTC)
    window_end = datetime(last_year + 2, 1, 1, tzinfo=UTC)
    timezone = icalendar.Timezone()
    timezone.add("tzid", zone_name)
    offset, dst, name = _state(zone_name, window_start.timestamp())
    timezone.add_component(_observance(dst, name, offset, offset, (window_start + offset).replace(tzinfo=None)))
    for run, ordinal in _runs(zone_transitions(zone_name, window_start, window_end)):
        first = run[0]
        observance = _observance(first.dst, first.name, first.offset_from, first.offset_to, first.local_start)
        if ordinal is not None:
            rule: dict[str, object] = {
                "FREQ": "YEARLY",
                "BYMONTH": first.local_start.month,
                "BYDAY": f"{ordinal}{_WEEKDAYS[first.local_start.weekday()]}",
            }
            if run[-1].instant.year < last_year + 1:
                # RFC 5545 wants UNTIL in UTC; dateutil (vobject) compares it with the local wall time instead.
                # The later of the two includes the last change for both readings, and is a year before the next.
                last = run[-1]
                rule["UNTIL"] = max(last.instant, last.local_start.replace(tzinfo=UTC))
            observance.add("rrule", rule)
        timezone.add_component(observance)
    return timezone.to_ical().decode("utf-8")


# --- whole calendars ------------------------------------------------------------------------------------


def calendar_header(name: str, *, description: str = "", source_url: str = "", site_url: str = "") -> str:
    """BEGIN:VCALENDAR and the calendar's properties (no END line)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", vText(clean_text(name)))
    calendar.add("x-wr-calname", vText(clean_text(name)))
    if description:
        calendar.add("description", vText(clean_text(description, multiline=True)))
        calendar.add("x-wr-caldesc", vText(clean_text(description, multiline=True)))
    if site_url:
        calendar.add("url", clean_uri(site_url), parameters={"VALUE": "URI"})
    if source_url:
        calendar.add("source", clean_uri(source_url), parameters={"VALUE": "URI"})
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    text = calendar.to_ical().decode("utf-8")
    end = "END:VCALENDAR" + CRLF
    assert text.endswith(end)
    return text[: -len(end)]


def assemble(header: str, timezones: Iterable[str], blocks: Iterable[str]) -> bytes:
    """Join cached parts into one calendar. RFC 5545 needs one component at least: an empty calendar gets a
    VTIMEZONE for UTC (allowed, and harmless to every client).

    Each part is encoded on its own and the bytes joined: joining the text first would make one string as
    wide as its widest character (four bytes per character for a single emoji), ~4× the feed's size.
    """
    parts = [header.encode("utf-8"), *(zone.encode("utf-8") for zone in timezones)]
    count = len(parts)
    parts.extend(block.encode("utf-8") for block in blocks)
    if len(parts) == count == 1:
        parts.append(vtimezone_block("Etc/UTC", 2000, 2000).encode("utf-8"))
    parts.append(b"END:VCALENDAR\r\n")
    return b"".join(parts)


def zone_blocks(uses: Iterable[ZoneUse]) -> list[str]:
    return [vtimezone_block(use.name, use.first_year, use.last_year) for use in uses]


def single_event_calendar(event: Event, base_url: str, calendar_name: str) -> bytes:
    """A standalone calendar holding one event (the page's .ics download, an e-mail attachment).

    No METHOD: RFC 5546 would then require ORGANIZER, and Outlook treats a missing METHOD as PUBLISH.
    """
    uses = [] if event.all_day else zone_uses([(event.timezone, event.start_dt, event.end_dt)])
    header = calendar_header(calendar_name)
    return assemble(header, zone_blocks(uses), [event_block(event, base_url)])
