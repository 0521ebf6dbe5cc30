"""Queries that list events for pages and feeds, always through an ``EventFilter``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlmodel import Session

from tracker.filters import EventFilter
from tracker.models import Event, EventOrganisation


def with_links(statement):  # type: ignore[no-untyped-def]
    """Eager-load what list pages show (organisations and tags) in two extra queries, not one per event."""
    return statement.options(
        selectinload(Event.organisation_links).selectinload(EventOrganisation.organisation),
        selectinload(Event.tag_links),
    )


def upcoming(
    session: Session,
    event_filter: EventFilter,
    now: datetime,
    *,
    include_internal: bool,
    limit: int = 50,
    offset: int = 0,
) -> list[Event]:
    """Events not yet over at ``now``, soonest first."""
    statement = event_filter.apply(select(Event), include_internal=include_internal)
    statement = statement.where(Event.end_dt > now).order_by(Event.start_dt, Event.id).limit(limit).offset(offset)
    return list(session.exec(with_links(statement)).scalars())


def past(
    session: Session,
    event_filter: EventFilter,
    now: datetime,
    *,
    include_internal: bool,
    limit: int = 50,
    offset: int = 0,
) -> list[Event]:
    """Events already over at ``now``, latest first (the archive)."""
    statement = event_filter.apply(select(Event), include_internal=include_internal)
    statement = statement.where(Event.end_dt <= now).order_by(Event.start_dt.desc(), Event.id.desc())
    return list(session.exec(with_links(statement.limit(limit).offset(offset))).scalars())
