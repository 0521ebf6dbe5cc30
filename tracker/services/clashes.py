"""Scheduling clashes: a participant of an event already at another event whose time overlaps.

(First version: timed overlap of instants; the clash work adds all-day events by their local days.)
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import Event, EventPerson, Person


@dataclass(frozen=True)
class Clash:
    """``person`` is also at ``other`` at an overlapping time."""

    person: Person
    other: Event


def participant_clashes(session: Session, event: Event) -> list[Clash]:
    """Every (participant, other live event) pair whose times overlap ``event``'s."""
    person_ids = [link.person_id for link in event.person_links if link.person_id is not None]
    if not person_ids:
        return []
    statement = (
        select(EventPerson.person_id, Event)
        .join(Event, Event.id == EventPerson.event_id)
        .where(
            EventPerson.person_id.in_(person_ids),  # type: ignore[attr-defined]
            Event.deleted_dt.is_(None),  # type: ignore[union-attr]
            Event.start_dt < event.end_dt,
            Event.end_dt > event.start_dt,
        )
        .order_by(Event.start_dt)
    )
    if event.id is not None:
        statement = statement.where(Event.id != event.id)
    people = {link.person_id: link.person for link in event.person_links}
    return [Clash(person=people[person_id], other=other) for person_id, other in session.execute(statement).all()]
