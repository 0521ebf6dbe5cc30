"""Organisations and people: the directory that events link to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlmodel import Session

from tracker.lookup import find_organisation
from tracker.matching import same_name
from tracker.models import Organisation, Person
from tracker.validation import InputError, OrganisationInput, PersonInput


def list_organisations(session: Session) -> list[Organisation]:
    """Every organisation, by name ignoring case (directory pages and the editor's suggestions)."""
    statement = select(Organisation).order_by(func.lower(Organisation.name))
    return list(session.exec(statement).scalars())


def list_people(session: Session) -> list[Person]:
    """Every person with their organisation, by name ignoring case."""
    statement = select(Person).options(selectinload(Person.organisation)).order_by(func.lower(Person.name))
    return list(session.exec(statement).scalars())


def _taken(session: Session, column: Any, value: str, organisation_id: int | None) -> bool:
    """Whether another organisation than ``organisation_id`` has ``value`` in ``column``, ignoring case."""
    statement = select(Organisation.id).where(func.lower(column) == value.lower())
    if organisation_id is not None:
        statement = statement.where(Organisation.id != organisation_id)
    return session.exec(statement.limit(1)).first() is not None


def _check_unique(session: Session, data: OrganisationInput, organisation_id: int | None) -> None:
    errors: dict[str, str] = {}
    if _taken(session, Organisation.name, data.name, organisation_id):
        errors["name"] = "Another organisation already has this name."
    if data.acronym and _taken(session, Organisation.acronym, data.acronym, organisation_id):
        errors["acronym"] = "Another organisation already uses this acronym (filters find organisations by it)."
    if errors:
        raise InputError(errors)


def save_organisation(
    session: Session, organisation: Organisation | None, data: OrganisationInput, now: datetime
) -> Organisation:
    _check_unique(session, data, organisation.id if organisation else None)
    if organisation is None:
        organisation = Organisation(name=data.name, created_dt=now)
    organisation.name = data.name
    organisation.acronym = data.acronym
    organisation.kind = data.kind
    organisation.country = data.country
    organisation.website = data.website
    organisation.updated_dt = now
    session.add(organisation)
    session.flush()
    return organisation


def save_person(session: Session, person: Person | None, data: PersonInput, now: datetime) -> Person:
    organisation = None
    if data.organisation:
        organisation = find_organisation(session, data.organisation)
        if organisation is None:
            raise InputError({"organisation": "No such organisation; add it under Organisations first."})
    if person is None:
        person = Person(name=data.name, created_dt=now)
    person.name = data.name
    person.position = data.position
    person.organisation_id = organisation.id if organisation else None
    person.updated_dt = now
    session.add(person)
    session.flush()
    return person


def close_organisations(
    session: Session, name: str, *, limit: int = 5, exclude_ids: Iterable[int] = ()
) -> list[Organisation]:
    """Organisations an editor typing ``name`` probably means, best first (for "did you mean …?")."""
    excluded = set(exclude_ids)
    found = [
        organisation
        for organisation in list_organisations(session)
        if organisation.id not in excluded
        and any(same_name(name, known) for known in (organisation.name, organisation.acronym or ""))
    ]
    return found[:limit]


def close_people(session: Session, name: str, *, limit: int = 5, exclude_ids: Iterable[int] = ()) -> list[Person]:
    """People an editor typing ``name`` (or "Name, position") probably means, best first."""
    excluded = set(exclude_ids)
    typed = name.split(",", 1)[0]
    found = [person for person in list_people(session) if person.id not in excluded and same_name(typed, person.name)]
    return found[:limit]
