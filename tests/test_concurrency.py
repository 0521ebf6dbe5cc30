"""Concurrent editors and pollers against real servers (issue 8, defect 4): no answer is ever a 500.

``tracker serve`` (waitress + SQLite, scheduler in-process) and gunicorn + PostgreSQL (with a ``tracker
scheduler`` beside it) run as real processes on a database of their own. Three editors save in a loop and 200
calendar pollers send conditional GETs for 15 s. Then: no answer ≥ 500 and no request without an answer; each
save was stored (302) or refused (409); and the database, read independently, holds exactly the acknowledged
saves — each as one revision in the event's history, none of the refused ones, nothing lost.

A second test starts ``tracker serve`` repeatedly on a database whose feed blocks were never stored and sends
the first ``GET /calendar.ics`` the moment the server listens, while the scheduler's first tick writes.

The in-process tests pin the rules behind it (``tracker.db``): a GET's session cannot write, a feed stores its
new blocks only after the answer (and not when a rename made them stale meanwhile), and a save against a busy
database waits instead of failing.
"""

from __future__ import annotations

import os
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, delete, func, select, update
from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from tests import load_support as load
from tests.conftest import make_event
from tracker.db import WriteInReadOnlySession, is_read_only, make_engine, scratch_postgresql_database, write_session
from tracker.models import Event, EventIcs, EventRevision, FeedState, Organisation, utcnow
from tracker.services.directory import save_organisation
from tracker.validation import OrganisationInput
from tracker.web.sessions import get_session

EDITORS = ["ana@example.org", "boris@example.org", "vesna@example.org"]
SECONDS = 15.0
POLLERS = 200


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("TRACKER_TEST_DATABASE_URL") else ["sqlite"]


@pytest.fixture(params=_backends())
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of this test's own (a SQLite file, or a scratch PostgreSQL database)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'load.sqlite3'}"
    else:
        with scratch_postgresql_database(os.environ["TRACKER_TEST_DATABASE_URL"], "tracker_load") as url:
            yield url


def _server(database_url: str, tmp_path: Path, port: int) -> object:
    env = load.environment(database_url, tmp_path / "instance", port, TRACKER_SCHEDULER_INTERVAL_SECONDS="1")
    log = tmp_path / "server.log"
    if database_url.startswith("sqlite"):
        return load.tracker_serve(env, port, log)
    return load.gunicorn_serve(env, port, log)


def _stored_saves(database_url: str, event_ids: list[int]) -> tuple[dict[int, int], dict[int, list[str]]]:
    """From the database: each event's revision, and the descriptions its history records, in revision order."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            revisions = {
                event.id: event.revision
                for event in session.exec(select(Event).where(Event.id.in_(event_ids))).scalars()  # type: ignore[call-overload, attr-defined]
            }
            history: dict[int, list[str]] = defaultdict(list)
            rows = session.exec(
                select(EventRevision)  # type: ignore[call-overload]
                .where(EventRevision.event_id.in_(event_ids), EventRevision.action == "updated")  # type: ignore[attr-defined]
                .order_by(EventRevision.event_id, EventRevision.revision)
            ).scalars()
            for row in rows:
                history[row.event_id].append(str(row.changes["description"][1]))
            return revisions, history
    finally:
        engine.dispose()


@pytest.mark.slow
def test_three_editors_and_200_pollers_never_get_a_500_and_no_acknowledged_save_is_lost(
    backend_url: str, tmp_path: Path
) -> None:
    event_ids = load.prepare_database(backend_url)
    port = load.free_port()
    env = load.environment(backend_url, tmp_path / "instance", port)
    for email in EDITORS:
        load.create_editor(env, email)

    with _server(backend_url, tmp_path, port) as server:  # type: ignore[attr-defined]
        tally, elapsed = load.run_load(server, EDITORS, event_ids, pollers=POLLERS, seconds=SECONDS)
        log = server.errors_logged()

    figures = load.summary(tally, elapsed)
    print(f"\n{backend_url.split(':')[0]}: {figures}")
    failures = Counter(tally.failures)
    assert not failures, f"{figures}\n{failures.most_common(10)}\nserver log:\n{log}"
    assert "database is locked" not in log and "Traceback" not in log, log
    acknowledged = [save for save in tally.saves if save.status == 302]
    refused = [save for save in tally.saves if save.status == 409]
    assert len(acknowledged) + len(refused) == len(tally.saves)
    assert len(acknowledged) >= 5, figures  # the load really saved
    assert tally.count("poll") >= 1000, figures

    revisions, history = _stored_saves(backend_url, event_ids)
    for event_id in event_ids:
        mine = [f"Saved by {save.marker}" for save in acknowledged if save.event_id == event_id]
        stored = history.get(event_id, [])
        assert sorted(stored) == sorted(mine), f"event {event_id}: acknowledged and stored saves differ"
        assert revisions[event_id] == 1 + len(mine)  # created at revision 1; one revision per stored save
    refused_markers = {f"Saved by {save.marker}" for save in refused}
    assert not refused_markers & {text for texts in history.values() for text in texts}


@pytest.mark.slow
def test_the_first_feed_request_after_a_fresh_start_never_fails(tmp_path: Path) -> None:
    """The first build stores every block while the scheduler's first tick writes: a race, run ten times."""
    database_url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    load.prepare_database(database_url, background_events=200)
    engine = make_engine(database_url)
    statuses: list[int] = []
    try:
        for start in range(10):
            with engine.begin() as connection:  # blocks never stored: the first build serializes them all
                connection.execute(delete(EventIcs))
            port = load.free_port()
            env = load.environment(database_url, tmp_path / "instance", port, TRACKER_SCHEDULER_INTERVAL_SECONDS="1")
            with load.tracker_serve(env, port, tmp_path / f"serve-{start}.log") as server:
                client = load.Client(server.host, server.port)
                answer = client.request("GET", "/calendar.ics")  # at once: the scheduler's first tick is running
                client.close()
                log = server.errors_logged()
            statuses.append(answer.status)
            assert answer.status == 200, f"start {start}: {answer.status}\n{log}"
            assert b"Load target 0" in answer.body
    finally:
        engine.dispose()
    assert statuses == [200] * 10


# --- the rules, in process ------------------------------------------------------------------------------------


def _stored_blocks(session: Session) -> int:
    session.rollback()  # a fresh snapshot (SQLite keeps showing the first one read)
    return session.exec(select(func.count()).select_from(EventIcs)).scalar_one()  # type: ignore[call-overload]


def test_a_get_request_session_cannot_write_and_other_methods_can(app: Flask) -> None:
    with app.test_request_context("/calendar.ics", method="GET"):
        session = get_session()
        assert is_read_only(session)
        with pytest.raises(WriteInReadOnlySession):
            session.execute(update(FeedState).values(generation=FeedState.generation))
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        with app.test_request_context("/edit/events/new", method=method):
            session = get_session()
            assert not is_read_only(session)
            session.execute(update(FeedState).values(generation=FeedState.generation))
            session.rollback()


def test_feeds_store_new_blocks_only_after_the_answer(client: FlaskClient, db_session: Session) -> None:
    ids = [make_event(db_session, title=f"Meeting {number}").id for number in range(3)]
    response = client.get("/calendar.ics")
    assert response.status_code == 200 and response.data.count(b"BEGIN:VEVENT") == 3
    assert _stored_blocks(db_session) == 0  # answered from a read-only transaction
    response.close()  # what the server does once the answer is sent
    assert _stored_blocks(db_session) == 3

    db_session.execute(delete(EventIcs))
    db_session.commit()
    single = client.get(f"/events/{ids[0]}.ics")
    assert single.status_code == 200 and b"SUMMARY:Meeting 0" in single.data
    assert _stored_blocks(db_session) == 0
    single.close()
    assert _stored_blocks(db_session) == 1


def test_blocks_serialized_before_a_rename_are_not_stored_after_it(client: FlaskClient, db_session: Session) -> None:
    make_event(db_session, title="Visit", organisations=[("Ministry of Interior", "host")])
    response = client.get("/calendar.ics")
    assert b"Ministry of Interior" in response.data
    organisation = db_session.exec(select(Organisation)).scalar_one()  # type: ignore[call-overload]
    save_organisation(db_session, organisation, OrganisationInput(name="Ministry of Internal Affairs"), utcnow())
    db_session.commit()
    response.close()  # the blocks name the old organisation: they must not be stored now
    assert _stored_blocks(db_session) == 0
    again = client.get("/calendar.ics")
    assert b"Ministry of Internal Affairs" in again.data and b"Ministry of Interior" not in again.data
    again.close()
    assert _stored_blocks(db_session) == 1


def test_a_save_waits_for_a_busy_database_instead_of_failing(
    engine: Engine, db_session: Session, editor_client: FlaskClient
) -> None:
    event = make_event(db_session, title="Before")
    path = f"/edit/events/{event.id}"
    form = load.form_with(editor_client.get(path).text, "revision")
    fields = MultiDict([(name, "Saved while busy" if name == "description" else value) for name, value in form])
    answers: list[int] = []
    with write_session(engine) as blocker:  # another writer holds the write lock (SQLite) or the row (PostgreSQL)
        blocker.execute(update(Event).where(Event.id == event.id).values(city="Ohrid"))
        saver = threading.Thread(target=lambda: answers.append(editor_client.post(path, data=fields).status_code))
        saver.start()
        saver.join(1.0)
        assert saver.is_alive(), f"the save did not wait: {answers}"
        blocker.commit()
    saver.join(30)
    assert answers == [302]
    db_session.expire_all()
    assert db_session.get(Event, event.id).description == "Saved while busy"  # type: ignore[union-attr]
