"""Organisations and people as the JSON API lists them: only those the audience may know of.

The rule is ``tracker.visibility``'s (``organisation_condition``, ``person_condition``): the public learns of an
entry only through a live, public event it takes part in; a token that may see internal events sees the whole
directory. A person's organisation is named only when the audience may know of it too. Lists are in name
order, a page at a time (``limit``/``offset``, one row more to tell whether another page follows).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from tracker.models import Organisation, Person
from tracker.organisation_names import parse_names
from tracker.services.api_params import Page
from tracker.visibility import organisation_condition, person_condition


def organisations(
    session: Session, page: Page, base_url: str, *, include_internal: bool
) -> tuple[list[dict[str, Any]], bool]:
    """A page of organisations the audience may know of, and whether more follow."""
    statement = (
        select(Organisation.id, Organisation.name, Organisation.acronym, Organisation.slug, Organisation.kind,
               Organisation.country, Organisation.website, Organisation.translations)
        .where(organisation_condition(include_internal))
        .order_by(func.lower(Organisation.name), Organisation.id)
        .limit(page.limit + 1)
        .offset(page.offset)
    )  # fmt: skip
    rows = session.execute(statement).all()
    items = [
        {
            "id": ident,
            "name": name,
            "acronym": acronym,
            "slug": slug,
            "kind": kind,
            "country": country,
            "website": website,
            "url": f"{base_url}/organisations/{slug}",
            "translations": parse_names(translations),
        }
        for ident, name, acronym, slug, kind, country, website, translations in rows[: page.limit]
    ]
    return items, len(rows) > page.limit


def people(session: Session, page: Page, *, include_internal: bool) -> tuple[list[dict[str, Any]], bool]:
    """A page of people the audience may know of (with their organisation when it may know of that too)."""
    known = aliased(Organisation)
    statement = (
        select(Person.id, Person.name, Person.position, known.id, known.name)
        .outerjoin(known, Person.organisation_id == known.id)
        .where(person_condition(include_internal))
        .order_by(func.lower(Person.name), Person.id)
        .limit(page.limit + 1)
        .offset(page.offset)
    )
    rows = session.execute(statement).all()
    shown = _known_organisations(session, {row[3] for row in rows if row[3] is not None}, include_internal)
    items = [
        {
            "id": ident,
            "name": name,
            "position": position,
            "organisation": {"id": org_id, "name": org_name} if org_id in shown else None,
        }
        for ident, name, position, org_id, org_name in rows[: page.limit]
    ]
    return items, len(rows) > page.limit


def _known_organisations(session: Session, ids: set[int], include_internal: bool) -> set[int]:
    """Which of these organisations the audience may know of."""
    if not ids or include_internal:
        return ids
    statement = select(Organisation.id).where(Organisation.id.in_(ids), organisation_condition(include_internal))
    return set(session.execute(statement).scalars())
