"""Test fixtures on real databases.

Every test that asks for ``app``, ``db_session`` or ``engine`` runs once on a real SQLite file and, when
``TRACKER_TEST_DATABASE_URL`` is set (``.ci/run`` sets it), once more on PostgreSQL. Each test run creates
its own PostgreSQL database (dropped at the end), so several runs on one server do not disturb each other.
Tables are emptied between tests; the schema is built by the real migrations, once per backend.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel

from tracker import create_app
from tracker.db import make_engine, scratch_postgresql_database
from tracker.migrations import upgrade
from tracker.models import User
from tracker.services.accounts import hash_password
from tracker.services.events import create_event
from tracker.validation import EventInput
from tracker.web.sessions import get_engine

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"
TEST_PASSWORD = "correct horse battery"
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


#: Process time zones for tests marked ``usefixtures("process_zone")``: the usual UTC and one nine hours away,
#: so code that leans on the process zone (``astimezone()`` with no zone, a naive ``now()``) turns a test red.
PROCESS_ZONES = {"UTC": 0, "Asia/Tokyo": 9 * 3600}


@pytest.fixture(params=list(PROCESS_ZONES))
def process_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test once per process time zone (``TZ`` plus ``time.tzset``), restoring the zone afterwards."""
    previous = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    # An unknown TZ silently means UTC; make sure the zone really took.
    assert -time.timezone == PROCESS_ZONES[request.param], f"TZ={request.param} not applied"
    yield request.param
    if previous is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = previous
    time.tzset()


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("TRACKER_TEST_DATABASE_URL") else ["sqlite"]


@pytest.fixture(scope="session")
def _postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, on the server named by TRACKER_TEST_DATABASE_URL."""
    with scratch_postgresql_database(os.environ["TRACKER_TEST_DATABASE_URL"], "tracker_test") as url:
        yield url


@pytest.fixture(params=_backends())
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, unmigrated database of its own on each backend (for tests that run migrations step by step)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'steps.sqlite3'}"
        return
    with scratch_postgresql_database(os.environ["TRACKER_TEST_DATABASE_URL"], "tracker_steps") as url:
        yield url


def events_found_in_search_index(engine: Engine, word: str) -> list[int]:
    """The event ids the full-text index itself holds ``word`` for, read with each backend's own query."""
    if engine.dialect.name == "postgresql":
        query = "SELECT event_id FROM event_search WHERE document @@ to_tsquery('simple', :word)"
    else:
        query = "SELECT rowid FROM event_search WHERE event_search MATCH :word"
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(text(query), {"word": word})]


@pytest.fixture(scope="session", params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a migrated, empty database on each backend."""
    if request.param == "postgresql":
        url = request.getfixturevalue("_postgres_url")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'tracker.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def empty_all_tables(engine: Engine) -> None:
    """Remove every row (the schema stays), restarting id sequences."""
    tables = [table.name for table in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            quoted = ", ".join(f'"{name}"' for name in tables)
            connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                connection.execute(text(f'DELETE FROM "{name}"'))
            if connection.execute(text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")).first():
                connection.execute(text("DELETE FROM sqlite_sequence"))


@pytest.fixture
def app_factory(database_url: str, tmp_path: Path) -> Iterator[Any]:
    """Build apps on the test database with an instance folder of their own."""
    apps: list[Flask] = []

    def build(**config: Any) -> Flask:
        test_config = {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-0123456789",
            "BASE_URL": "http://tracker.test",
            "WTF_CSRF_ENABLED": False,
            **config,
        }
        built = create_app(test_config, environ={"TRACKER_INSTANCE_PATH": str(tmp_path / "instance")})
        apps.append(built)
        return built

    yield build
    for built in apps:
        get_engine(built).dispose()


@pytest.fixture
def app(app_factory: Any) -> Iterator[Flask]:
    built = app_factory()
    empty_all_tables(get_engine(built))
    yield built


@pytest.fixture
def engine(app: Flask) -> Engine:
    return get_engine(app)


@pytest.fixture
def db_session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def add_user(
    session: Session, email: str = "editor@example.org", role: str = "editor", name: str = "Ema Editor"
) -> User:
    user = User(email=email, name=name, role=role, password_hash=hash_password(TEST_PASSWORD))
    session.add(user)
    session.commit()
    return user


@pytest.fixture
def editor(db_session: Session) -> User:
    return add_user(db_session)


def login(client: FlaskClient, email: str = "editor@example.org", password: str = TEST_PASSWORD) -> None:
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def editor_client(client: FlaskClient, editor: User) -> FlaskClient:
    login(client, editor.email)
    return client


SKOPJE_CONFERENCE: dict[str, Any] = {
    "title": "Ministerial Conference on Sustainable Migration Management in the Western Balkans",
    "kind": "conference",
    "status": "confirmed",
    "visibility": "public",
    "all_day": "on",
    "timezone": "Europe/Skopje",
    "start_date": "2022-11-15",
    "end_date": "2022-11-16",
    "city": "Skopje",
    "country": "MK",
    "tags": "migration, western balkans",
    "organisations": [
        ("Ministry of Interior of the Republic of North Macedonia", "host"),
        ("Ministry of the Interior of the Czech Republic", "co_organiser"),
        ("IOM", "supporter"),
    ],
}


def make_event(
    session: Session, now: datetime = NOW, user: User | None = None, uid: str | None = None, **fields: Any
) -> Any:
    """Create an event through the real service; ``fields`` are form values (strings) over a timed default."""
    values: dict[str, Any] = {
        "title": "Working meeting",
        "kind": "meeting",
        "timezone": "Europe/Skopje",
        "start_date": "2026-11-10",
        "start_time": "10:00",
        "end_time": "12:00",
        "city": "Skopje",
        "country": "MK",
        **fields,
    }
    change = create_event(session, EventInput.from_form(values), user, now, uid=uid)
    session.commit()
    return change.event
