"""The lists of events: upcoming (the agenda, the home page) and past (the archive), grouped for display."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.filters import EventFilter
from tracker.models import Event
from tracker.services.calendar_grid import day_span
from tracker.services.calendar_queries import past_statement, query_key, upcoming_statement, year_bounds
from tracker.services.listing import ListedEvent, listed_events
from tracker.validation import MIN_YEAR
from tracker.visibility import listed_condition


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


def archive_years(session: Session, now: datetime, *, include_internal: bool) -> list[int]:
    """Years from the first event the audience sees to now, latest first (the archive's year links)."""
    first = session.exec(select(func.min(Event.start_dt)).where(listed_condition(include_internal))).scalar()  # type: ignore[call-overload]
    if first is None:
        return []
    if first.tzinfo is None:
        first = first.replace(tzinfo=UTC)
    return list(range(now.year, max(first.year, MIN_YEAR) - 1, -1))


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
