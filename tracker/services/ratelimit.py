"""Fixed-window rate counters in the database: the one place that counts attempts against a budget.

Used for the login throttle (per account, per client address) and the confirmation-mail budgets (global, per
mailbox). Counters live in ``rate_counter`` so that every process — gunicorn workers, ``tracker serve``,
schedulers — sees the same numbers and a restart forgets nothing. Each call is one atomic upsert, so two
processes counting the same key at once never lose a hit. The caller commits (with the rest of its write).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, delete, literal, select
from sqlmodel import Session

from tracker.dialects import dialect_insert
from tracker.models import RateCounter, UTCDateTime

MAX_KEY_LENGTH = 300
#: No budget has a longer window than this; a counter whose window started earlier counts nothing any more.
LONGEST_WINDOW = timedelta(days=2)


@dataclass(frozen=True)
class Budget:
    """At most ``limit`` hits per ``window`` for one key."""

    limit: int
    window: timedelta

    def __post_init__(self) -> None:
        if self.limit < 1 or not timedelta(0) < self.window <= LONGEST_WINDOW:
            raise ValueError(f"a budget needs a limit ≥ 1 and a window of at most {LONGEST_WINDOW}")


@dataclass(frozen=True)
class Decision:
    """Whether the hit was within the budget, how many the window holds now, and when the window ends."""

    allowed: bool
    count: int
    resets_dt: datetime

    def retry_after(self, now: datetime) -> int:
        """Whole seconds until the window ends (for a ``Retry-After`` header); at least 1."""
        return max(1, math.ceil((self.resets_dt - now).total_seconds()))


def _key(key: str) -> str:
    return key[:MAX_KEY_LENGTH]


def hit(session: Session, key: str, budget: Budget, now: datetime) -> Decision:
    """Count one hit against ``key``; a window that has ended starts again at ``now``."""
    table = RateCounter.__table__  # type: ignore[attr-defined]
    cutoff = now - budget.window
    expired = table.c.window_start_dt <= _bind(cutoff)
    statement = dialect_insert(session)(table).values(key=_key(key), window_start_dt=now, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "count": case((expired, 1), else_=table.c.count + 1),
            "window_start_dt": case((expired, _bind(now)), else_=table.c.window_start_dt),
        },
    ).returning(table.c.count, table.c.window_start_dt)
    count, started = session.execute(statement).one()
    return Decision(allowed=count <= budget.limit, count=count, resets_dt=started + budget.window)


def peek(session: Session, key: str, budget: Budget, now: datetime) -> Decision:
    """The key's state without counting: ``allowed`` is False while the window is already full."""
    row = session.execute(
        select(RateCounter.count, RateCounter.window_start_dt).where(RateCounter.key == _key(key))
    ).one_or_none()
    if row is None or row.window_start_dt <= now - budget.window:
        return Decision(allowed=True, count=0, resets_dt=now + budget.window)
    return Decision(allowed=row.count < budget.limit, count=row.count, resets_dt=row.window_start_dt + budget.window)


def clear(session: Session, key: str) -> None:
    """Forget a key's count (e.g. an account's failures after a successful login)."""
    session.execute(delete(RateCounter).where(RateCounter.key == _key(key)))


def _bind(value: datetime) -> ColumnElement[datetime]:
    return literal(value, UTCDateTime())


def forget_ended_windows(session: Session, now: datetime) -> int:
    """Delete counters whose window ended long ago (one row per mailbox or address ever seen would pile up)."""
    result = session.execute(delete(RateCounter).where(RateCounter.window_start_dt < now - LONGEST_WINDOW))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
