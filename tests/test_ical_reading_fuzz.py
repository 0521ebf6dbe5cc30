"""``read_calendar`` on mutated real-world files: it never raises, and it gives either events or problems.

Bounded for CI: 200 examples of a few mutations each (deleted or inserted bytes, replaced, repeated or added
lines, including rules and zones a hostile file would use).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.ical import ReadLimits, read_calendar
from tracker.ical.reading import UNEXPECTED
from tracker.timezones import get_zone

FILES = [path.read_bytes() for path in sorted((Path(__file__).parent / "data" / "ical").glob("*.ics"))]
LIMITS = ReadLimits(date(2022, 1, 1), date(2024, 1, 1), max_per_series=200, budget_seconds=5)

HOSTILE_LINES = [
    "RRULE:FREQ=SECONDLY",
    "RRULE:FREQ=DAILY",
    "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "RRULE:FREQ=WEEKLY;UNTIL=garbage",
    "RRULE:INTERVAL=0",
    "BEGIN:VEVENT",
    "END:VEVENT",
    "BEGIN:VTIMEZONE",
    "END:VTIMEZONE",
    "TZID:MyZone",
    "TZOFFSETTO:+9999",
    "DTSTART;TZID=MyZone:20221115T090000",
    "DTSTART;TZID=W. Europe Standard Time:20221115T090000",
    "DTSTART;VALUE=DATE:20221115",
    "DTSTART:99991231T235959Z",
    "DTEND:00010101",
    "DURATION:-P1D",
    "EXDATE:garbage",
    "RDATE;VALUE=PERIOD:20221115T090000Z/PT1H",
    "RECURRENCE-ID;RANGE=THISANDFUTURE:20221121T090000Z",
    "SEQUENCE:-5",
    "STATUS:CANCELLED",
    "CATEGORIES:,,,",
    'SUMMARY;X-A="a:b";X-B=c:title',
    " a folded continuation",
    "X-WR-TIMEZONE:Mars/Olympus",
    "METHOD:CANCEL",
]

ical_text = st.text(alphabet=st.sampled_from(list('ABCDEFTZ0123456789:;=,"\\ -/\t\x00é')), max_size=40)
mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 5000), st.integers(1, 40)),
    st.tuples(st.just("insert"), st.integers(0, 5000), st.binary(min_size=1, max_size=12)),
    st.tuples(st.just("line"), st.integers(0, 200), st.one_of(ical_text, st.sampled_from(HOSTILE_LINES))),
    st.tuples(st.just("add"), st.integers(0, 200), st.sampled_from(HOSTILE_LINES)),
    st.tuples(st.just("repeat"), st.integers(0, 200), st.integers(1, 30)),
)


def mutate(data: bytes, steps: list[tuple]) -> bytes:
    for kind, where, what in steps:
        if kind == "delete":
            at = where % (len(data) or 1)
            data = data[:at] + data[at + what :]
        elif kind == "insert":
            at = where % (len(data) or 1)
            data = data[:at] + what + data[at:]
        else:
            lines = data.split(b"\r\n")
            at = where % len(lines)
            if kind == "line":
                lines[at] = what.encode()
            elif kind == "add":
                lines.insert(at, what.encode())
            else:
                lines[at:at] = [lines[at]] * what
            data = b"\r\n".join(lines)
    return data


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FILES), st.lists(mutation, min_size=1, max_size=5))
def test_a_mutated_file_gives_events_or_problems_and_never_raises(original: bytes, steps: list[tuple]) -> None:
    data = mutate(original, steps)
    result = read_calendar(data, LIMITS)
    assert not (result.events and result.problems)
    assert all(not problem.message.startswith(UNEXPECTED) for problem in result.problems), result.problems
    physical = len(re.split(rb"\r\n|\r|\n", data))
    assert all(0 <= problem.line <= physical for problem in result.problems)
    for event in result.events:
        assert event.end > event.start
        assert event.all_day == (not isinstance(event.start, datetime))
        get_zone(event.timezone)
        if not event.all_day:
            assert event.start.utcoffset() == event.start.astimezone(get_zone(event.timezone)).utcoffset()
