"""Feeds end to end: what subscribed calendar clients get, checked by the shared checker and ical.js; edits,
cancellations and deletions reaching them."""

from __future__ import annotations

import gzip
import re
import unicodedata
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, login, make_event
from tests.feeds_support import bulk_events, expected_instants, icaljs_events, icscheck, uid_of, unfolded_text, vevents
from tracker.models import Event, EventIcs, User
from tracker.models.feeds import bump_generation
from tracker.services import feeds
from tracker.services.demo import load_demo
from tracker.services.directory import save_organisation
from tracker.services.events import find_organisation
from tracker.services.listing import with_details
from tracker.validation import OrganisationInput


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
        assert (
            client.post(f"/edit/events/{event_id}/delete", data={"revision": revision(), "confirm": "yes"}).status_code
            == 302
        )
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
