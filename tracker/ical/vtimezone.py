"""VTIMEZONE components generated from zoneinfo/tzdata transitions, in yearly RRULE form.

``icalendar``'s ``add_missing_timezones()`` writes one long RDATE list instead, which ical.js and vobject
misread; here each run of yearly changes becomes one RRULE, and a change that fits no rule stands alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import icalendar
from icalendar import vText

from tracker.ical.event import is_ambiguous, is_utc_zone
from tracker.timezones import get_zone

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class ZoneUse:
    """Which years a zone is needed for in one calendar (its VTIMEZONE covers them, with a year's margin)."""

    name: str
    first_year: int
    last_year: int


def zone_uses(timed: Iterable[tuple[str, datetime, datetime]]) -> list[ZoneUse]:
    """Zones of timed events (name, start, end) that need a VTIMEZONE, with the years they span.

    Events in UTC, or at an ambiguous wall time, are written in UTC and need none.
    """
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


def _first_change(zone_name: str, before: int, after: int) -> int:
    """The first second in (before, after] whose offset or DST flag differs from that at ``before``."""
    known = _state(zone_name, before)[:2]
    while after - before > 1:
        middle = (before + after) // 2
        if _state(zone_name, middle)[:2] == known:
            before = middle
        else:
            after = middle
    return after


def zone_transitions(zone_name: str, start: datetime, end: datetime) -> list[Transition]:
    """Every transition of ``zone_name`` in (start, end], found by a daily scan and bisection to the second."""
    step = 86_400
    transitions: list[Transition] = []
    low_ts = int(start.timestamp())
    end_ts = int(end.timestamp())
    low_state = _state(zone_name, low_ts)
    while low_ts < end_ts:
        high_ts = min(low_ts + step, end_ts)
        high_state = _state(zone_name, high_ts)
        if high_state[:2] != low_state[:2]:
            changed = _first_change(zone_name, low_ts, high_ts)
            state = _state(zone_name, changed)
            transitions.append(
                Transition(datetime.fromtimestamp(changed, UTC), low_state[0], state[0], state[1], state[2])
            )
            low_ts, low_state = changed, state
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


def _yearly_rule(run: list[Transition], ordinal: int, last_year: int) -> dict[str, object]:
    """The RRULE of a run of yearly changes; with UNTIL when the rule ended before ``last_year`` + 1."""
    first = run[0].local_start
    rule: dict[str, object] = {
        "FREQ": "YEARLY",
        "BYMONTH": first.month,
        "BYDAY": f"{ordinal}{_WEEKDAYS[first.weekday()]}",
    }
    if run[-1].instant.year < last_year + 1:
        # RFC 5545 wants UNTIL in UTC; dateutil (vobject) compares it with the local wall time instead.
        # The later of the two includes the last change for both readings, and is a year before the next.
        last = run[-1]
        rule["UNTIL"] = max(last.instant, last.local_start.replace(tzinfo=UTC))
    return rule


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
            observance.add("rrule", _yearly_rule(run, ordinal, last_year))
        timezone.add_component(observance)
    return timezone.to_ical().decode("utf-8")


def zone_blocks(uses: Iterable[ZoneUse]) -> list[str]:
    return [vtimezone_block(use.name, use.first_year, use.last_year) for use in uses]
