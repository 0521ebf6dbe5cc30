"""SQL shared by planning and notices: the due instant ``start − lead`` and the INSERT … SELECT of outbox rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlmodel import Session

from tracker.dialects import dialect_insert
from tracker.models import Outbox, UTCDateTime


class MinusMinutes(FunctionElement):  # type: ignore[type-arg]
    """SQL ``instant − minutes``, giving the same stored form as ``UTCDateTime`` on each backend.

    UTC arithmetic on the stored instant: daylight-saving changes are already in the event's start.
    """

    type = UTCDateTime()
    inherit_cache = True
    name = "minus_minutes"


@compiles(MinusMinutes, "postgresql")
def _minus_minutes_pg(element: MinusMinutes, compiler: Any, **kw: Any) -> str:
    instant, minutes = list(element.clauses)
    return f"({compiler.process(instant, **kw)} - make_interval(mins => {compiler.process(minutes, **kw)}))"


@compiles(MinusMinutes, "sqlite")
def _minus_minutes_sqlite(element: MinusMinutes, compiler: Any, **kw: Any) -> str:
    instant, minutes = list(element.clauses)
    # SQLAlchemy stores "YYYY-MM-DD HH:MM:SS.ffffff"; %f gives "SS.SSS", so three zeros complete it.
    return (
        f"strftime('%Y-%m-%d %H:%M:%f000', {compiler.process(instant, **kw)}, "
        f"'-' || {compiler.process(minutes, **kw)} || ' minutes')"
    )


#: Outbox columns filled by the planning INSERT … SELECT statements, in the order of their SELECT lists.
PLANNED_COLUMNS = (
    "kind",
    "subscription_id",
    "event_id",
    "lead_minutes",
    "revision",
    "due_dt",
    "status",
    "next_attempt_dt",
    "attempts",
    "created_dt",
    "finished_reason",
)


def insert_outbox_rows(session: Session, rows: Any, *extra_columns: str) -> int:
    """INSERT the selected rows into the outbox, skipping keys already planned; returns how many were new."""
    columns = [*PLANNED_COLUMNS, *extra_columns]
    statement = dialect_insert(session)(Outbox).from_select(columns, rows).on_conflict_do_nothing()
    statement = statement.execution_options(preserve_rowcount=True)
    return session.connection().execute(statement).rowcount  # type: ignore[attr-defined]
