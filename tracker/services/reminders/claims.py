"""Claims and their outcomes: dispatch takes due rows with a lease and writes what became of each.

Like dispatch, this opens its own connections and commits (see ``dispatch``): a claim must be visible to
the other scheduler processes before the first mail goes out, and a "sent" mark as soon as possible after
the server's 250. A claim takes due rows for a lease — PostgreSQL ``FOR UPDATE SKIP LOCKED``, SQLite
``BEGIN IMMEDIATE`` + ``UPDATE … RETURNING`` — and every write of an outcome is guarded by the claim token,
so a process whose lease ran out cannot overwrite what another process did with the rows since.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Integer, Text, bindparam, func, select, text, update
from sqlalchemy.dialects import postgresql

from tracker.db import is_sqlite, write_bind, write_session
from tracker.models import Outbox, OutboxStatus, UTCDateTime

log = logging.getLogger(__name__)

#: "Sent" marks are group-committed: at most this many accepted mails wait for their commit …
MARK_GROUP_SIZE = 32
#: … and none longer than this (seconds) once the next mail is due, so a kill repeats little and a mark is
#: never late enough to meet the end of the lease.
MARK_GROUP_SECONDS = 0.05


def failpoint(name: str) -> None:
    """Test hook: with ``TRACKER_FAILPOINT=name`` the process announces the point and waits to be killed.

    The guarantee tests SIGKILL a real scheduler at each step of dispatch; this makes "at each step" exact.
    """
    if os.environ.get("TRACKER_FAILPOINT") != name:
        return
    folder = Path(os.environ.get("TRACKER_FAILPOINT_DIR", "."))
    (folder / f"{name}.{os.getpid()}").write_text(str(os.getpid()))
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        time.sleep(0.05)
    raise SystemExit(f"failpoint {name}: not killed within 10 minutes")


def claim(engine: Engine, now: datetime, limit: int, lease: timedelta) -> tuple[str, list[int]]:
    """Take up to ``limit`` due rows for ``lease`` and commit; returns the claim token and the row ids."""
    token = secrets.token_hex(16)
    due = select(Outbox.id).where(Outbox.status == OutboxStatus.PENDING.value, Outbox.next_attempt_dt <= now)
    due = due.order_by(Outbox.next_attempt_dt).limit(limit)
    if not is_sqlite(engine):
        due = due.with_for_update(skip_locked=True)
    statement = (
        update(Outbox)
        .where(Outbox.id.in_(due.scalar_subquery()))
        .values(
            claim_token=token,
            lease_until=now + lease,
            next_attempt_dt=now + lease,
            attempts=Outbox.attempts + 1,
        )
        .returning(Outbox.id)
        .execution_options(synchronize_session=False)
    )
    with write_session(engine) as session:
        ids = [row[0] for row in session.connection().execute(statement)]
        session.commit()
    return token, sorted(ids)


_SENT_VALUES = {
    "status": OutboxStatus.SENT.value,
    "last_error": None,
    "finished_reason": "",
    "claim_token": None,
    "lease_until": None,
}
#: SQLite: one UPDATE per row through ``executemany`` (a loop in C, cheap).
_MARK_SENT = (
    update(Outbox)
    .where(Outbox.id == bindparam("row_id"), Outbox.claim_token == bindparam("token"))
    .values(
        sent_dt=bindparam("sent_dt", type_=UTCDateTime()),
        message_id=bindparam("message_id"),
        last_smtp_code=bindparam("code"),
        **_SENT_VALUES,
    )
)
#: PostgreSQL: one statement for the group, ids and Message-IDs passed as two arrays (``unnest``); a
#: pipelined ``executemany`` costs about half as much again per row.
_MARKS = (
    func.unnest(
        bindparam("row_ids", type_=postgresql.ARRAY(Integer)), bindparam("message_ids", type_=postgresql.ARRAY(Text))
    )
    .table_valued("row_id", "message_id")
    .render_derived(name="marks")
)
_MARK_SENT_PG = (
    update(Outbox)
    .where(Outbox.id == _MARKS.c.row_id, Outbox.claim_token == bindparam("token"))
    .values(
        sent_dt=bindparam("sent_dt", type_=UTCDateTime()),
        message_id=_MARKS.c.message_id,
        last_smtp_code=bindparam("code"),
        **_SENT_VALUES,
    )
)


class OutcomeWriter:
    """Writes the outcome of claimed rows, guarded by the claim token of the batch being sent.

    "Sent" marks are group-committed on one connection kept for the whole dispatch: each is queued after
    the server's 250 and written with the others (one UPDATE, one commit) when ``MARK_GROUP_SIZE`` are
    waiting, when the oldest has waited ``MARK_GROUP_SECONDS``, and before the batch returns. The first
    mark of a batch is committed alone, so its row count confirms the claim is still ours before the
    rest is sent. A crash between a 250 and the commit of its group makes the next run resend that group's
    mails, each once and with its own (stable) Message-ID. Other outcomes (retry, failed, skipped) are rare
    and committed one by one (``mark``).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = not is_sqlite(engine)
        self._connection: Connection | None = None
        self._waiting: list[tuple[int, str, int | None]] = []
        self._sent_dt: datetime | None = None
        self.start("")

    def start(self, token: str) -> None:
        """Begin marking the batch claimed with ``token``."""
        assert not self._waiting, "marks of the previous batch were not flushed"
        self.token = token
        self._oldest = 0.0
        self._commits = 0
        self.sent = 0  # rows marked sent (claim token still ours)
        self.lost = False  # some row's claim was no longer ours: another process took it after our lease

    def mark_sent(self, row_id: int, now: datetime, message_id: str, code: int | None) -> None:
        """Queue the "sent" mark of an accepted mail; committed with its group."""
        if self._waiting and (now, code) != (self._sent_dt, self._waiting[0][2]):
            self.flush()  # a group shares its sent_dt and SMTP code
        if not self._waiting:
            self._oldest = time.monotonic()
            self._sent_dt = now
        self._waiting.append((row_id, message_id, code))
        if self._commits == 0 or len(self._waiting) >= MARK_GROUP_SIZE or self.overdue():
            self.flush()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def overdue(self) -> bool:
        return bool(self._waiting) and time.monotonic() - self._oldest >= MARK_GROUP_SECONDS

    def _connect(self) -> Connection:
        if self._connection is None:
            self._connection = write_bind(self.engine).connect()
            if self.postgres:
                # Losing the last commits in a database crash only means a resend with the same Message-ID.
                self._connection.execute(text("SET synchronous_commit = off"))
                self._connection.commit()
        return self._connection

    def flush(self) -> None:
        """Commit the waiting "sent" marks; the end of the window in which a crash causes their resend."""
        if not self._waiting:
            return
        connection = self._connect()
        waiting, self._waiting = self._waiting, []
        result = connection.execute(*self._sent_statement(waiting))
        connection.commit()
        self._commits += 1
        self.sent += result.rowcount
        if result.rowcount != len(waiting):
            self.lost = True
            log.warning(
                "%d of %d sent reminders were claimed by another process", len(waiting) - result.rowcount, len(waiting)
            )
        failpoint("after_mark")

    def _sent_statement(self, waiting: list[tuple[int, str, int | None]]) -> tuple[Any, Any]:
        """The UPDATE marking ``waiting`` sent, with its parameters (one set on PostgreSQL, one per row on SQLite)."""
        code = waiting[0][2]
        if self.postgres:
            return _MARK_SENT_PG, {
                "row_ids": [row_id for row_id, _, _ in waiting],
                "message_ids": [message_id for _, message_id, _ in waiting],
                "token": self.token,
                "sent_dt": self._sent_dt,
                "code": code,
            }
        return _MARK_SENT, [
            {"row_id": row_id, "token": self.token, "sent_dt": self._sent_dt, "message_id": message_id, "code": code}
            for row_id, message_id, _ in waiting
        ]

    def close(self) -> None:
        if self._connection is not None:
            self._connection.rollback()  # nothing is pending unless a flush failed
            if self.postgres:
                self._connection.execute(text("RESET synchronous_commit"))
                self._connection.commit()
            self._connection.close()
            self._connection = None

    def mark(self, ids: Sequence[int], **values: Any) -> int:
        """Write ``values`` to the rows still ours and release their claim; returns how many were ours."""
        if not ids:
            return 0
        values.setdefault("claim_token", None)
        values.setdefault("lease_until", None)
        with write_bind(self.engine).begin() as connection:
            result = connection.execute(
                update(Outbox).where(Outbox.id.in_(ids), Outbox.claim_token == self.token).values(**values)
            )
        return result.rowcount
