"""What the month, week, agenda and archive views show, and on which days of the chosen zone.

Rules (see ``tracker.timezones``): a timed event lies on the local days of the viewer's zone, or of its own
zone when the viewer chose none; an all-day event lies on its dates, whatever the zone. A multi-day event
keeps one "lane" (row) through each week it crosses, so the grid can draw it as one bar.

Queries are bounded on both sides of ``start_dt``: events overlapping [start, end) must have
``start_dt < end`` and ``start_dt >= start - longest event``, so the (start_dt, end_dt) index is used
instead of a scan (DESIGN.md, "Scale"). The longest duration comes from the expression index
``ix_event_duration`` (migration 0002), i.e. one index lookup; the month query does it as a subquery.

The month page is the busiest: its query, statement and conversions are tuned (see ``grid_statement``,
``grid_events``, ``local_spans``); ``bench/views.py`` measures it against the template render.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    DateTime,
    Engine,
    Interval,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlmodel import Session

from tracker.filters import EventFilter
from tracker.models import Event, Organisation
from tracker.models.feeds import read_generation
from tracker.services.listing import with_links
from tracker.timezones import get_zone, local_to_utc_lenient, utc_to_local, zone_abbreviation
from tracker.validation import MAX_YEAR, MIN_YEAR
from tracker.visibility import EDITORS, PUBLIC, known_tags, listed_condition, organisation_condition

#: Widest offset between a local day and UTC (UTC−12 … UTC+14): a UTC window this much wider on each
#: side holds every event of a local day in any zone.
ZONE_MARGIN = timedelta(hours=14)
#: Only what the month grid draws. Instants and dates come back raw (SQLite: ISO text, parsed by the C
#: ``fromisoformat``), because SQLAlchemy's per-value type processing cost more than the query on a busy month.
GRID_COLUMNS = (
    Event.id, Event.title, Event.kind, Event.status, Event.all_day, Event.timezone,
    type_coerce(Event.start_dt, String).label("start_dt"), type_coerce(Event.end_dt, String).label("end_dt"),
    type_coerce(Event.start_date, String).label("start_date"), type_coerce(Event.end_date, String).label("end_date"),
)  # fmt: skip


@dataclass(slots=True)
class GridEvent:
    """What the month grid needs of an event (attribute names as on ``Event``)."""

    id: int
    title: str
    kind: str
    status: str
    all_day: bool
    timezone: str
    start_dt: datetime
    end_dt: datetime
    start_date: date | None
    end_date: date | None

    @classmethod
    def from_row(cls, row: Any) -> GridEvent:
        ident, title, kind, status, all_day, zone, start, end, first, last = row
        return cls(ident, title, kind, status, bool(all_day), zone, _instant(start), _instant(end), _day(first),
                   _day(last))  # fmt: skip


def _instant(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite: naive UTC as text
        return datetime.fromisoformat(value + "+00:00")
    return datetime.combine(value, value.time(), UTC)  # PostgreSQL: naive UTC (combine is faster than replace)


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def grid_events(rows: Sequence[Any]) -> list[GridEvent]:
    """``GridEvent.from_row`` for every row, with the conversions picked once for the whole result.

    SQLite gives ISO text for instants and dates, PostgreSQL naive datetimes and dates; a month has a few
    hundred rows, so the per-value type checks and calls of ``from_row`` are worth saving.
    """
    if not rows:
        return []
    if isinstance(rows[0][6], datetime):
        combine = datetime.combine  # as _instant
        return [
            GridEvent(
                ident, title, kind, status, bool(all_day), zone, combine(start, start.time(), UTC),
                combine(end, end.time(), UTC), first, last,
            )
            for ident, title, kind, status, all_day, zone, start, end, first, last in rows
        ]  # fmt: skip
    if not isinstance(rows[0][6], str):
        return [GridEvent.from_row(row) for row in rows]
    parse, parse_day = datetime.fromisoformat, date.fromisoformat
    return [
        GridEvent(
            ident, title, kind, status, bool(all_day), zone, parse(start + "+00:00"), parse(end + "+00:00"),
            None if first is None else parse_day(first), None if last is None else parse_day(last),
        )
        for ident, title, kind, status, all_day, zone, start, end, first, last in rows
    ]  # fmt: skip


class CalendarRangeError(ValueError):
    """A year, month or week outside what the calendar shows; the message says what is allowed."""


# ---------------------------------------------------------------------------------------------- queries


#: Built once: SQLAlchemy derives a statement's cache key on every new statement object, which cost as much
#: as running these small queries.
_LONGEST_POSTGRESQL = select(func.max(Event.end_dt - Event.start_dt, type_=Interval))
_LONGEST_SQLITE = select(func.max(func.julianday(Event.end_dt) - func.julianday(Event.start_dt)))


def longest_duration(session: Session) -> timedelta:
    """The longest event's duration (all events, deleted too: a safe over-estimate), from an index."""
    if session.get_bind().dialect.name == "postgresql":
        value = session.exec(_LONGEST_POSTGRESQL).scalar()  # type: ignore[call-overload]
        return (value or timedelta(0)) + timedelta(seconds=1)
    days = session.exec(_LONGEST_SQLITE).scalar()  # type: ignore[call-overload]
    return timedelta(days=float(days or 0)) + timedelta(seconds=1)


def overlapping(statement: Select[Any], start: datetime, end: datetime, longest: timedelta) -> Select[Any]:
    """Narrow to events overlapping [start, end), with the lower bound that lets the index work."""
    return _bounded(statement, start, end, start - longest)


def _bounded(statement: Select[Any], start: Any, end: Any, lower: Any) -> Select[Any]:
    return statement.where(Event.start_dt < end, Event.end_dt > start, Event.start_dt >= lower)


def _lower_bound(dialect: str, start: Any) -> ColumnElement[Any]:
    """``start`` − the longest event − 1 s, worked out by the database inside the month query itself.

    The same index lookup as ``longest_duration``, as a scalar subquery: one round trip instead of two,
    and the (start_dt, end_dt) index still gets both bounds (the plans are in ``bench/views.py``).
    On SQLite instants are ISO text, so the bound is julianday arithmetic formatted back to text (to the
    millisecond; the extra second keeps it on the safe side).
    """
    if dialect == "postgresql":
        longest = func.coalesce(_LONGEST_POSTGRESQL.scalar_subquery(), literal(timedelta(0), Interval()))
        return cast(start, DateTime()) - longest - literal(timedelta(seconds=1), Interval())
    longest = func.coalesce(_LONGEST_SQLITE.scalar_subquery(), 0)
    return func.strftime("%Y-%m-%d %H:%M:%f", func.julianday(start) - longest - literal(1 / 86400))


@lru_cache(maxsize=256)
def grid_statement(event_filter: EventFilter, include_internal: bool, dialect: str) -> Select[Any]:
    """The month query for a filter, the window being the parameters ``window_start`` and ``window_end``.

    One statement object per filter (cached; the zone plays no part in it): SQLAlchemy derives the cache key
    of every new statement object, which cost as much as running the query.
    """
    statement = event_filter.apply(select(*GRID_COLUMNS), include_internal=include_internal)
    start, end = bindparam("window_start", type_=Event.start_dt.type), bindparam("window_end")
    return _bounded(statement, start, end, _lower_bound(dialect, start))  # no ORDER BY: build_weeks sorts


def grid_rows(
    session: Session, event_filter: EventFilter, start: datetime, end: datetime, *, include_internal: bool
) -> list[GridEvent]:
    """Events overlapping [start, end) as light ``GridEvent``s, in no set order (``build_weeks`` sorts them)."""
    connection = session.connection()
    key = replace(event_filter, tz="") if event_filter.tz else event_filter
    statement = grid_statement(key, include_internal, connection.dialect.name)
    return grid_events(connection.execute(statement, {"window_start": start, "window_end": end}).all())


def events_between(
    session: Session, event_filter: EventFilter, start: datetime, end: datetime, *, include_internal: bool
) -> list[Event]:
    """Events (with organisations and tags) overlapping [start, end), in start order."""
    statement = event_filter.apply(select(Event), include_internal=include_internal)
    statement = overlapping(statement, start, end, longest_duration(session)).order_by(Event.start_dt, Event.id)
    return list(session.exec(with_links(statement)).scalars())  # type: ignore[call-overload]


def upcoming_statement(session: Session, event_filter: EventFilter, now: datetime, *, include_internal: bool):  # type: ignore[no-untyped-def]
    """Events not over at ``now``, soonest first; bounded below so the start index is used."""
    statement = event_filter.apply(select(Event), include_internal=include_internal)
    statement = statement.where(Event.end_dt > now, Event.start_dt >= now - longest_duration(session))
    return statement.order_by(Event.start_dt, Event.id)


def past_statement(event_filter: EventFilter, now: datetime, *, include_internal: bool, year_bounds=None):  # type: ignore[no-untyped-def]
    """Events over at ``now``, latest first; ``start_dt <= now`` bounds the index scan from above."""
    statement = event_filter.apply(select(Event), include_internal=include_internal)
    statement = statement.where(Event.end_dt <= now, Event.start_dt <= now)
    if year_bounds is not None:
        statement = statement.where(Event.start_dt >= year_bounds[0], Event.start_dt < year_bounds[1])
    return statement.order_by(Event.start_dt.desc(), Event.id.desc())


# -------------------------------------------------------------------------------------------- placement


def today_in(zone: str | None, now: datetime) -> date:
    """Today's date for the viewer (UTC when they chose no zone)."""
    return utc_to_local(now, zone).date() if zone else now.astimezone(UTC).date()


def day_span(event: Any, zone: str | None) -> tuple[date, date]:
    """First and last (inclusive) day the event covers: its dates if all-day, else local days of the zone."""
    if event.all_day and event.start_date and event.end_date:
        return event.start_date, event.end_date
    zone = zone or event.timezone
    first = utc_to_local(event.start_dt, zone).date()
    last = utc_to_local(max(event.end_dt, event.start_dt + timedelta(microseconds=1)) - timedelta(microseconds=1), zone)
    return first, last.date()


def day_time_label(event: Any, day: date, zone: str | None) -> str:
    """How the event reads on one day of the week view: ``10:00–12:00``, ``from 22:00``, ``all day``."""
    first, last = day_span(event, zone)
    if event.all_day:
        return "All day" if first == last else f"All day (day {(day - first).days + 1} of {(last - first).days + 1})"
    zone = zone or event.timezone
    start, end = utc_to_local(event.start_dt, zone), utc_to_local(event.end_dt, zone)
    if first == last:
        return f"{start:%H:%M}–{end:%H:%M} {zone_abbreviation(event.end_dt, zone)}"
    if day == first:
        return f"from {start:%H:%M} {zone_abbreviation(event.start_dt, zone)}"
    if day == last:
        return f"until {end:%H:%M} {zone_abbreviation(event.end_dt, zone)}"
    return "all day"


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


_ONE_MICROSECOND = timedelta(microseconds=1)
#: ``HH:MM`` for every minute of the day: a lookup costs a third of formatting the label for each event.
_HH_MM = tuple(f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60))


def local_spans(events: Iterable[Any], zone: str | None) -> list[tuple[Any, date, date, str]]:
    """``(event, first day, last day, HH:MM start)`` for each event: ``day_span`` and ``local_time`` in one pass.

    Each event is converted once, with each zone looked up once per call (a month holds a few hundred events
    in a handful of zones), and the result feeds both the placement and the time label.
    """
    zones: dict[str, Any] = {}
    spans: list[tuple[Any, date, date, str]] = []
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
        label = "" if event.all_day else _HH_MM[start.hour * 60 + start.minute]  # as local_time
        append((event, start.date(), last.date(), label))
    return spans


def _single_day_key(span: tuple[Any, date, date, str]) -> tuple[Any, ...]:
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
    weeks: list[Week] = []
    days_by_index: list[Day] = []
    for offset in range(7 * week_count):
        day_date = first_monday + timedelta(days=offset)
        days_by_index.append(
            Day(
                date=day_date,
                in_range=in_range is None or in_range[0] <= day_date <= in_range[1],
                is_today=day_date == today,
            )
        )
    singles: list[list[Placed]] = [[] for _ in range(7 * week_count)]
    bars_by_week: list[list[tuple[Any, date, date, str, int, int]]] = [[] for _ in range(week_count)]
    last_index = 7 * week_count - 1
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
    for index in range(week_count):
        days = days_by_index[7 * index : 7 * index + 7]
        bars = bars_by_week[index]
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
        for offset, day in enumerate(days, start=7 * index):
            day.slots.extend(singles[offset])
        weeks.append(Week(days=days))
    return weeks


# ------------------------------------------------------------------------------------------------ views


def check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarRangeError(f"The calendar covers the years {MIN_YEAR} to {MAX_YEAR}; {year} is outside.")


def window(first_day: date, last_day: date, zone: str | None) -> tuple[datetime, datetime]:
    """UTC instants bounding the local days ``first_day``…``last_day`` in ``zone`` (in any zone if None)."""
    if zone:
        return local_to_utc_lenient(first_day, zone), local_to_utc_lenient(last_day + timedelta(days=1), zone)
    start = datetime.combine(first_day, time(0), tzinfo=UTC) - ZONE_MARGIN
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=UTC) + ZONE_MARGIN
    return start, end


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
        return f"{self.first:%B %Y}"

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
        raise CalendarRangeError(f"There is no month {month}; months run from 1 to 12.")
    zone = event_filter.tz or None
    first = date(year, month, 1)
    last = date(year, month, stdlib_calendar.monthrange(year, month)[1])
    first_monday = first - timedelta(days=first.weekday())
    week_count = ((last - first_monday).days // 7) + 1
    grid_last = first_monday + timedelta(days=7 * week_count - 1)
    start, end = window(first_monday, grid_last, zone)
    rows = grid_rows(session, event_filter, start, end, include_internal=include_internal)
    weeks = build_weeks(first_monday, week_count, rows, zone, today_in(zone, now), in_range=(first, last))
    shown = {placed.event.id for week in weeks for day in week.days if day.in_range for placed in day.items}
    return MonthView(year=year, month=month, weeks=weeks, today=today_in(zone, now), event_count=len(shown))


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
        first, last = self.days[0].date, self.days[-1].date
        if first.month == last.month:
            span = f"{first.day}–{last.day} {last:%B %Y}"
        elif first.year == last.year:
            span = f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
        else:
            span = f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"
        return f"Week {self.week}, {span}"

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
        raise CalendarRangeError(f"{year} has weeks 1 to {weeks_in_year}; there is no week {week}.") from None
    zone = event_filter.tz or None
    today = today_in(zone, now)
    start, end = window(monday, monday + timedelta(days=6), zone)
    events = events_between(session, event_filter, start, end, include_internal=include_internal)
    bars = build_weeks(monday, 1, events, zone, today)[0]
    days = [
        WeekDay(
            date=day.date,
            is_today=day.is_today,
            entries=[(placed.event, day_time_label(placed.event, day.date, zone)) for placed in day.items],
        )
        for day in bars.days
    ]
    return WeekView(year=year, week=week, days=days, bars=bars)


@dataclass
class AgendaDay:
    date: date
    events: list[Event]


def group_by_day(events: Sequence[Event], zone: str | None, today: date | None = None) -> list[AgendaDay]:
    """Consecutive events under the day they start (events already running are listed under today)."""
    groups: list[AgendaDay] = []
    for event in events:
        first, _last = day_span(event, zone)
        if today is not None and first < today:
            first = today
        if groups and groups[-1].date == first:
            groups[-1].events.append(event)
        else:
            groups.append(AgendaDay(date=first, events=[event]))
    return groups


def agenda(
    session: Session,
    event_filter: EventFilter,
    now: datetime,
    *,
    include_internal: bool,
    limit: int,
    offset: int = 0,
) -> list[Event]:
    """Upcoming events (not yet over), soonest first, with organisations and tags."""
    statement = upcoming_statement(session, event_filter, now, include_internal=include_internal)
    return list(session.exec(with_links(statement.limit(limit).offset(offset))).scalars())  # type: ignore[call-overload]


def year_bounds(year: int, zone: str | None) -> tuple[datetime, datetime]:
    """UTC instants of the start of ``year`` and of the next year, in the zone (UTC when none is chosen)."""
    check_year(year)
    zone = zone or "UTC"
    return local_to_utc_lenient(date(year, 1, 1), zone), local_to_utc_lenient(date(year + 1, 1, 1), zone)


def archive(
    session: Session,
    event_filter: EventFilter,
    now: datetime,
    *,
    include_internal: bool,
    year: int | None,
    limit: int,
    offset: int = 0,
) -> list[Event]:
    """Past events (already over), latest first; one year of them when ``year`` is given."""
    bounds = year_bounds(year, event_filter.tz or None) if year is not None else None
    statement = past_statement(event_filter, now, include_internal=include_internal, year_bounds=bounds)
    return list(session.exec(with_links(statement.limit(limit).offset(offset))).scalars())  # type: ignore[call-overload]


def archive_years(session: Session, now: datetime, *, include_internal: bool) -> list[int]:
    """Years from the first event the audience sees to now, latest first (the archive's year links)."""
    first = session.exec(select(func.min(Event.start_dt)).where(listed_condition(include_internal))).scalar()  # type: ignore[call-overload]
    if first is None:
        return []
    if first.tzinfo is None:
        first = first.replace(tzinfo=UTC)
    return list(range(now.year, max(first.year, MIN_YEAR) - 1, -1))


def group_by_month(events: Sequence[Event], zone: str | None) -> list[tuple[date, list[Event]]]:
    """Consecutive events under the month they start in (first of month as key)."""
    groups: list[tuple[date, list[Event]]] = []
    for event in events:
        first, _last = day_span(event, zone)
        key = first.replace(day=1)
        if groups and groups[-1][0] == key:
            groups[-1][1].append(event)
        else:
            groups.append((key, [event]))
    return groups


def _choices_statement(include_internal: bool) -> CompoundSelect[Any]:
    """Organisations (by name) and up to 500 tags the audience may know of, in one query (one round trip per
    page): organisation rows have no ``tag``, tag rows nothing but one. Built once per audience."""
    known = known_tags(include_internal).subquery()
    tags = select(known.c.tag).order_by(known.c.tag).limit(500).subquery()
    organisations = select(Organisation.id, Organisation.name, Organisation.acronym, cast(null(), String).label("tag"))
    choices = union_all(
        organisations.where(organisation_condition(include_internal)),
        select(null(), null(), null(), tags.c.tag),
    )
    return choices.order_by(choices.selected_columns.name, choices.selected_columns.tag)


_CHOICES = {audience: _choices_statement(audience) for audience in (PUBLIC, EDITORS)}


#: The last filter choices per engine and audience, with the feeds' generation they were read at: the choices
#: change only when events or the directory do, which is exactly when the generation goes up.
_choices_cache: WeakKeyDictionary[Engine, dict[bool, tuple[int, dict[str, Any]]]] = WeakKeyDictionary()


def filter_choices(session: Session, *, include_internal: bool) -> dict[str, Any]:
    """What the filter bar offers this audience: organisations and tags of events it sees (never internal ones).

    Read once per change of the data (one small look at the generation otherwise): on 100,000 events the
    query itself takes tens of milliseconds, most of it finding the distinct tags.
    """
    connection = session.connection()
    generation = read_generation(connection)
    per_audience = _choices_cache.setdefault(connection.engine, {})
    cached = per_audience.get(include_internal)
    if cached is not None and cached[0] == generation:
        return cached[1]
    rows = connection.execute(_CHOICES[include_internal]).all()
    choices = {
        "organisations": [row for row in rows if row.tag is None],
        "known_tags": [row.tag for row in rows if row.tag is not None],
    }
    per_audience[include_internal] = (generation, choices)
    return choices
