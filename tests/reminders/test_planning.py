"""Planning reminder rows: idempotent and set-based, at start − lead, following moves, withdrawals and filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, text, update
from sqlalchemy import event as sa_event
from sqlmodel import Session

from tests.conftest import NOW, make_event
from tests.reminders.conftest import SKOPJE_START, UPCOMING_SKOPJE, add_subscription, move, rows
from tracker.models import Event, Outbox, Subscription
from tracker.services.events import delete_event, event_input_from, load_event, set_status, update_event
from tracker.services.reminders.planning import plan
from tracker.validation import EventInput


def _outbox_rows(session: Session) -> list[tuple[Any, ...]]:
    """Every reminder row of the outbox as plain values, read with hand-written SQL (not the code under test)."""
    session.rollback()
    return [
        tuple(row)
        for row in session.execute(
            text(
                "SELECT kind, subscription_id, event_id, lead_minutes, revision, due_dt, next_attempt_dt, status,"
                " attempts, finished_reason"
                " FROM reminder_outbox WHERE kind = 'reminder' ORDER BY subscription_id, event_id, lead_minutes"
            )
        )
    ]


def _statements_of(engine: Engine, run: Any) -> int:
    """How many SQL statements ``run()`` sends to the database, counted by the driver hook."""
    sent: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")):
            sent.append(statement)

    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    return len(sent)


def test_plan_is_idempotent_and_set_based(mail_app: Flask, session: Session, mail_engine: Engine) -> None:
    events = [
        make_event(session, title=f"Conference {n}", kind="conference", start_date="2026-11-20") for n in range(6)
    ]
    make_event(session, title="A meeting", start_date="2026-11-20")
    for number in range(4):
        add_subscription(session, f"p{number}@example.org", NOW, filter_args={"kind": "conference"}, leads=(1440, 120))
    add_subscription(session, "one@example.org", NOW, event_id=events[0].id, leads=(60,))
    assert len(rows(session, kind="reminder")) == 6 * 4 * 2 + 1
    before = _outbox_rows(session)
    expected_due = {
        (event.id, lead): event.start_dt - timedelta(minutes=lead) for event in events for lead in (1440, 120, 60)
    }
    assert len(before) == 49 and all(row[7] == "pending" for row in before)
    assert {(row[4], row[8], row[9]) for row in before} == {(0, 0, "")}  # revision 0, never tried, no reason
    assert all(row[5] == row[6] for row in before)  # first attempt at the due instant
    assert all(_utc(row[5]) == expected_due[(row[2], row[3])] for row in before)
    assert {row[2] for row in before} == {event.id for event in events}  # the meeting matches no filter
    again = plan(session, NOW)
    session.commit()
    assert (again.inserted, again.withdrawn, again.retimed) == (0, 0, 0)
    # four subscriptions with one filter: one group, so a constant number of statements
    assert again.statements == 6
    assert len(rows(session, kind="reminder")) == 49
    assert _outbox_rows(session) == before  # idempotent: not one row added, removed or re-timed

    def full_plan() -> None:
        plan(session, NOW)
        session.commit()

    statements = _statements_of(mail_engine, full_plan)
    # Set-based: three times the events and subscriptions of that filter cost not one statement more.
    for number in range(12):
        make_event(session, title=f"Conference {number + 6}", kind="conference", start_date="2026-11-21")
    for number in range(4, 12):
        add_subscription(session, f"p{number}@example.org", NOW, filter_args={"kind": "conference"}, leads=(1440, 120))
    assert len(_outbox_rows(session)) == 18 * 12 * 2 + 1
    assert _statements_of(mail_engine, full_plan) == statements
    assert len(_outbox_rows(session)) == 18 * 12 * 2 + 1


def _utc(value: Any) -> datetime:
    """A timestamp as the driver returns it (SQLite: text; PostgreSQL: aware datetime), as an aware UTC datetime."""
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def test_reminder_is_at_start_minus_lead_and_moves_with_the_event(mail_app: Flask, session: Session) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    add_subscription(session, "ana@example.org", NOW, event_id=event.id, leads=(10080, 1440, 120))
    due = {row.lead_minutes: row.due_dt for row in rows(session, kind="reminder")}
    assert due == {lead: SKOPJE_START - timedelta(minutes=lead) for lead in (10080, 1440, 120)}
    move(session, event.id, NOW + timedelta(hours=1), start_date="2026-11-17", end_date="2026-11-18")
    moved = {row.lead_minutes: row.due_dt for row in rows(session, kind="reminder")}
    assert moved == {lead: SKOPJE_START + timedelta(days=2, minutes=-lead) for lead in (10080, 1440, 120)}


def test_a_failed_edit_leaves_the_plan_as_it_was(mail_app: Flask, session: Session) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    add_subscription(session, "ana@example.org", NOW, event_id=event.id)
    values = event_input_from(load_event(session, event.id))
    values.update(start_date="2026-11-20", end_date="2026-11-21")
    update_event(session, event.id, EventInput.from_form(values), None, None, NOW)
    session.rollback()  # the saving transaction fails: the re-plan inside it is undone too
    assert [row.due_dt for row in rows(session, kind="reminder")] == [SKOPJE_START - timedelta(days=1)]


def test_cancelling_postponing_deleting_or_hiding_withdraws(mail_app: Flask, session: Session) -> None:
    events = [make_event(session, title=f"Meeting {n}", start_date="2026-11-20") for n in range(4)]
    for event in events:
        add_subscription(session, "ana@example.org", NOW, event_id=event.id)
    set_status(session, events[0].id, "cancelled", None, None, NOW)
    set_status(session, events[1].id, "postponed", None, None, NOW)
    delete_event(session, events[2].id, None, None, NOW)
    values = event_input_from(load_event(session, events[3].id))
    update_event(session, events[3].id, EventInput.from_form({**values, "visibility": "internal"}), None, None, NOW)
    session.commit()
    assert rows(session, kind="reminder", status="pending") == []
    set_status(session, events[0].id, "confirmed", None, None, NOW + timedelta(hours=1))
    session.commit()
    assert [row.event_id for row in rows(session, kind="reminder", status="pending")] == [events[0].id]


def test_an_event_that_leaves_a_filter_loses_its_reminders(mail_app: Flask, session: Session) -> None:
    event = make_event(session, title="Conference", kind="conference", start_date="2026-11-20")
    add_subscription(session, "ana@example.org", NOW, filter_args={"kind": "conference"})
    assert len(rows(session, kind="reminder")) == 1
    move(session, event.id, NOW, kind="meeting")
    assert rows(session, kind="reminder") == []
    move(session, event.id, NOW, kind="conference")
    assert len(rows(session, kind="reminder")) == 1


def test_leads_already_past_at_confirmation_are_not_planned(mail_app: Flask, session: Session) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    add_subscription(
        session, "ana@example.org", SKOPJE_START - timedelta(days=2), event_id=event.id, leads=(10080, 1440)
    )
    assert [row.lead_minutes for row in rows(session, kind="reminder")] == [1440]


# ------------------------------------------------------------------ what plan reports and what it may touch
# Rows are changed behind plan's back with plain SQL, and what plan did is read back the same way.


def _sql(session: Session, statement: str, **values: Any) -> Any:
    result = session.execute(text(statement), values)
    session.commit()
    return result


def _set_outbox(session: Session, where: Any, **values: Any) -> None:
    """Change outbox rows behind plan's back (through the column types, so instants are stored as usual)."""
    session.execute(update(Outbox).where(Outbox.kind == "reminder", where).values(**values))
    session.commit()


def _reminder_count(session: Session, where: str = "1 = 1", **values: Any) -> int:
    session.rollback()
    return session.execute(
        text(f"SELECT count(*) FROM reminder_outbox WHERE kind = 'reminder' AND {where}"), values
    ).scalar_one()


def test_plan_reports_what_it_inserted_withdrew_and_retimed(mail_app: Flask, session: Session) -> None:
    conferences = [
        make_event(session, title=f"Conference {n}", kind="conference", start_date="2026-11-20") for n in range(3)
    ]
    meeting = make_event(session, title="Meeting", start_date="2026-11-21")
    for number in range(2):
        add_subscription(session, f"p{number}@example.org", NOW, filter_args={"kind": "conference"}, leads=(1440,))
    add_subscription(session, "one@example.org", NOW, event_id=meeting.id, leads=(1440, 60))
    assert _reminder_count(session) == 3 * 2 + 2
    _sql(session, "DELETE FROM reminder_outbox WHERE kind = 'reminder'")
    first = plan(session, NOW)
    session.commit()
    assert (first.inserted, first.withdrawn, first.retimed) == (8, 0, 0) == (_reminder_count(session), 0, 0)
    # Cancel one conference and move the meeting, both behind the services' back.
    _sql(session, "UPDATE event SET status = 'cancelled' WHERE id = :id", id=conferences[0].id)
    moved = meeting.start_dt + timedelta(hours=5)
    session.execute(update(Event).where(Event.id == meeting.id).values(start_dt=moved))
    session.commit()
    second = plan(session, NOW)
    session.commit()
    assert (second.inserted, second.withdrawn, second.retimed) == (0, 2, 2)
    assert _reminder_count(session, "event_id = :id", id=conferences[0].id) == 0
    session.rollback()
    due = {row.lead_minutes: row.due_dt for row in rows(session, kind="reminder") if row.event_id == meeting.id}
    assert due == {1440: moved - timedelta(days=1), 60: moved - timedelta(hours=1)}
    # An event that leaves the filter loses its reminders in the filter group's own step.
    _sql(session, "UPDATE event SET kind = 'meeting' WHERE id = :id", id=conferences[1].id)
    third = plan(session, NOW)
    session.commit()
    assert (third.inserted, third.withdrawn, third.retimed, third.statements) == (0, 2, 0, 6)
    assert _reminder_count(session) == 2 + 2


def test_plan_leaves_rows_being_sent_and_rows_outside_its_scope(mail_app: Flask, session: Session) -> None:
    first = make_event(session, title="First", start_date="2026-11-20")
    second = make_event(session, title="Second", start_date="2026-11-21")
    ana = add_subscription(session, "ana@example.org", NOW, event_id=first.id)
    bo = add_subscription(session, "bo@example.org", NOW, event_id=first.id)
    add_subscription(session, "ana@example.org", NOW, event_id=second.id)
    _sql(session, "UPDATE event SET status = 'cancelled'")
    assert plan(session, NOW, subscription_ids=[bo.id]).withdrawn == 1
    session.commit()
    assert _reminder_count(session, "subscription_id = :id", id=bo.id) == 0
    assert _reminder_count(session) == 2  # ana's rows are outside the scope
    # A row leased to a dispatcher until NOW or later is left to it; one whose lease ended before is not.
    for until in (NOW + timedelta(seconds=1), NOW):
        _set_outbox(session, Outbox.subscription_id == ana.id, lease_until=until)
        plan(session, NOW, subscription_ids=[ana.id])
        session.commit()
        assert _reminder_count(session, "subscription_id = :id", id=ana.id) == 1, until
    _set_outbox(session, Outbox.subscription_id == ana.id, lease_until=NOW - timedelta(microseconds=1))
    plan(session, NOW, event_ids=[first.id])
    session.commit()
    assert _reminder_count(session, "event_id = :id", id=first.id) == 0
    assert _reminder_count(session, "event_id = :id", id=second.id) == 1  # not in the event scope
    # Rows already sent or tried stay whatever happens to their event.
    _sql(session, "UPDATE reminder_outbox SET status = 'sent'")
    plan(session, NOW)
    session.commit()
    assert _reminder_count(session, "status = 'sent'") == 1


def test_a_filter_on_an_organisation_is_planned(mail_app: Flask, session: Session) -> None:
    organisation = {"organisations": [("Ministry of Finance", "host")]}
    hosted = make_event(session, title="Hosted", start_date="2026-11-20", **organisation)
    make_event(session, title="Elsewhere", start_date="2026-11-20")
    add_subscription(session, "ana@example.org", NOW, filter_args={"org": "Ministry of Finance"})
    assert [row.event_id for row in rows(session, kind="reminder")] == [hosted.id]
    _sql(session, "DELETE FROM reminder_outbox WHERE kind = 'reminder'")
    assert plan(session, NOW).inserted == 1
    session.commit()
    assert _reminder_count(session, "event_id = :id", id=hosted.id) == 1 == _reminder_count(session)


def test_plan_inserts_only_within_its_event_scope(mail_app: Flask, session: Session) -> None:
    events = [make_event(session, title=f"Conference {n}", kind="conference", start_date="2026-11-20") for n in (1, 2)]
    add_subscription(session, "ana@example.org", NOW, filter_args={"kind": "conference"})
    add_subscription(session, "bo@example.org", NOW, event_id=events[1].id)
    _sql(session, "DELETE FROM reminder_outbox WHERE kind = 'reminder'")
    assert plan(session, NOW, event_ids=[events[0].id]).inserted == 1
    session.commit()
    assert _reminder_count(session, "event_id = :id", id=events[0].id) == 1
    assert _reminder_count(session, "event_id = :id", id=events[1].id) == 0


def test_a_filter_that_became_invalid_matches_nothing(
    mail_app: Flask, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    make_event(session, title="Conference", kind="conference", start_date="2026-11-20")
    subscription = add_subscription(session, "ana@example.org", NOW, filter_args={"kind": "conference"})
    assert _reminder_count(session) == 1
    session.execute(
        update(Subscription).where(Subscription.id == subscription.id).values(filter={"kind": ["nonsense"]})
    )
    session.commit()
    with caplog.at_level("WARNING", logger="tracker.services.reminders.planning"):
        result = plan(session, NOW)
    session.commit()
    assert (result.withdrawn, _reminder_count(session)) == (1, 0)
    (message,) = [record.getMessage() for record in caplog.records]
    assert message.startswith(f"subscription filter {subscription.filter_key} no longer valid: kind: unknown value")


def test_plan_withdraws_for_ended_subscriptions_and_removed_leads(mail_app: Flask, session: Session) -> None:
    event = make_event(session, title="Meeting", start_date="2026-11-20")
    ana = add_subscription(session, "ana@example.org", NOW, event_id=event.id, leads=(1440, 120))
    bo = add_subscription(session, "bo@example.org", NOW, event_id=event.id, leads=(1440, 120))
    _sql(session, "DELETE FROM reminder_subscription_lead WHERE subscription_id = :id AND minutes = 120", id=ana.id)
    assert plan(session, NOW).withdrawn == 1  # bo keeping that lead time does not keep ana's reminder
    session.commit()
    assert _reminder_count(session, "subscription_id = :id", id=ana.id) == 1
    _sql(session, "UPDATE reminder_subscription SET status = 'ended' WHERE id = :id", id=bo.id)
    assert plan(session, NOW).withdrawn == 2
    session.commit()
    assert _reminder_count(session, "subscription_id = :id", id=bo.id) == 0
    assert _reminder_count(session) == 1


def test_plan_restores_a_missing_lead_and_retimes_untried_rows(mail_app: Flask, session: Session) -> None:
    event = make_event(session, title="Meeting", start_date="2026-11-20")
    add_subscription(session, "ana@example.org", NOW, event_id=event.id, leads=(1440, 120, 60))
    _sql(session, "DELETE FROM reminder_outbox WHERE kind = 'reminder' AND lead_minutes = 120")
    assert plan(session, NOW).inserted == 1
    session.commit()
    assert _reminder_count(session) == 3
    _set_outbox(session, Outbox.lead_minutes == 1440, attempts=1)  # in back-off: keeps its schedule
    _set_outbox(session, Outbox.lead_minutes == 60, status="sent")
    old_due = {row.lead_minutes: row.due_dt for row in rows(session, kind="reminder")}
    moved = event.start_dt + timedelta(hours=3)
    session.execute(update(Event).where(Event.id == event.id).values(start_dt=moved))
    session.commit()
    assert plan(session, NOW).retimed == 1
    session.commit()
    now_due = {row.lead_minutes: (row.due_dt, row.next_attempt_dt) for row in rows(session, kind="reminder")}
    assert now_due[120] == (moved - timedelta(hours=2), moved - timedelta(hours=2))
    assert now_due[1440][0] == old_due[1440] and now_due[60][0] == old_due[60]


def test_a_lead_due_exactly_at_confirmation_is_planned(mail_app: Flask, session: Session) -> None:
    event = make_event(session, title="Meeting", start_date="2026-11-20")
    confirmed = event.start_dt - timedelta(days=1)
    add_subscription(session, "ana@example.org", confirmed, event_id=event.id, leads=(4320, 1440, 120))
    assert sorted(row.lead_minutes for row in rows(session, kind="reminder")) == [120, 1440]


def test_ended_filter_subscriptions_cost_no_statements(mail_app: Flask, session: Session) -> None:
    make_event(session, title="Conference", kind="conference", start_date="2026-11-20")
    add_subscription(session, "ana@example.org", NOW, filter_args={"kind": "conference"})
    other = add_subscription(session, "bo@example.org", NOW, filter_args={"kind": "meeting"})
    assert plan(session, NOW).statements == 3 + 1 + 2 * 2
    session.commit()
    _sql(session, "UPDATE reminder_subscription SET status = 'ended' WHERE id = :id", id=other.id)
    assert plan(session, NOW).statements == 3 + 1 + 2


def test_an_empty_filter_follows_every_public_event(mail_app: Flask, session: Session) -> None:
    events = [
        make_event(session, title=f"Event {n}", kind=kind, start_date="2026-11-20")
        for n, kind in enumerate(("meeting", "conference"))
    ]
    make_event(session, title="Internal", start_date="2026-11-20", visibility="internal")
    add_subscription(session, "ana@example.org", NOW, filter_args={})
    assert sorted(row.event_id for row in rows(session, kind="reminder")) == [event.id for event in events]
    _sql(session, "DELETE FROM reminder_outbox WHERE kind = 'reminder'")
    assert plan(session, NOW).inserted == 2
