"""Merging two directory entries into one, and deleting an entry no event uses.

A merge moves every event link of the entry that goes (the loser) to the one that stays (the survivor), as a
change of each event through ``tracker.services.events``: the event's revision goes up (so the feeds' stored
blocks of the old revision are stale and are written again), its history records the organisations or people
before and after, and the change listeners run. A person of a merged organisation moves with it. The loser's
name, acronym and aliases become aliases of the survivor (up to ``MAX_ALIASES``), so what found the loser
finds the survivor, and empty fields of the survivor take the loser's values. Then the loser is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.i18n import gettext as _
from tracker.i18n import ngettext
from tracker.models import (
    Event,
    EventOrganisation,
    EventPerson,
    Organisation,
    OrganisationAlias,
    OrganisationKind,
    Person,
    PersonAlias,
    User,
)
from tracker.services import events as event_service
from tracker.services import revisions
from tracker.validation import MAX_ALIASES


class DirectoryError(ValueError):
    """A merge or delete that cannot be done; ``message`` says why, for the editor."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class MergePlan:
    """What merging ``loser`` into ``survivor`` moves: shown before the merge, returned after it."""

    loser: Any
    survivor: Any
    events: list[Event] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    #: The loser's names that become the survivor's aliases, and those that do not fit (``MAX_ALIASES``).
    aliases: list[str] = field(default_factory=list)
    dropped_aliases: list[str] = field(default_factory=list)


def _entries(session: Session, model: Any, loser_id: int, survivor_id: int, what: str) -> tuple[Any, Any]:
    if loser_id == survivor_id:
        if what == "organisation":
            raise DirectoryError(_("Choose another organisation to merge into: an entry cannot be merged into itself."))
        raise DirectoryError(_("Choose another person to merge into: an entry cannot be merged into itself."))
    loser, survivor = session.get(model, loser_id), session.get(model, survivor_id)
    if loser is None or survivor is None:
        raise LookupError(loser_id if loser is None else survivor_id)
    return loser, survivor


def _linked_events(session: Session, link: Any, column: Any, entry_id: int) -> list[Event]:
    """Every event linked to the entry, deleted ones (tombstones) included, by start."""
    ids = select(link.event_id).where(column == entry_id)
    return list(session.exec(select(Event).where(Event.id.in_(ids)).order_by(Event.start_dt, Event.id)).scalars())  # type: ignore[union-attr,attr-defined]


def _new_aliases(loser_names: list[str | None], survivor: Any, own: list[str | None]) -> tuple[list[str], list[str]]:
    """The loser's names the survivor does not have yet: those that fit under ``MAX_ALIASES``, and the rest."""
    known = {name.lower() for name in [*own, *(alias.name for alias in survivor.aliases)] if name}
    added: list[str] = []
    for name in loser_names:
        if name and name.lower() not in known:
            known.add(name.lower())
            added.append(name)
    room = max(MAX_ALIASES - len(survivor.aliases), 0)
    return added[:room], added[room:]


def plan_organisation_merge(session: Session, loser_id: int, survivor_id: int) -> MergePlan:
    """What merging organisation ``loser_id`` into ``survivor_id`` would move (``LookupError`` if one is gone)."""
    loser, survivor = _entries(session, Organisation, loser_id, survivor_id, "organisation")
    acronym = None if survivor.acronym is None else loser.acronym  # taken over when the survivor has none
    names = [loser.name, acronym, *(alias.name for alias in loser.aliases)]
    aliases, dropped = _new_aliases(names, survivor, [survivor.name, survivor.acronym or loser.acronym])
    people = list(
        session.exec(select(Person).where(Person.organisation_id == loser.id).order_by(Person.name)).scalars()
    )
    events = _linked_events(session, EventOrganisation, EventOrganisation.organisation_id, loser.id)
    return MergePlan(loser, survivor, events, people, aliases, dropped)


def plan_person_merge(session: Session, loser_id: int, survivor_id: int) -> MergePlan:
    """What merging person ``loser_id`` into ``survivor_id`` would move."""
    loser, survivor = _entries(session, Person, loser_id, survivor_id, "person")
    aliases, dropped = _new_aliases([loser.name, *(alias.name for alias in loser.aliases)], survivor, [survivor.name])
    events = _linked_events(session, EventPerson, EventPerson.person_id, loser.id)
    return MergePlan(loser, survivor, events, [], aliases, dropped)


def _move_links(session: Session, event: Event, plan: MergePlan, user: User | None, now: datetime) -> None:
    """Relink one event from the loser to the survivor as a change of the event (revision, history, feeds)."""
    event = event_service.load_event(session, event.id, include_deleted=True)  # type: ignore[arg-type]
    before = revisions.snapshot(event)
    with session.no_autoflush:
        if isinstance(plan.loser, Organisation):
            organisation_links: list[EventOrganisation] = []
            seen: set[tuple[int, str]] = set()
            for link in sorted(event.organisation_links, key=revisions.by_order):
                organisation = plan.survivor if link.organisation_id == plan.loser.id else link.organisation
                if (organisation.id, link.role) not in seen:
                    seen.add((organisation.id, link.role))
                    organisation_links.append(
                        EventOrganisation(organisation=organisation, role=link.role, sort_order=link.sort_order)
                    )
            event.organisation_links = organisation_links
        else:
            person_links: list[EventPerson] = []
            for link in sorted(event.person_links, key=revisions.by_order):
                person = plan.survivor if link.person_id == plan.loser.id else link.person
                if all(kept.person is not person for kept in person_links):
                    person_links.append(EventPerson(person=person, sort_order=link.sort_order))
            event.person_links = person_links
    change = event_service.EventChange(event, "updated", revisions.diff(before, revisions.snapshot(event)), now)
    if change.changes:
        event_service.finish_change(session, event, change, None, user)  # the events service's one way to save


def _take_over(survivor: Any, loser: Any, fields: dict[str, Any]) -> None:
    """Fill the survivor's empty fields (those at their empty value in ``fields``) with the loser's values."""
    for name, empty in fields.items():
        if getattr(survivor, name) == empty and getattr(loser, name) != empty:
            setattr(survivor, name, getattr(loser, name))


def merge_organisations(
    session: Session, loser_id: int, survivor_id: int, user: User | None, now: datetime
) -> MergePlan:
    """Merge organisation ``loser_id`` into ``survivor_id`` (see the module docstring); the caller commits."""
    plan = plan_organisation_merge(session, loser_id, survivor_id)
    loser, survivor = plan.loser, plan.survivor
    for event in plan.events:
        _move_links(session, event, plan, user, now)
    for person in plan.people:
        person.organisation_id = survivor.id
        person.updated_dt = now
    _take_over(survivor, loser, {"acronym": None, "country": None, "website": None})
    _take_over(survivor, loser, {"kind": OrganisationKind.OTHER.value})
    survivor.aliases.extend(OrganisationAlias(name=name) for name in plan.aliases)
    survivor.updated_dt = now
    _remove(session, loser)
    return plan


def merge_people(session: Session, loser_id: int, survivor_id: int, user: User | None, now: datetime) -> MergePlan:
    """Merge person ``loser_id`` into ``survivor_id`` (see the module docstring); the caller commits."""
    plan = plan_person_merge(session, loser_id, survivor_id)
    loser, survivor = plan.loser, plan.survivor
    for event in plan.events:
        _move_links(session, event, plan, user, now)
    _take_over(survivor, loser, {"position": "", "organisation_id": None})
    survivor.aliases.extend(PersonAlias(name=name) for name in plan.aliases)
    survivor.updated_dt = now
    _remove(session, loser)
    return plan


def _remove(session: Session, loser: Any) -> None:
    """Delete the merged entry once its links are stored on the survivor (expired first: its link lists are stale)."""
    session.flush()
    session.expire(loser)
    session.delete(loser)
    session.flush()


def _count(session: Session, statement: Any) -> int:
    return int(session.exec(statement).scalar() or 0)


def organisation_usage(session: Session, organisation_id: int) -> tuple[int, int]:
    """(events, people) that use the organisation; deleted events count, since they may be restored."""
    events = select(func.count(func.distinct(EventOrganisation.event_id))).where(
        EventOrganisation.organisation_id == organisation_id
    )
    people = select(func.count()).select_from(Person).where(Person.organisation_id == organisation_id)
    return _count(session, events), _count(session, people)


def person_usage(session: Session, person_id: int) -> int:
    """How many events (deleted ones included) the person takes part in."""
    return _count(session, select(func.count()).select_from(EventPerson).where(EventPerson.person_id == person_id))


def delete_organisation(session: Session, organisation_id: int) -> Organisation:
    """Delete an organisation no event and no person uses; ``DirectoryError`` saying what uses it otherwise."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise LookupError(organisation_id)
    events, people = organisation_usage(session, organisation_id)
    if events or people:
        raise DirectoryError(_organisation_in_use(organisation.name, events, people))
    session.delete(organisation)
    session.flush()
    return organisation


def delete_person(session: Session, person_id: int) -> Person:
    """Delete a person no event uses; ``DirectoryError`` saying how many events do otherwise."""
    person = session.get(Person, person_id)
    if person is None:
        raise LookupError(person_id)
    if events := person_usage(session, person_id):
        message = ngettext(
            "%(name)s cannot be deleted: %(num)d event uses this person. Merge the entry into another person instead.",
            "%(name)s cannot be deleted: %(num)d events use this person. Merge the entry into another person instead.",
            events, name=person.name,
        )  # fmt: skip
        raise DirectoryError(message)
    session.delete(person)
    session.flush()
    return person


def _organisation_in_use(name: str, events: int, people: int) -> str:
    """Why organisation ``name`` cannot be deleted: the events that use it, the people who belong to it."""
    if not people:
        return ngettext(
            "%(name)s cannot be deleted: %(num)d event uses it. Merge it into another organisation instead.",
            "%(name)s cannot be deleted: %(num)d events use it. Merge it into another organisation instead.",
            events, name=name,
        )  # fmt: skip
    if not events:
        return ngettext(
            "%(name)s cannot be deleted: %(num)d person belongs to it. Merge it into another organisation instead.",
            "%(name)s cannot be deleted: %(num)d people belong to it. Merge it into another organisation instead.",
            people, name=name,
        )  # fmt: skip
    return _(
        "%(name)s cannot be deleted: %(events)s and %(people)s. Merge it into another organisation instead.",
        name=name,
        events=ngettext("%(num)d event uses it", "%(num)d events use it", events),
        people=ngettext("%(num)d person belongs to it", "%(num)d people belong to it", people),
    )
