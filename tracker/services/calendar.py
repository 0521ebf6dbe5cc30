"""The month grid and the ISO week: which events they show, on which days of the viewer's zone.

The queries are in ``calendar_queries``, the placement on days in ``calendar_grid``; the month page is the
busiest of all, and ``bench/views.py`` measures it against its template render.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from tracker.filters import EventFilter
from tracker.formatting import format_date_range, format_month, weekday_names
from tracker.i18n import gettext as _
from tracker.services.calendar_grid import Week, build_weeks, day_time_label, today_in
from tracker.services.calendar_queries import (
    CalendarRangeError,
    between_statement,
    check_year,
    grid_rows,
    query_key,
    window,
)


@dataclass
class MonthView:
    year: int
    month: int
    weeks: list[Week]
    today: date
    event_count: int

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def title(self) -> str:
        """The month's heading in the current language ("November 2022", "ноември 2022 г.")."""
        return format_month(self.first)

    @property
    def weekday_names(self) -> tuple[tuple[str, str], ...]:
        """The grid's column heads, ``(abbreviated, full)`` in the current language, Monday first."""
        return weekday_names()

    @property
    def previous_title(self) -> str:
        """The previous month's heading, for the link to it."""
        return format_month(date(*self.previous, 1))

    @property
    def next_title(self) -> str:
        return format_month(date(*self.next, 1))

    @property
    def previous(self) -> tuple[int, int]:
        return (self.year, self.month - 1) if self.month > 1 else (self.year - 1, 12)

    @property
    def next(self) -> tuple[int, int]:
        return (self.year, self.month + 1) if self.month < 12 else (self.year + 1, 1)


def month_view(
    session: Session, event_filter: EventFilter, year: int, month: int, now: datetime, *, include_internal: bool
) -> MonthView:
    """The month grid: whole Monday-first weeks covering the month, in the filter's zone."""
    check_year(year)
    if not 1 <= month <= 12:
        raise CalendarRangeError(_("There is no month %(month)s; months run from 1 to 12.", month=month))
    zone = event_filter.tz or None
    first = date(year, month, 1)
    last = date(year, month, stdlib_calendar.monthrange(year, month)[1])
    first_monday = first - timedelta(days=first.weekday())
    week_count = ((last - first_monday).days // 7) + 1
    grid_last = first_monday + timedelta(days=7 * week_count - 1)
    start, end = window(first_monday, grid_last, zone)
    rows = grid_rows(session, event_filter, start, end, include_internal=include_internal)
    today = today_in(zone, now)
    weeks = build_weeks(first_monday, week_count, rows, zone, today, in_range=(first, last))
    shown = {placed.event.id for week in weeks for day in week.days if day.in_range for placed in day.items}
    return MonthView(year=year, month=month, weeks=weeks, today=today, event_count=len(shown))


@dataclass
class WeekDay:
    date: date
    is_today: bool
    entries: list[tuple[Any, str]]  # (event, time label on this day)


@dataclass
class WeekView:
    year: int
    week: int
    days: list[WeekDay]
    bars: Week

    @property
    def monday(self) -> date:
        return self.days[0].date

    @property
    def title(self) -> str:
        """``Week 46, 9–15 Nov 2026`` in the current language (the days as CLDR writes a range)."""
        span = format_date_range(self.days[0].date, self.days[-1].date)
        return _("Week %(number)d, %(span)s", number=self.week, span=span)

    @property
    def month_title(self) -> str:
        """The heading of the month the week begins in, for the link to it."""
        return format_month(self.monday)

    @property
    def previous(self) -> tuple[int, int]:
        iso = (self.monday - timedelta(days=7)).isocalendar()
        return iso.year, iso.week

    @property
    def next(self) -> tuple[int, int]:
        iso = (self.monday + timedelta(days=7)).isocalendar()
        return iso.year, iso.week


def week_view(
    session: Session, event_filter: EventFilter, year: int, week: int, now: datetime, *, include_internal: bool
) -> WeekView:
    """One ISO week (Monday first): each day lists what happens on it, with times in the filter's zone."""
    check_year(year)
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        weeks_in_year = date(year, 12, 28).isocalendar().week
        raise CalendarRangeError(
            _("%(year)s has weeks 1 to %(last)s; there is no week %(week)s.", year=year, last=weeks_in_year, week=week)
        ) from None
    zone = event_filter.tz or None
    start, end = window(monday, monday + timedelta(days=6), zone)
    statement = between_statement(query_key(event_filter), include_internal, session.get_bind().dialect.name)
    parameters = {"window_start": start, "window_end": end}
    events = list(session.exec(statement, params=parameters).scalars())  # type: ignore[call-overload]
    bars = build_weeks(monday, 1, events, zone, today_in(zone, now))[0]
    days = [
        WeekDay(
            date=day.date,
            is_today=day.is_today,
            entries=[(placed.event, day_time_label(placed.event, day.date, zone)) for placed in day.items],
        )
        for day in bars.days
    ]
    return WeekView(year=year, week=week, days=days, bars=bars)
