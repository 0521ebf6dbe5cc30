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
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import Event, EventPerson, EventStatus, Person
from tracker.services.calendar_queries import instant_parameter, lower_bound
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
    """The event's first and last day: its dates if all-day, else the local days of its instants in its zone.

    A timed event ending at local midnight ends on the day before (the end instant is not part of it).
    """
    if event.all_day:
        assert event.start_date is not None and event.end_date is not None  # set with all_day by the service
        return event.start_date, event.end_date
    first = utc_to_local(event.start_dt, event.timezone).date()
    end = utc_to_local(event.end_dt, event.timezone)
    last = end.date() - timedelta(days=1) if end.time() == time(0) else end.date()
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
    return {link.person.id: link.person for link in event.person_links if link.person.id is not None}


def _links_near(session: Session, event: Event, person_ids: list[int]) -> list[tuple[int, Event]]:
    """(person id, event) of these people's other live, happening events near ``event``'s time, soonest first."""
    statement = (
        select(EventPerson.person_id, Event)
        .join_from(EventPerson, Event)
        .where(
            EventPerson.person_id.in_(person_ids),  # type: ignore[attr-defined]
            Event.deleted_dt.is_(None),  # type: ignore[union-attr]
            Event.status.not_in(sorted(NOT_HAPPENING)),  # type: ignore[attr-defined]
            Event.start_dt < instant_parameter("latest"),
            Event.end_dt > instant_parameter("earliest"),
            Event.start_dt >= lower_bound(session.get_bind().dialect.name, instant_parameter("earliest")),
        )
        .order_by(Event.start_dt, Event.id, EventPerson.person_id)
        .limit(MAX_LINKS)
    )
    if event.id is not None:
        statement = statement.where(Event.id != event.id)
    window = {"earliest": event.start_dt - ZONE_SLACK, "latest": event.end_dt + ZONE_SLACK}
    with session.no_autoflush:
        return [(person_id, other) for person_id, other in session.execute(statement, window).all()]


def participant_clashes(session: Session, event: Event, *, limit: int = MAX_CLASHES) -> list[Clash]:
    """Every (participant, other live event) pair whose times overlap ``event``'s, soonest first.

    Safe to call inside the saving transaction before commit: ``event`` may be unflushed or have new people.
    """
    if event.status in NOT_HAPPENING:
        return []
    people = _stored_people(event)
    if not people:
        return []
    rows = _links_near(session, event, sorted(people))
    clashes = [Clash(person=people[person_id], other=other) for person_id, other in rows if overlap(event, other)]
    return clashes[:limit]


def clashes_for_page(session: Session, event: Event) -> list[Clash]:
    """The clashes an editor sees on the event page: none for a deleted event, else ``participant_clashes``."""
    if event.deleted_dt is not None:
        return []
    return participant_clashes(session, event)
