"""Calendar sources kept in sync, against a real HTTP server on loopback whose feed the test changes.

The server is the oracle for conditional GET (it records the request headers it received); the events' state
is read from the database rows and compared with values typed by hand.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlmodel import Session, select

from tests.conftest import add_user, empty_all_tables, login, make_event
from tracker.models import CalendarSource, Event, ImportedEvent
from tracker.scheduler import run_source_sync
from tracker.services.events import event_input_from, update_event
from tracker.services.sources import error_lines
from tracker.validation import EventInput
from tracker.web.sessions import get_engine

TODAY = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


class FeedServer:
    """Serves ``body`` at any path; answers 304 to a matching If-None-Match when ``etag`` is set."""

    def __init__(self) -> None:
        self.body = b""
        self.etag = ""
        self.requests: list[dict[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(dict(self.headers.items()))
                if owner.etag and self.headers.get("If-None-Match") == owner.etag:
                    self.send_response(304)
                    self.send_header("ETag", owner.etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("Content-Length", str(len(owner.body)))
                if owner.etag:
                    self.send_header("ETag", owner.etag)
                self.end_headers()
                self.wfile.write(owner.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/partner.ics"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def sync_app(app_factory: Any) -> Flask:
    built = app_factory(SOURCE_ALLOW_PRIVATE_ADDRESSES=True)
    empty_all_tables(get_engine(built))
    return built


def vevent(uid: str, summary: str, start: str, end: str, *, sequence: int = 0, status: str = "CONFIRMED") -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T080000Z\r\nSEQUENCE:{sequence}\r\nSTATUS:{status}\r\n"
        f"SUMMARY:{summary}\r\nDTSTART;TZID=Europe/Skopje:{start}\r\nDTEND;TZID=Europe/Skopje:{end}\r\n"
        "LOCATION:Skopje, North Macedonia\r\nEND:VEVENT\r\n"
    )


def calendar(*events: str) -> bytes:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Partner ministry//Events//EN\r\n"
    return (head + "".join(events) + "END:VCALENDAR\r\n").encode()


MOVED = ("a@partner.example", "Bilateral meeting on border management", "20270112T100000", "20270112T120000")
CANCELLED = ("b@partner.example", "Regional conference on returns", "20270114T090000", "20270114T170000")
DROPPED = ("c@partner.example", "Working visit of the Interior Minister", "20270118T100000", "20270118T130000")
RENAMED_UID = ("d@partner.example", "Joint press conference", "20270120T110000", "20270120T120000")


def _register(client: FlaskClient, url: str, **fields: str) -> int:
    form = {"name": "Partner ministry", "url": url, "default_kind": "meeting", "default_visibility": "public"}
    response = client.post("/edit/sources", data={**form, "interval_minutes": "60", **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _events(session: Session) -> dict[str, Event]:
    session.rollback()  # a fresh snapshot: the sync committed in sessions of its own
    return {event.title: event for event in session.exec(select(Event)).all()}


def test_a_source_is_created_kept_in_sync_and_its_cancellations_and_drops_follow(
    sync_app: Flask, feed_server: FeedServer
) -> None:
    engine = get_engine(sync_app)
    session = Session(engine)
    add_user(session)
    client = sync_app.test_client()
    feed_server.body = calendar(*(vevent(*item) for item in (MOVED, CANCELLED, DROPPED, RENAMED_UID)))
    with time_machine.travel(TODAY, tick=False):
        login(client)
        source_id = _register(client, feed_server.url)
        assert run_source_sync(sync_app) == {source_id: "changed"}
    first = _events(session)
    assert len(first) == 4
    ids = {title: event.id for title, event in first.items()}
    # 10:00 in Skopje on 12 January 2027 is 09:00 UTC (CET), typed by hand.
    assert first[MOVED[1]].start_dt == datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
    assert (first[MOVED[1]].city, first[MOVED[1]].country) == ("Skopje", "MK")

    feed_server.body = calendar(
        vevent(MOVED[0], MOVED[1], "20270113T150000", "20270113T170000", sequence=1),
        vevent(*CANCELLED, sequence=1, status="CANCELLED"),
        vevent("d-renamed@partner.example", *RENAMED_UID[1:]),
    )
    with time_machine.travel(TODAY + timedelta(hours=2), tick=False):
        assert run_source_sync(sync_app) == {source_id: "changed"}

    after = _events(session)
    assert {title: event.id for title, event in after.items()} == ids  # nothing duplicated, nothing lost
    assert after[MOVED[1]].start_dt == datetime(2027, 1, 13, 14, 0, tzinfo=UTC)
    assert after[MOVED[1]].status == "confirmed"
    assert after[CANCELLED[1]].status == "cancelled"
    assert after[DROPPED[1]].status == "cancelled"
    assert after[DROPPED[1]].cancel_reason == "Removed from the source calendar."
    assert after[RENAMED_UID[1]].status == "confirmed"
    link = session.exec(select(ImportedEvent).where(ImportedEvent.event_id == ids[RENAMED_UID[1]])).one()
    assert link.uid == "d-renamed@partner.example"
    page = client.get(f"/edit/sources/{source_id}").get_data(as_text=True)
    assert "read and applied" in page
    session.close()


def test_an_unchanged_feed_is_not_read_again(sync_app: Flask, feed_server: FeedServer) -> None:
    session = Session(get_engine(sync_app))
    add_user(session)
    client = sync_app.test_client()
    feed_server.body, feed_server.etag = calendar(vevent(*MOVED)), '"v1"'
    with time_machine.travel(TODAY, tick=False):
        login(client)
        source_id = _register(client, feed_server.url)
        assert run_source_sync(sync_app) == {source_id: "changed"}
    with time_machine.travel(TODAY + timedelta(minutes=61), tick=False):
        assert run_source_sync(sync_app) == {source_id: "not-modified"}
    assert feed_server.requests[-1].get("If-None-Match") == '"v1"'
    feed_server.etag = ""  # a server without validators: the same body is recognised by its hash
    with time_machine.travel(TODAY + timedelta(minutes=122), tick=False):
        assert run_source_sync(sync_app) == {source_id: "unchanged"}
        assert run_source_sync(sync_app) == {}  # not due again before its interval
    assert session.exec(select(func.count()).select_from(Event)).one() == 1
    session.close()


def test_a_local_edit_meets_the_source_change_as_a_conflict_the_editor_settles(
    sync_app: Flask, feed_server: FeedServer
) -> None:
    session = Session(get_engine(sync_app), expire_on_commit=False)
    add_user(session)
    client = sync_app.test_client()
    feed_server.body = calendar(vevent(*MOVED))
    with time_machine.travel(TODAY, tick=False):
        login(client)
        source_id = _register(client, feed_server.url)
        run_source_sync(sync_app)
        event = session.exec(select(Event)).one()
        edited = EventInput.from_form({**event_input_from(event), "venue": "Government building"})
        update_event(session, event.id, edited, None, None, TODAY)
        session.commit()
    feed_server.body = calendar(vevent(MOVED[0], MOVED[1], "20270113T150000", "20270113T170000", sequence=1))
    with time_machine.travel(TODAY + timedelta(minutes=61), tick=False):
        run_source_sync(sync_app)
    session.rollback()
    event = session.get(Event, event.id)
    assert event.start_dt == datetime(2027, 1, 12, 9, 0, tzinfo=UTC)  # the local edit is not overwritten
    page = client.get(f"/edit/sources/{source_id}").get_data(as_text=True)
    assert "Edited here and changed in the source" in page
    link = session.exec(select(ImportedEvent)).one()

    response = client.post(f"/edit/sources/conflicts/{link.id}", data={"choice": "source"})

    assert response.status_code == 302
    session.rollback()
    event = session.get(Event, event.id)
    assert event.start_dt == datetime(2027, 1, 13, 14, 0, tzinfo=UTC)
    assert session.exec(select(ImportedEvent)).one().pending_input == ""
    session.close()


def test_a_bad_feed_changes_nothing_and_the_source_backs_off(sync_app: Flask, feed_server: FeedServer) -> None:
    session = Session(get_engine(sync_app))
    add_user(session)
    client = sync_app.test_client()
    every_second = vevent(*MOVED).replace("END:VEVENT", "RRULE:FREQ=SECONDLY\r\nEND:VEVENT")
    feed_server.body = calendar(vevent(*CANCELLED), every_second)
    with time_machine.travel(TODAY, tick=False):
        login(client)
        source_id = _register(client, feed_server.url)
        assert run_source_sync(sync_app) == {source_id: "error"}
    assert session.exec(select(func.count()).select_from(Event)).one() == 0
    source = session.get(CalendarSource, source_id)
    assert source.failures == 1
    assert source.next_fetch_dt == TODAY + timedelta(minutes=120)  # twice the interval after one failure
    assert error_lines(source) == [  # stored in no language (tracker.phrases), shown in the reader's
        "The event “Bilateral meeting on border management” (line 14) repeats every second (line 23): "
        "events that repeat more often than daily cannot be imported"
    ]
    listing = client.get("/edit/sources").get_data(as_text=True)
    assert "1 failure in a row, backing off" in listing
    add_user(session, "admin@example.org", role="admin", name="Ana Admin")
    admin = sync_app.test_client()
    with time_machine.travel(TODAY, tick=False):
        login(admin, "admin@example.org")
        overview = admin.get("/admin/reminders").get_data(as_text=True)
    assert "Partner ministry</a>: 1 failed fetch in a row, backing off; next try 2026-12-03 10:00 UTC." in overview
    session.close()


def test_a_source_on_an_internal_address_is_refused(app: Flask, feed_server: FeedServer, db_session: Session) -> None:
    add_user(db_session)
    client = app.test_client()
    feed_server.body = calendar(vevent(*MOVED))
    with time_machine.travel(TODAY, tick=False):
        login(client)
        source_id = _register(client, feed_server.url)
        assert run_source_sync(app) == {source_id: "error"}
    db_session.rollback()
    assert "internal" in db_session.get(CalendarSource, source_id).last_error
    assert feed_server.requests == []  # refused before connecting
    assert db_session.exec(select(func.count()).select_from(Event)).one() == 0
    with time_machine.travel(TODAY, tick=False):
        client.post(f"/edit/sources/{source_id}/sync")
        page = client.get(f"/edit/sources/{source_id}").get_data(as_text=True)
    assert "Sync failed: The address 127.0.0.1 is internal; only public addresses are fetched." in page


def _count(session: Session) -> int:
    session.rollback()
    return session.exec(select(func.count()).select_from(Event)).one()


def _flagged_key(page: str) -> str:
    found = re.search(r'name="key" value="([^"]*)"', page)
    assert found, "no flagged event on the page"
    return html.unescape(found.group(1))


def _hand_entered_twin(session: Session) -> int:
    """The MOVED meeting as an editor typed it, before the source was registered."""
    event = make_event(
        session,
        title="Bilateral meeting on border management",
        start_date="2027-01-12",
        start_time="10:00",
        end_time="12:00",
        venue="Government building",
    )
    session.commit()
    return event.id


def test_a_possible_duplicate_is_left_out_until_the_editor_links_it(sync_app: Flask, feed_server: FeedServer) -> None:
    session = Session(get_engine(sync_app), expire_on_commit=False)
    add_user(session)
    client = sync_app.test_client()
    twin = _hand_entered_twin(session)
    feed_server.body = calendar(vevent(*MOVED), vevent(*CANCELLED))
    with time_machine.travel(TODAY, tick=False):
        login(client)
        source_id = _register(client, feed_server.url)
        run_source_sync(sync_app)
        page = client.get(f"/edit/sources/{source_id}").get_data(as_text=True)
        assert "Left out as possible duplicates" in page
        assert len(_events(session)) == 2  # the twin and the other meeting; the flagged one is not created
        response = client.post(
            f"/edit/sources/{source_id}/flagged", data={"key": _flagged_key(page), "choice": "link", "event_id": twin}
        )
        assert response.status_code == 302
    with time_machine.travel(TODAY + timedelta(minutes=1), tick=False):
        assert run_source_sync(sync_app) == {source_id: "changed"}  # read again although the body is the same
    assert len(_events(session)) == 2
    assert session.exec(select(ImportedEvent.uid).where(ImportedEvent.event_id == twin)).one() == MOVED[0]
    assert "Left out as possible duplicates" not in client.get(f"/edit/sources/{source_id}").get_data(as_text=True)

    feed_server.body = calendar(vevent(MOVED[0], MOVED[1], "20270113T150000", "20270113T170000", sequence=1))
    with time_machine.travel(TODAY + timedelta(minutes=62), tick=False):
        run_source_sync(sync_app)
    events = _events(session)
    assert events[MOVED[1]].start_dt == datetime(2027, 1, 12, 9, 0, tzinfo=UTC)  # the editor's event is not overwritten
    assert events[MOVED[1]].venue == "Government building"
    assert "Edited here and changed in the source" in client.get(f"/edit/sources/{source_id}").get_data(as_text=True)
    session.close()


def test_a_possible_duplicate_the_editor_calls_another_event_is_created(
    sync_app: Flask, feed_server: FeedServer
) -> None:
    session = Session(get_engine(sync_app), expire_on_commit=False)
    add_user(session)
    client = sync_app.test_client()
    _hand_entered_twin(session)
    feed_server.body = calendar(vevent(*MOVED))
    with time_machine.travel(TODAY, tick=False):
        login(client)
        source_id = _register(client, feed_server.url)
        run_source_sync(sync_app)
        page = client.get(f"/edit/sources/{source_id}").get_data(as_text=True)
        client.post(f"/edit/sources/{source_id}/flagged", data={"key": _flagged_key(page), "choice": "create"})
        assert _count(session) == 1
    with time_machine.travel(TODAY + timedelta(minutes=1), tick=False):
        run_source_sync(sync_app)
    assert _count(session) == 2
    with time_machine.travel(TODAY + timedelta(minutes=62), tick=False):
        run_source_sync(sync_app)  # the wish is done with: nothing more is created
    assert _count(session) == 2
    session.close()
