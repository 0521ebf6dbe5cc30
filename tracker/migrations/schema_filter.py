"""Objects that migrations own but the models do not describe (full-text indexes and their triggers).

Used by Alembic autogenerate and by the test that compares the migrated schema with the models.
"""

from __future__ import annotations

from typing import Any

#: Tables created by migrations with raw SQL: ``event_search`` (FTS5 on SQLite, with its shadow tables
#: ``event_search_data``/``_idx``/``_content``/``_docsize``/``_config``; a tsvector table on PostgreSQL).
UNMODELLED_TABLE_PREFIXES: tuple[str, ...] = ("event_search",)
#: Indexes created by migrations with raw SQL: the GIN index of the search table and the expression index
#: on event duration that bounds month and agenda queries (migration 0002).
UNMODELLED_INDEX_PREFIXES: tuple[str, ...] = ("ix_fts_", "ix_event_duration")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table" and name and name.startswith(UNMODELLED_TABLE_PREFIXES):
        return False
    return not (type_ == "index" and name and name.startswith(UNMODELLED_INDEX_PREFIXES))
