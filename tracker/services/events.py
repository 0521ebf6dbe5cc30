"""Creating, editing, re-scheduling and deleting events, with revision history and conflict detection.

Every saved change bumps ``revision`` (the editor's optimistic lock) and writes an ``EventRevision`` with
the old and new value of each changed field (``tracker.services.revisions``). A change of time, place or
status also bumps ``sequence`` (iCalendar SEQUENCE), so subscribed calendars replace their copy. Deleting
keeps a tombstone, so feeds can announce the cancellation, and ``restore_event`` can undo it.

Other parts of the app react to changes inside the same transaction through ``on_event_change``
(reminders re-plan there), so a moved event never leaves stale reminders behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from sqlmodel import Session

from tracker.i18n import gettext as _
from tracker.lookup import find_organisation, find_person
from tracker.models import (
    Event,
    EventOrganisation,
    EventPerson,
    EventStatus,
    EventTag,
    Organisation,
    OrganisationKind,
    Person,
    User,
)
from tracker.services import revisions
from tracker.services.event_values import apply_texts
from tracker.services.event_values import event_input_from as event_input_from  # callers import it from here
from tracker.timezones import all_day_bounds, local_to_utc
from tracker.validation import EventInput, InputError

#: Fields whose change means "the event moved, or its status changed": iCalendar SEQUENCE goes up.
SCHEDULING_FIELDS = frozenset(
    {"all_day", "timezone", "start_dt", "end_dt", "start_date", "end_date", "venue", "city", "country", "status"}
)


class EventNotFound(LookupError):
    pass


class EditConflict(RuntimeError):
    """Someone else saved the event after the editor opened it; ``current`` is what is stored now, ``changed_by``
    who saved it (for the editor's page: ``tracker.views.event_actions.lost_race`` says it in a sentence)."""

    def __init__(self, current: Event) -> None:
        self.current = current
        self.changed_by = current.updated_by.display_name if current.updated_by else _("another editor")
        super().__init__(f"event {current.id} was changed by {self.changed_by}")


@dataclass
class EventChange:
    """What one save did to an event; passed to ``on_event_change`` listeners."""

    event: Event
    action: str  # created | updated | deleted | restored
    changes: dict[str, list[Any]]
    now: datetime
    created_organisations: list[Organisation] = field(default_factory=list)
    created_people: list[Person] = field(default_factory=list)

    @property
    def rescheduled(self) -> bool:
        return bool(SCHEDULING_FIELDS & self.changes.keys())


EventChangeListener = Callable[[Session, EventChange], None]
_listeners: list[EventChangeListener] = []


def on_event_change(listener: EventChangeListener) -> EventChangeListener:
    """Register ``listener(session, change)``, called in the saving transaction after each change."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def _notify(session: Session, change: EventChange) -> None:
    for listener in list(_listeners):
        listener(session, change)


def load_event(session: Session, event_id: int, *, include_deleted: bool = False) -> Event:
    """An event with its organisations, people and tags loaded; ``EventNotFound`` otherwise."""
    statement = (
        select(Event)
        .where(Event.id == event_id)
        .options(
            selectinload(Event.organisation_links).selectinload(EventOrganisation.organisation),
            selectinload(Event.person_links).selectinload(EventPerson.person).selectinload(Person.organisation),
            selectinload(Event.tag_links),
            selectinload(Event.updated_by),
        )
        .execution_options(populate_existing=True)
    )
    event = session.exec(statement).scalar_one_or_none()
    if event is None or (event.deleted_dt is not None and not include_deleted):
        raise EventNotFound(event_id)
    return event


def _apply(session: Session, event: Event, data: EventInput, change: EventChange) -> None:
    """Copy validated input onto the event, resolving or creating organisations and people."""
    event.title = data.title
    event.kind = data.kind
    event.status = data.status
    if data.status != EventStatus.CANCELLED.value:
        event.cancel_reason = ""  # a reason belongs to one cancellation; a later one asks again
    event.visibility = data.visibility
    event.all_day = data.all_day
    event.timezone = data.timezone
    event.venue = data.venue
    event.city = data.city
    event.country = data.country
    event.description = data.description
    event.source_url = data.source_url
    event.source_citation = data.source_citation
    apply_texts(event, data)
    _apply_times(event, data)
    event.tag_links = [EventTag(tag=tag) for tag in data.tags]
    event.organisation_links = _organisation_links(session, data, change)
    event.person_links = _person_links(session, data, change)


def _apply_times(event: Event, data: EventInput) -> None:
    """Start and end as stored: local dates for all-day events, UTC instants for timed ones."""
    assert data.start_date is not None and data.end_date is not None  # guaranteed by EventInput
    if data.all_day:
        event.start_date, event.end_date = data.start_date, data.end_date
        event.start_dt, event.end_dt = all_day_bounds(data.start_date, data.end_date, data.timezone)
        return
    assert data.start_time is not None and data.end_time is not None
    errors: dict[str, str] = {}
    try:
        event.start_dt = local_to_utc(data.start_date, data.start_time, data.timezone)
    except ValueError as exc:
        errors["start_time"] = f"{exc}."
    try:
        event.end_dt = local_to_utc(data.end_date, data.end_time, data.timezone)
    except ValueError as exc:
        errors["end_time"] = f"{exc}."
    if not errors and event.end_dt <= event.start_dt:
        errors["end_time"] = _("The event must end after it starts (check the time zone change).")
    if errors:
        raise InputError(errors)
    event.start_date = event.end_date = None


def _organisation_links(session: Session, data: EventInput, change: EventChange) -> list[EventOrganisation]:
    """Links in form order; a name no organisation answers to (``tracker.lookup``) creates one."""
    links: list[EventOrganisation] = []
    seen: set[tuple[int, str]] = set()  # (object identity, role): new organisations have no id yet
    for order, link in enumerate(data.organisations):
        organisation = find_organisation(session, link.name)
        if organisation is None:
            organisation = next((new for new in change.created_organisations if new.name == link.name), None)
        if organisation is None:
            organisation = Organisation(name=link.name, kind=OrganisationKind.OTHER.value)
            session.add(organisation)
            change.created_organisations.append(organisation)
        key = (id(organisation), link.role)
        if key in seen:
            continue
        seen.add(key)
        links.append(EventOrganisation(organisation=organisation, role=link.role, sort_order=order))
    return links


def _person_links(session: Session, data: EventInput, change: EventChange) -> list[EventPerson]:
    """Links in form order; ``Name, position`` that names nobody creates that person."""
    links: list[EventPerson] = []
    seen: set[int] = set()
    for order, name in enumerate(data.people):
        person = find_person(session, name)
        if person is None:
            person_name, _, position = name.partition(",")
            person = Person(name=person_name.strip(), position=position.strip())
            session.add(person)
            change.created_people.append(person)
        if id(person) in seen:
            continue
        seen.add(id(person))
        links.append(EventPerson(person=person, sort_order=order))
    return links


def create_event(
    session: Session, data: EventInput, user: User | None, now: datetime, uid: str | None = None
) -> EventChange:
    """Store a new event; returns the change (with any organisations or people created on the way)."""
    event = Event(
        title=data.title,
        timezone=data.timezone,
        start_dt=now,
        end_dt=now,
        created_dt=now,
        updated_dt=now,
        created_by_id=user.id if user else None,
        updated_by_id=user.id if user else None,
    )
    if uid:
        event.uid = uid
    change = EventChange(event=event, action="created", changes={}, now=now)
    with session.no_autoflush:
        _apply(session, event, data, change)
    session.add(event)
    session.flush()
    after = revisions.snapshot(event)
    change.changes = {name: [None, value] for name, value in after.items() if value not in (None, "", [], False)}
    revisions.record(session, event, change.action, change.changes, user, change.now)
    _notify(session, change)
    session.flush()
    return change


def _claim_revision(session: Session, event: Event, expected_revision: int | None) -> None:
    """Atomically move the stored revision from ``expected_revision`` to the next; conflict otherwise."""
    expected = event.revision if expected_revision is None else expected_revision
    result = session.execute(
        update(Event)
        .where(Event.id == event.id, Event.revision == expected)
        .values(revision=expected + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise EditConflict(load_event(session, event.id, include_deleted=True))  # type: ignore[arg-type]
    event.revision = expected + 1


def update_event(
    session: Session,
    event_id: int,
    data: EventInput,
    expected_revision: int | None,
    user: User | None,
    now: datetime,
    *,
    in_batch: bool = False,
) -> EventChange:
    """Save an edit made on top of ``expected_revision``; raises ``EditConflict`` if someone saved since.

    An edit that changes nothing ends the transaction (no lock kept for nothing), unless ``in_batch`` (imports).
    """
    event = load_event(session, event_id)
    before = revisions.snapshot(event)
    change = EventChange(event=event, action="updated", changes={}, now=now)
    with session.no_autoflush:
        _apply(session, event, data, change)
    change.changes = revisions.diff(before, revisions.snapshot(event))
    if not change.changes and in_batch:
        return change
    if not change.changes:
        if expected_revision is not None and expected_revision != event.revision:
            session.rollback()
            raise EditConflict(load_event(session, event_id))
        session.rollback()
        change.event = load_event(session, event_id)
        return change
    finish_change(session, event, change, expected_revision, user)
    return change


def set_status(
    session: Session,
    event_id: int,
    status: str,
    expected_revision: int | None,
    user: User | None,
    now: datetime,
    reason: str = "",
) -> EventChange:
    """Confirm, postpone or cancel an event (or make it tentative).

    ``reason`` (already validated, one line) is kept only with a cancellation: the event page, the feeds'
    DESCRIPTION and the change notice say it. Any other status clears it, so a later cancellation does not
    bring back an old reason.
    """
    status = EventStatus(status).value
    reason = reason.strip() if status == EventStatus.CANCELLED.value else ""
    event = load_event(session, event_id)
    change = EventChange(event=event, action="updated", changes={}, now=now)
    if event.status != status:
        change.changes["status"] = [event.status, status]
    if (event.cancel_reason or "") != reason:
        change.changes["cancel_reason"] = [event.cancel_reason or "", reason]
    if change.changes:
        event.status = status
        event.cancel_reason = reason
        finish_change(session, event, change, expected_revision, user)
    return change


def delete_event(
    session: Session, event_id: int, expected_revision: int | None, user: User | None, now: datetime
) -> EventChange:
    """Delete an event, keeping a tombstone that feeds publish as cancelled for a while (``restore_event``
    brings it back)."""
    event = load_event(session, event_id)
    change = EventChange(event=event, action="deleted", changes={"deleted_dt": [None, now.isoformat()]}, now=now)
    event.deleted_dt = now
    finish_change(session, event, change, expected_revision, user, force_sequence=True)
    return change


def restore_event(
    session: Session, event_id: int, expected_revision: int | None, user: User | None, now: datetime
) -> EventChange:
    """Bring a deleted event back from its tombstone, with its organisations, people, tags and history.

    A tombstone keeps every link (deleting only sets ``deleted_dt``): restoring clears that mark, raises the
    revision and SEQUENCE (calendars replace the cancelled copy), records "restored" and lets listeners re-plan
    reminders; feeds carry live events whatever their age. A live event is returned unchanged (no changes).
    """
    event = load_event(session, event_id, include_deleted=True)
    if event.deleted_dt is None:
        return EventChange(event=event, action="restored", changes={}, now=now)
    change = EventChange(
        event=event, action="restored", changes={"deleted_dt": [event.deleted_dt.isoformat(), None]}, now=now
    )
    event.deleted_dt = None
    finish_change(session, event, change, expected_revision, user, force_sequence=True)
    return change


def finish_change(
    session: Session,
    event: Event,
    change: EventChange,
    expected_revision: int | None,
    user: User | None,
    *,
    force_sequence: bool = False,
) -> None:
    """Save ``change`` on ``event``: claim the revision, bump SEQUENCE if it moved, record it, tell listeners.

    The one way any service (edits, status, delete, restore, directory merges) stores a change to an event.
    """
    with session.no_autoflush:
        _claim_revision(session, event, expected_revision)
    if force_sequence or change.rescheduled:
        event.sequence += 1
    event.updated_dt = change.now
    event.updated_by_id = user.id if user else None
    session.add(event)
    session.flush()
    revisions.record(session, event, change.action, change.changes, user, change.now)
    _notify(session, change)
    session.flush()
