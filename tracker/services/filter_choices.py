"""What the filter bar offers: organisations and tags of the events an audience sees (never internal ones)."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import CompoundSelect, Engine, String, cast, null, select, union_all
from sqlmodel import Session

from tracker.models import Organisation
from tracker.models.feeds import read_generation
from tracker.visibility import EDITORS, PUBLIC, known_tags, organisation_condition


def _choices_statement(include_internal: bool) -> CompoundSelect[Any]:
    """Organisations (by name) and up to 500 tags the audience may know of, in one query (one round trip per
    page): organisation rows have no ``tag``, tag rows nothing but one. Built once per audience."""
    known = known_tags(include_internal).subquery()
    tags = select(known.c.tag).order_by(known.c.tag).limit(500).subquery()
    organisations = select(
        Organisation.id, Organisation.name, Organisation.acronym, Organisation.translations,
        cast(null(), String).label("tag"),
    )  # fmt: skip
    choices = union_all(
        organisations.where(organisation_condition(include_internal)),
        select(null(), null(), null(), null(), tags.c.tag),
    )
    return choices.order_by(choices.selected_columns.name, choices.selected_columns.tag)


_CHOICES = {audience: _choices_statement(audience) for audience in (PUBLIC, EDITORS)}

#: The last filter choices per engine and audience, with the feeds' generation they were read at: the choices
#: change only when events or the directory do, which is exactly when the generation goes up.
_choices_cache: WeakKeyDictionary[Engine, dict[bool, tuple[int, dict[str, Any]]]] = WeakKeyDictionary()


def filter_choices(session: Session, *, include_internal: bool) -> dict[str, Any]:
    """The filter bar's ``organisations`` and ``known_tags`` for this audience.

    Read once per change of the data (one small look at the generation otherwise): on 100,000 events the
    query itself takes tens of milliseconds, most of it finding the distinct tags.
    """
    connection = session.connection()
    generation = read_generation(connection)
    per_audience = _choices_cache.setdefault(connection.engine, {})
    cached = per_audience.get(include_internal)
    if cached is not None and cached[0] == generation:
        return cached[1]
    rows = connection.execute(_CHOICES[include_internal]).all()
    choices = {
        "organisations": [row for row in rows if row.tag is None],
        "known_tags": [row.tag for row in rows if row.tag is not None],
    }
    per_audience[include_internal] = (generation, choices)
    return choices
