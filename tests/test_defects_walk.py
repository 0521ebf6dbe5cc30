"""The smaller defects found walking through the calendar as a reader and an editor, each reproduced through
the app (issue 10, item 9): archive year tabs, error pages, the favicon, zone names, the spring-gap message and
the zone the reminder form proposes. (Month-grid titles and printing are checked in a real browser:
tests/browser/test_public_browser.py; the confirmation mail in tests/reminders/test_confirmation_details.py.)
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlmodel import Session
from werkzeug.exceptions import default_exceptions

from tests.conftest import NOW, add_user, login, make_event
from tracker.services.demo import load_demo
from tracker.services.events import delete_event
from tracker.validation import EventInput, InputError

pytestmark = pytest.mark.usefixtures("process_zone")


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _year_tabs(body: str) -> list[int]:
    nav = re.search(r'<nav class="years".*?</nav>', body, re.S)
    return [int(year) for year in re.findall(r">(\d{4})</a>", nav.group(0))] if nav else []


# ----------------------------------------------------------------------------------------------- /past years


@pytest.fixture
def archive(db_session: Session) -> None:
    """Public past events in 2026 (a meeting) and 2022 (a conference); an internal one in 2024; a deleted one
    in 2023; nothing at all in 2025."""
    make_event(db_session, title="Meeting in September", start_date="2026-09-01")
    make_event(db_session, title="Conference of 2022", kind="conference", start_date="2022-11-15")
    make_event(db_session, title="Internal visit of 2024", start_date="2024-05-06", visibility="internal")
    deleted = make_event(db_session, title="Withdrawn seminar of 2023", start_date="2023-03-03")
    delete_event(db_session, deleted.id, None, None, NOW)
    db_session.commit()


@pytest.mark.usefixtures("archive")
def test_past_offers_only_years_with_past_events_the_reader_sees(client: FlaskClient) -> None:
    assert _year_tabs(client.get("/past").get_data(as_text=True)) == [2026, 2022]
    for year in (2026, 2022):
        assert "No past events" not in client.get(f"/past?year={year}").get_data(as_text=True)


@pytest.mark.usefixtures("archive")
def test_editors_get_the_years_of_internal_events_too(client: FlaskClient, db_session: Session) -> None:
    add_user(db_session)
    login(client)
    assert _year_tabs(client.get("/past").get_data(as_text=True)) == [2026, 2024, 2022]


@pytest.mark.usefixtures("archive")
def test_year_tabs_follow_the_filter(client: FlaskClient) -> None:
    assert _year_tabs(client.get("/past?kind=conference").get_data(as_text=True)) == [2022]
    assert _year_tabs(client.get("/past?kind=official_visit").get_data(as_text=True)) == []


def test_a_year_is_the_readers_year(client: FlaskClient, db_session: Session) -> None:
    """23:30 UTC on 31 December 2025 is already 2026 in Tokyo (08:30 on 1 January)."""
    make_event(db_session, title="New Year call", timezone="UTC", start_date="2025-12-31", start_time="23:30",
               end_time="23:50")  # fmt: skip
    assert _year_tabs(client.get("/past?tz=UTC").get_data(as_text=True)) == [2025]
    tokyo = client.get("/past?tz=Asia/Tokyo").get_data(as_text=True)
    assert _year_tabs(tokyo) == [2026]
    assert "New Year call" in client.get("/past?tz=Asia/Tokyo&year=2026").get_data(as_text=True)


# ---------------------------------------------------------------------------------------------- error pages

STOCK = [str(cls.description) for cls in default_exceptions.values() if cls.description]


def _own_error_page(response: Any, status: int) -> str:
    body = response.get_data(as_text=True)
    assert response.status_code == status, body
    assert '<p class="error-message">' in body or status == 429
    message = re.search(r'<p class="error-message">(.*?)</p>', body, re.S)
    if message:
        assert message.group(1).strip()[:1].isupper(), message.group(1)
    for stock in STOCK:
        assert stock not in body and stock.replace("'", "&#39;") not in body
    return body


def test_403_is_the_apps_own_page(client: FlaskClient, db_session: Session) -> None:
    add_user(db_session, role="editor")
    login(client)
    body = _own_error_page(client.get("/admin/reminders"), 403)
    assert "administrators" in body


def test_405_keeps_its_allow_header(client: FlaskClient) -> None:
    response = client.post("/past")
    body = _own_error_page(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
    assert "does not accept that kind of request" in body


def test_400_404_410_413_429_and_500_are_the_apps_own_pages(app_factory: Any, db_session: Session) -> None:
    app: Flask = app_factory(MAX_CONTENT_LENGTH=1000)

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    client = app.test_client()
    assert "page number" in _own_error_page(client.get("/?page=abc"), 400)
    assert "does not exist" in _own_error_page(client.get("/no/such/page"), 404)
    gone = make_event(db_session, title="Withdrawn seminar")
    delete_event(db_session, gone.id, None, None, NOW)
    db_session.commit()
    assert "deleted" in _own_error_page(client.get(f"/events/{gone.id}.ics"), 410)
    too_large = client.post("/subscriptions", data={"email": "x" * 2000})
    assert "larger than this site accepts (at most 1,000 bytes)" in _own_error_page(too_large, 413)
    add_user(db_session)
    for _ in range(10):
        answer = client.post("/login", data={"email": "editor@example.org", "password": "wrong"})
    _own_error_page(answer, 429)
    assert "logged" in _own_error_page(client.get("/boom"), 500)


# -------------------------------------------------------------------------------------------------- favicon


def test_favicon_is_served_with_long_caching_and_linked_from_pages(client: FlaskClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # the ICO header: reserved 0, type 1 (icon)
    assert icon.cache_control.max_age == 365 * 24 * 3600 and icon.cache_control.public
    page = client.get("/").get_data(as_text=True)
    links = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert "/favicon.ico" in links
    for href in links:
        assert client.get(href).status_code == 200


# ---------------------------------------------------------------------------------------------- zone names


def _zone_error(zone: str) -> str:
    values = {"title": "Meeting", "kind": "meeting", "timezone": zone, "start_date": "2026-11-10",
              "start_time": "10:00", "end_time": "11:00"}  # fmt: skip
    with pytest.raises(InputError) as refused:
        EventInput.from_form(values)
    return refused.value.errors["timezone"]


@pytest.mark.parametrize("abbreviation", ["CET", "cest", "EST", "GMT"])
def test_abbreviations_are_refused_with_the_zones_to_choose(abbreviation: str) -> None:
    message = _zone_error(abbreviation)
    assert message.startswith(f"“{abbreviation}” is an abbreviation")
    assert re.search(r"[A-Z][a-z]+/[A-Z][a-z_]+|UTC", message)


@pytest.mark.parametrize("legacy", ["US/Eastern", "Etc/GMT-1", "Japan", "EST5EDT"])
def test_other_names_outside_the_list_are_refused(legacy: str) -> None:
    assert _zone_error(legacy).startswith(f"Unknown time zone '{legacy}'")


def test_a_zone_in_another_case_is_stored_as_tzdata_spells_it(db_session: Session) -> None:
    event = make_event(db_session, timezone="europe/skopje")
    assert event.timezone == "Europe/Skopje"
    assert make_event(db_session, timezone="utc").timezone == "UTC"


def test_the_event_form_refuses_cet_and_says_why(client: FlaskClient, db_session: Session) -> None:
    add_user(db_session)
    login(client)
    form = {"title": "Meeting", "kind": "meeting", "status": "confirmed", "visibility": "public", "timezone": "CET",
            "start_date": "2026-11-10", "start_time": "10:00", "end_time": "11:00"}  # fmt: skip
    response = client.post("/edit/events/new", data=form)
    assert response.status_code == 400
    assert "is an abbreviation, not a place&#39;s time zone" in response.get_data(as_text=True)


def test_events_stored_with_an_old_zone_still_load(client: FlaskClient, db_session: Session) -> None:
    """Data written before the rule (or by hand) keeps working: its page and feed still answer."""
    event = make_event(db_session, title="Stored in CET")
    db_session.execute(text("UPDATE event SET timezone = 'CET' WHERE id = :id"), {"id": event.id})
    db_session.commit()
    assert "Stored in CET" in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Stored in CET" in client.get("/").get_data(as_text=True)
    assert "SUMMARY:Stored in CET" in client.get(f"/events/{event.id}.ics").get_data(as_text=True)


def test_the_demo_still_loads(db_session: Session) -> None:
    assert load_demo(db_session, NOW) > 0


# ------------------------------------------------------------------------------------------- spring-gap text


def test_the_spring_gap_message_keeps_the_zones_case_and_starts_with_a_capital(db_session: Session) -> None:
    with pytest.raises(InputError) as refused:
        make_event(db_session, start_date="2026-03-29", start_time="02:30", end_time="04:00", timezone="Europe/Skopje")
    message = refused.value.errors["start_time"]
    assert message == (
        "The time 02:30 on Sunday 29 March 2026 does not exist in Europe/Skopje: the clocks go forward then"
        " (02:30 reads 03:30 there). Choose another time."
    )


# ----------------------------------------------------------------------------------- reminder form's zone


def _mail_zone(body: str) -> list[str]:
    select = re.search(r'<select id="remind-timezone".*?</select>', body, re.S)
    assert select is not None
    return re.findall(r"<option selected>([^<]+)</option>", select.group(0))


def test_the_mail_zone_is_the_events_zone_on_its_page(client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session, timezone="Europe/Zurich", city="Geneva", country="CH")
    assert _mail_zone(client.get(f"/events/{event.id}").get_data(as_text=True)) == ["Europe/Zurich"]


def test_the_mail_zone_is_the_viewers_chosen_zone_when_set(client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session, timezone="Europe/Zurich", city="Geneva", country="CH")
    assert _mail_zone(client.get(f"/events/{event.id}?tz=Asia/Tokyo").get_data(as_text=True)) == ["Asia/Tokyo"]
    # remembered in the cookie for the next page
    assert _mail_zone(client.get(f"/events/{event.id}").get_data(as_text=True)) == ["Asia/Tokyo"]
    assert _mail_zone(client.get("/calendar/2026/11").get_data(as_text=True)) == ["Asia/Tokyo"]


@pytest.mark.parametrize("path", ["/", "/calendar.ics", "/calendar/2026/11"])
def test_the_viewer_zone_follows_the_same_rule_as_forms(client: FlaskClient, path: str) -> None:
    """``tz=CET`` is refused on pages and feeds as in forms; another case is read in tzdata's spelling."""
    refused = client.get(path, query_string={"tz": "CET"})
    assert refused.status_code == 400
    assert "is an abbreviation" in refused.get_data(as_text=True)
    assert client.get(path, query_string={"tz": "Etc/UTC"}).status_code == 200
    if path != "/calendar.ics":
        spelt = client.get(path, query_string={"tz": "europe/skopje"}).get_data(as_text=True)
        assert "tz=Europe/Skopje" in spelt and "tz=europe" not in spelt


def test_a_remembered_abbreviation_is_forgotten(client: FlaskClient) -> None:
    client.set_cookie("tracker_tz", "CET")
    page = client.get("/")
    assert page.status_code == 200
    assert "CET (CET)" not in page.get_data(as_text=True)
