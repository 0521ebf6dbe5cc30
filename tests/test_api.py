"""The JSON API's read side: FullCalendar's event-source shape, windows, zones, filters, paging, ETags, errors,
and who sees internal events. Expected answers are typed by hand from the events' own dates and times."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, add_user, make_event
from tracker.services.api_tokens import issue_token
from tracker.services.events import delete_event

GENEVA_MEETING = {
    "title": "Working meeting at the Palais des Nations",
    "kind": "meeting",
    "timezone": "Europe/Zurich",
    "start_date": "2022-11-15",
    "start_time": "10:00",
    "end_time": "11:30",
    "city": "Geneva",
    "country": "CH",
    "venue": "Palais des Nations",
    "tags": "migration",
}
NOVEMBER = "start=2022-11-01&end=2022-12-01"


@pytest.fixture
def seeded(db_session: Session) -> dict[str, Any]:
    skopje = make_event(db_session, **SKOPJE_CONFERENCE)
    geneva = make_event(db_session, **GENEVA_MEETING)
    hidden = make_event(
        db_session,
        title="Internal preparatory call",
        visibility="internal",
        start_date="2022-11-20",
        start_time="09:00",
        end_time="09:30",
        organisations=[("Secret Task Force", "host")],
        people=["Ana Hidden"],
    )
    return {"skopje": skopje, "geneva": geneva, "hidden": hidden}


def bearer(db_session: Session, *, write: bool = False, internal: bool = False, email: str = "bot@example.org") -> str:
    user = add_user(db_session, email=email, name="API robot")
    _token, secret = issue_token(db_session, "test", user, NOW, can_write=write, can_see_internal=internal)
    db_session.commit()
    return secret


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["title"] for item in response.get_json()]


def test_the_skopje_conference_in_fullcalendars_shape(client: FlaskClient, seeded: dict[str, Any]) -> None:
    response = client.get(f"/api/events?{NOVEMBER}&kind=conference")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    [item] = response.get_json()
    ident = seeded["skopje"].id
    organisations = [
        ("Ministry of Interior of the Republic of North Macedonia", "host"),
        ("Ministry of the Interior of the Czech Republic", "co_organiser"),
        ("IOM", "supporter"),
    ]
    assert [(o["name"], o["role"]) for o in item["extendedProps"].pop("organisations")] == organisations
    assert item == {
        "id": str(ident),
        "title": "Ministerial Conference on Sustainable Migration Management in the Western Balkans",
        "start": "2022-11-15",
        "end": "2022-11-17",  # 15–16 November, the end exclusive
        "allDay": True,
        "url": f"http://tracker.test/events/{ident}",
        "extendedProps": {
            "kind": "conference",
            "status": "confirmed",
            "city": "Skopje",
            "country": "MK",
            "venue": "",
            "timezone": "Europe/Skopje",
            "uid": seeded["skopje"].uid,
            "revision": 1,
            "language": "en",
            "translations": {},
            "tags": ["migration", "western balkans"],
        },
    }


@pytest.mark.parametrize(
    ("zone", "start", "end"),
    [
        ("", "2022-11-15T09:00:00Z", "2022-11-15T10:30:00Z"),  # 10:00 CET is 09:00 UTC
        ("UTC", "2022-11-15T09:00:00Z", "2022-11-15T10:30:00Z"),
        ("America/New_York", "2022-11-15T04:00:00-05:00", "2022-11-15T05:30:00-05:00"),
        ("Asia/Tokyo", "2022-11-15T18:00:00+09:00", "2022-11-15T19:30:00+09:00"),
        ("Europe/Zurich", "2022-11-15T10:00:00+01:00", "2022-11-15T11:30:00+01:00"),
    ],
)
def test_a_timed_meeting_carries_the_offset_of_the_zone_asked_for(
    client: FlaskClient, seeded: dict[str, Any], zone: str, start: str, end: str
) -> None:
    response = client.get(f"/api/events?{NOVEMBER}&country=CH" + (f"&timeZone={zone}" if zone else ""))
    [item] = response.get_json()
    assert (item["start"], item["end"], item["allDay"]) == (start, end, False)
    assert item["extendedProps"]["timezone"] == "Europe/Zurich"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("start=2022-11-16&end=2022-11-17", ["skopje"]),  # the conference's second day
        ("start=2022-11-17&end=2022-11-18", []),  # the day after it
        ("start=2022-11-14&end=2022-11-15", []),  # the end is exclusive: the 15th is not asked for
        ("start=2022-11-15T10:30:00Z&end=2022-11-16T00:00:00Z", ["skopje"]),  # Geneva ended at 10:30 UTC
        ("start=2022-11-15T10:29:59Z&end=2022-11-15T12:00:00Z", ["skopje", "geneva"]),
        ("start=2022-11-15T00:00:00Z&end=2022-11-15T09:00:00Z", ["skopje"]),  # Geneva starts at the end
        ("start=2022-11-15T11:00:00&end=2022-11-15T11:10:00&timeZone=Europe/Zurich", ["skopje", "geneva"]),
        ("start=2022-11-15T11:30:00%2B01:00&end=2022-11-15T12:00:00%2B01:00", ["skopje"]),
        # 01:00 UTC on the 15th, but the 14th where the window is: an all-day event keeps its dates.
        ("start=2022-11-14T23:00:00-02:00&end=2022-11-15T00:00:00-02:00", []),
        ("start=2022-11-16T23:00:00-02:00&end=2022-11-17T00:00:00-02:00", ["skopje"]),
    ],
)
def test_the_window_is_half_open_by_instants_and_by_local_days(
    client: FlaskClient, seeded: dict[str, Any], query: str, expected: list[str]
) -> None:
    wanted = [seeded[name].title for name in expected]
    assert titles(client.get(f"/api/events?{query}")) == wanted


def test_the_shared_filter_narrows_the_events(client: FlaskClient, seeded: dict[str, Any]) -> None:
    assert titles(client.get(f"/api/events?{NOVEMBER}&country=CH")) == [GENEVA_MEETING["title"]]
    assert titles(client.get(f"/api/events?{NOVEMBER}&org=IOM")) == [SKOPJE_CONFERENCE["title"]]
    assert titles(client.get(f"/api/events?{NOVEMBER}&tag=migration")) == [
        s["title"] for s in (SKOPJE_CONFERENCE, GENEVA_MEETING)
    ]
    assert titles(client.get(f"/api/events?{NOVEMBER}&q=palais")) == [GENEVA_MEETING["title"]]
    response = client.get(f"/api/events?{NOVEMBER}&kind=party")
    assert response.status_code == 400
    assert "kind" in response.get_json()["error"]["message"]


def test_internal_events_only_with_a_token_that_may_see_them(
    client: FlaskClient, db_session: Session, seeded: dict[str, Any]
) -> None:
    hidden = "Internal preparatory call"
    assert hidden not in titles(client.get(f"/api/events?{NOVEMBER}"))
    reader = bearer(db_session, email="reader@example.org")
    insider = bearer(db_session, internal=True, email="insider@example.org")
    assert hidden not in titles(client.get(f"/api/events?{NOVEMBER}", headers={"Authorization": f"Bearer {reader}"}))
    assert hidden in titles(client.get(f"/api/events?{NOVEMBER}", headers={"Authorization": f"Bearer {insider}"}))
    one = f"/api/events/{seeded['hidden'].id}"
    missing = client.get("/api/events/987654")
    assert client.get(one).status_code == 404 and client.get(one).get_data() == missing.get_data()
    assert client.get(one, headers={"Authorization": f"Bearer {insider}"}).get_json()["title"] == hidden
    # Its organisation and person are named to nobody else either.
    for path, name in (("/api/organisations", "Secret Task Force"), ("/api/people", "Ana Hidden")):
        assert name not in client.get(path).get_data(as_text=True)
        assert name not in client.get(path, headers={"Authorization": f"Bearer {reader}"}).get_data(as_text=True)
        assert name in client.get(path, headers={"Authorization": f"Bearer {insider}"}).get_data(as_text=True)


def test_organisations_and_people_the_public_may_know_of(client: FlaskClient, db_session: Session) -> None:
    make_event(db_session, organisations=[("IOM", "host")], people=["António Vitorino, Director General"])
    organisations = client.get("/api/organisations").get_json()
    assert [(o["name"], o["url"]) for o in organisations] == [("IOM", "http://tracker.test/organisations/iom")]
    people = client.get("/api/people").get_json()
    assert [(p["name"], p["position"]) for p in people] == [("António Vitorino", "Director General")]


def test_a_deleted_event_is_gone_and_a_deleted_internal_one_missing(
    client: FlaskClient, db_session: Session, seeded: dict[str, Any]
) -> None:
    for name in ("geneva", "hidden"):
        delete_event(db_session, seeded[name].id, None, None, NOW)
    db_session.commit()
    gone = client.get(f"/api/events/{seeded['geneva'].id}")
    assert gone.status_code == 410 and gone.get_json() == {
        "error": {"status": 410, "message": "This event has been deleted."}
    }
    assert client.get(f"/api/events/{seeded['hidden'].id}").status_code == 404
    assert GENEVA_MEETING["title"] not in titles(client.get(f"/api/events?{NOVEMBER}"))


def test_etag_gives_304_and_changes_with_the_data(client: FlaskClient, db_session: Session, seeded: dict) -> None:
    first = client.get(f"/api/events?{NOVEMBER}")
    tag = first.headers["ETag"]
    again = client.get(f"/api/events?{NOVEMBER}", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == tag
    make_event(db_session, title="Another meeting", start_date="2022-11-21")
    assert client.get(f"/api/events?{NOVEMBER}", headers={"If-None-Match": tag}).status_code == 200
    one = client.get(f"/api/events/{seeded['skopje'].id}")
    assert one.headers["ETag"].startswith('"1-')  # the revision an update names through If-Match
    assert (
        client.get(f"/api/events/{seeded['skopje'].id}", headers={"If-None-Match": one.headers["ETag"]}).status_code
        == 304
    )


def test_pages_follow_the_link_header(client: FlaskClient, db_session: Session) -> None:
    for day in range(1, 6):
        make_event(db_session, title=f"Meeting {day}", start_date=f"2022-11-0{day}")
    seen: list[str] = []
    url = f"/api/events?{NOVEMBER}&limit=2"
    for _ in range(5):
        response = client.get(url)
        seen += titles(response)
        link = response.headers.get("Link")
        if link is None:
            break
        target, rel = link.split(";")
        assert rel.strip() == 'rel="next"'
        parts = urlsplit(target.strip("<> "))
        assert parts.netloc == "tracker.test" and parse_qs(parts.query)["limit"] == ["2"]
        url = f"{parts.path}?{parts.query}"
    assert seen == [f"Meeting {day}" for day in range(1, 6)]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("start=5&end=2022-12-01", "start: '5' is not an ISO 8601 date"),
        ("start=2022-11-01&end=5", "end: '5' is not an ISO 8601 date"),
        ("start=20221101&end=2022-12-01", "not an ISO 8601"),
        ("start=2022-02-30&end=2022-12-01", "not a real date"),
        ("start=2022-12-01&end=2022-11-01", "must be after its start"),
        ("start=2022-11-01&end=2022-11-01", "must be after its start"),
        ("start=2022-01-01&end=2023-03-01", "at most 400 days"),
        ("start=2022-11-01&end=2022-12-01&timeZone=Mars/Olympus", "timeZone: unknown time zone"),
        ("start=2022-11-01&end=2022-12-01&timeZone=CET", "abbreviation"),
        ("start=2022-11-01&end=2022-12-01&limit=100000", "limit: a whole number from 1 to 1000"),
        ("start=2022-11-01&end=2022-12-01&limit=0", "limit: a whole number from 1 to 1000"),
        ("start=2022-11-01&end=2022-12-01&offset=-1", "offset: a whole number"),
        ("start=1800-01-01&end=1800-02-01", "1900 to 2200"),
    ],
)
def test_bad_parameters_are_a_400_in_json_that_names_them(client: FlaskClient, query: str, words: str) -> None:
    response = client.get(f"/api/events?{query}")
    assert response.status_code == 400 and response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == 400 and words in error["message"], error


def test_without_a_window_the_year_from_today(client: FlaskClient, db_session: Session) -> None:
    make_event(db_session, title="Next week", start_date="2026-11-10")
    make_event(db_session, title="Last month", start_date="2026-10-01")
    make_event(db_session, title="In two years", start_date="2028-11-10")
    with time_machine.travel(NOW, tick=False):
        assert titles(client.get("/api/events")) == ["Next week"]


def test_every_api_error_is_json(client: FlaskClient) -> None:
    expected = {
        ("GET", "/api/nowhere"): 404,
        ("DELETE", "/api/events"): 405,
        ("GET", "/api/events/99999999999"): 404,
        ("PUT", "/api/organisations"): 405,
    }
    for (method, path), status in expected.items():
        response = client.open(path, method=method)
        assert response.status_code == status and response.mimetype == "application/json", (method, path)
        assert response.get_json()["error"]["status"] == status
    assert client.delete("/api/events").headers["Allow"]
    # The pages keep their HTML error pages.
    assert client.get("/nowhere").mimetype == "text/html"


def test_a_server_error_under_api_is_json(app: Any, client: FlaskClient) -> None:
    @app.get("/api/test-failure")
    def _fails() -> str:
        raise RuntimeError("boom")

    response = client.get("/api/test-failure")
    assert response.status_code == 500 and response.get_json()["error"]["status"] == 500
    assert "boom" not in response.get_data(as_text=True)
