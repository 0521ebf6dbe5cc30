"""Database engine, per-request session and the SQLite settings the embedded default needs.

SQLite runs with WAL, a busy timeout and foreign keys on. Python's sqlite3 module (3.11) opens
transactions lazily and on its own terms; we take that over (the SQLAlchemy-documented recipe) so that
``BEGIN`` is emitted when SQLAlchemy starts a transaction, and so that code that must hold the write lock
from the start (claiming reminders) can ask for ``BEGIN IMMEDIATE`` with ``immediate_session``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 15_000


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
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())


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


@contextmanager
def immediate_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction takes the write lock at once on SQLite (``BEGIN IMMEDIATE``).

    On PostgreSQL it is a plain session; row locks there come from ``FOR UPDATE SKIP LOCKED``.
    """
    if is_sqlite(engine):
        with engine.connect() as connection:
            connection = connection.execution_options(sqlite_begin="IMMEDIATE")
            with Session(bind=connection) as session:
                yield session
    else:
        with Session(engine) as session:
            yield session


def init_app(app: Flask) -> None:
    """Attach the engine to the app and close the request's session at teardown."""
    app.extensions["tracker.engine"] = make_engine(app.config["DATABASE_URL"])

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_engine(app: Flask | None = None) -> Engine:
    return (app or current_app).extensions["tracker.engine"]


def get_session() -> Session:
    """The request's (or app context's) database session, opened on first use."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session
