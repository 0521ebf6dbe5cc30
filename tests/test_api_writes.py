"""Writing through the JSON API: create, update on a named revision, cancel — with a write token only, through
the editor form's validation; what is written shows on the event page and in the feed."""

from __future__ import annotations

import re
import uuid
from typing import Any

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

from tests.conftest import NOW, TEST_PASSWORD, add_user, make_event
from tracker.models import Event, EventRevision
from tracker.services.api_tokens import issue_token

NEW_EVENT = {
    "title": "Regional conference on return and reintegration",
    "kind": "conference",
    "all_day": False,
    "timezone": "Europe/Belgrade",
    "start_date": "2026-12-08",
    "start_time": "09:30",
    "end_time": "17:00",
    "city": "Belgrade",
    "country": "RS",
    "tags": ["migration", "return"],
    "organisations": [{"name": "IOM", "role": "host"}],
    "people": ["Ivana Petrović, State Secretary"],
}


def token(db_session: Session, *, write: bool = True, internal: bool = False) -> dict[str, str]:
    """A bearer header for a new token (each on an account of its own)."""
    user = add_user(db_session, email=f"bot-{uuid.uuid4().hex[:8]}@example.org", name="API robot")
    _row, secret = issue_token(db_session, "robot", user, NOW, can_write=write, can_see_internal=internal)
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def count_events(db_session: Session) -> int:
    db_session.expire_all()
    return db_session.exec(select(func.count()).select_from(Event)).scalar_one()  # type: ignore[call-overload]


def test_a_write_token_creates_an_event_that_the_page_and_the_feed_show(
    client: FlaskClient, db_session: Session
) -> None:
    response = client.post("/api/events", json=NEW_EVENT, headers=token(db_session))
    assert response.status_code == 201, response.get_data(as_text=True)
    item = response.get_json()
    ident = int(item["id"])
    assert response.headers["Location"] == f"http://tracker.test/api/events/{ident}"
    # 09:30 in Belgrade in December (CET, UTC+1) is 08:30 UTC.
    assert (item["start"], item["end"], item["allDay"]) == ("2026-12-08T08:30:00Z", "2026-12-08T16:00:00Z", False)
    assert item["extendedProps"]["people"][0]["name"] == "Ivana Petrović"
    page = client.get(f"/events/{ident}").get_data(as_text=True)
    assert "Regional conference on return and reintegration" in page
    feed = icalendar.Calendar.from_ical(client.get("/calendar.ics").get_data())
    [vevent] = [c for c in feed.walk("VEVENT") if str(c["SUMMARY"]) == NEW_EVENT["title"]]
    assert vevent["DTSTART"].dt.isoformat() == "2026-12-08T09:30:00+01:00"
    assert str(vevent["DTSTART"].dt.tzinfo) == "Europe/Belgrade"
    revision = db_session.exec(select(EventRevision).where(EventRevision.event_id == ident)).scalar_one()
    assert revision.action == "created" and revision.user_id is not None


def test_a_listing_kept_in_memory_shows_a_new_event_at_once(client: FlaskClient, db_session: Session) -> None:
    december = "/api/events?start=2026-12-01&end=2027-01-01"
    before = client.get(december)
    assert before.get_json() == []
    assert client.post("/api/events", json=NEW_EVENT, headers=token(db_session)).status_code == 201
    after = client.get(december, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and [item["title"] for item in after.get_json()] == [NEW_EVENT["title"]]
    make_event(db_session, title="Typed in the editor", start_date="2026-12-20")  # another session's commit
    assert len(client.get(december).get_json()) == 2


def test_an_all_day_event_from_the_api_has_dates_and_an_exclusive_end(client: FlaskClient, db_session: Session) -> None:
    body = {"title": "Two-day summit", "all_day": True, "start_date": "2026-12-10", "end_date": "2026-12-11"}
    item = client.post("/api/events", json=body, headers=token(db_session)).get_json()
    assert (item["start"], item["end"], item["allDay"]) == ("2026-12-10", "2026-12-12", True)
    assert item["extendedProps"]["timezone"] == "UTC"  # no place, no zone: UTC days, as the form does


def test_reading_tokens_cookies_and_no_token_cannot_write(app_factory: Any, db_session: Session, editor: Any) -> None:
    app: Flask = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert client.post("/api/events", json=NEW_EVENT).status_code == 401
    refused = client.post("/api/events", json=NEW_EVENT, headers=token(db_session, write=False))
    assert refused.status_code == 403 and refused.get_json()["error"]["message"] == "This API token may only read."
    # A logged-in editor's cookie opens nothing under /api/ (so no other site can ride it).
    with app.test_client() as browser:
        form = browser.get("/login").get_data(as_text=True)
        csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', form)[1]  # type: ignore[index]
        data = {"email": editor.email, "password": TEST_PASSWORD, "csrf_token": csrf_token}
        assert browser.post("/login", data=data).status_code == 302
        assert browser.get("/edit/events/new").status_code == 200  # logged in indeed
        assert browser.post("/api/events", json=NEW_EVENT).status_code == 401
        # …and the pages keep their CSRF check: a form posted without its token is refused.
        assert browser.post("/edit/events/new", data={"title": "x"}).status_code == 400
    assert count_events(db_session) == 0


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({**NEW_EVENT, "title": ""}, "title", "Enter a title."),
        ({**NEW_EVENT, "end_date": "2026-12-07"}, "end_date", "before the start date"),
        ({**NEW_EVENT, "timezone": "CET"}, "timezone", "abbreviation"),
        ({**NEW_EVENT, "title": 5}, "title", "a string"),
        ({**NEW_EVENT, "all_day": "yes"}, "all_day", "true or false"),
        ({**NEW_EVENT, "tags": "migration"}, "tags", "a list"),
        ({**NEW_EVENT, "organisations": [{"name": "IOM", "role": "boss"}]}, "organisations", "role"),
        ({**NEW_EVENT, "titel": "typo"}, "titel", "unknown field"),
        (
            {**NEW_EVENT, "start_date": "2026-03-29", "start_time": "02:30", "timezone": "Europe/Berlin"},
            "start_time",
            "does not exist",
        ),
    ],
)
def test_invalid_bodies_are_a_422_naming_the_field(
    client: FlaskClient, db_session: Session, body: dict[str, Any], field: str, words: str
) -> None:
    response = client.post("/api/events", json=body, headers=token(db_session))
    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert words in error["fields"][field], error
    assert count_events(db_session) == 0


def test_a_body_that_is_not_a_json_object_is_a_400(client: FlaskClient, db_session: Session) -> None:
    headers = token(db_session)
    for data, kind in (
        ("{", "application/json"),
        ("title=x", "application/x-www-form-urlencoded"),
        ("[]", "application/json"),
    ):
        response = client.post("/api/events", data=data, content_type=kind, headers=headers)
        assert response.status_code == 400 and "JSON object" in response.get_json()["error"]["message"]


def test_internal_events_need_a_token_that_may_see_them(client: FlaskClient, db_session: Session) -> None:
    body = {**NEW_EVENT, "visibility": "internal"}
    assert client.post("/api/events", json=body, headers=token(db_session)).status_code == 403
    hidden = make_event(db_session, title="Internal call", visibility="internal")
    plain = token(db_session, write=True, internal=False)
    patched = client.patch(f"/api/events/{hidden.id}", json={"title": "x", "revision": 1}, headers=plain)
    assert patched.status_code == 404  # it does not exist for this token
    insider = token(db_session, write=True, internal=True)
    assert client.post("/api/events", json=body, headers=insider).status_code == 201


def test_an_update_names_the_revision_it_was_made_on(client: FlaskClient, db_session: Session) -> None:
    headers = token(db_session)
    event = make_event(db_session, title="Working meeting")
    path = f"/api/events/{event.id}"
    etag = client.get(path).headers["ETag"]
    assert client.patch(path, json={"title": "Renamed"}, headers=headers).status_code == 428
    changed = client.patch(path, json={"title": "Working meeting on returns"}, headers={**headers, "If-Match": etag})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    item = changed.get_json()
    assert item["title"] == "Working meeting on returns" and item["extendedProps"]["revision"] == 2
    assert item["start"] == "2026-11-10T09:00:00Z"  # untouched fields keep their values (10:00 in Skopje)
    stale = client.patch(path, json={"title": "Again"}, headers={**headers, "If-Match": etag})
    assert stale.status_code == 412 and stale.get_json()["error"]["fields"] == {"revision": "2"}
    conflict = client.patch(path, json={"title": "Again", "revision": 1}, headers=headers)
    assert conflict.status_code == 409
    moved = client.patch(path, json={"start_time": "14:00", "end_time": "15:00", "revision": 2}, headers=headers)
    assert moved.status_code == 200 and moved.get_json()["start"] == "2026-11-10T13:00:00Z"
    db_session.expire_all()
    assert db_session.get(Event, event.id).sequence == 1  # moved: calendars replace their copy  # type: ignore[union-attr]


def test_cancel_with_a_reason(client: FlaskClient, db_session: Session) -> None:
    headers = token(db_session)
    event = make_event(db_session, title="Working meeting")
    path = f"/api/events/{event.id}/cancel"
    assert client.post(path, json={"reason": "x" * 501}, headers=headers).status_code == 422
    assert client.post(path, json={"why": "?"}, headers=headers).status_code == 422
    response = client.post(path, json={"reason": "The minister is ill."}, headers=headers)
    assert response.status_code == 200
    props = response.get_json()["extendedProps"]
    assert (props["status"], props["cancel_reason"]) == ("cancelled", "The minister is ill.")
    assert "The minister is ill." in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert client.post(f"/api/events/{event.id + 1000}/cancel", headers=headers).status_code == 404


def test_a_body_over_the_limit_is_a_413_in_json(app_factory: Any, db_session: Session) -> None:
    client = app_factory(MAX_CONTENT_LENGTH=1000).test_client()
    body = {**NEW_EVENT, "description": "x" * 2000}
    response = client.post("/api/events", json=body, headers=token(db_session))
    assert response.status_code == 413 and response.get_json()["error"]["status"] == 413
    assert count_events(db_session) == 0
