"""Database engines, write and read-only sessions, and the SQLite settings the embedded default needs (no Flask:
the request's session is made by ``tracker.web.sessions``).

SQLite runs with WAL, a busy timeout and foreign keys on. Python's sqlite3 module (3.11) opens
transactions lazily and on its own terms; we take that over (the SQLAlchemy-documented recipe) so that
``BEGIN`` is emitted when SQLAlchemy starts a transaction.

**Who may write.** Under WAL, a transaction that starts with ``BEGIN`` (deferred) and reads takes a snapshot;
when it later writes and another connection has committed meanwhile, SQLite answers SQLITE_BUSY at once
("database is locked") instead of waiting, because waiting cannot help. So on SQLite every transaction that
may write starts with ``BEGIN IMMEDIATE``, which takes the write lock first and waits for it up to the busy
timeout; a reading transaction never writes. Concretely:

- a request's session (``tracker.web.sessions.get_session``) is a write session for unsafe methods (POST, PUT,
  PATCH, DELETE) and a read-only session for GET, HEAD and OPTIONS (``is_read_only``); a GET must answer without writing
  (the feeds store the blocks they serialized after the answer, in a write session of their own);
- code outside requests (scheduler, CLI, services run by them) writes through ``write_session``.

On PostgreSQL both kinds are plain sessions (row locks come from the statements). With ``TESTING`` on, a
write statement in a read-only session raises ``WriteInReadOnlySession``, on both backends, so a GET that
writes fails the test suite instead of failing production under load.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 15_000
READ_ONLY_OPTION = "tracker_read_only"
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


class WriteInReadOnlySession(RuntimeError):
    """A statement that writes ran in a read-only session (tests only: see the module docstring)."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with the settings each backend needs."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # 32 MiB of page cache per connection instead of 2 MiB: a month page or a search reads rows spread
        # over hundreds of pages, which then stay cached between requests.
        cursor.execute("PRAGMA cache_size=-32768")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())


def forbid_writes_in_read_only_sessions(engine: Engine) -> None:
    """Raise on a write statement sent through a read-only session's connection (the test suite's guard)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _check(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY_OPTION) and statement.lstrip().upper().startswith(
            _WRITE_VERBS
        ):
            raise WriteInReadOnlySession(f"a read-only (GET) session may not write: {statement[:200]}")


@contextmanager
def scratch_postgresql_database(server_url: str, prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of ``server_url``, dropped afterwards (tests, benchmarks).

    Each caller gets a database of its own, so several test runs or benchmarks share one server safely.
    """
    url = make_url(server_url)
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def write_bind(engine: Engine) -> Engine:
    """The engine to bind sessions that may write: on SQLite, their transactions begin ``IMMEDIATE``."""
    return engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(engine) else engine


def read_only_bind(engine: Engine) -> Engine:
    """The engine to bind sessions that only read (a GET's): a plain ``BEGIN``, marked for the write guard."""
    return engine.execution_options(**{READ_ONLY_OPTION: True})


@contextmanager
def write_session(engine: Engine, **kwargs: Any) -> Iterator[Session]:
    """A session for code that writes outside a request; the caller commits.

    On SQLite its transactions take the write lock at once (``BEGIN IMMEDIATE``), so a busy database makes it
    wait (busy timeout) instead of failing; on PostgreSQL it is a plain session.
    """
    with Session(write_bind(engine), **kwargs) as session:
        yield session


def is_read_only(session: Session) -> bool:
    """True for a read-only request session (GET, HEAD, OPTIONS): code it reaches must not write."""
    return bool(session.info.get(READ_ONLY_OPTION))
