"""On which days of the viewer's zone an event lies, and how the month and week grids lay events out.

Rules (see ``tracker.timezones``): a timed event lies on the local days of the viewer's zone, or of its own
zone when the viewer chose none; an all-day event lies on its dates, whatever the zone. A multi-day event
keeps one "lane" (row) through each week it crosses, so the grid can draw it as one bar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from babel.dates import format_interval

from tracker.formatting import current_formats, short_time
from tracker.i18n import gettext as _
from tracker.timezones import get_zone, utc_to_local, zone_abbreviation

_ONE_MICROSECOND = timedelta(microseconds=1)


def today_in(zone: str | None, now: datetime) -> date:
    """Today's date for the viewer (UTC when they chose no zone)."""
    return utc_to_local(now, zone).date() if zone else now.astimezone(UTC).date()


def day_span(event: Any, zone: str | None) -> tuple[date, date]:
    """First and last (inclusive) day the event covers: its dates if all-day, else local days of the zone."""
    if event.all_day and event.start_date and event.end_date:
        return event.start_date, event.end_date
    zone = zone or event.timezone
    first = utc_to_local(event.start_dt, zone).date()
    last = utc_to_local(max(event.end_dt, event.start_dt + _ONE_MICROSECOND) - _ONE_MICROSECOND, zone)
    return first, last.date()


def day_time_label(event: Any, day: date, zone: str | None) -> str:
    """How the event reads on one day of the week view: ``10:00–12:00``, ``from 22:00``, ``all day`` (times in
    the current language's format, from CLDR)."""
    first, last = day_span(event, zone)
    if event.all_day:
        if first == last:
            return _("All day")
        return _("All day (day %(day)d of %(days)d)", day=(day - first).days + 1, days=(last - first).days + 1)
    zone = zone or event.timezone
    start, end = utc_to_local(event.start_dt, zone), utc_to_local(event.end_dt, zone)
    if first == last:
        times = format_interval(start.time(), end.time(), "Hm", locale=current_formats().locale)
        return f"{times} {zone_abbreviation(event.end_dt, zone)}"
    if day == first:
        return _("from %(time)s %(zone)s", time=short_time(start), zone=zone_abbreviation(event.start_dt, zone))
    if day == last:
        return _("until %(time)s %(zone)s", time=short_time(end), zone=zone_abbreviation(event.end_dt, zone))
    return _("all day")


@dataclass(slots=True)
class Placed:
    """One event on one day of a grid row."""

    event: Any
    multi_day: bool
    #: The bar begins here in this week row (draw the title); ``span`` days long from here.
    starts: bool
    span: int
    continues_before: bool
    continues_after: bool
    time: str


@dataclass
class Day:
    date: date
    in_range: bool
    is_today: bool
    slots: list[Placed | None] = field(default_factory=list)

    @property
    def items(self) -> list[Placed]:
        return [slot for slot in self.slots if slot is not None]


@dataclass
class Week:
    days: list[Day]


#: ``(event, first day, last day, HH:MM start)``
Span = tuple[Any, date, date, str]
#: ``(event, first day, last day, HH:MM start, first index in the week, last index in the week)``
Bar = tuple[Any, date, date, str, int, int]


def local_spans(events: Iterable[Any], zone: str | None) -> list[Span]:
    """``(event, first day, last day, start time)`` for each event: ``day_span`` and the start time in one pass.

    Each event is converted once, with each zone looked up once per call (a month holds a few hundred events
    in a handful of zones), and the result feeds both the placement and the time label. The start time is
    looked up in the current language's table of every minute of the day (CLDR's short time format), which
    costs a third of formatting it for each event.
    """
    times = current_formats().times
    zones: dict[str, Any] = {}
    spans: list[Span] = []
    append = spans.append
    for event in events:
        if event.all_day and event.start_date and event.end_date:
            append((event, event.start_date, event.end_date, ""))
            continue
        name = zone or event.timezone
        tzinfo = zones.get(name)
        if tzinfo is None:
            tzinfo = zones[name] = get_zone(name)
        start_dt, end_dt = event.start_dt, event.end_dt
        start = start_dt.astimezone(tzinfo)
        last = (end_dt - _ONE_MICROSECOND).astimezone(tzinfo) if end_dt > start_dt else start
        label = "" if event.all_day else times[start.hour * 60 + start.minute]
        append((event, start.date(), last.date(), label))
    return spans


def _single_day_key(span: Span) -> tuple[Any, ...]:
    """Order of single-day entries within a day: all-day first, then by start, title and id."""
    event = span[0]
    return (not event.all_day, event.start_dt, event.title, event.id)


def build_weeks(
    first_monday: date,
    week_count: int,
    events: Iterable[Any],
    zone: str | None,
    today: date,
    in_range: tuple[date, date] | None = None,
) -> list[Week]:
    """Lay events out on ``week_count`` Monday-first weeks: multi-day bars in stable lanes, then the rest.

    Events are sorted once in the order single-day entries take within a day, so each day's list comes out
    in order without a sort per day; only the (few) multi-day bars are sorted per week for their lanes.
    """
    days = [
        Day(date=day, in_range=in_range is None or in_range[0] <= day <= in_range[1], is_today=day == today)
        for day in (first_monday + timedelta(days=offset) for offset in range(7 * week_count))
    ]
    singles: list[list[Placed]] = [[] for _ in days]
    bars_by_week: list[list[Bar]] = [[] for _ in range(week_count)]
    last_index = len(days) - 1
    for event, first, last, label in sorted(local_spans(events, zone), key=_single_day_key):
        first_offset, last_offset = (first - first_monday).days, (last - first_monday).days
        if last_offset < 0 or first_offset > last_index:
            continue
        if first == last:
            singles[first_offset].append(Placed(event, False, True, 1, False, False, label))
            continue
        for index in range(max(0, first_offset // 7), min(week_count - 1, last_offset // 7) + 1):
            start_index, end_index = max(first_offset - 7 * index, 0), min(last_offset - 7 * index, 6)
            bars_by_week[index].append((event, first, last, label, start_index, end_index))
    weeks: list[Week] = []
    for index, bars in enumerate(bars_by_week):
        week_days = days[7 * index : 7 * index + 7]
        _lay_bars(week_days, bars)
        for day, placed in zip(week_days, singles[7 * index : 7 * index + 7], strict=True):
            day.slots.extend(placed)
        weeks.append(Week(days=week_days))
    return weeks


def _lay_bars(days: list[Day], bars: list[Bar]) -> None:
    """Put one week's multi-day bars into the lowest free lane, earliest and longest first."""
    bars.sort(key=lambda bar: (bar[4], -(bar[5] - bar[4]), bar[0].start_dt, bar[0].id))
    lane_ends: list[int] = []
    for event, first, last, label, start_index, end_index in bars:
        lane = next((number for number, end in enumerate(lane_ends) if end < start_index), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end_index)
        else:
            lane_ends[lane] = end_index
        for day_index in range(start_index, end_index + 1):
            day = days[day_index]
            slots = day.slots
            while len(slots) <= lane:
                slots.append(None)
            slots[lane] = Placed(
                event,
                True,
                day_index == start_index,
                end_index - day_index + 1,
                day.date > first,
                day.date < last,
                label if day.date == first else "",
            )
