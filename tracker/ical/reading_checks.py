"""Checks of one VEVENT's lines before anything is parsed or expanded, each problem naming the event and line.

Repetition is where a small file becomes an unbounded amount of work, so rules are refused before expansion
when they repeat more often than daily, make more than ``MAX_PER_DAY`` occurrences a day, or start so long
before the window that ``dateutil`` would walk more than ``MAX_PERIODS`` periods to reach it (it cannot skip
ahead). Dates are kept within the years the tracker stores, and a property that may appear once appears once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date, datetime

from dateutil.rrule import rrulestr

from tracker.ical.reading_events import UID_MAX, ReadLimits
from tracker.ical.reading_lines import Block, Line, ReadProblem, event_title, named, short, uid_text
from tracker.phrases import number_text
from tracker.phrases import said as _

SUB_DAILY = {"SECONDLY": "second", "MINUTELY": "minute", "HOURLY": "hour"}
PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 28, "YEARLY": 365}
#: A rule whose BYHOUR × BYMINUTE × BYSECOND lists make more occurrences a day than this is refused.
MAX_PER_DAY = 24
#: Periods of a rule between its start and the window's end (dateutil walks them all, one by one).
MAX_PERIODS = 50_000
#: The years the tracker stores (``tracker.validation``'s MIN_YEAR and MAX_YEAR).
FIRST_YEAR, LAST_YEAR = 1900, 2200
#: Days, weeks, months and years in 400 Gregorian years: moving a start by whole cycles keeps every weekday,
#: leap day and week number where it was.
CYCLE = {"DAILY": 146_097, "WEEKLY": 20_871, "MONTHLY": 4_800, "YEARLY": 400}
#: Filters that can contradict each other (30 February, a sixth Monday) so that a rule matches no date.
CONTRADICTING = ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS")
ONCE = ("UID", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "SEQUENCE")
TIME_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "RDATE", "EXDATE")
#: The parts of an RRULE (RFC 5545 3.3.10) and what each value list item must look like.
_WEEKDAY = r"(MO|TU|WE|TH|FR|SA|SU)"
RULE_PARTS = {
    "FREQ": r"[A-Z]+", "UNTIL": r"[0-9TZ]+", "COUNT": r"\d+", "INTERVAL": r"\d+", "WKST": _WEEKDAY,
    "BYSECOND": r"\d{1,2}", "BYMINUTE": r"\d{1,2}", "BYHOUR": r"\d{1,2}", "BYDAY": rf"[+-]?\d{{0,2}}{_WEEKDAY}",
    "BYMONTHDAY": r"[+-]?\d{1,2}", "BYYEARDAY": r"[+-]?\d{1,3}", "BYWEEKNO": r"[+-]?\d{1,2}",
    "BYMONTH": r"\d{1,2}", "BYSETPOS": r"[+-]?\d{1,3}",
}  # fmt: skip
_YEAR = re.compile(r"\s*(\d{4})\d{4}")
_UNTIL = re.compile(r"\d{8}(T\d{6}Z?)?\Z")


def event_problems(event: Block, limits: ReadLimits) -> Iterator[ReadProblem]:
    """Everything wrong with the event's lines that can be seen before parsing."""
    uid = event.get("UID")
    if uid and len(uid.value) > UID_MAX:
        yield _problem(
            uid,
            _(
                "%(event)s has a UID of %(size)s characters; at most %(limit)d",
                event=named(event, True),
                size=number_text(len(uid.value)),
                limit=UID_MAX,
            ),
            event,
        )
    for name in ONCE:
        lines = event.all(name)
        if len(lines) > 1:
            yield _problem(
                lines[1],
                _(
                    "Line %(line)d: %(event)s has a second %(property)s (line %(first)d)",
                    line=lines[1].number,
                    event=named(event),
                    property=name,
                    first=lines[0].number,
                ),
                event,
            )
    for name in TIME_PROPERTIES:
        for line in event.all(name):
            for value in line.value.split(","):
                year = _YEAR.match(value)
                if year and not FIRST_YEAR <= int(year.group(1)) <= LAST_YEAR:
                    yield _problem(line, _year_message(line, event, year.group(1)), event)
                    break
    for rule in event.all("RRULE"):
        yield from _rule_problems(event, rule, limits)


def _problem(line: Line, message: str, event: Block) -> ReadProblem:
    return ReadProblem(line.number, uid_text(event), message)


def _year_message(line: Line, event: Block, year: str) -> str:
    return _(
        "Line %(line)d: %(property)s of the event “%(title)s” (line %(event_line)d) is in the year %(year)s;"
        " dates from %(first)d to %(last)d can be imported",
        line=line.number,
        property=line.name,
        title=event_title(event),
        event_line=event.line,
        year=year,
        first=FIRST_YEAR,
        last=LAST_YEAR,
    )


def _where(rule: Line, event: Block) -> dict[str, object]:
    """The parameters of "Line N: the repetition rule of the event “T” (line M) …"."""
    return {"line": rule.number, "title": event_title(event), "event_line": event.line}


def _unreadable_part(rule: Line, event: Block, key: str, value: str, known: bool) -> ReadProblem:
    if not known:
        return _problem(
            rule,
            _(
                "Line %(line)d: the repetition rule of the event “%(title)s” (line %(event_line)d) has an"
                " unknown part “%(part)s”, which cannot be read",
                **_where(rule, event),
                part=short(key, 20),
            ),
            event,
        )
    return _problem(
        rule,
        _(
            "Line %(line)d: the repetition rule of the event “%(title)s” (line %(event_line)d) has %(part)s,"
            " which cannot be read",
            **_where(rule, event),
            part=f"{key}={short(value, 30)}",
        ),
        event,
    )


def _sub_daily(rule: Line, event: Block, frequency: str) -> ReadProblem:
    params = {"event": named(event, True), "line": rule.number}
    if frequency == "SECONDLY":
        message = _(
            "%(event)s repeats every second (line %(line)d): events that repeat more often than daily cannot be"
            " imported",
            **params,
        )
    elif frequency == "MINUTELY":
        message = _(
            "%(event)s repeats every minute (line %(line)d): events that repeat more often than daily cannot be"
            " imported",
            **params,
        )
    else:
        message = _(
            "%(event)s repeats every hour (line %(line)d): events that repeat more often than daily cannot be imported",
            **params,
        )
    return _problem(rule, message, event)


def _rule_problems(event: Block, rule: Line, limits: ReadLimits) -> Iterator[ReadProblem]:
    """Long because each check of the rule is one short branch with its own message."""
    parts = dict(part.partition("=")[::2] for part in rule.value.upper().replace(" ", "").split(";"))
    frequency = parts.get("FREQ", "")
    for key, value in parts.items():
        pattern = RULE_PARTS.get(key)
        if pattern is None or not all(re.fullmatch(pattern, item) for item in value.split(",")):
            yield _unreadable_part(rule, event, key, value, pattern is not None)
            return
    if frequency in SUB_DAILY:
        yield _sub_daily(rule, event, frequency)
        return
    if frequency not in PERIOD_DAYS:
        if not frequency:
            yield _problem(
                rule,
                _(
                    "Line %(line)d: the repetition rule of the event “%(title)s” (line %(event_line)d) has no FREQ",
                    **_where(rule, event),
                ),
                event,
            )
        else:
            yield _problem(
                rule,
                _(
                    "Line %(line)d: the repetition rule of the event “%(title)s” (line %(event_line)d) has an"
                    " unknown FREQ “%(frequency)s”",
                    **_where(rule, event),
                    frequency=short(frequency, 20),
                ),
                event,
            )
        return
    for name in ("COUNT", "INTERVAL"):
        if name in parts and not (parts[name].isdigit() and 0 < int(parts[name]) < 1_000_000):
            yield _problem(
                rule,
                _(
                    "Line %(line)d: the repetition rule of the event “%(title)s” (line %(event_line)d) has"
                    " %(part)s, which is no positive whole number",
                    **_where(rule, event),
                    part=f"{name}={short(parts[name], 20)}",
                ),
                event,
            )
            return
    until = parts.get("UNTIL")
    if until is not None and not (_UNTIL.match(until) and FIRST_YEAR <= int(until[:4]) <= LAST_YEAR):
        yield _problem(
            rule,
            _(
                "Line %(line)d: the repetition rule of the event “%(title)s” (line %(event_line)d) ends at"
                " “%(until)s”, which is no date from %(first)d to %(last)d",
                **_where(rule, event),
                until=short(until, 20),
                first=FIRST_YEAR,
                last=LAST_YEAR,
            ),
            event,
        )
        return
    per_day = 1
    for name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        per_day *= len(parts[name].split(",")) if parts.get(name) else 1
    if per_day > MAX_PER_DAY:
        message = _(
            "%(event)s repeats %(count)s times a day (line %(line)d): at most %(limit)d can be imported",
            event=named(event, True),
            count=number_text(per_day),
            line=rule.number,
            limit=MAX_PER_DAY,
        )
        yield _problem(rule, message, event)
        return
    yield from _too_far_back(event, rule, frequency, int(parts.get("INTERVAL") or 1), limits)
    start = event.get("DTSTART")
    if start and _matches_nothing(parts, frequency, start.value):
        yield _problem(
            rule,
            _(
                "Line %(line)d: the repetition rule of the event “%(title)s” (line %(event_line)d) matches no"
                " date at all",
                **_where(rule, event),
            ),
            event,
        )


def _too_far_back(event: Block, rule: Line, frequency: str, interval: int, limits: ReadLimits) -> Iterator[ReadProblem]:
    start = event.get("DTSTART")
    begins = re.match(r"\s*(\d{4})(\d{2})(\d{2})", start.value) if start else None
    if not begins:
        return  # no start, or no date in it: reported elsewhere
    try:
        days = (limits.window_end - date(*map(int, begins.groups()))).days
    except ValueError:
        return  # not a calendar date: icalendar reports the DTSTART
    if days / PERIOD_DAYS[frequency] / interval > MAX_PERIODS:
        yield _problem(
            rule,
            _(
                "%(event)s repeats from %(start)s (line %(line)d), too long before %(end)s to be expanded",
                event=named(event, True),
                start=start.value.strip()[:8],  # type: ignore[union-attr]
                line=rule.number,
                end=f"{limits.window_end:%Y-%m-%d}",
            ),
            event,
        )


def _matches_nothing(parts: dict[str, str], frequency: str, start: str) -> bool:
    """True when the rule's filters contradict each other so that it matches no date at all.

    ``dateutil`` would look for one until the year 9999 without a pause (seconds for a daily rule, which no time
    budget can interrupt). So the same rule is tried here from the same start moved late into the calendar by
    whole 400-year cycles (enough of them to keep the interval aligned), where that walk is short.
    """
    if not any(name in parts for name in CONTRADICTING):
        return False
    begins = re.match(r"\s*(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?", start)
    if not begins:
        return False
    interval = int(parts.get("INTERVAL") or 1)
    step = 400 * (interval // math.gcd(CYCLE[frequency], interval))
    year = int(begins.group(1))
    cycles = (9_960 - year) // step
    if cycles < 1:
        return False
    text = ";".join(f"{key}={value}" for key, value in parts.items() if key and key not in ("UNTIL", "COUNT"))
    try:
        month, day, *clock = (int(value or 0) for value in begins.groups()[1:])
        rule = rrulestr(text, dtstart=datetime(year + cycles * step, month, day, *clock))
        return next(iter(rule), None) is None
    except (ValueError, TypeError, OverflowError):
        return False  # a rule dateutil cannot read: the expansion reports it
