"""The event service: revision history, SEQUENCE rules, conflicts, tombstones, directory links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, make_event
from tracker.models import Event, EventRevision, Organisation, Person, User
from tracker.services import events as event_service
from tracker.services import revisions
from tracker.validation import EventInput, InputError

LATER = NOW + timedelta(hours=1)


def edit(
    session: Session, event: Event, user: User | None = None, expected: int | None = None, **changes
) -> event_service.EventChange:
    values = {**event_service.event_input_from(event), **changes}
    return event_service.update_event(session, event.id, EventInput.from_form(values), expected, user, LATER)


def test_skopje_conference_is_two_all_day_dates_with_organisers_by_role(db_session: Session, editor: User) -> None:
    event = make_event(db_session, user=editor, **SKOPJE_CONFERENCE)
    event = event_service.load_event(db_session, event.id)
    assert event.all_day and (event.start_date.isoformat(), event.end_date.isoformat()) == ("2022-11-15", "2022-11-16")
    assert event.start_dt == datetime(2022, 11, 14, 23, tzinfo=UTC)
    assert event.end_dt == datetime(2022, 11, 16, 23, tzinfo=UTC)
    by_role = {role: [org.name for org in orgs] for role, orgs in event.organisations_by_role().items()}
    assert by_role == {
        "host": ["Ministry of Interior of the Republic of North Macedonia"],
        "co_organiser": ["Ministry of the Interior of the Czech Republic"],
        "supporter": ["IOM"],
    }
    assert event.tags == ["migration", "western balkans"]
    assert event.revision == 1 and event.sequence == 0
    assert "@" in event.uid and event.created_by_id == editor.id
    history = revisions.history(db_session, event.id)
    assert [(revision.revision, revision.action) for revision in history] == [(1, "created")]
    assert history[0].changes["title"] == [None, SKOPJE_CONFERENCE["title"]]


def test_missing_organisations_and_people_are_created_once(db_session: Session) -> None:
    db_session.add(Organisation(name="International Organization for Migration", acronym="IOM"))
    db_session.commit()
    make_event(
        db_session,
        organisations=[("iom", "supporter"), ("New Agency", "host"), ("New Agency", "host")],
        people=["Ana Novak, Head of Unit", "Ana Novak, Head of Unit"],
    )
    make_event(db_session, organisations=[("new agency", "participant")], people=["Ana Novak"])
    names = db_session.exec(select(Organisation.name).order_by(Organisation.name)).scalars().all()
    assert names == ["International Organization for Migration", "New Agency"]
    people = db_session.exec(select(Person)).scalars().all()
    assert [(person.name, person.position) for person in people] == [("Ana Novak", "Head of Unit")]


def test_edit_bumps_revision_always_and_sequence_only_for_time_place_status(db_session: Session, editor: User) -> None:
    event = make_event(db_session)
    edit(db_session, event, editor, title="Working meeting on border security")
    db_session.commit()
    event = event_service.load_event(db_session, event.id)
    assert (event.revision, event.sequence) == (2, 0)
    edit(db_session, event, editor, start_time="11:00", end_time="13:00")
    db_session.commit()
    event = event_service.load_event(db_session, event.id)
    assert (event.revision, event.sequence) == (3, 1)
    assert event.start_dt == datetime(2026, 11, 10, 10, tzinfo=UTC)
    event_service.set_status(db_session, event.id, "postponed", 3, editor, LATER)
    db_session.commit()
    event = event_service.load_event(db_session, event.id)
    assert (event.revision, event.sequence, event.status) == (4, 2, "postponed")
    latest = revisions.history(db_session, event.id)[0]
    assert latest.changes == {"status": ["confirmed", "postponed"]} and latest.user_id == editor.id
    moved = revisions.history(db_session, event.id)[1]
    assert moved.changes["start_dt"] == ["2026-11-10T09:00:00+00:00", "2026-11-10T10:00:00+00:00"]


def test_saving_unchanged_input_records_nothing(db_session: Session) -> None:
    event = make_event(db_session)
    change = edit(db_session, event)
    db_session.commit()
    assert change.changes == {}
    assert event_service.load_event(db_session, event.id).revision == 1
    assert db_session.exec(select(func.count()).select_from(EventRevision)).scalar_one() == 1


def test_second_editor_on_a_stale_revision_gets_a_conflict_and_nothing_changes(
    db_session: Session, editor: User
) -> None:
    event = make_event(db_session)
    edit(db_session, event, editor, expected=1, title="First editor's title")
    db_session.commit()
    with pytest.raises(event_service.EditConflict) as caught:
        edit(db_session, event, None, expected=1, title="Second editor's title")
    assert caught.value.changed_by == editor.display_name
    assert caught.value.current.title == "First editor's title"
    db_session.rollback()
    stored = event_service.load_event(db_session, event.id)
    assert (stored.title, stored.revision) == ("First editor's title", 2)


def test_concurrent_saves_in_two_transactions_let_exactly_one_win(engine, db_session: Session) -> None:
    event = make_event(db_session)
    with Session(engine) as first, Session(engine) as second:
        edit(first, event_service.load_event(first, event.id), expected=1, title="A")
        first.commit()
        with pytest.raises(event_service.EditConflict):
            edit(second, event_service.load_event(second, event.id), expected=1, title="B")
    assert event_service.load_event(db_session, event.id).title == "A"


def test_delete_keeps_a_tombstone_with_a_higher_sequence(db_session: Session) -> None:
    event = make_event(db_session)
    event_service.delete_event(db_session, event.id, 1, None, LATER)
    db_session.commit()
    with pytest.raises(event_service.EventNotFound):
        event_service.load_event(db_session, event.id)
    tombstone = event_service.load_event(db_session, event.id, include_deleted=True)
    assert tombstone.deleted_dt == LATER and tombstone.sequence == 1 and tombstone.revision == 2


def test_dst_gap_time_is_a_field_error_and_nothing_is_stored(db_session: Session) -> None:
    with pytest.raises(InputError) as caught:
        make_event(db_session, start_date="2026-03-29", start_time="02:30", end_time="04:00")
    assert "does not exist" in caught.value.errors["start_time"]
    db_session.rollback()
    assert db_session.exec(select(func.count()).select_from(Event)).scalar_one() == 0


def test_listeners_run_inside_the_saving_transaction(db_session: Session) -> None:
    seen: list[tuple[str, bool]] = []

    def listener(session: Session, change: event_service.EventChange) -> None:
        seen.append((change.action, change.rescheduled))
        assert session is db_session

    event_service.on_event_change(listener)
    try:
        event = make_event(db_session)
        edit(db_session, event, title="Renamed")
        edit(db_session, event_service.load_event(db_session, event.id), city="Ohrid")
    finally:
        event_service._listeners.remove(listener)
    assert seen == [("created", True), ("updated", False), ("updated", True)]
