"""The bounded event queries behind the calendar pages, and the dates they may cover.

Events overlapping [start, end) must have ``start_dt < end`` and ``start_dt >= start - longest event``: with
that second bound the (start_dt, end_dt) index narrows the scan instead of reading every earlier event. The
longest duration comes from the expression index ``ix_event_duration`` (one index lookup), worked out by the
database inside the query itself.

Statements are built once per filter and audience (``lru_cache``) with the instants as bound parameters:
SQLAlchemy derives the cache key of every new statement object, which cost as much as running these queries.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    DateTime,
    Interval,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    select,
    type_coerce,
)
from sqlmodel import Session

from tracker.filters import EventFilter
from tracker.i18n import gettext as _
from tracker.models import Event
from tracker.services.listing import LIST_COLUMNS, EventTimes, page_parameters
from tracker.timezones import local_to_utc_lenient
from tracker.validation import MAX_YEAR, MIN_YEAR

#: Widest offset between a local day and UTC (UTC−12 … UTC+14): a UTC window this much wider on each
#: side holds every event of a local day in any zone.
ZONE_MARGIN = timedelta(hours=14)


class CalendarRangeError(ValueError):
    """A year, month or week outside what the calendar shows; the message says what is allowed."""


def check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarRangeError(
            _(
                "The calendar covers the years %(first)s to %(last)s; %(year)s is outside.",
                first=MIN_YEAR,
                last=MAX_YEAR,
                year=year,
            )
        )


def window(first_day: date, last_day: date, zone: str | None) -> tuple[datetime, datetime]:
    """UTC instants bounding the local days ``first_day``…``last_day`` in ``zone`` (in any zone if None)."""
    if zone:
        return local_to_utc_lenient(first_day, zone), local_to_utc_lenient(last_day + timedelta(days=1), zone)
    start = datetime.combine(first_day, time(0), tzinfo=UTC) - ZONE_MARGIN
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=UTC) + ZONE_MARGIN
    return start, end


def year_bounds(year: int, zone: str | None) -> tuple[datetime, datetime]:
    """UTC instants of the start of ``year`` and of the next year, in the zone (UTC when none is chosen)."""
    check_year(year)
    zone = zone or "UTC"
    return local_to_utc_lenient(date(year, 1, 1), zone), local_to_utc_lenient(date(year + 1, 1, 1), zone)


def query_key(event_filter: EventFilter) -> EventFilter:
    """The filter as far as the queries care: the zone changes how times read, not which events match."""
    return replace(event_filter, tz="") if event_filter.tz else event_filter


def instant_parameter(name: str) -> BindParameter[Any]:
    """A bound instant stored the way ``Event.start_dt`` is (the column's own type processes it)."""
    return bindparam(name, type_=Event.start_dt.type)


# ------------------------------------------------------------------------------------------ longest event

_LONGEST_POSTGRESQL = select(func.max(Event.end_dt - Event.start_dt, type_=Interval))
_LONGEST_SQLITE = select(func.max(func.julianday(Event.end_dt) - func.julianday(Event.start_dt)))


def longest_duration(session: Session) -> timedelta:
    """The longest event's duration (all events, deleted too: a safe over-estimate), from an index."""
    if session.get_bind().dialect.name == "postgresql":
        value = session.exec(_LONGEST_POSTGRESQL).scalar()  # type: ignore[call-overload]
        return (value or timedelta(0)) + timedelta(seconds=1)
    days = session.exec(_LONGEST_SQLITE).scalar()  # type: ignore[call-overload]
    return timedelta(days=float(days or 0)) + timedelta(seconds=1)


def lower_bound(dialect: str, start: Any) -> ColumnElement[Any]:
    """``start`` − the longest event − 1 s, worked out by the database as a scalar subquery.

    The same index lookup as ``longest_duration``, in the query that needs it: one round trip instead of
    two, and the (start_dt, end_dt) index still gets both bounds (``bench/views.py`` prints the plans).
    On SQLite instants are ISO text, so the bound is julianday arithmetic formatted back to text (to the
    millisecond; the extra second keeps it on the safe side).
    """
    if dialect == "postgresql":
        longest = func.coalesce(_LONGEST_POSTGRESQL.scalar_subquery(), literal(timedelta(0), Interval()))
        return cast(start, DateTime()) - longest - literal(timedelta(seconds=1), Interval())
    longest = func.coalesce(_LONGEST_SQLITE.scalar_subquery(), 0)
    return func.strftime("%Y-%m-%d %H:%M:%f", func.julianday(start) - longest - literal(1 / 86400))


def _in_window(statement: Select[Any], dialect: str) -> Select[Any]:
    """Events overlapping [``:window_start``, ``:window_end``), bounded on both sides of ``start_dt``."""
    start, end = instant_parameter("window_start"), instant_parameter("window_end")
    return statement.where(Event.start_dt < end, Event.end_dt > start, Event.start_dt >= lower_bound(dialect, start))


# ------------------------------------------------------------------------------------------- month grid

#: Only what the month grid draws. Instants and dates come back raw (SQLite: ISO text, parsed by the C
#: ``fromisoformat``), because SQLAlchemy's per-value type processing cost more than the query on a busy month.
GRID_COLUMNS = (
    Event.id, Event.title, Event.kind, Event.status, Event.all_day, Event.timezone,
    type_coerce(Event.start_dt, String).label("start_dt"), type_coerce(Event.end_dt, String).label("end_dt"),
    type_coerce(Event.start_date, String).label("start_date"), type_coerce(Event.end_date, String).label("end_date"),
    Event.language, Event.translations,
)  # fmt: skip


#: What the month grid needs of an event: the light row's common part, nothing more.
GridEvent = EventTimes


def grid_events(rows: list[Any]) -> list[GridEvent]:
    """A ``GridEvent`` per row, with the conversions picked once for the whole result.

    SQLite gives ISO text for instants and dates, PostgreSQL naive datetimes and dates; a month has a few
    hundred rows, so per-value type checks are worth saving.
    """
    if not rows:
        return []
    if isinstance(rows[0][6], datetime):
        combine = datetime.combine  # naive UTC → aware (combine is faster than replace)
        return [
            GridEvent(
                ident, title, kind, status, bool(all_day), zone, combine(start, start.time(), UTC),
                combine(end, end.time(), UTC), first, last, language, translations,
            )
            for ident, title, kind, status, all_day, zone, start, end, first, last, language, translations in rows
        ]  # fmt: skip
    parse, parse_day = datetime.fromisoformat, date.fromisoformat
    return [
        GridEvent(
            ident, title, kind, status, bool(all_day), zone, parse(start + "+00:00"), parse(end + "+00:00"),
            None if first is None else parse_day(first), None if last is None else parse_day(last), language,
            translations,
        )
        for ident, title, kind, status, all_day, zone, start, end, first, last, language, translations in rows
    ]  # fmt: skip


@lru_cache(maxsize=256)
def grid_statement(event_filter: EventFilter, include_internal: bool, dialect: str) -> Select[Any]:
    """The month query for a filter, the window being the parameters ``window_start`` and ``window_end``.

    No ORDER BY: ``build_weeks`` sorts the events itself.
    """
    return _in_window(event_filter.apply(select(*GRID_COLUMNS), include_internal=include_internal), dialect)


def grid_rows(
    session: Session, event_filter: EventFilter, start: datetime, end: datetime, *, include_internal: bool
) -> list[GridEvent]:
    """Events overlapping [start, end) as light ``GridEvent``s, in no set order (``build_weeks`` sorts them)."""
    connection = session.connection()
    statement = grid_statement(query_key(event_filter), include_internal, connection.dialect.name)
    return grid_events(connection.execute(statement, {"window_start": start, "window_end": end}).all())


# ------------------------------------------------------------------------------------- lists of events


@lru_cache(maxsize=256)
def between_statement(event_filter: EventFilter, include_internal: bool, dialect: str) -> Select[Any]:
    """Events overlapping [``:window_start``, ``:window_end``), in start order (the week page shows no
    organisations: none are loaded)."""
    statement = _in_window(event_filter.apply(select(Event), include_internal=include_internal), dialect)
    return statement.order_by(Event.start_dt, Event.id)


@lru_cache(maxsize=256)
def upcoming_statement(event_filter: EventFilter, include_internal: bool, dialect: str) -> Select[Any]:
    """Events (``LIST_COLUMNS``) not over at ``:now``, soonest first, a page at a time; bounded below so the
    start index is used."""
    statement = event_filter.apply(select(*LIST_COLUMNS), include_internal=include_internal)
    now = instant_parameter("now")
    statement = statement.where(Event.end_dt > now, Event.start_dt >= lower_bound(dialect, now))
    return page_parameters(statement.order_by(Event.start_dt, Event.id))


def past_statement(
    event_filter: EventFilter, now: datetime, *, include_internal: bool, bounds: tuple[datetime, datetime] | None
) -> Select[Any]:
    """Events (``LIST_COLUMNS``) over at ``now``, latest first; ``start_dt <= now`` bounds the index scan
    from above."""
    statement = event_filter.apply(select(*LIST_COLUMNS), include_internal=include_internal)
    statement = statement.where(Event.end_dt <= now, Event.start_dt <= now)
    if bounds is not None:
        statement = statement.where(Event.start_dt >= bounds[0], Event.start_dt < bounds[1])
    return statement.order_by(Event.start_dt.desc(), Event.id.desc())
