"""Importing .ics files: our own feed round-trips, a second import changes nothing, a bad file changes nothing.

Oracles: the events' stored values before the export (read from the database rows, not through the importer),
values typed by hand, and the database's row counts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from tests.conftest import NOW, SKOPJE_CONFERENCE, empty_all_tables, make_event
from tests.test_cli import run
from tracker.db import write_session
from tracker.ical.reading import ReadLimits, read_calendar
from tracker.models import Event, ImportedEvent, Visibility
from tracker.services.demo import load_demo
from tracker.services.events import update_event
from tracker.services.import_forms import ImportDefaults
from tracker.services.imports import apply_import, plan_import
from tracker.validation import EventInput

LIMITS = ReadLimits(window_start=date(2020, 1, 1), window_end=date(2030, 1, 1))


def _import(reader: Session, data: bytes, **defaults: Any) -> dict[str, int]:
    """Import in a write transaction of its own, as the views and the command do; ``reader`` then sees it."""
    reader.commit()  # end the reader's snapshot
    with write_session(reader.get_bind()) as session:
        plan = plan_import(session, read_calendar(data, LIMITS), ImportDefaults(**defaults), source_id=None, now=NOW)
        assert plan.ok, plan.problems
        counts = apply_import(session, plan, None, NOW, source_id=None)
        session.commit()
    reader.expire_all()
    return counts


def _shape(event: Event) -> tuple[Any, ...]:
    """What a round trip must keep: title, status, all-day dates or UTC instants, and the zone."""
    if event.all_day:
        return (event.title, event.status, True, event.start_date, event.end_date, event.timezone)
    return (event.title, event.status, False, event.start_dt, event.end_dt, event.timezone)


def _live_public(session: Session) -> set[tuple[Any, ...]]:
    rows = session.exec(
        select(Event).where(Event.deleted_dt.is_(None), Event.visibility == Visibility.PUBLIC.value)  # type: ignore[union-attr]
    ).all()
    return {_shape(event) for event in rows}


def test_the_demo_feed_imported_into_an_empty_database_gives_the_same_events(
    app: Flask, client: FlaskClient, engine: Engine, db_session: Session
) -> None:
    load_demo(db_session, NOW)
    db_session.commit()
    expected = _live_public(db_session)
    assert len(expected) >= 10
    feed = client.get("/calendar.ics").get_data()
    db_session.rollback()  # no snapshot open while the tables are emptied (TRUNCATE waits for readers)
    empty_all_tables(engine)

    counts = _import(db_session, feed)

    assert counts == {"create": len(expected)}
    assert _live_public(db_session) == expected
    again = _import(db_session, feed)
    assert set(again) == {"unchanged"}
    assert db_session.exec(select(func.count()).select_from(Event)).one() == len(expected)


def test_an_all_day_event_keeps_its_days_place_and_zone(client: FlaskClient, db_session: Session) -> None:
    make_event(db_session, **SKOPJE_CONFERENCE)
    db_session.commit()
    feed = client.get("/calendar.ics").get_data()
    db_session.exec(select(Event)).one().deleted_dt = NOW  # the import must not match the original by anything
    db_session.commit()

    _import(db_session, feed)

    imported = db_session.exec(select(Event).where(Event.deleted_dt.is_(None))).one()  # type: ignore[union-attr]
    assert (imported.start_date, imported.end_date) == (date(2022, 11, 15), date(2022, 11, 16))
    assert (imported.city, imported.country, imported.timezone) == ("Skopje", "MK", "Europe/Skopje")
    assert imported.tags == ["migration", "western balkans"]


GENEVA = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Example//Partner ministry//EN\r
BEGIN:VEVENT\r
UID:visit-geneva@partner.example\r
DTSTAMP:20221101T090000Z\r
SEQUENCE:0\r
SUMMARY:Working visit to Geneva\r
DTSTART;TZID=Europe/Zurich:20221107T100000\r
DTEND;TZID=Europe/Zurich:20221107T120000\r
LOCATION:IOM headquarters, Geneva, Switzerland\r
CATEGORIES:migration,IOM\r
URL:https://partner.example/visits/geneva\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_timed_event_is_stored_at_its_instant_in_its_zone(db_session: Session) -> None:
    counts = _import(db_session, GENEVA, kind="official_visit", tags=("partners",))

    assert counts == {"create": 1}
    event = db_session.exec(select(Event)).one()
    # 10:00 in Geneva on 7 November 2022 is 09:00 UTC (CET, UTC+1), typed by hand.
    assert event.start_dt == datetime(2022, 11, 7, 9, 0, tzinfo=UTC)
    assert event.end_dt == datetime(2022, 11, 7, 11, 0, tzinfo=UTC)
    assert (event.timezone, event.kind, event.city, event.country) == (
        "Europe/Zurich",
        "official_visit",
        "Geneva",
        "CH",
    )
    assert event.venue == "IOM headquarters"
    assert sorted(event.tags) == ["iom", "migration", "partners"]
    assert event.source_url == "https://partner.example/visits/geneva"


def test_a_local_edit_is_kept_when_the_file_has_not_changed(db_session: Session) -> None:
    _import(db_session, GENEVA)
    event = db_session.exec(select(Event)).one()
    values = {**_form(event), "title": "Working visit to Geneva (with the Director General)"}
    update_event(db_session, event.id, EventInput.from_form(values), None, None, NOW)
    db_session.commit()

    counts = _import(db_session, GENEVA)

    assert counts == {"unchanged": 1}
    db_session.refresh(event)
    assert event.title == "Working visit to Geneva (with the Director General)"


def test_a_local_edit_meets_a_newer_source_version_as_a_conflict(db_session: Session) -> None:
    _import(db_session, GENEVA)
    event = db_session.exec(select(Event)).one()
    update_event(
        db_session, event.id, EventInput.from_form({**_form(event), "venue": "Palais des Nations"}), None, None, NOW
    )
    db_session.commit()
    moved = GENEVA.replace(b"SEQUENCE:0", b"SEQUENCE:1").replace(b"T100000", b"T140000").replace(b"T120000", b"T160000")

    counts = _import(db_session, moved)

    assert counts == {"conflict": 1}
    db_session.refresh(event)
    assert event.start_dt == datetime(2022, 11, 7, 9, 0, tzinfo=UTC)  # not silently overwritten
    link = db_session.exec(select(ImportedEvent)).one()
    assert '"start_time": "14:00:00"' in link.pending_input


def _form(event: Event) -> dict[str, Any]:
    from tracker.services.events import event_input_from

    return event_input_from(event)


BAD = GENEVA.replace(
    b"SUMMARY:Working visit to Geneva\r\n", b"SUMMARY:Working visit to Geneva\r\nthis line has no colon\r\n"
)


def test_a_bad_file_is_refused_by_the_command_with_its_line_and_changes_nothing(
    app: Flask, database_url: str, db_session: Session, tmp_path: Path
) -> None:
    make_event(db_session, **SKOPJE_CONFERENCE)
    db_session.commit()
    bad = tmp_path / "bad.ics"
    bad.write_bytes(BAD)

    result = run(["import", str(bad)], database_url, tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "line 9" in result.stderr.lower()
    assert "nothing was changed" in result.stderr
    db_session.commit()
    assert db_session.exec(select(func.count()).select_from(Event)).one() == 1


def test_the_command_imports_a_file_and_says_what_it_did(
    app: Flask, database_url: str, db_session: Session, tmp_path: Path
) -> None:
    good = tmp_path / "geneva.ics"
    good.write_bytes(GENEVA)

    result = run(["import", str(good), "--kind", "official_visit"], database_url, tmp_path)

    assert result.returncode == 0, result.stderr
    assert "1 created" in result.stdout
    assert db_session.exec(select(Event.kind)).one() == "official_visit"
    again = run(["import", str(good), "--kind", "official_visit"], database_url, tmp_path)
    assert "1 unchanged" in again.stdout


DATA = Path(__file__).resolve().parent / "data" / "ical"


def _reference_instants(data: bytes) -> set[tuple[str, datetime, datetime]]:
    """(title, start, end) in UTC of every occurrence, as recurring_ical_events reads the file itself."""
    import icalendar
    import recurring_ical_events
    import x_wr_timezone

    calendar = x_wr_timezone.to_standard(icalendar.Calendar.from_ical(data))
    found = set()
    for component in recurring_ical_events.of(calendar).between(LIMITS.window_start, LIMITS.window_end):
        start, end = component["DTSTART"].dt, component["DTEND"].dt
        if not isinstance(start, datetime):
            continue  # all-day: compared by date in the test below
        found.add((str(component["SUMMARY"]), start.astimezone(UTC), end.astimezone(UTC)))
    return found


def test_a_google_export_is_stored_at_the_instants_recurring_ical_events_reads(db_session: Session) -> None:
    data = (DATA / "google.ics").read_bytes()

    _import(db_session, data)

    events = db_session.exec(select(Event).where(Event.all_day.is_(False))).all()  # type: ignore[attr-defined]
    stored = {(event.title, event.start_dt, event.end_dt) for event in events}
    assert stored == _reference_instants(data)
    # The weekly series: 9 Mondays from 17 October to 12 December, minus 28 November (EXDATE), one moved to Tuesday.
    weekly = [event for event in events if event.title.startswith("Weekly coordination meeting")]
    assert len(weekly) == 8
    moved = [event for event in weekly if event.title.endswith("(moved)")]
    assert [event.start_dt for event in moved] == [datetime(2022, 11, 22, 13, 0, tzinfo=UTC)]
    conference = db_session.exec(select(Event).where(Event.all_day.is_(True))).one()  # type: ignore[attr-defined]
    assert (conference.start_date, conference.end_date) == (date(2022, 11, 15), date(2022, 11, 16))
    assert _import(db_session, data) == {"unchanged": len(events) + 1}


def test_a_new_occurrence_of_a_series_is_not_taken_for_a_duplicate_of_its_siblings(db_session: Session) -> None:
    daily = GENEVA.replace(b"SEQUENCE:0\r\n", b"SEQUENCE:0\r\nRRULE:FREQ=DAILY;COUNT=3\r\n")
    assert _import(db_session, daily) == {"create": 3}
    longer = daily.replace(b"COUNT=3", b"COUNT=4")

    counts = _import(db_session, longer)

    assert counts == {"create": 1, "unchanged": 3}  # the fourth day, not "a possible duplicate" of the third


def test_a_title_longer_than_the_form_allows_is_cut_with_an_ellipsis(db_session: Session) -> None:
    long_title = "Working visit to Geneva " + "and consultations " * 20  # 384 characters
    _import(db_session, GENEVA.replace(b"SUMMARY:Working visit to Geneva", f"SUMMARY:{long_title}".encode()))

    title = db_session.exec(select(Event.title)).one()
    assert len(title) == 300  # the form's limit; the 299th character is no space here
    assert title == long_title[:299] + "…"
