"""How a name someone typed finds an organisation or a person: one rule for the editor, the directory and filters.

A token names, in this order:

1. with ``by_id`` (filters), the organisation with that id — forms never read ids, since a name may be digits;
2. the organisation with that acronym, ignoring case; when several share it, the oldest (lowest id). The
   directory refuses a second organisation with a taken acronym, but rows written before that check, or
   in bulk, can share one, and the answer must not depend on the database's row order;
3. the organisation with that name, ignoring case (names are unique);
4. the organisation with that alias, ignoring case (the oldest when several have it);
5. for ``Name (ACRONYM)``, the label pages show, whatever the part before the parenthesis names;
6. the organisation whose name or alias has the same key (``tracker.matching.same_name``: the same words apart
   from case, accents, script, small words and spacing), when exactly one does (several: nobody, so the
   editor's form asks which one is meant);
7. for a name holding an acronym and a name ("IOM - the International Organization for Migration"), the
   organisation every part names by this rule, when they all name the same one.

People are found the same way by the name before a comma ("António Vitorino, Director General"): name
ignoring case, then alias, then key when only one person has it (a leading title such as "Dr." set aside).

``where`` narrows the candidates: filters pass what the audience may know of (``tracker.visibility``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select, true
from sqlmodel import Session

from tracker.matching import name_keys, names_of, spellings
from tracker.models import Organisation, OrganisationAlias, Person, PersonAlias
from tracker.parsing import optional_id


def _only_by_key(rows: Any, text: str, *, person: bool) -> int | None:
    """The one id among (id, name) rows whose name has a key of ``text``; None when none or several do.

    Several entries with one key are namesakes ("António Vitorino" the Director General and a teacher
    "Antònio Vitorino") or duplicates awaiting a merge: picking one would be a guess, so the editor chooses.
    """
    keys = name_keys(text, person=person)
    if not keys:
        return None
    ids = {row_id for row_id, name in rows if names_of(name, person=person).keys & keys}
    return ids.pop() if len(ids) == 1 else None


def find_organisation(
    session: Session, token: str, *, by_id: bool = False, where: ColumnElement[bool] | None = None
) -> Organisation | None:
    """The organisation ``token`` names by the rule above, or None."""
    known = true() if where is None else where
    text = token.strip()
    if by_id and (organisation_id := optional_id(text)) is not None:
        statement = select(Organisation).where(Organisation.id == organisation_id, known)
        return session.exec(statement).scalar_one_or_none()
    if not text:
        return None
    lowered = text.lower()
    for column in (Organisation.acronym, Organisation.name):
        statement = select(Organisation).where(func.lower(column) == lowered, known).order_by(Organisation.id)
        found = session.exec(statement.limit(1)).scalar_one_or_none()
        if found is not None:
            return found
    alias = (
        select(Organisation)
        .join(OrganisationAlias, OrganisationAlias.organisation_id == Organisation.id)
        .where(func.lower(OrganisationAlias.name) == lowered, known)
        .order_by(Organisation.id)
    )
    if (found := session.exec(alias.limit(1)).scalar_one_or_none()) is not None:
        return found
    if lowered.endswith(")") and "(" in lowered:
        found = find_organisation(session, lowered.rsplit("(", 1)[0], where=where)
        if found is not None:
            return found
    return _by_key(session, text, known) or _by_parts(session, text, where)


def _by_key(session: Session, text: str, known: ColumnElement[bool]) -> Organisation | None:
    names = session.execute(select(Organisation.id, Organisation.name).where(known)).all()
    aliases = session.execute(
        select(OrganisationAlias.organisation_id, OrganisationAlias.name)
        .join(Organisation, Organisation.id == OrganisationAlias.organisation_id)
        .where(known)
    ).all()
    found = _only_by_key([*names, *aliases], text, person=False)
    return session.get(Organisation, found) if found is not None else None


def _by_parts(session: Session, text: str, where: ColumnElement[bool] | None) -> Organisation | None:
    name_parts, acronym_parts = spellings(text)
    found = [find_organisation(session, part, where=where) for part in [*name_parts, *acronym_parts]]
    first = found[0] if found else None
    return first if first is not None and all(other is first for other in found) else None


def find_person(session: Session, name: str) -> Person | None:
    """The person the name before a comma names by the rule above, or None."""
    label = name.split(",", 1)[0].strip()
    if not label:
        return None
    lowered = label.lower()
    exact = select(Person).where(func.lower(Person.name) == lowered).order_by(Person.id).limit(1)
    if (found := session.exec(exact).scalar_one_or_none()) is not None:
        return found
    alias = (
        select(Person)
        .join(PersonAlias, PersonAlias.person_id == Person.id)
        .where(func.lower(PersonAlias.name) == lowered)
        .order_by(Person.id)
        .limit(1)
    )
    if (found := session.exec(alias).scalar_one_or_none()) is not None:
        return found
    rows = [*session.execute(select(Person.id, Person.name)).all()]
    rows += session.execute(select(PersonAlias.person_id, PersonAlias.name)).all()
    person_id = _only_by_key(rows, label, person=True)
    return session.get(Person, person_id) if person_id is not None else None
