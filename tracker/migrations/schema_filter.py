"""Objects that migrations own but the models do not describe (full-text indexes and their triggers).

Used by Alembic autogenerate and by the test that compares the migrated schema with the models.
"""

from __future__ import annotations

from typing import Any

#: Tables created by migrations with raw SQL (e.g. SQLite FTS5 shadow tables); filled in by the search work.
UNMODELLED_TABLE_PREFIXES: tuple[str, ...] = ("event_search",)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table" and name and name.startswith(UNMODELLED_TABLE_PREFIXES):
        return False
    return not (type_ == "index" and name and name.startswith("ix_fts_"))
