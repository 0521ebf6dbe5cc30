"""Loading and paging options shared by the queries that list events (agenda, archive, search, feeds, mail).

List pages (agenda, archive, search results) read their events as ``ListedEvent`` rows: the columns
``_event_item.html`` shows and the organisations by role, two queries for a whole page. Building ORM
``Event`` objects with their links cost as much as the page's template; feeds and e-mail, which show
everything, still load full events (``with_details``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Integer, Select, bindparam, select
from sqlalchemy.orm import selectinload
from sqlmodel import Session

from tracker.models import Event, EventOrganisation, EventPerson, Organisation, Person

#: What a list page shows of an event, in ``ListedEvent``'s field order.
LIST_COLUMNS = (
    Event.id, Event.title, Event.kind, Event.status, Event.all_day, Event.timezone, Event.start_dt, Event.end_dt,
    Event.start_date, Event.end_date, Event.language, Event.translations, Event.venue, Event.city, Event.country,
    Event.visibility, Event.description,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ListedOrganisation:
    """What a list shows of an organisation (attribute names as on ``Organisation``)."""

    id: int
    name: str
    acronym: str | None
    #: Its names in other languages (``tracker.organisation_names`` picks the reader's).
    translations: str = "{}"

    #: The same labels as on ``Organisation`` (they read only ``name`` and ``acronym``).
    label = Organisation.label
    short = Organisation.short


class OrganisationLink(NamedTuple):
    """One organisation of a listed event (attribute names as on ``EventOrganisation``)."""

    role: str
    sort_order: int
    organisation: ListedOrganisation


@dataclass(slots=True)
class EventTimes:
    """The least a light row of an event carries: what it is and when, in its own zone (names as on ``Event``).

    The month grid reads exactly this (``calendar_queries.GridEvent``); list pages read more (``ListedEvent``).
    """

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
    #: The title's language and its translations (``tracker.event_texts`` picks the reader's).
    language: str
    translations: str


@dataclass(slots=True)
class ListedEvent(EventTimes):
    """An event as list pages show it (attribute names as on ``Event``)."""

    venue: str
    city: str
    country: str
    visibility: str
    description: str
    organisation_links: list[OrganisationLink] = field(default_factory=list)

    #: The same grouping as on ``Event`` (it reads only ``organisation_links``): one rule, one place.
    organisations_by_role = Event.organisations_by_role


_LINKS = (
    select(
        EventOrganisation.event_id,
        EventOrganisation.role,
        EventOrganisation.sort_order,
        Organisation.id,
        Organisation.name,
        Organisation.acronym,
        Organisation.translations,
    )
    .join(Organisation, Organisation.id == EventOrganisation.organisation_id)
    .where(EventOrganisation.event_id.in_(bindparam("ids", expanding=True)))
    .order_by(EventOrganisation.event_id, EventOrganisation.sort_order, Organisation.id, EventOrganisation.role)
)


def listed_events(session: Session, statement: Select[Any], parameters: dict[str, Any]) -> list[ListedEvent]:
    """The rows of ``statement`` (which selects ``LIST_COLUMNS``) as ``ListedEvent``s, with their organisations
    (one more query for the whole page, none when it is empty)."""
    connection = session.connection()
    events = [ListedEvent(*row) for row in connection.execute(statement, parameters).all()]
    if events:
        by_id = {event.id: event for event in events}
        for event_id, role, sort_order, *organisation in connection.execute(_LINKS, {"ids": list(by_id)}).all():
            link = OrganisationLink(role, sort_order, ListedOrganisation(*organisation))
            by_id[event_id].organisation_links.append(link)
    return events


def with_details(statement: Select[Any]) -> Select[Any]:
    """Eager-load everything an event's full text shows (feeds, e-mail): organisations, people and tags,
    one extra query per relation for all the events, not one per event."""
    return statement.options(
        selectinload(Event.organisation_links).joinedload(EventOrganisation.organisation, innerjoin=True),
        selectinload(Event.tag_links),
        selectinload(Event.person_links).selectinload(EventPerson.person).selectinload(Person.organisation),
    )


def page_parameters(statement: Select[Any]) -> Select[Any]:
    """``LIMIT :page_limit OFFSET :page_offset``, so that one statement object serves every page."""
    return statement.limit(bindparam("page_limit", type_=Integer)).offset(bindparam("page_offset", type_=Integer))
