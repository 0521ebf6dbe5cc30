"""Organisations and people: the directory that events link to, their aliases, and the entries close to a name.

Which spellings name the same entry, and how close two names are, is ``tracker.matching``'s rule; finding the
one entry a name names is ``tracker.lookup``'s. Merging and deleting entries is ``tracker.services.merging``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlmodel import Session

from tracker.extraction.organisations import KnownOrganisation
from tracker.i18n import gettext as _
from tracker.lookup import find_organisation
from tracker.matching import DirectoryIndex, Entry, directory_index, name_keys, names_of
from tracker.models import Organisation, OrganisationAlias, Person, PersonAlias
from tracker.organisation_names import encode_names
from tracker.validation import InputError, OrganisationInput, PersonInput

#: Names the editor's suggestions offer for one typed name.
SUGGESTIONS = 10


def list_organisations(session: Session) -> list[Organisation]:
    """Every organisation with its aliases, by name ignoring case (directory pages and the editor's lists)."""
    statement = select(Organisation).options(selectinload(Organisation.aliases)).order_by(func.lower(Organisation.name))
    return list(session.exec(statement).scalars())


def list_people(session: Session) -> list[Person]:
    """Every person with their organisation and aliases, by name ignoring case."""
    statement = (
        select(Person)
        .options(selectinload(Person.organisation), selectinload(Person.aliases))
        .order_by(func.lower(Person.name))
    )
    return list(session.exec(statement).scalars())


def _taken(session: Session, column: Any, value: str, organisation_id: int | None) -> bool:
    """Whether another organisation than ``organisation_id`` has ``value`` in ``column``, ignoring case."""
    statement = select(Organisation.id).where(func.lower(column) == value.lower())
    if organisation_id is not None:
        statement = statement.where(Organisation.id != organisation_id)
    return session.exec(statement.limit(1)).first() is not None


def _alias_owner(session: Session, name: str, organisation_id: int | None) -> int | None:
    """The other organisation that has ``name`` as an alias, ignoring case."""
    statement = select(OrganisationAlias.organisation_id).where(func.lower(OrganisationAlias.name) == name.lower())
    if organisation_id is not None:
        statement = statement.where(OrganisationAlias.organisation_id != organisation_id)
    return session.exec(statement.limit(1)).scalar()  # type: ignore[call-overload,no-any-return]


def _check_unique(session: Session, data: OrganisationInput, organisation_id: int | None) -> None:
    errors: dict[str, str] = {}
    if _taken(session, Organisation.name, data.name, organisation_id):
        errors["name"] = _("Another organisation already has this name.")
    elif _alias_owner(session, data.name, organisation_id) is not None:
        errors["name"] = _("Another organisation is known by this name (an alias); merge the two instead.")
    if data.acronym and _taken(session, Organisation.acronym, data.acronym, organisation_id):
        errors["acronym"] = _("Another organisation already uses this acronym (filters find organisations by it).")
    if message := _organisation_alias_error(session, data, organisation_id):
        errors["aliases"] = message
    if errors:
        raise InputError(errors)


def _own_forms(*names: str | None) -> set[str]:
    return {name.lower() for name in names if name}


def _organisation_alias_error(session: Session, data: OrganisationInput, organisation_id: int | None) -> str:
    """Why an alias cannot be given (it names another organisation), or ""."""
    others = session.execute(select(Organisation.id, Organisation.name, Organisation.acronym)).all()
    others = [row for row in others if row[0] != organisation_id]
    for alias in data.aliases:
        if alias.lower() in _own_forms(data.name, data.acronym):
            continue
        keys = name_keys(alias)
        for _other_id, name, acronym in others:
            if alias.lower() in _own_forms(name, acronym) or keys & names_of(name).keys:
                return _(
                    "The alias “%(alias)s” names another organisation, %(name)s; merge the two instead.",
                    alias=alias,
                    name=name,
                )
        if (owner := _alias_owner(session, alias, organisation_id)) is not None:
            other = session.get(Organisation, owner)
            if other is None:
                return _("The alias “%(alias)s” is already an alias of another organisation.", alias=alias)
            return _("The alias “%(alias)s” is already an alias of %(name)s.", alias=alias, name=other.name)
    return ""


def _person_alias_error(session: Session, data: PersonInput, person_id: int | None) -> str:
    """Why an alias cannot be given (it is another person's name or alias), or ""."""
    rows = session.execute(select(Person.id, Person.name)).all()
    rows += session.execute(select(PersonAlias.person_id, PersonAlias.name)).all()
    for alias in data.aliases:
        if alias.lower() == data.name.lower():
            continue
        for other_id, name in rows:
            if other_id != person_id and name.lower() == alias.lower():
                other = session.get(Person, other_id)
                if other is None:
                    return _("The alias “%(alias)s” is already used for another person.", alias=alias)
                return _("The alias “%(alias)s” is already used for %(name)s.", alias=alias, name=other.name)
    return ""


def _aliases_of(entry: Any, own: set[str], names: Sequence[str], alias_type: type[Any]) -> list[Any]:
    """The entry's alias rows for ``names``: existing rows kept, its own name and acronym left out."""
    existing = {alias.name.lower(): alias for alias in entry.aliases}
    rows, seen = [], set(own)
    for name in names:
        if name.lower() not in seen:
            seen.add(name.lower())
            rows.append(existing.get(name.lower()) or alias_type(name=name))
    return rows


def save_organisation(
    session: Session, organisation: Organisation | None, data: OrganisationInput, now: datetime
) -> Organisation:
    """Create or edit an organisation (name, acronym and aliases unique across the directory)."""
    _check_unique(session, data, organisation.id if organisation else None)
    if organisation is None:
        organisation = Organisation(name=data.name, created_dt=now)
    organisation.name = data.name
    organisation.acronym = data.acronym
    organisation.kind = data.kind
    organisation.country = data.country
    organisation.website = data.website
    names = getattr(data, "names", None)  # the directory form's (``OrganisationForm``); others keep them
    if names is not None:
        organisation.translations = encode_names(names)
    organisation.aliases = _aliases_of(
        organisation, _own_forms(data.name, data.acronym), data.aliases, OrganisationAlias
    )
    organisation.updated_dt = now
    session.add(organisation)
    session.flush()
    return organisation


def save_person(session: Session, person: Person | None, data: PersonInput, now: datetime) -> Person:
    """Create or edit a person; the organisation is named as ``tracker.lookup`` finds it."""
    errors: dict[str, str] = {}
    organisation = None
    if data.organisation:
        organisation = find_organisation(session, data.organisation)
        if organisation is None:
            errors["organisation"] = _("No such organisation; add it under Organisations first.")
    if message := _person_alias_error(session, data, person.id if person else None):
        errors["aliases"] = message
    if errors:
        raise InputError(errors)
    if person is None:
        person = Person(name=data.name, created_dt=now)
    person.name = data.name
    person.position = data.position
    person.organisation_id = organisation.id if organisation else None
    person.aliases = _aliases_of(person, _own_forms(data.name), data.aliases, PersonAlias)
    person.updated_dt = now
    session.add(person)
    session.flush()
    return person


def _alias_names(session: Session, column: Any, name_column: Any, alias_id: Any) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for owner, name in session.execute(select(column, name_column).order_by(alias_id)).all():
        found.setdefault(owner, []).append(name)
    return {owner: tuple(names) for owner, names in found.items()}


def organisation_index(session: Session) -> DirectoryIndex:
    """The organisations' names, acronyms and aliases as ``tracker.matching`` ranks them (kept while unchanged)."""
    aliases = _alias_names(session, OrganisationAlias.organisation_id, OrganisationAlias.name, OrganisationAlias.id)
    rows = session.execute(select(Organisation.id, Organisation.name, Organisation.acronym).order_by(Organisation.id))
    entries = tuple(Entry(row_id, names_of(name, acronym, aliases.get(row_id, ()))) for row_id, name, acronym in rows)
    return directory_index(entries)


def known_organisations(session: Session) -> list[KnownOrganisation]:
    """The organisations as the press-release reader looks for them: name, acronym and aliases of each."""
    aliases = _alias_names(session, OrganisationAlias.organisation_id, OrganisationAlias.name, OrganisationAlias.id)
    rows = session.execute(select(Organisation.id, Organisation.name, Organisation.acronym).order_by(Organisation.id))
    return [KnownOrganisation(name, acronym, aliases.get(row_id, ())) for row_id, name, acronym in rows]


def person_index(session: Session) -> DirectoryIndex:
    """The people's names and aliases as ``tracker.matching`` ranks them."""
    aliases = _alias_names(session, PersonAlias.person_id, PersonAlias.name, PersonAlias.id)
    rows = session.execute(select(Person.id, Person.name).order_by(Person.id))
    entries = tuple(Entry(row_id, names_of(name, None, aliases.get(row_id, ()), person=True)) for row_id, name in rows)
    return directory_index(entries)


def _in_order(session: Session, model: Any, ids: list[int], *options: Any) -> list[Any]:
    found = {
        entry.id: entry for entry in session.exec(select(model).where(model.id.in_(ids)).options(*options)).scalars()
    }
    return [found[entry_id] for entry_id in ids if entry_id in found]


def close_organisations(
    session: Session, name: str, *, limit: int = 5, exclude_ids: Iterable[int] = (), partial: bool = False
) -> list[Organisation]:
    """Organisations an editor typing ``name`` probably means, best first (for "did you mean …?").

    Equal names, acronyms ("IOM") and aliases first, then close names, then names holding every typed word.
    ``partial``: the editor is still typing, so the last word may be the beginning of one.
    """
    ranked = organisation_index(session).rank(
        names_of(name.strip()), limit=limit, exclude_ids=exclude_ids, partial=partial
    )
    return _in_order(session, Organisation, [entry_id for entry_id, _ in ranked], selectinload(Organisation.aliases))


def close_people(
    session: Session, name: str, *, limit: int = 5, exclude_ids: Iterable[int] = (), partial: bool = False
) -> list[Person]:
    """People an editor typing ``name`` (or "Name, position") probably means, best first."""
    typed = names_of(name.split(",", 1)[0].strip(), person=True)
    ranked = person_index(session).rank(typed, limit=limit, exclude_ids=exclude_ids, partial=partial)
    return _in_order(session, Person, [entry_id for entry_id, _ in ranked], selectinload(Person.organisation))


def organisation_suggestions(session: Session, typed: str) -> list[dict[str, Any]]:
    """What the editor's organisation fields offer while ``typed`` is being typed, best first."""
    found = close_organisations(session, typed, limit=SUGGESTIONS, partial=True)
    return [{"id": org.id, "name": org.name, "label": org.label, "acronym": org.acronym or ""} for org in found]


def person_suggestions(session: Session, typed: str) -> list[dict[str, Any]]:
    """What the editor's participant fields offer while ``typed`` is being typed, best first."""
    found = close_people(session, typed, limit=SUGGESTIONS, partial=True)
    return [
        {"id": person.id, "name": person.name, "label": _person_label(person), "position": person.position}
        for person in found
    ]


def _person_label(person: Person) -> str:
    where = person.organisation.short if person.organisation else ""
    return ", ".join(part for part in (person.name, person.position, where) if part)
