"""How a name someone typed finds an organisation: one rule for the editor, the directory and ``org=`` filters.

A token names, in this order:

1. with ``by_id`` (filters), the organisation with that id — forms never read ids, since a name may be digits;
2. the organisation with that acronym, ignoring case; when several share it, the oldest (lowest id). The
   directory refuses a second organisation with a taken acronym, but rows written before that check, or
   in bulk, can share one, and the answer must not depend on the database's row order;
3. the organisation with that name, ignoring case (names are unique);
4. for ``Name (ACRONYM)``, the label pages show, whatever the part before the parenthesis names.

``where`` narrows the candidates: filters pass what the audience may know of (``tracker.visibility``).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select, true
from sqlmodel import Session

from tracker.models import Organisation
from tracker.parsing import optional_id


def find_organisation(
    session: Session, token: str, *, by_id: bool = False, where: ColumnElement[bool] | None = None
) -> Organisation | None:
    """The organisation ``token`` names by the rule above, or None."""
    known = true() if where is None else where
    text = token.strip()
    if by_id and (organisation_id := optional_id(text)) is not None:
        statement = select(Organisation).where(Organisation.id == organisation_id, known)
        return session.exec(statement).scalar_one_or_none()
    lowered = text.lower()
    for column in (Organisation.acronym, Organisation.name):
        statement = select(Organisation).where(func.lower(column) == lowered, known).order_by(Organisation.id)
        found = session.exec(statement.limit(1)).scalar_one_or_none()
        if found is not None:
            return found
    if lowered.endswith(")") and "(" in lowered:
        return find_organisation(session, lowered.rsplit("(", 1)[0], where=where)
    return None
