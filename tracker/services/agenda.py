"""The lists of events: upcoming (the agenda, the home page) and past (the archive), grouped for display."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session

from tracker.filters import EventFilter
from tracker.models import Event
from tracker.services.calendar_grid import day_span
from tracker.services.calendar_queries import past_statement, query_key, upcoming_statement, year_bounds
from tracker.services.listing import ListedEvent, listed_events
from tracker.validation import MAX_YEAR, MIN_YEAR


@dataclass
class AgendaDay:
    date: date
    events: list[ListedEvent]


def agenda(
    session: Session,
    event_filter: EventFilter,
    now: datetime,
    *,
    include_internal: bool,
    limit: int,
    offset: int = 0,
) -> list[ListedEvent]:
    """Upcoming events (not yet over), soonest first, with their organisations."""
    statement = upcoming_statement(query_key(event_filter), include_internal, session.get_bind().dialect.name)
    return listed_events(session, statement, {"now": now, "page_limit": limit, "page_offset": offset})


def group_by_day(events: Sequence[ListedEvent], zone: str | None, today: date | None = None) -> list[AgendaDay]:
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


def archive(
    session: Session,
    event_filter: EventFilter,
    now: datetime,
    *,
    include_internal: bool,
    year: int | None,
    limit: int,
    offset: int = 0,
) -> list[ListedEvent]:
    """Past events (already over), latest first, with their organisations; one year of them when ``year`` is
    given."""
    bounds = year_bounds(year, event_filter.tz or None) if year is not None else None
    statement = past_statement(event_filter, now, include_internal=include_internal, bounds=bounds)
    return listed_events(session, statement.limit(limit).offset(offset), {})


def archive_years(
    session: Session, now: datetime, *, include_internal: bool, event_filter: EventFilter | None = None
) -> list[int]:
    """The years holding past events this audience sees and the filter matches, latest first (the archive's
    year tabs, so that none leads to an empty year).

    A year is counted as ``archive(year=…)`` bounds it: by the start in the viewer's zone (UTC when none). The
    database groups starts by UTC year; a zone moves a start by less than a day, so each UTC year and its two
    neighbours are the only candidates, each checked with the archive's own bounds (one indexed probe each).
    """
    event_filter = event_filter or EventFilter()
    past = past_statement(query_key(event_filter), now, include_internal=include_internal, bounds=None)
    utc_year = func.extract("year", Event.start_dt)
    started = past.order_by(None).with_only_columns(utc_year).distinct()
    utc_years = {int(year) for year in session.execute(started).scalars() if year is not None}
    zone = event_filter.tz or None
    if zone in (None, "UTC"):
        return sorted((year for year in utc_years if MIN_YEAR <= year <= MAX_YEAR), reverse=True)
    candidates = {year + shift for year in utc_years for shift in (-1, 0, 1)}
    years = []
    for year in sorted((year for year in candidates if MIN_YEAR <= year <= MAX_YEAR), reverse=True):
        probe = past_statement(
            query_key(event_filter), now, include_internal=include_internal, bounds=year_bounds(year, zone)
        )
        if session.execute(probe.order_by(None).with_only_columns(Event.id).limit(1)).first() is not None:
            years.append(year)
    return years


def group_by_month(events: Sequence[ListedEvent], zone: str | None) -> list[tuple[date, list[ListedEvent]]]:
    """Consecutive events under the month they start in (first of month as key)."""
    groups: list[tuple[date, list[ListedEvent]]] = []
    for event in events:
        first, _last = day_span(event, zone)
        key = first.replace(day=1)
        if groups and groups[-1][0] == key:
            groups[-1][1].append(event)
        else:
            groups.append((key, [event]))
    return groups
