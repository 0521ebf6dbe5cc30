"""Loading and paging options shared by the queries that list events (agenda, archive, search, feeds, mail)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, Select, bindparam
from sqlalchemy.orm import selectinload

from tracker.models import Event, EventOrganisation, EventPerson, Person


def with_organisations(statement: Select[Any]) -> Select[Any]:
    """Eager-load what list pages show beyond the event's own columns: its organisations, by role.

    One extra query for the whole page (links joined to their organisations), not one per event; list
    pages show no tags or people, so those are not loaded.
    """
    return statement.options(
        selectinload(Event.organisation_links).joinedload(EventOrganisation.organisation, innerjoin=True),
    )


def with_details(statement: Select[Any]) -> Select[Any]:
    """Eager-load everything an event's full text shows (feeds, e-mail): organisations, people and tags."""
    return with_organisations(statement).options(
        selectinload(Event.tag_links),
        selectinload(Event.person_links).selectinload(EventPerson.person).selectinload(Person.organisation),
    )


def page_parameters(statement: Select[Any]) -> Select[Any]:
    """``LIMIT :page_limit OFFSET :page_offset``, so that one statement object serves every page."""
    return statement.limit(bindparam("page_limit", type_=Integer)).offset(bindparam("page_offset", type_=Integer))
