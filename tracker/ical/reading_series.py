"""Expanding the events of a parsed file: single events as they are, series inside the window, bounded.

Each series is expanded lazily with ``recurring-ical-events`` (EXDATE, RDATE and RECURRENCE-ID overrides
honoured, an override that cancels an occurrence returned as a cancelled occurrence), stopping at the first
occurrence one too many and checking the time budget between two occurrences. An occurrence is known by its
original start (an override by its RECURRENCE-ID), so a moved occurrence keeps its identity.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as wall_time
from typing import Any

from recurring_ical_events.adapters.event import EventAdapter
from recurring_ical_events.series import Series

from tracker.ical.reading_events import (
    EventText,
    ReadEvent,
    ReadLimits,
    event_text,
    event_times,
    first,
    recurrence_key,
    uid_of,
)
from tracker.ical.reading_lines import Block, ReadProblem, named, short, uid_text
from tracker.ical.reading_zones import FileZone
from tracker.phrases import number_text
from tracker.phrases import said as _


@dataclass
class Zones:
    """What the file's TZIDs stand for in this read."""

    names: dict[str, str]  # raw TZID → IANA name or the token of a file zone
    own: dict[str, FileZone]  # token → the file's own zone
    calendar_zone: str | None  # X-WR-TIMEZONE, resolved
    floating: str  # the zone of times without one
    problems: list[ReadProblem]


class _Refusal(Exception):
    """A series that makes the file bad (too many occurrences, out of time)."""


def expand_events(
    pairs: list[tuple[Any, Block]], zones: Zones, limits: ReadLimits, deadline: float, cancelled: bool
) -> tuple[list[ReadEvent], list[ReadProblem]]:
    """Every single event, and every occurrence of each series inside the window, bounded in count and time."""
    groups: dict[str, list[tuple[Any, Block]]] = {}
    problems: list[ReadProblem] = []
    for component, block in pairs:
        if "DTSTART" not in component:
            message = _("%(event)s has no start (DTSTART)", event=named(block, True))
            problems.append(ReadProblem(block.line, uid_text(block), message))
            continue
        groups.setdefault(uid_of(component), []).append((component, block))
    if problems:
        return [], problems
    maker = _Maker(zones, cancelled)
    events: list[ReadEvent] = []
    for uid, members in groups.items():
        masters = [(component, block) for component, block in members if "RECURRENCE-ID" not in component]
        # As recurring_ical_events chooses among repeated masters: the first with the highest SEQUENCE.
        block = max(masters, key=lambda master: _sequence(master[0]))[1] if masters else members[0][1]
        try:
            if time.monotonic() > deadline:
                raise _Refusal(_out_of_time(block, limits))
            if any("RRULE" in component or "RDATE" in component for component, _member in members):
                events.extend(_series(uid, members, block, maker, limits, deadline))
            else:
                events.extend(_singles(uid, members, maker))
        except _Refusal as refusal:
            return [], [ReadProblem(block.line, uid, refusal.args[0])]
        except (ValueError, TypeError, OverflowError, KeyError, AttributeError, IndexError) as error:
            return [], [
                ReadProblem(
                    block.line,
                    uid,
                    _(
                        "%(event)s cannot be expanded (%(error)s)",
                        event=named(block, True),
                        error=short(str(error), 120),
                    ),
                )
            ]
        if len(events) > limits.max_occurrences:
            message = _(
                "The file makes more than %(limit)s events once its repeating events are expanded",
                limit=number_text(limits.max_occurrences),
            )
            return [], [ReadProblem(0, "", message)]
    return events, []


def _out_of_time(block: Block, limits: ReadLimits) -> str:
    return _(
        "Reading the file took longer than %(seconds)s seconds (at %(event)s); its repeating events make too many"
        " occurrences",
        seconds=f"{limits.budget_seconds:g}",
        event=named(block),
    )


class _Maker:
    """Builds ``ReadEvent``s, reading each VEVENT's text once however many occurrences it makes."""

    def __init__(self, zones: Zones, cancelled: bool) -> None:
        self.zones, self.cancelled = zones, cancelled
        self.by_id = {id(zone.zone): zone for zone in zones.own.values()}
        self.texts: dict[int, EventText] = {}

    def event(self, uid: str, component: Any, line: int, start: Any, end: Any, recurrence_id: str) -> ReadEvent:
        if line not in self.texts:
            self.texts[line] = event_text(component, cancelled=self.cancelled)
        text = self.texts[line]
        times = event_times(start, end, self.by_id, self.zones.calendar_zone, self.zones.floating)
        return ReadEvent(
            uid, recurrence_id, text.sequence, text.last_modified, text.title, text.status, times.all_day,
            times.timezone, times.start, times.end, text.location, text.description, text.url, text.categories, line,
        )  # fmt: skip


def _singles(uid: str, members: list[tuple[Any, Block]], maker: _Maker) -> list[ReadEvent]:
    """A UID without repetition: its newest version (highest SEQUENCE, the first one on a tie), and each lone
    override (a RECURRENCE-ID without its series in the file) once."""
    chosen: dict[str, tuple[Any, Block]] = {}
    for component, block in members:
        recurrence = first(component, "RECURRENCE-ID")
        key = recurrence_key(recurrence.dt) if recurrence is not None else ""
        if key not in chosen or _sequence(component) > _sequence(chosen[key][0]):
            chosen[key] = (component, block)
    events = []
    for key, (component, block) in chosen.items():
        start, end = EventAdapter(component).span
        events.append(maker.event(uid, component, block.line, start, end, key))
    return events


def _sequence(component: Any) -> int:
    value = first(component, "SEQUENCE")
    return value if isinstance(value, int) else -1


def _series(
    uid: str, members: list[tuple[Any, Block]], block: Block, maker: _Maker, limits: ReadLimits, deadline: float
) -> list[ReadEvent]:
    """The occurrences of one series inside the window, in order; lazily, so that a series that would make too
    many stops at the first one too many and time runs out between two occurrences, not after all of them."""
    series = Series([EventAdapter(component) for component, _ in members])
    overrides: dict[str, int] = {}
    sources = {member.line: component for component, member in members}  # the VEVENT each line begins
    moves: dict[str, Any] = {}  # RANGE=THISANDFUTURE overrides: how far they move the occurrences after them
    for component, member in members:
        recurrence = first(component, "RECURRENCE-ID")
        if recurrence is not None:
            overrides[recurrence_key(recurrence.dt)] = member.line
            if str(recurrence.params.get("RANGE", "")).upper() == "THISANDFUTURE":
                moves[recurrence_key(recurrence.dt)] = component["DTSTART"].dt - recurrence.dt
    events = []
    for occurrence in series.between(limits.window_start, limits.window_end):
        if time.monotonic() > deadline:
            raise _Refusal(_out_of_time(block, limits))
        if len(events) >= limits.max_per_series:
            raise _Refusal(
                _(
                    "%(event)s happens more than %(limit)s times between %(start)s and %(end)s; at most %(limit)s"
                    " occurrences of one event can be imported",
                    event=named(block, True),
                    limit=number_text(limits.max_per_series),
                    start=f"{limits.window_start:%Y-%m-%d}",
                    end=f"{limits.window_end:%Y-%m-%d}",
                )
            )
        component = occurrence.as_component(False)
        start, end = component["DTSTART"].dt, component["DTEND"].dt
        recurrence = component["RECURRENCE-ID"]
        key = recurrence_key(recurrence.dt)
        line = overrides.get(key, block.line)
        if key in moves and str(recurrence.params.get("RANGE", "")).upper() == "THISANDFUTURE":
            key = recurrence_key(start - moves[key])
        # The VEVENT's own values (its SEQUENCE too, not the series' highest one that the copy carries).
        events.append(maker.event(uid, sources[line], line, start, end, key))
    return sorted(events, key=lambda event: _instant(event.start))


def _instant(value: date) -> datetime:
    return value.astimezone(UTC) if isinstance(value, datetime) else datetime.combine(value, wall_time(0), UTC)
