"""The statements a piece of code really sends to the database, and the database's plan for each of them.

Index tests explain what the code runs (captured at the cursor, with its parameters), never a copy of the
query written in the test: removing the index, or changing the query so that it can no longer use it,
turns them red.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import Session


@contextmanager
def captured_statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every ``(SQL, parameters)`` the engine sends while the block runs, in order."""
    seen: list[tuple[str, Any]] = []

    def record(_connection: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def explain(session: Session, statement: str, parameters: Any) -> str:
    """The plan of one captured statement, run with the parameters it was sent with."""
    dialect = session.get_bind().dialect.name
    prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
    rows = session.connection().exec_driver_sql(prefix + statement, parameters).all()
    return "\n".join(str(row[-1]) for row in rows)


def selects_from(captured: list[tuple[str, Any]], table: str) -> list[tuple[str, Any]]:
    """The captured SELECTs whose FROM clause starts with ``table`` (not merely a table named like it)."""
    pattern = re.compile(rf"^FROM {re.escape(table)}(?![\w])", re.MULTILINE)
    return [(sql, parameters) for sql, parameters in captured if sql.startswith("SELECT") and pattern.search(sql)]
