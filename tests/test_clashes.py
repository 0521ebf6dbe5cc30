"""Scheduling clashes: one participant at two events whose times overlap (as instants across zones; all-day
events by their local days), on real databases. Every expected answer is worked out by hand in the comments."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlmodel import Session

from tests.conftest import NOW, login, make_event
from tests.query_plans import captured_statements, explain, selects_from
from tracker.models import Event, EventPerson, Person, User
from tracker.services import events as event_service
from tracker.services.clashes import Clash, clashes_for_page, participant_clashes

pytestmark = pytest.mark.usefixtures("process_zone")

MINISTER = "Ana Novak, Minister of the Interior"


def timed(session: Session, title: str, zone: str, day: str, start: str, end: str, **fields: Any) -> Event:
    """A timed event with the minister among its participants (``end_date`` defaults to ``day``)."""
    values: dict[str, Any] = {"people": [MINISTER], "city": "", "country": "", **fields}
    return make_event(session, title=title, timezone=zone, start_date=day, start_time=start, end_time=end, **values)


def all_day(session: Session, title: str, zone: str, first: str, last: str, **fields: Any) -> Event:
    values: dict[str, Any] = {"people": [MINISTER], "city": "", "country": "", **fields}
    return make_event(session, title=title, timezone=zone, all_day="on", start_date=first, end_date=last, **values)


def clash_titles(session: Session, event: Event) -> list[str]:
    return [clash.other.title for clash in participant_clashes(session, event_service.load_event(session, event.id))]


def test_geneva_and_skopje_on_the_same_day_clash_only_when_the_instants_overlap(db_session: Session) -> None:
    # Both zones are UTC+1 in November. Geneva 10:00-12:00 CET is 09:00-11:00 UTC.
    geneva = timed(db_session, "Talks in Geneva", "Europe/Zurich", "2022-11-15", "10:00", "12:00", city="Geneva")
    # Skopje 11:00-13:00 CET is 10:00-12:00 UTC: overlaps 10:00-11:00 UTC.
    timed(db_session, "Lunch in Skopje", "Europe/Skopje", "2022-11-15", "11:00", "13:00", city="Skopje")
    # Skopje 15:00-16:00 the same day is 14:00-15:00 UTC: the same day, no overlap.
    timed(db_session, "Evening in Skopje", "Europe/Skopje", "2022-11-15", "15:00", "16:00", city="Skopje")
    assert clash_titles(db_session, geneva) == ["Lunch in Skopje"]


def test_all_day_skopje_conference_clashes_with_a_timed_geneva_meeting_on_one_of_its_days(db_session: Session) -> None:
    conference = all_day(db_session, "Ministerial Conference", "Europe/Skopje", "2022-11-15", "2022-11-16")
    meeting = timed(db_session, "Geneva meeting", "Europe/Zurich", "2022-11-16", "16:00", "17:00")
    # Geneva on 17 November is the day after the conference's last day.
    timed(db_session, "Geneva debrief", "Europe/Zurich", "2022-11-17", "09:00", "10:00")
    assert clash_titles(db_session, meeting) == ["Ministerial Conference"]
    assert clash_titles(db_session, conference) == ["Geneva meeting"]


def test_wall_clocks_lie_across_zones_with_different_offsets(db_session: Session) -> None:
    # Geneva 10:00-12:00 CET = 09:00-11:00 UTC; Kyiv is UTC+2 in November.
    geneva = timed(db_session, "Geneva", "Europe/Zurich", "2022-11-15", "10:00", "12:00")
    # Kyiv 12:00-13:00 EET = 10:00-11:00 UTC: the wall clocks do not overlap, the instants do.
    timed(db_session, "Kyiv at noon", "Europe/Kyiv", "2022-11-15", "12:00", "13:00")
    # Kyiv 10:00-11:00 EET = 08:00-09:00 UTC: the wall clocks overlap, the instants only touch.
    timed(db_session, "Kyiv at ten", "Europe/Kyiv", "2022-11-15", "10:00", "11:00")
    assert clash_titles(db_session, geneva) == ["Kyiv at noon"]


def test_the_week_when_europe_and_america_change_clocks_apart(db_session: Session) -> None:
    # On 2 November 2022 Europe is back on winter time (CET, UTC+1) but New York still on EDT (UTC-4): 5 hours apart.
    new_york = timed(db_session, "New York", "America/New_York", "2022-11-02", "09:00", "10:00")  # 13:00-14:00 UTC
    timed(db_session, "Geneva at two", "Europe/Zurich", "2022-11-02", "14:00", "15:00")  # 13:00-14:00 UTC: clash
    timed(db_session, "Geneva at three", "Europe/Zurich", "2022-11-02", "15:00", "16:00")  # 14:00-15:00 UTC: touches
    assert clash_titles(db_session, new_york) == ["Geneva at two"]


def test_an_all_day_event_on_the_night_clocks_go_back_keeps_its_25_local_hours(db_session: Session) -> None:
    # 30 October 2022 in Skopje: 29 Oct 22:00 UTC to 30 Oct 23:00 UTC (CEST until 01:00 UTC, then CET).
    day = all_day(db_session, "Long Sunday", "Europe/Skopje", "2022-10-30", "2022-10-30")
    # Geneva 30 Oct 23:30-23:45 CET = 22:30-22:45 UTC: local day 30 October, a clash.
    timed(db_session, "Late call", "Europe/Zurich", "2022-10-30", "23:30", "23:45")
    # Geneva 31 Oct 00:15-01:00 CET = 30 Oct 23:15-24:00 UTC: the UTC day is the 30th, the local day the 31st.
    timed(db_session, "Early call", "Europe/Zurich", "2022-10-31", "00:15", "01:00")
    # Geneva 30 Oct 01:30-02:30 CEST = 29 Oct 23:30 - 30 Oct 00:30 UTC: local day 30 October, a clash.
    timed(db_session, "Night call", "Europe/Zurich", "2022-10-30", "01:30", "02:30")
    assert clash_titles(db_session, day) == ["Night call", "Late call"]


def test_timed_against_all_day_goes_by_the_timed_events_own_local_days(db_session: Session) -> None:
    # Skopje 15-16 November: 14 Nov 23:00 UTC to 16 Nov 23:00 UTC.
    conference = all_day(db_session, "Conference", "Europe/Skopje", "2022-11-15", "2022-11-16")
    # New York 16 Nov 19:00-20:00 EST = 17 Nov 00:00-01:00 UTC, after the conference as instants, but on 16 Nov there.
    timed(db_session, "New York dinner", "America/New_York", "2022-11-16", "19:00", "20:00")
    # Tokyo 17 Nov 07:30-08:30 JST = 16 Nov 22:30-23:30 UTC, within the conference as instants, but on 17 Nov there.
    timed(db_session, "Tokyo breakfast", "Asia/Tokyo", "2022-11-17", "07:30", "08:30")
    assert clash_titles(db_session, conference) == ["New York dinner"]


def test_two_all_day_events_clash_when_their_dates_share_a_day(db_session: Session) -> None:
    conference = all_day(db_session, "Conference", "Europe/Skopje", "2022-11-15", "2022-11-16")
    all_day(db_session, "Visit", "Europe/Zurich", "2022-11-16", "2022-11-17")  # shares 16 November
    all_day(db_session, "Retreat", "Europe/Zurich", "2022-11-17", "2022-11-18")  # starts the day after
    all_day(db_session, "Before", "America/New_York", "2022-11-13", "2022-11-14")  # ends the day before
    assert clash_titles(db_session, conference) == ["Visit"]


def test_touching_ends_and_a_midnight_end_do_not_clash(db_session: Session) -> None:
    morning = timed(db_session, "Morning", "Europe/Skopje", "2022-11-14", "10:00", "12:00")
    timed(db_session, "Noon", "Europe/Skopje", "2022-11-14", "12:00", "13:00")  # starts as the morning ends
    evening = timed(db_session, "Evening", "Europe/Skopje", "2022-11-14", "22:00", "00:00", end_date="2022-11-15")
    all_day(db_session, "Conference", "Europe/Skopje", "2022-11-15", "2022-11-16")  # begins at that midnight
    assert clash_titles(db_session, morning) == []
    assert clash_titles(db_session, evening) == []


def test_a_timed_event_past_midnight_reaches_into_the_next_local_day(db_session: Session) -> None:
    all_day(db_session, "Fourteenth", "Europe/Skopje", "2022-11-14", "2022-11-14")
    all_day(db_session, "Fifteenth", "Europe/Skopje", "2022-11-15", "2022-11-15")
    # 22:00 on the 14th to 01:00 on the 15th: both local days.
    late = timed(db_session, "Late", "Europe/Skopje", "2022-11-14", "22:00", "01:00", end_date="2022-11-15")
    # 22:00 on the 13th to midnight after the 14th: the 13th and the 14th, not the 15th.
    long = timed(db_session, "Long", "Europe/Skopje", "2022-11-13", "22:00", "00:00", end_date="2022-11-15")
    # Late and Long also overlap as instants (13 Nov 21:00 - 14 Nov 23:00 UTC against 14 Nov 21:00 - 15 Nov 00:00).
    # By start: Long 13 Nov 21:00 UTC, Fourteenth 13 Nov 23:00 UTC, Late 14 Nov 21:00 UTC, Fifteenth 14 Nov 23:00.
    assert clash_titles(db_session, late) == ["Long", "Fourteenth", "Fifteenth"]
    assert clash_titles(db_session, long) == ["Fourteenth", "Late"]


def test_cancelled_postponed_and_deleted_events_do_not_clash(db_session: Session, editor: User) -> None:
    meeting = timed(db_session, "Meeting", "Europe/Skopje", "2022-11-15", "10:00", "12:00")
    timed(db_session, "Cancelled", "Europe/Skopje", "2022-11-15", "10:00", "12:00", status="cancelled")
    timed(db_session, "Postponed", "Europe/Skopje", "2022-11-15", "10:00", "12:00", status="postponed")
    deleted = timed(db_session, "Deleted", "Europe/Skopje", "2022-11-15", "10:00", "12:00")
    event_service.delete_event(db_session, deleted.id, None, editor, NOW)
    timed(db_session, "Tentative", "Europe/Skopje", "2022-11-15", "11:00", "12:00", status="tentative")
    db_session.commit()
    assert clash_titles(db_session, meeting) == ["Tentative"]
    event_service.set_status(db_session, meeting.id, "cancelled", None, editor, NOW)
    db_session.commit()
    assert clash_titles(db_session, meeting) == []


def test_only_shared_participants_clash_each_named_in_a_stable_order(db_session: Session) -> None:
    both = ["Marko Petrov", "Ana Novak"]  # Marko Petrov is stored first (id 1), Ana Novak second (id 2)
    meeting = timed(db_session, "Meeting", "Europe/Skopje", "2022-11-15", "10:00", "12:00", people=both)
    timed(db_session, "Zeta talks", "Europe/Skopje", "2022-11-15", "11:00", "12:00", people=both)
    timed(db_session, "Alpha talks", "Europe/Skopje", "2022-11-15", "11:00", "11:30", people=["Ana Novak"])
    timed(db_session, "Earlier", "Europe/Skopje", "2022-11-15", "09:00", "10:30", people=["Ana Novak"])
    timed(db_session, "Someone else", "Europe/Skopje", "2022-11-15", "11:00", "12:00", people=["Ivana Ilić"])
    clashes = participant_clashes(db_session, event_service.load_event(db_session, meeting.id))
    # Soonest first; at one start time the event stored first; within one event the person stored first.
    assert [(clash.person.name, clash.other.title) for clash in clashes] == [
        ("Ana Novak", "Earlier"),
        ("Marko Petrov", "Zeta talks"),
        ("Ana Novak", "Zeta talks"),
        ("Ana Novak", "Alpha talks"),
    ]


def test_an_event_being_saved_with_a_new_person_checks_the_stored_ones_only(db_session: Session) -> None:
    timed(db_session, "Stored", "Europe/Skopje", "2022-11-15", "10:00", "12:00")
    minister = db_session.get(Person, 1)
    assert minister is not None and minister.name == "Ana Novak"
    newcomer = Person(name="Nova Osoba")
    draft = timed(db_session, "Draft", "Europe/Skopje", "2022-11-15", "11:00", "13:00", people=[])
    with db_session.no_autoflush:
        draft.person_links = [EventPerson(person=newcomer, sort_order=0), EventPerson(person=minister, sort_order=1)]
        assert newcomer.id is None
        clashes = participant_clashes(db_session, draft)
        assert [(clash.person.name, clash.other.title) for clash in clashes] == [("Ana Novak", "Stored")]
        assert newcomer.id is None  # nothing was flushed on the way
    db_session.rollback()


def test_an_event_not_yet_stored_checks_too(db_session: Session) -> None:
    stored = timed(db_session, "Stored", "Europe/Skopje", "2022-11-15", "10:00", "12:00")
    minister = stored.people[0]
    draft = Event(
        title="Draft", timezone="Europe/Skopje", start_dt=stored.start_dt + timedelta(hours=1),
        end_dt=stored.end_dt + timedelta(hours=1),
    )  # fmt: skip
    with db_session.no_autoflush:
        draft.person_links = [EventPerson(person=minister)]
        assert [clash.other.title for clash in participant_clashes(db_session, draft)] == ["Stored"]
    db_session.rollback()


def test_results_are_bounded(db_session: Session) -> None:
    meeting = timed(db_session, "Meeting", "Europe/Skopje", "2022-11-15", "08:00", "18:00")
    for hour in range(8, 14):
        timed(db_session, f"Slot {hour}", "Europe/Skopje", "2022-11-15", f"{hour:02d}:00", f"{hour:02d}:30")
    loaded = event_service.load_event(db_session, meeting.id)
    assert [clash.other.title for clash in participant_clashes(db_session, loaded, limit=3)] == [
        "Slot 8",
        "Slot 9",
        "Slot 10",
    ]
    assert len(participant_clashes(db_session, loaded)) == 6
    assert isinstance(participant_clashes(db_session, loaded)[0], Clash)


def test_a_deleted_event_shows_no_clashes_on_its_page(db_session: Session, editor: User) -> None:
    first = timed(db_session, "First", "Europe/Skopje", "2022-11-15", "10:00", "12:00")
    timed(db_session, "Second", "Europe/Skopje", "2022-11-15", "10:00", "12:00")
    event_service.delete_event(db_session, first.id, None, editor, NOW)
    db_session.commit()
    assert clashes_for_page(db_session, event_service.load_event(db_session, first.id, include_deleted=True)) == []


def test_the_event_page_shows_clashes_to_editors_only(db_session: Session, client: FlaskClient, editor: User) -> None:
    conference = all_day(
        db_session, "Skopje conference", "Europe/Skopje", "2022-11-15", "2022-11-16", city="Skopje", country="MK"
    )
    timed(
        db_session, "Closed talks in Geneva", "Europe/Zurich", "2022-11-16", "10:00", "11:00", city="Geneva",
        country="CH", visibility="internal",
    )  # fmt: skip
    anonymous = client.get(f"/events/{conference.id}").get_data(as_text=True)
    assert "Scheduling clashes" not in anonymous and "Closed talks in Geneva" not in anonymous
    login(client, editor.email)
    page = client.get(f"/events/{conference.id}").get_data(as_text=True)
    assert "Scheduling clashes" in page
    assert "Ana Novak is also at" in page
    assert '<a href="/events/2">Closed talks in Geneva</a>' in page
    assert "Wednesday, 16 November 2022, 10:00\u201311:00 CET (Europe/Zurich), Geneva, Switzerland." in page


def test_the_query_reads_the_peoples_links_or_a_bounded_time_range(db_session: Session, engine: Engine) -> None:
    for day in range(1, 29):
        timed(db_session, f"Meeting {day}", "Europe/Skopje", f"2022-02-{day:02d}", "10:00", "12:00")
    event = event_service.load_event(db_session, 10)
    with captured_statements(engine) as captured:
        assert participant_clashes(db_session, event) == []
    ((statement, parameters),) = selects_from(captured, "event_person")
    plan = explain(db_session, statement, parameters)
    if engine.dialect.name == "sqlite":
        # The person's links by index, each event by its key: never a scan of the event table.
        assert "SEARCH event_person USING INDEX ix_event_person_person_id (person_id=?)" in plan, plan
        assert "SEARCH event USING INTEGER PRIMARY KEY" in plan, plan
    else:
        assert "Seq Scan on event " not in plan and "Seq Scan on event\n" not in plan, plan
        assert re.search(r"Index Cond: \(\(start_dt < .*\) AND \(start_dt >= ", plan), plan
    db_session.rollback()
