"""Feeds end to end: what subscribed calendar clients get over HTTP, checked by the shared checker and ical.js."""

from __future__ import annotations

import gzip
import hashlib
import random
import re
import unicodedata
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import icalendar
import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, add_user, login, make_event
from tests.feeds_support import bulk_events, expected_instants, icaljs_events, icscheck
from tracker.config import ConfigError, load_config
from tracker.filters import EventFilter, parse_filter
from tracker.models import Event, EventIcs, User
from tracker.models.feeds import bump_generation
from tracker.services import feeds
from tracker.services.demo import load_demo
from tracker.services.directory import save_organisation
from tracker.services.events import find_organisation
from tracker.services.listing import with_details
from tracker.validation import OrganisationInput


def vevents(body: bytes) -> dict[str, Any]:
    return {str(component["UID"]): component for component in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def unfolded_text(body: bytes) -> str:
    return body.decode("utf-8").replace("\r\n ", "")


def form_data(values: dict[str, Any], revision: int | None = None) -> dict[str, Any]:
    data = {key: value for key, value in values.items() if key != "organisations"}
    data["org_name[]"] = [name for name, _ in values.get("organisations", [])]
    data["org_role[]"] = [role for _, role in values.get("organisations", [])]
    if revision is not None:
        data["revision"] = str(revision)
    return data


@pytest.fixture
def demo(db_session: Session) -> Session:
    load_demo(db_session, NOW)
    db_session.commit()
    return db_session


def uid_of(session: Session, key: str) -> Event:
    return session.exec(select(Event).where(Event.uid == f"demo-{key}@conference-tracker")).scalar_one()  # type: ignore[call-overload]


# --- content --------------------------------------------------------------------------------------------


def test_demo_feed_is_clean_and_a_real_client_reads_it_like_the_database(client: FlaskClient, demo: Session) -> None:
    with time_machine.travel(NOW, tick=False):
        response = client.get("/calendar.ics")
    assert response.status_code == 200
    body = response.data
    [result] = icscheck(body)
    assert result.clean, result.output
    public = demo.exec(select(Event).where(Event.visibility == "public")).scalars().all()  # type: ignore[call-overload]
    assert result.events == len(public) == 16
    seen = icaljs_events(body)
    assert seen == {event.uid: expected_instants(event) for event in public}
    # The press release: the Skopje conference is two all-day days, the Geneva visit is on Monday 7 November.
    assert seen["demo-mia-2022-skopje-ministerial@conference-tracker"] == ("D:20221115", "D:20221117")
    assert seen["demo-mia-2022-geneva-visit@conference-tracker"] == ("D:20221107", "D:20221108")
    assert "demo-europol-operational-meeting@conference-tracker" not in seen  # internal
    text = unfolded_text(body)
    assert "NAME:Conference Tracker\r\n" in text and "X-WR-CALNAME:Conference Tracker\r\n" in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text and "X-PUBLISHED-TTL:PT1H\r\n" in text
    events = vevents(body)
    assert events["demo-euaa-valletta-workshop@conference-tracker"]["STATUS"] == "CANCELLED"
    belgrade = events["demo-belgrade-border-talks@conference-tracker"]
    assert str(belgrade["SUMMARY"]).startswith("Postponed, new date to be announced: ")


def test_geneva_visit_with_a_time_shows_at_the_local_time_in_geneva(editor_client: FlaskClient, demo: Session) -> None:
    visit = uid_of(demo, "mia-2022-geneva-visit")
    values = {"title": visit.title, "kind": "official_visit", "status": "confirmed", "visibility": "public",
              "timezone": "Europe/Zurich", "start_date": "2022-11-07", "start_time": "10:00", "end_time": "12:00",
              "city": "Geneva", "country": "CH", "organisations": [("IOM", "participant")]}  # fmt: skip
    response = editor_client.post(f"/edit/events/{visit.id}", data=form_data(values, visit.revision))
    assert response.status_code == 302, response.data
    body = editor_client.get("/calendar.ics").data
    assert "DTSTART;TZID=Europe/Zurich:20221107T100000\r\n" in unfolded_text(body)
    seen = icaljs_events(body)
    # 10:00 in Geneva on 7 November 2022 (CET, UTC+1) is 09:00 UTC.
    assert seen[visit.uid] == ("U:1667811600", "U:1667818800")
    [result] = icscheck(body)
    assert result.clean, result.output


#: (query, what it selects in plain terms, the calendar's NAME as written in the feed, commas escaped).
FILTERS: list[tuple[str, dict[str, set[str]], str]] = [
    ("kind=conference", {"kind": {"conference"}}, "Conference Tracker: Conferences"),
    ("kind=meeting", {"kind": {"meeting"}}, "Conference Tracker: Meetings"),
    ("kind=official_visit", {"kind": {"official_visit"}}, "Conference Tracker: Official visits"),
    ("kind=other", {"kind": {"other"}}, "Conference Tracker: Others"),
    ("status=confirmed", {"status": {"confirmed"}}, "Conference Tracker: Confirmed"),
    ("status=tentative", {"status": {"tentative"}}, "Conference Tracker: Tentative"),
    ("status=postponed", {"status": {"postponed"}}, "Conference Tracker: Postponed"),
    ("status=cancelled", {"status": {"cancelled"}}, "Conference Tracker: Cancelled"),
    ("country=MK", {"country": {"MK"}}, "Conference Tracker: North Macedonia"),
    ("country=CH&country=US", {"country": {"CH", "US"}}, "Conference Tracker: Switzerland\\, United States"),
    ("org=IOM", {"org": {"IOM"}}, "Conference Tracker: IOM"),
    ("org=MoI%20MK", {"org": {"MoI MK"}}, "Conference Tracker: MoI MK"),
    ("tag=migration", {"tag": {"migration"}}, "Conference Tracker: #migration"),
    ("tag=western%20balkans", {"tag": {"western balkans"}}, "Conference Tracker: #western balkans"),
    ("q=Skopje", {"q": {"skopje"}}, "Conference Tracker: “Skopje”"),
    ("q=Geneva%20IOM", {"q": {"geneva", "iom"}}, "Conference Tracker: “Geneva IOM”"),
    ("kind=conference&country=MK&org=IOM", {"kind": {"conference"}, "country": {"MK"}, "org": {"IOM"}},
     "Conference Tracker: Conferences · North Macedonia · IOM"),
    ("kind=meeting,official_visit&status=confirmed&tz=Asia/Tokyo",
     {"kind": {"meeting", "official_visit"}, "status": {"confirmed"}},
     "Conference Tracker: Meetings\\, Official visits · Confirmed"),
    ("country=JP", {"country": {"JP"}}, "Conference Tracker: Japan"),
]  # fmt: skip


def _folded_words(*texts: str | None) -> set[str]:
    """Lower-case words without Latin accents, as a reader would type them."""
    text = unicodedata.normalize("NFKD", " ".join(text or "" for text in texts).lower())
    return set(re.findall(r"[^\W_]+", "".join(char for char in text if not unicodedata.combining(char))))


def _selected(event: Event, wanted: dict[str, set[str]], now: datetime) -> bool:
    """Whether a public feed with these criteria holds ``event``: decided from the event's own values, not
    from ``EventFilter`` (every query word must begin a word of the event's texts or names)."""
    if event.visibility != "public":
        return False
    gone = event.deleted_dt is not None or event.status == "cancelled"
    if gone and max(event.end_dt, event.updated_dt) <= now - timedelta(days=60):
        return False
    organisations = [link.organisation for link in event.organisation_links]
    values = {
        "kind": {event.kind},
        "status": {event.status},
        "country": {event.country},
        "org": {organisation.acronym for organisation in organisations} | {o.name for o in organisations},
        "tag": set(event.tags),
    }
    for criterion, accepted in wanted.items():
        if criterion == "q":
            words = _folded_words(event.title, event.description, event.venue, event.city, *event.tags,
                                  *(o.name for o in organisations), *(o.acronym for o in organisations),
                                  *(person.name for person in event.people))  # fmt: skip
            if not all(any(word.startswith(query) for word in words) for query in accepted):
                return False
        elif not values[criterion] & accepted:
            return False
    return True


def test_every_filter_gives_a_clean_feed_with_exactly_its_events(client: FlaskClient, demo: Session) -> None:
    demo_events = demo.exec(with_details(select(Event))).scalars().unique().all()  # type: ignore[call-overload]
    bodies: dict[str, bytes] = {}
    for number, (query, wanted, feed_name) in enumerate(FILTERS):
        with time_machine.travel(NOW, tick=False):
            response = client.get(f"/calendar.ics?{query}")
        assert response.status_code == 200, (query, response.data)
        body = response.data
        expected = {event.uid for event in demo_events if _selected(event, wanted, NOW)}
        assert set(vevents(body)) == expected, query
        name = re.search(r"\r\nNAME:([^\r]*)", unfolded_text(body))
        assert name is not None and name.group(1) == feed_name, query
        bodies[f"filter-{number}.ics"] = body
    assert bodies["filter-18.ics"].count(b"BEGIN:VEVENT") == 0  # nothing in Japan: still a valid calendar
    sizes = {query: len(vevents(bodies[f"filter-{number}.ics"])) for number, (query, *_rest) in enumerate(FILTERS)}
    assert sizes["kind=other"] == 0 and all(sizes[query] > 0 for query in ("status=postponed", "q=Geneva%20IOM"))
    for (query, *_rest), result in zip(FILTERS, icscheck(bodies), strict=True):
        assert result.clean, (query, result.output)


#: Events of the large-feed test: more than two chunks of stored blocks, every zone, DST day, status and
#: hostile title of ``bulk_events`` many times over. ``bench/feeds.py`` checks the 10,000-event feed the same way.
LARGE_FEED_EVENTS = 1_200


def test_large_feed_is_clean_and_every_instant_matches(client: FlaskClient, db_session: Session) -> None:
    load_demo(db_session, NOW)
    db_session.commit()
    bulk_events(db_session, LARGE_FEED_EVENTS, NOW)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    body = gzip.decompress(response.data)
    cutoff = feeds.tombstone_cutoff(NOW)
    included = [
        event
        for event in db_session.exec(select(Event).where(Event.visibility == "public")).scalars()  # type: ignore[call-overload]
        if not (event.status == "cancelled" and event.end_dt <= cutoff and event.updated_dt <= cutoff)
    ]
    assert len(included) > 0.9 * LARGE_FEED_EVENTS and len(included) > 2 * feeds.BLOCK_CHUNK
    [result] = icscheck(body, fast=True)
    assert result.clean, result.output[:3000]
    assert result.events == len(included)
    seen = icaljs_events(body)
    expected = {event.uid: expected_instants(event) for event in included}
    wrong = {uid: (seen.get(uid), instants) for uid, instants in expected.items() if seen.get(uid) != instants}
    assert not wrong, list(wrong.items())[:10]
    assert len(seen) == len(expected)


def test_cache_key_tells_every_feed_apart_but_not_its_display_zone() -> None:
    """Two feeds share a cached copy only when their bytes are the same: every part of the spec and the site
    count, the display zone ``tz`` does not (feeds write each event in its own zone)."""
    conferences = EventFilter(kinds=("conference",))
    spec = feeds.public_spec(conferences, "Tracker", "https://t.example/calendar.ics")
    key = spec.cache_key("https://a.example")
    assert key == feeds.public_spec(conferences, "Tracker", "https://t.example/calendar.ics").cache_key(
        "https://a.example"
    )
    in_tokyo = feeds.public_spec(replace(conferences, tz="Asia/Tokyo"), "Tracker", "https://t.example/calendar.ics")
    assert in_tokyo.cache_key("https://a.example") == key
    others = [
        spec.cache_key("https://b.example"),
        replace(spec, include_internal=True).cache_key("https://a.example"),
        replace(spec, event_filter=EventFilter(kinds=("meeting",))).cache_key("https://a.example"),
        replace(spec, event_filter=EventFilter(kinds=("conference",), q="skopje")).cache_key("https://a.example"),
        replace(spec, name="Other name").cache_key("https://a.example"),
        replace(spec, description="Other description").cache_key("https://a.example"),
        replace(spec, source_url="https://t.example/other.ics").cache_key("https://a.example"),
    ]
    assert len({key, *others}) == 1 + len(others)
    assert "kind=conference" in key and "https://a.example" in key


def test_feed_specs_name_their_audience_and_contents() -> None:
    everything = feeds.public_spec(EventFilter(), "Tracker", "https://t.example/calendar.ics")
    assert (everything.name, everything.include_internal, everything.source_url) == (
        "Tracker", False, "https://t.example/calendar.ics")  # fmt: skip
    assert everything.description == (
        "All events from Tracker, kept up to date: changes and cancellations appear on refresh."
    )
    conferences = feeds.public_spec(EventFilter(kinds=("conference",)), "Tracker", "")
    assert conferences.name == "Tracker: Conferences"
    private = feeds.private_spec(EventFilter(), "Tracker")
    assert (private.name, private.include_internal, private.source_url) == (
        "Tracker (internal and public events)", True, "")  # fmt: skip
    assert private.description == "All events from Tracker, including internal events."
    narrowed = feeds.private_spec(EventFilter(countries=("MK",)), "Tracker")
    assert narrowed.name == "Tracker (North Macedonia, internal and public)"
    assert narrowed.description == "North Macedonia from Tracker, including internal events."
    assert feeds.tombstone_cutoff(NOW) == NOW - timedelta(days=60) and feeds.TOMBSTONE_DAYS == 60


# --- round trip: edits, cancellations, deletions ----------------------------------------------------------


def test_round_trip_edit_cancel_delete_and_expiry(client: FlaskClient, editor: User, db_session: Session) -> None:
    event = make_event(db_session, **SKOPJE_CONFERENCE)
    event_id, uid = event.id, event.uid

    def fetch() -> tuple[Any, str]:
        response = client.get("/calendar.ics")
        assert response.status_code == 200
        return vevents(response.data).get(uid), response.headers["ETag"]

    def revision() -> int:
        db_session.commit()  # end the read snapshot, then re-read: the editor's commits are newer
        db_session.expire_all()
        return db_session.get(Event, event_id).revision  # type: ignore[union-attr]

    with time_machine.travel(NOW, tick=False) as clock:
        login(client, editor.email)
        first, etag = fetch()
        assert first["SEQUENCE"] == 0 and first["STATUS"] == "CONFIRMED"

        # A new title: clients replace their copy (LAST-MODIFIED); SEQUENCE stays (same time and place).
        clock.move_to(NOW + timedelta(days=1))
        values = {**SKOPJE_CONFERENCE, "title": "Ministerial Conference (updated programme)"}
        assert client.post(f"/edit/events/{event_id}", data=form_data(values, revision())).status_code == 302
        renamed, etag2 = fetch()
        assert etag2 != etag and str(renamed["SUMMARY"]) == "Ministerial Conference (updated programme)"
        assert renamed["SEQUENCE"] == 0 and renamed["LAST-MODIFIED"].dt > first["LAST-MODIFIED"].dt
        assert renamed["UID"] == uid
        assert client.get("/calendar.ics", headers={"If-None-Match": etag}).status_code == 200

        # New dates: SEQUENCE rises, the UID is kept.
        clock.move_to(NOW + timedelta(days=2))
        values = {**values, "start_date": "2022-11-16", "end_date": "2022-11-18"}
        assert client.post(f"/edit/events/{event_id}", data=form_data(values, revision())).status_code == 302
        moved, _ = fetch()
        assert moved["SEQUENCE"] == 1 and moved["DTSTART"].to_ical() == b"20221116" and moved["UID"] == uid
        assert icaljs_events(client.get("/calendar.ics").data)[uid] == ("D:20221116", "D:20221119")

        # Cancelled: still there, as STATUS:CANCELLED with a higher SEQUENCE.
        clock.move_to(NOW + timedelta(days=3))
        status = {"status": "cancelled", "revision": str(revision())}
        assert client.post(f"/edit/events/{event_id}/status", data=status).status_code == 302
        cancelled, _ = fetch()
        assert cancelled["STATUS"] == "CANCELLED" and cancelled["SEQUENCE"] == 2
        assert str(cancelled["SUMMARY"]).startswith("Cancelled: ")

        # Deleted: a tombstone, still CANCELLED, SEQUENCE up again.
        deleted_at = NOW + timedelta(days=4)
        clock.move_to(deleted_at)
        assert client.post(f"/edit/events/{event_id}/delete", data={"revision": revision()}).status_code == 302
        tombstone, etag_deleted = fetch()
        assert tombstone["STATUS"] == "CANCELLED" and tombstone["SEQUENCE"] == 3 and tombstone["UID"] == uid
        assert client.get(f"/events/{event_id}.ics").status_code == 410

        # 60 days after the deletion (the event itself ended in 2022) the tombstone leaves the feed.
        clock.move_to(deleted_at + timedelta(days=59))
        assert fetch()[0] is not None
        clock.move_to(deleted_at + timedelta(days=60, seconds=1))
        gone, etag_gone = fetch()
        response = client.get("/calendar.ics", headers={"If-None-Match": etag_deleted})
    assert gone is None and etag_gone != etag_deleted and response.status_code == 200


def test_cancelled_event_stays_until_sixty_days_after_its_end(client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session, title="Workshop", status="cancelled", start_date="2026-11-10")
    with time_machine.travel(event.end_dt + timedelta(days=59), tick=False):
        assert event.uid in vevents(client.get("/calendar.ics").data)
    with time_machine.travel(event.end_dt + timedelta(days=61), tick=False):
        response = client.get("/calendar.ics")
    assert event.uid not in vevents(response.data)
    assert response.headers["Last-Modified"] == "Sat, 09 Jan 2027 11:00:00 GMT"  # when it left: end + 60 days


def test_renamed_organisation_reaches_the_feed(client: FlaskClient, db_session: Session) -> None:
    with time_machine.travel(NOW, tick=False) as clock:
        make_event(db_session, **SKOPJE_CONFERENCE)
        before = client.get("/calendar.ics")
        assert "Supporter: IOM" in unfolded_text(before.data)
        organisation = find_organisation(db_session, "IOM")
        assert organisation is not None
        clock.move_to(NOW + timedelta(days=1))
        data = OrganisationInput.model_validate(
            {"name": "International Organization for Migration", "acronym": "IOM", "kind": "international_organisation"}
        )
        save_organisation(db_session, organisation, data, NOW + timedelta(days=1))
        db_session.commit()
        after = client.get("/calendar.ics")
    assert "Supporter: International Organization for Migration (IOM)" in unfolded_text(after.data)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert before.headers["Last-Modified"] == "Mon, 02 Nov 2026 09:00:00 GMT"
    assert after.headers["Last-Modified"] == "Tue, 03 Nov 2026 09:00:00 GMT"


def test_a_change_reaches_every_process(app_factory: Any, db_session: Session, app: Flask) -> None:
    event = make_event(db_session, title="First title")
    workers = [app_factory().test_client(), app_factory().test_client()]
    etags = {client.get("/calendar.ics").headers["ETag"] for client in workers}
    assert len(etags) == 1  # the same data gives the same bytes in every process
    event.title = "Second title"
    event.revision += 1
    db_session.add(event)
    db_session.commit()
    for client in workers:
        assert "SUMMARY:Second title" in unfolded_text(client.get("/calendar.ics").data)


def test_another_process_change_is_seen_within_the_recheck_interval(
    client: FlaskClient, db_session: Session, engine: Any
) -> None:
    """Another process's commit moves only the counter in the database; this process looks again within 2 s."""
    with time_machine.travel(NOW, tick=False) as clock:
        event = make_event(db_session, title="Before")
        assert b"SUMMARY:Before" in client.get("/calendar.ics").data
        with engine.begin() as connection:  # what another worker's commit leaves behind, written with Core
            connection.execute(
                update(Event).where(Event.id == event.id).values(title="After", revision=Event.revision + 1)
            )
            bump_generation(connection)
        clock.shift(feeds.RECHECK_SECONDS / 2)
        assert b"SUMMARY:Before" in client.get("/calendar.ics").data  # the copy in memory, no query
        clock.shift(feeds.RECHECK_SECONDS)
        assert b"SUMMARY:After" in client.get("/calendar.ics").data


def test_blocks_survive_a_restart_and_only_changed_events_are_serialized(
    app_factory: Any, db_session: Session, app: Flask
) -> None:
    ids = [make_event(db_session, title=f"Meeting {number}").id for number in range(5)]
    first = app.test_client().get("/calendar.ics")
    first.close()  # the blocks are stored once the answer has been sent (a GET does not write)
    assert db_session.exec(select(func.count()).select_from(EventIcs)).scalar() == 5  # type: ignore[call-overload]
    # A "restart": a new app with an empty memory builds the same bytes from the stored blocks. To prove that
    # the blocks are used rather than re-serialized, one stored block is marked (outside the watched tables).
    restarted = app_factory().test_client()
    assert restarted.get("/calendar.ics").data == first.data
    marked = (
        EventIcs.__table__.update()  # type: ignore[attr-defined]
        .where(EventIcs.event_id == ids[0])
        .values(block=func.replace(EventIcs.block, "SUMMARY:Meeting 0", "SUMMARY:Meeting 0 (stored)"))
    )
    db_session.execute(marked)
    db_session.commit()
    assert b"SUMMARY:Meeting 0 (stored)" in app_factory().test_client().get("/calendar.ics").data
    # A new revision of that event is serialized again; the others keep their stored blocks.
    db_session.execute(update(Event).where(Event.id == ids[0]).values(revision=Event.revision + 1))
    db_session.commit()
    fresh = app_factory().test_client().get("/calendar.ics").data
    assert b"(stored)" not in fresh and fresh == first.data


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
    assert f'href="/events/{conference.id}.ics"' in page
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
    assert 'href="webcal://tracker.test/calendar.ics?kind=conference&amp;country=MK"' in html
    assert 'value="http://tracker.test/calendar.ics?kind=conference&amp;country=MK"' in html
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


# --- memory -----------------------------------------------------------------------------------------------


def _incompressible_feed(number: int, size: int) -> feeds.Feed:
    """A feed whose gzip variant is as big as its body (random bytes), so that gzip doubles what it holds."""
    body = random.Random(number).randbytes(size)
    return feeds.Feed(body=body, etag=f"etag-{number}", last_modified=NOW)


def _held_bytes(feeds_held: list[feeds.Feed | None]) -> int:
    """What these feeds hold, counted here from the bytes themselves (not from the cache's own tally)."""
    return sum(len(feed.body) + len(feed._gzipped or b"") for feed in feeds_held if feed is not None)


def test_feed_cache_counts_gzip_made_later_and_drops_the_least_recently_used() -> None:
    """Views make the gzip variant after the feed is cached: that must count against the budget at once."""
    budget = 100_000
    cache = feeds.FeedCache(max_bytes=budget)
    for name in ("a", "b", "c"):
        cache.put((name,), _incompressible_feed(ord(name), 30_000))  # 90,000 bytes
    oldest = cache.get(("a",))
    assert oldest is not None  # "a" is now the most recently used: "b" is the least
    oldest.gzipped()  # +30,000 bytes: over the budget
    present = {name for name in "abc" if cache.get((name,)) is not None}  # touches "a" and "c" again
    assert present == {"a", "c"}, "the least recently used feed goes first"
    held = _held_bytes([cache.get((name,)) for name in "abc"])
    assert held <= budget
    assert cache.total_bytes == held


def test_feed_cache_stays_within_its_budget_whatever_is_put() -> None:
    budget = 250_000
    cache = feeds.FeedCache(max_bytes=budget)
    rng = random.Random(8)
    keys = [f"feed-{number}" for number in range(40)]
    order: list[str] = []  # least recently used first, kept here independently of the cache
    for step in range(400):
        key = rng.choice(keys)
        feed = cache.get((key,))
        if feed is None:
            feed = _incompressible_feed(step, rng.choice((1_000, 20_000, 60_000, 120_000)))
            cache.put((key,), feed)
        if rng.random() < 0.7:
            feed.gzipped()
        if key in order:
            order.remove(key)
        order.append(key)
        cached = [key for (key,), _feed in cache.items()]
        held = _held_bytes([feed for _key, feed in cache.items()])
        assert held <= budget and cache.total_bytes == held
        assert cached[-1] == key  # the one just used is kept (no feed here is over the budget alone)
        assert cached == order[len(order) - len(cached) :], "what is kept is the most recently used, in order"
    before = cache.items()
    cache.put(("huge",), _incompressible_feed(999, budget + 1))
    assert cache.get(("huge",)) is None and cache.items() == before, "a feed over the whole budget is not kept"


def test_feed_cache_budget_is_a_setting(app_factory: Any, db_session: Session) -> None:
    """``FEED_CACHE_MAX_BYTES`` bounds what distinct feeds (here ``?q=``, with gzip) leave in a process."""
    for number in range(40):
        make_event(db_session, title=f"Talks {number}", description=f"Round {number} of the migration talks. " * 20)
    app = app_factory(FEED_CACHE_MAX_BYTES=60_000)
    client = app.test_client()
    sizes = []
    for query in ("talks", "migration", "round", "talk", "migr", "roun", "talks migration", "of the"):
        with time_machine.travel(NOW, tick=False):
            response = client.get(f"/calendar.ics?q={query}", headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
        sizes.append(len(gzip.decompress(response.data)) + len(response.data))
        cache = app.extensions["tracker.feed_cache"]
        assert cache.max_bytes == 60_000 and cache.total_bytes <= 60_000
    assert min(sizes) > 20_000 and sum(sizes) > 3 * 60_000  # the feeds are big enough to need evicting
    assert 1 <= len(cache.items()) <= 2


def test_feed_cache_budget_from_the_environment(tmp_path: Any) -> None:
    config: dict[str, Any] = {}
    load_config(config, tmp_path, {"TRACKER_FEED_CACHE_MAX_BYTES": "1048576"}, None)
    assert config["FEED_CACHE_MAX_BYTES"] == 1024 * 1024
    load_config(config, tmp_path, {}, None)
    assert config["FEED_CACHE_MAX_BYTES"] == feeds.DEFAULT_CACHE_BYTES == 32 * 1024 * 1024
    with pytest.raises(ConfigError, match="TRACKER_FEED_CACHE_MAX_BYTES"):
        load_config(config, tmp_path, {"TRACKER_FEED_CACHE_MAX_BYTES": "lots"}, None)
