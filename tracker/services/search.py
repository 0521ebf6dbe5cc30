"""Free-text search over events.

``search_condition`` returns an SQL condition that uses the database's full-text index, or None when no
index is available, in which case ``tracker.filters.text_search_condition`` falls back to a portable
word-by-word LIKE match.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement


def search_condition(query: str) -> ColumnElement[bool] | None:
    """Full-text condition for ``query``; None means "use the portable match"."""
    return None
