"""Scheduling clashes: a participant of an event already at another event whose time overlaps.

A protocol office must not book a minister into two places at once. Two events of one person clash when:

- both are timed, and their UTC intervals overlap (Geneva in Europe/Zurich and Skopje in Europe/Skopje compare
  as instants, whatever their wall clocks say);
- both are all-day, and their date ranges (``start_date``..``end_date``, both inclusive) share a day;
- one is all-day, and the timed one's local days — read in the timed event's own zone, from the day it starts
  to the day of its last instant — meet the all-day event's days (a meeting in Geneva on 15 November clashes
  with a Skopje conference on 15–16 November, even though the conference's days begin an hour earlier).

Intervals are half-open: a meeting ending at 12:00 and the next one starting at 12:00 do not clash, and a timed
event ending at local midnight does not reach into the next day. Cancelled and postponed events clash with
nothing; deleted ones are not looked at. People not yet stored (no id) have no other events to clash with.

The database is asked only for links of the event's people to live events within a window around the event,
widened by ``ZONE_SLACK`` so that all-day days in any zone are covered (``start_dt`` bounded on both sides, the
lower bound less the longest event, as the calendar does); the exact rule then runs in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, select
from sqlmodel import Session

from tracker.models import Event, EventPerson, EventStatus, Person
from tracker.services.calendar_queries import lower_bound
from tracker.timezones import utc_to_local

#: Statuses of events that occupy nobody.
NOT_HAPPENING = frozenset({EventStatus.CANCELLED.value, EventStatus.POSTPONED.value})
#: Zone offsets lie within UTC−12..UTC+14, so local days of two zones differ by at most 26 hours from UTC ones.
ZONE_SLACK = timedelta(hours=27)
#: At most this many (person, event) links are read: a bound on the work, far beyond any real agenda.
MAX_LINKS = 500
#: At most this many clashes are returned.
MAX_CLASHES = 50


@dataclass(frozen=True)
class Clash:
    """``person`` is also at ``other`` at an overlapping time."""

    person: Person
    other: Event


def local_days(event: Event) -> tuple[date, date]:
    """The event's first and last day: its dates if all-day, else the local days of its instants in its zone."""
    if event.all_day and event.start_date is not None and event.end_date is not None:
        return event.start_date, event.end_date
    first = utc_to_local(event.start_dt, event.timezone).date()
    last = utc_to_local(event.end_dt - timedelta(microseconds=1), event.timezone).date()
    return first, max(first, last)


def overlap(first: Event, second: Event) -> bool:
    """Whether two events occupy the same time under the rules of this module's docstring."""
    if first.all_day or second.all_day:
        first_start, first_end = local_days(first)
        second_start, second_end = local_days(second)
        return first_start <= second_end and second_start <= first_end
    return first.start_dt < second.end_dt and second.start_dt < first.end_dt


def _stored_people(event: Event) -> dict[int, Person]:
    """The event's participants that have an id, by id (new people, not yet flushed, are left out)."""
    people: dict[int, Person] = {}
    for link in event.person_links:
        person = link.person
        person_id = person.id if person is not None else link.person_id
        if person is not None and person_id is not None:
            people[person_id] = person
    return people


def _window(event: Event) -> tuple[datetime, datetime]:
    return event.start_dt - ZONE_SLACK, event.end_dt + ZONE_SLACK


def participant_clashes(session: Session, event: Event, *, limit: int = MAX_CLASHES) -> list[Clash]:
    """Every (participant, other live event) pair whose times overlap ``event``'s, soonest first.

    Safe to call inside the saving transaction before commit: ``event`` may be unflushed or have new people.
    """
    if event.status in NOT_HAPPENING:
        return []
    people = _stored_people(event)
    if not people:
        return []
    window_start, window_end = _window(event)
    earliest = bindparam("earliest", window_start, type_=Event.start_dt.type)
    statement = (
        select(EventPerson.person_id, Event)
        .join(Event, Event.id == EventPerson.event_id)
        .where(
            EventPerson.person_id.in_(sorted(people)),  # type: ignore[attr-defined]
            Event.deleted_dt.is_(None),  # type: ignore[union-attr]
            Event.status.not_in(sorted(NOT_HAPPENING)),  # type: ignore[attr-defined]
            Event.start_dt < window_end,
            Event.end_dt > earliest,
            Event.start_dt >= lower_bound(session.get_bind().dialect.name, earliest),
        )
        .order_by(Event.start_dt, Event.id, EventPerson.person_id)
        .limit(MAX_LINKS)
    )
    if event.id is not None:
        statement = statement.where(Event.id != event.id)
    with session.no_autoflush:
        rows = session.execute(statement).all()
    clashes = [Clash(person=people[person_id], other=other) for person_id, other in rows if overlap(event, other)]
    return clashes[:limit]


def clashes_for_page(session: Session, event: Event) -> list[Clash]:
    """The clashes an editor sees on the event page: none for a deleted event, else ``participant_clashes``."""
    if event.deleted_dt is not None:
        return []
    return participant_clashes(session, event)
