"""Organisations and people: the directory that events link to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlmodel import Session

from tracker.models import Organisation, Person
from tracker.services.events import find_organisation
from tracker.validation import InputError, OrganisationInput, PersonInput


def list_organisations(session: Session) -> list[Organisation]:
    statement = select(Organisation).order_by(func.lower(Organisation.name))
    return list(session.exec(statement).scalars())


def list_people(session: Session) -> list[Person]:
    statement = select(Person).options(selectinload(Person.organisation)).order_by(func.lower(Person.name))
    return list(session.exec(statement).scalars())


def _check_unique(session: Session, data: OrganisationInput, organisation_id: int | None) -> None:
    errors: dict[str, str] = {}
    same_name = session.exec(
        select(Organisation.id).where(func.lower(Organisation.name) == data.name.lower())
    ).scalar_one_or_none()
    if same_name is not None and same_name != organisation_id:
        errors["name"] = "Another organisation already has this name."
    if data.acronym:
        same_acronym = session.exec(
            select(Organisation.id).where(func.lower(Organisation.acronym) == data.acronym.lower())
        ).scalar_one_or_none()
        if same_acronym is not None and same_acronym != organisation_id:
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
