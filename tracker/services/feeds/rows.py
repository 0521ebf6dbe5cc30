"""What the VEVENTs of many events show, loaded as plain column rows (``tracker.ical.EventData``).

Four queries (events, their organisation and person links, their tags) plus the few directory entries they
name; no ORM object per event, so nothing per event lands in the session's identity map. The labels come
from ``tracker.organisation_names`` (in the blocks' language) and the people's own ``label``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlmodel import Session

from tracker.ical import EVENT_COLUMNS, EventData
from tracker.models import Event, EventOrganisation, EventPerson, EventTag, Organisation, Person
from tracker.organisation_names import local_label, local_short


def _among(column: Any, ids: set[int]) -> ColumnElement[bool]:
    """``column`` in ``ids``: as one range when the ids are dense (a first build's chunks), which costs two
    parameters instead of hundreds (on PostgreSQL, rendering and parsing those took longer than the query);
    callers drop the rows of ids in the range that they did not ask for."""
    low, high = min(ids), max(ids)
    return column.between(low, high) if high - low < 2 * len(ids) else column.in_(ids)  # type: ignore[no-any-return]


def _link_rows(session: Session, wanted: set[int]) -> tuple[list[Any], list[Any], list[Any]]:
    """The organisation links, person links and tags of these events, in the events' own order."""
    organisation_links = session.execute(
        select(EventOrganisation.event_id, EventOrganisation.role, EventOrganisation.organisation_id)
        .where(_among(EventOrganisation.event_id, wanted))
        .order_by(EventOrganisation.event_id, EventOrganisation.sort_order, EventOrganisation.organisation_id,
                  EventOrganisation.role)
    ).all()  # fmt: skip
    person_links = session.execute(
        select(EventPerson.event_id, EventPerson.person_id)
        .where(_among(EventPerson.event_id, wanted))
        .order_by(EventPerson.event_id, EventPerson.sort_order, EventPerson.person_id)
    ).all()
    tags = session.execute(select(EventTag.event_id, EventTag.tag).where(_among(EventTag.event_id, wanted))).all()
    return (
        [row for row in organisation_links if row.event_id in wanted],
        [row for row in person_links if row.event_id in wanted],
        list(tags),
    )


def _directory(
    session: Session, organisation_links: list[Any], person_links: list[Any]
) -> tuple[dict[int, Organisation], dict[int, Person]]:
    """The organisations and people these links name (and the organisations of those people), by id."""
    people: dict[int, Person] = {}
    if person_links:
        wanted_people = {person_id for _event_id, person_id in person_links}
        loaded_people = session.scalars(select(Person).where(Person.id.in_(wanted_people)))  # type: ignore[union-attr]
        people = {person.id: person for person in loaded_people}  # type: ignore[misc]
    wanted = {row[2] for row in organisation_links} | {p.organisation_id for p in people.values() if p.organisation_id}
    organisations: dict[int, Organisation] = {}
    if wanted:
        loaded = session.scalars(select(Organisation).where(Organisation.id.in_(wanted)))  # type: ignore[union-attr]
        organisations = {organisation.id: organisation for organisation in loaded}  # type: ignore[misc]
    return organisations, people


def load_event_data(session: Session, event_ids: Sequence[int], language: str | None = None) -> list[EventData]:
    """What the VEVENTs of these events show, from plain column selects (in no particular order); organisations
    named in ``language`` (None: the current one)."""
    wanted_events = set(event_ids)
    if not wanted_events:
        return []
    columns = [getattr(Event, name) for name in EVENT_COLUMNS]
    events = session.execute(select(*columns).where(_among(Event.id, wanted_events))).all()
    organisation_links, person_links, tag_rows = _link_rows(session, wanted_events)
    organisations, people = _directory(session, organisation_links, person_links)
    by_event_organisations: dict[int, list[tuple[str, str]]] = {}
    for event_id, role, organisation_id in organisation_links:
        label = local_label(organisations[organisation_id], language)
        by_event_organisations.setdefault(event_id, []).append((role, label))
    by_event_people: dict[int, list[tuple[str, str | None]]] = {}
    for event_id, person_id in person_links:
        person = people[person_id]
        organisation = organisations.get(person.organisation_id) if person.organisation_id else None
        by_event_people.setdefault(event_id, []).append(
            (person.label, local_short(organisation, language) if organisation is not None else None)
        )
    by_event_tags: dict[int, list[str]] = {}
    for event_id, tag in tag_rows:
        by_event_tags.setdefault(event_id, []).append(tag)
    return [
        EventData(
            *row,
            organisations=tuple(by_event_organisations.get(row.id, ())),
            people=tuple(by_event_people.get(row.id, ())),
            tags=tuple(sorted(by_event_tags.get(row.id, ()))),
        )
        for row in events
        if row.id in wanted_events
    ]
