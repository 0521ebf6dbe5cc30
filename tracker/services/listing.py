"""Loading options shared by every query that lists events (agenda, calendar grids, search, feeds)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from tracker.models import Event, EventOrganisation, EventPerson, Person


def with_links(statement: Select[Any]) -> Select[Any]:
    """Eager-load what list pages show (organisations and tags) in two extra queries, not one per event."""
    return statement.options(
        selectinload(Event.organisation_links).selectinload(EventOrganisation.organisation),
        selectinload(Event.tag_links),
    )


def with_details(statement: Select[Any]) -> Select[Any]:
    """Eager-load everything an event's full text shows (feeds, e-mail): organisations, people and tags."""
    return with_links(statement).options(
        selectinload(Event.person_links).selectinload(EventPerson.person).selectinload(Person.organisation),
    )
