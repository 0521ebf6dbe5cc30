"""Feeds over HTTP: validators and conditional requests, gzip, CORS, private feeds and their tokens, one event's
.ics, the subscribe box."""

from __future__ import annotations

import gzip
import hashlib
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.conftest import NOW, add_user, login, make_event
from tests.feeds_support import expected_instants, icaljs_events, icscheck, uid_of, vevents
from tracker.filters import parse_filter
from tracker.models import User
from tracker.services import feeds
from tracker.services.demo import load_demo


@pytest.fixture
def demo(db_session: Session) -> Session:
    load_demo(db_session, NOW)
    db_session.commit()
    return db_session


# --- HTTP -------------------------------------------------------------------------------------------------


def test_http_validators_conditional_requests_head_gzip_cors(client: FlaskClient, demo: Session) -> None:
    response = client.get("/calendar.ics?kind=conference")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    etag = response.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)  # strong
    assert etag.strip('"') == hashlib.sha256(response.data).hexdigest()[:32]
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept-Encoding" in response.headers["Vary"]
    last_modified = response.headers["Last-Modified"]

    assert client.get("/calendar.ics?kind=conference", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/calendar.ics?kind=conference", headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert client.get("/calendar.ics?kind=conference", headers={"If-None-Match": '"other", ' + etag}).status_code == 304
    not_modified = client.get("/calendar.ics?kind=conference", headers={"If-Modified-Since": last_modified})
    assert not_modified.status_code == 304 and not_modified.data == b"" and not_modified.headers["ETag"] == etag
    # If-None-Match decides when both are sent.
    both = {"If-None-Match": '"stale"', "If-Modified-Since": last_modified}
    assert client.get("/calendar.ics?kind=conference", headers=both).status_code == 200
    earlier = "Mon, 02 Nov 2026 08:59:59 GMT"
    assert client.get("/calendar.ics?kind=conference", headers={"If-Modified-Since": earlier}).status_code == 200

    head = client.head("/calendar.ics?kind=conference")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == str(len(response.data)) and head.headers["ETag"] == etag

    zipped = client.get("/calendar.ics?kind=conference", headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == response.data
    assert zipped.headers["ETag"] != etag and zipped.headers["ETag"].endswith('-gzip"')
    again = client.get(
        "/calendar.ics?kind=conference", headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]}
    )
    assert again.status_code == 304
    assert client.get("/calendar.ics?kind=conference", headers={"Accept-Encoding": "gzip;q=0"}).data == response.data

    preflight = client.options("/calendar.ics", headers={"Origin": "https://example.org",
                                                         "Access-Control-Request-Method": "GET"})  # fmt: skip
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    # The canonical order of filter parameters gives the same feed (and the same ETag).
    assert (
        client.get("/calendar.ics?country=MK&kind=conference").headers["ETag"]
        == client.get("/calendar.ics?kind=conference&country=MK").headers["ETag"]
    )


def test_bad_filters_are_a_400_with_a_message(client: FlaskClient, demo: Session) -> None:
    response = client.get("/calendar.ics?kind=party")
    assert response.status_code == 400 and "kind" in response.get_data(as_text=True)
    assert client.get("/calendar.ics?tz=Mars/Olympus").status_code == 400
    assert client.get("/calendar.ics?org=NOPE").status_code == 400
    assert client.get("/calendar.ics?country=" + "X" * 5000).status_code == 400


# --- private feeds --------------------------------------------------------------------------------------


def test_private_feed_token_create_use_replace_revoke(client: FlaskClient, demo: Session) -> None:
    assert client.get("/account/feed").status_code == 302  # log in first
    user = add_user(demo)
    login(client, user.email)
    page = client.get("/account/feed")
    assert page.status_code == 200 and "Create my private feed address" in page.get_data(as_text=True)
    assert 'href="/account/feed">My feed</a>' in page.get_data(as_text=True)

    created = client.post("/account/feed", data={"action": "create"})
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    match = re.search(r"http://tracker\.test/feeds/([A-Za-z0-9_-]+)\.ics", created.get_data(as_text=True))
    assert match is not None
    token = match.group(1)
    assert len(token) == 43  # 256 bits of base64url (≥ 128 required)
    demo.expire_all()
    stored = demo.get(User, user.id)
    assert stored is not None and stored.feed_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in client.get("/account/feed").get_data(as_text=True)  # shown once

    client.post("/logout")
    private = client.get(f"/feeds/{token}.ics")
    assert private.status_code == 200 and private.headers["Cache-Control"].startswith("private")
    internal_uid = "demo-europol-operational-meeting@conference-tracker"
    assert internal_uid in vevents(private.data) and b"CLASS:PRIVATE" in private.data
    assert token.encode() not in private.data
    assert internal_uid not in vevents(client.get("/calendar.ics").data)
    filtered = client.get(f"/feeds/{token}.ics?country=NL")
    assert set(vevents(filtered.data)) == {internal_uid}
    [result] = icscheck(private.data)
    assert result.clean, result.output

    login(client, user.email)
    replaced = client.post("/account/feed", data={"action": "replace"}).get_data(as_text=True)
    new_token = re.search(r"/feeds/([A-Za-z0-9_-]+)\.ics", replaced).group(1)  # type: ignore[union-attr]
    assert new_token != token
    assert client.get(f"/feeds/{token}.ics").status_code == 404
    assert client.get(f"/feeds/{new_token}.ics").status_code == 200
    client.post("/account/feed", data={"action": "revoke"})
    assert client.get(f"/feeds/{new_token}.ics").status_code == 404
    assert client.post("/account/feed", data={"action": "explode"}).status_code == 400
    for bad in ("short", "x" * 43, "../../etc", "A" * 500):
        assert client.get(f"/feeds/{bad}.ics").status_code == 404


def test_private_feed_of_a_deactivated_user_is_closed(client: FlaskClient, db_session: Session) -> None:
    user = add_user(db_session)
    token = feeds.new_feed_token(db_session, user, NOW)
    db_session.commit()
    assert client.get(f"/feeds/{token}.ics").status_code == 200
    user.active = False
    db_session.add(user)
    db_session.commit()
    assert client.get(f"/feeds/{token}.ics").status_code == 404


# --- one event ------------------------------------------------------------------------------------------


def test_single_event_download(client: FlaskClient, demo: Session) -> None:
    conference = uid_of(demo, "mia-2022-skopje-ministerial")
    page = client.get(f"/events/{conference.id}").get_data(as_text=True)
    assert f'href="/events/{conference.id}.ics?lang=en"' in page  # the page's language, for the file's texts
    response = client.get(f"/events/{conference.id}.ics")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="ministerial-conference')
    assert list(vevents(response.data)) == [conference.uid]
    assert (
        client.get(f"/events/{conference.id}.ics", headers={"If-None-Match": response.headers["ETag"]}).status_code
        == 304
    )
    timed = uid_of(demo, "new-york-side-event")
    timed_body = client.get(f"/events/{timed.id}.ics").data
    assert b"BEGIN:VTIMEZONE\r\nTZID:America/New_York" in timed_body
    results = icscheck({"conference.ics": response.data, "timed.ics": timed_body}, kind="event")
    assert all(result.clean for result in results), [result.output for result in results]
    assert icaljs_events(timed_body) == {timed.uid: expected_instants(timed)}

    internal = uid_of(demo, "europol-operational-meeting")
    assert client.get(f"/events/{internal.id}.ics").status_code == 404
    assert client.get("/events/999999.ics").status_code == 404
    demo.commit()  # end this session's read snapshot: the downloads above stored blocks since
    add_user(demo)
    login(client)
    private = client.get(f"/events/{internal.id}.ics")
    assert private.status_code == 200 and private.headers["Cache-Control"].startswith("private")


# --- subscribe box --------------------------------------------------------------------------------------


def test_subscribe_box_offers_every_client_without_javascript(app: Flask, demo: Session) -> None:
    with app.test_request_context("/?kind=conference&country=MK"):
        from flask import render_template_string, request

        from tracker.web.sessions import get_session

        event_filter = parse_filter(request.args, get_session())
        html = render_template_string('{% include "_subscribe.html" %}', event_filter=event_filter)
    assert "<details" in html and "<script" not in html
    assert 'href="webcal://tracker.test/calendar.ics?kind=conference&amp;country=MK&amp;lang=en"' in html
    assert 'value="http://tracker.test/calendar.ics?kind=conference&amp;country=MK&amp;lang=en"' in html
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Ftracker.test%2Fcalendar.ics%3Fkind" in html
    assert "https://outlook.live.com/calendar/0/addfromweb?url=http%3A%2F%2Ftracker.test%2Fcalendar.ics" in html
    assert "Conference+Tracker%3A+Conferences" in html  # Outlook gets the feed's name
    assert 'src="data:image/svg+xml' in html
    for client_name in ("Apple Calendar", "Google", "Outlook", "Thunderbird", "phone"):
        assert client_name in html


def test_public_feed_does_not_vary_on_cookies_but_pages_still_know_the_editor(
    client: FlaskClient, db_session: Session
) -> None:
    """Feeds skip loading the user (calendar clients send no cookie); pages and error pages still show them."""
    make_event(db_session)
    response = client.get("/calendar.ics")
    assert response.status_code == 200 and "Cookie" not in response.headers.get("Vary", "")
    add_user(db_session, "feeds-editor@example.org")
    login(client, "feeds-editor@example.org")
    bad = client.get("/calendar.ics?kind=party")
    assert bad.status_code == 400 and "Log out" in bad.get_data(as_text=True)
    assert "Log out" in client.get("/").get_data(as_text=True)
