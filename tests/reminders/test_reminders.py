"""Planning and dispatching reminders against a real SMTP server, on both databases, with time-machine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import Engine, update
from sqlmodel import Session

from tests.conftest import NOW, make_event
from tests.reminders.conftest import (
    SKOPJE_START,
    UPCOMING_SKOPJE,
    add_subscription,
    link,
    move,
    rows,
    settings_of,
    text_body,
    tick_at,
)
from tests.reminders.smtpd import SmtpServer
from tracker.models import Event, MailAddress, Outbox
from tracker.scheduler import run_tick
from tracker.services import subscriptions as subscription_service
from tracker.services.events import set_status
from tracker.services.reminders.claims import OutcomeWriter
from tracker.services.reminders.dispatch import dispatch

# ------------------------------------------------------------------------------------------------ sending


def test_reminder_arrives_once_with_both_times_ics_and_headers(
    mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event = make_event(session, title="Working meeting", start_date="2026-11-10", start_time="10:00", end_time="12:00")
    add_subscription(session, "ana@example.org", NOW, event_id=event.id, leads=(120,), zone="America/New_York")
    due = datetime(2026, 11, 10, 7, 0, tzinfo=UTC)  # 10:00 CET is 09:00 UTC
    assert tick_at(mail_app, due - timedelta(seconds=1))["sent"] == 0
    assert tick_at(mail_app, due + timedelta(seconds=1))["sent"] == 1
    assert tick_at(mail_app, due + timedelta(minutes=5))["claimed"] == 0
    (received,) = smtp.to("ana@example.org")
    message = received.message
    assert message["Subject"] == "Working meeting — in 2 hours, Skopje"
    body = text_body(message)
    assert "04:00–06:00 EST (America/New_York)" in body and "10:00–12:00 CET (Europe/Skopje)" in body
    assert f"http://tracker.test/events/{event.id}" in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    attachment = next(part for part in message.iter_attachments() if part.get_content_type() == "text/calendar")
    assert attachment.get_filename() == "event.ics"
    assert event.uid in attachment.get_content()
    (row,) = rows(session, kind="reminder")
    assert (row.status, row.message_id, row.attempts) == ("sent", message["Message-ID"], 1)


def test_451_then_250_is_delivered_once(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = make_event(session, start_date="2026-11-10")
    add_subscription(session, "ana@example.org", NOW, event_id=event.id, leads=(1440,))
    due = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)
    smtp.behaviour.tempfail["ana@example.org"] = 1
    assert tick_at(mail_app, due)["retried"] == 1
    (row,) = rows(session, kind="reminder")
    assert (row.status, row.last_smtp_code, row.next_attempt_dt) == ("pending", 451, due + timedelta(minutes=1))
    assert tick_at(mail_app, due + timedelta(seconds=30))["claimed"] == 0  # backing off
    assert tick_at(mail_app, due + timedelta(minutes=1))["sent"] == 1
    assert tick_at(mail_app, due + timedelta(minutes=10))["claimed"] == 0
    assert len(smtp.to("ana@example.org")) == 1
    (row,) = rows(session, kind="reminder")
    assert (row.status, row.attempts) == ("sent", 2)


def test_550_is_not_retried_and_suppresses_the_address(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    first = make_event(session, title="First", start_date="2026-11-10")
    second = make_event(session, title="Second", start_date="2026-11-12")
    add_subscription(session, "gone@example.org", NOW, event_id=first.id, leads=(1440,))
    add_subscription(session, "gone@example.org", NOW, event_id=second.id, leads=(1440,))
    smtp.behaviour.refuse.add("gone@example.org")
    result = tick_at(mail_app, datetime(2026, 11, 9, 9, 0, tzinfo=UTC))
    assert (result["failed"], result["suppressed"]) == (1, 1)
    smtp.behaviour.refuse.clear()  # even if the server would accept now, nothing more goes to the address
    assert tick_at(mail_app, datetime(2026, 11, 9, 10, 0, tzinfo=UTC))["claimed"] == 0
    assert tick_at(mail_app, datetime(2026, 11, 11, 9, 0, tzinfo=UTC))["skipped"] == 1
    assert smtp.to("gone@example.org") == []
    assert smtp.handler.answers.count("550 gone@example.org") == 1
    assert session.get(MailAddress, "gone@example.org").suppressed_dt is not None  # type: ignore[union-attr]
    statuses = sorted((row.status, row.finished_reason) for row in rows(session, kind="reminder"))
    assert statuses == [("failed", "recipient refused"), ("skipped", "address suppressed")]


@pytest.mark.parametrize("withdraw", ["unsubscribe", "cancel", "cancel-bypassing-services"])
def test_queued_then_withdrawn_then_tick_sends_nothing(
    withdraw: str, mail_app: Flask, session: Session, smtp: SmtpServer, mail_engine: Engine
) -> None:
    event = make_event(session, start_date="2026-11-10")
    subscription = add_subscription(session, "ana@example.org", NOW, event_id=event.id, leads=(1440,))
    due = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)
    assert len(rows(session, kind="reminder", status="pending")) == 1
    if withdraw == "unsubscribe":
        subscription_service.end(session, session.merge(subscription), due - timedelta(minutes=1))
        session.commit()
    elif withdraw == "cancel":
        set_status(session, event.id, "cancelled", None, None, due - timedelta(minutes=1))
        session.commit()
    else:  # the row is still queued: dispatch's own re-check must catch it
        with mail_engine.begin() as connection:
            connection.execute(update(Event).where(Event.id == event.id).values(status="cancelled"))
        assert len(rows(session, kind="reminder", status="pending")) == 1
        assert dispatch(mail_engine, settings_of(mail_app), due).skipped == 1
    tick_at(mail_app, due + timedelta(minutes=1))
    assert [item for item in smtp.received if item.message["Subject"].startswith("Working")] == []


def test_nothing_is_sent_after_the_event_started(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = make_event(session, start_date="2026-11-10", start_time="10:00")
    add_subscription(session, "ana@example.org", NOW, event_id=event.id, leads=(1440, 120))
    start = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    result = tick_at(mail_app, start + timedelta(seconds=1))  # the scheduler was down until after the start
    assert result["sent"] == 0
    assert smtp.received == [] and rows(session, kind="reminder", status="pending") == []


def test_late_scheduler_sends_only_the_shortest_due_lead(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = make_event(session, start_date="2026-11-10", start_time="10:00")
    add_subscription(session, "ana@example.org", NOW, event_id=event.id, leads=(10080, 1440, 120))
    result = tick_at(mail_app, datetime(2026, 11, 10, 7, 30, tzinfo=UTC))  # all three are due
    assert (result["sent"], result["skipped"]) == (1, 2)
    assert smtp.received[0].message["Subject"] == "Working meeting — in 2 hours, Skopje"


def test_dropped_and_stalled_connections_are_retried(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = make_event(session, start_date="2026-11-10")
    for number in range(3):
        add_subscription(session, f"p{number}@example.org", NOW, event_id=event.id, leads=(1440,))
    due = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)
    smtp.behaviour.drop_data = 1
    first = tick_at(mail_app, due)
    assert (first["sent"], first["retried"]) == (0, 1) and "dropped" in first["error"]
    smtp.behaviour.stall_seconds = 3  # the URL's timeout is 2 s
    assert tick_at(mail_app, due + timedelta(minutes=2))["retried"] == 1
    smtp.behaviour.stall_seconds = 0
    tick_at(mail_app, due + timedelta(minutes=10))
    # The dropped and the stalled DATA never got a 250 (the server drops a stalled mail when the client hangs
    # up), so each address gets its reminder exactly once, each with its own Message-ID: no duplicate send.
    assert smtp.handler.answers == ["drop", "250", "250", "250"]
    assert sorted(address for item in smtp.received for address in item.rcpt_tos) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    assert len({item.message_id for item in smtp.received}) == 3
    assert [row.status for row in rows(session, kind="reminder")] == ["sent"] * 3


# ----------------------------------------------------------------------------------------- group commit


def _due_reminders(session: Session, count: int) -> datetime:
    event = make_event(session, start_date="2026-11-10")
    for number in range(count):
        add_subscription(session, f"p{number}@example.org", NOW, event_id=event.id, leads=(1440,))
    return datetime(2026, 11, 9, 9, 0, tzinfo=UTC)


def test_marks_are_committed_in_groups_and_all_before_dispatch_returns(
    mail_app: Flask, session: Session, smtp: SmtpServer, mail_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    due = _due_reminders(session, 5)
    commits: list[int] = []
    flush = OutcomeWriter.flush

    def counting_flush(marker: OutcomeWriter) -> None:
        if marker.waiting:
            commits.append(marker.waiting)
        flush(marker)

    monkeypatch.setattr(OutcomeWriter, "flush", counting_flush)
    result = dispatch(mail_engine, settings_of(mail_app), due)
    assert result.sent == 5 and len(smtp.received) == 5
    assert commits == [1, 4]  # the first alone (it proves the claim is still ours), then the rest together
    sent = rows(session, kind="reminder")
    assert [row.status for row in sent] == ["sent"] * 5
    assert sorted(row.message_id for row in sent) == sorted(item.message_id for item in smtp.received)
    assert {(row.sent_dt, row.last_smtp_code, row.claim_token) for row in sent} == {(due, 250, None)}


def test_a_batch_whose_claim_was_taken_stops_sending(
    mail_app: Flask, session: Session, smtp: SmtpServer, mail_engine: Engine
) -> None:
    due = _due_reminders(session, 4)

    def another_process_takes_the_rows() -> None:  # as if our lease had run out while the server held DATA
        with mail_engine.begin() as connection:
            connection.execute(update(Outbox).values(claim_token="another-process"))

    smtp.behaviour.on_data = another_process_takes_the_rows
    result = dispatch(mail_engine, settings_of(mail_app), due)
    assert (result.sent, len(smtp.received)) == (0, 1)  # the first mark found the rows no longer ours: stop
    assert result.errors == ["claim lost"]
    assert {(row.status, row.claim_token) for row in rows(session, kind="reminder")} == {("pending", "another-process")}


def test_no_mail_is_started_once_half_the_lease_is_spent(
    mail_app: Flask, session: Session, smtp: SmtpServer, mail_engine: Engine
) -> None:
    due = _due_reminders(session, 3)
    settings = settings_of(mail_app)
    with time_machine.travel(due, tick=False) as clock:
        # The server takes 40 s to accept the first mail: with a 60 s lease, the next may not be started.
        smtp.behaviour.on_data = lambda: clock.shift(timedelta(seconds=40))
        result = dispatch(mail_engine, settings, due, lease=timedelta(seconds=60))
    assert (result.sent, len(smtp.received)) == (1, 1)
    assert "half the lease" in result.errors[0]
    waiting = rows(session, kind="reminder", status="pending")
    assert [(row.attempts, row.next_attempt_dt, row.claim_token) for row in waiting] == [(0, due, None)] * 2
    assert dispatch(mail_engine, settings, due).sent == 2
    assert len({item.message_id for item in smtp.received}) == len(smtp.received) == 3


def test_a_long_dispatch_claims_with_the_time_it_has_spent(
    mail_app: Flask, session: Session, smtp: SmtpServer, mail_engine: Engine
) -> None:
    """``now`` is fixed when a tick starts; a later batch must not get a lease that ended before it began."""
    due = _due_reminders(session, 2)
    with time_machine.travel(due, tick=False) as clock:
        smtp.behaviour.on_data = lambda: clock.shift(timedelta(seconds=130))  # a slow first batch
        assert dispatch(mail_engine, settings_of(mail_app), due, batch_size=1).sent == 2
    assert sorted(row.sent_dt for row in rows(session, kind="reminder")) == [due, due + timedelta(seconds=130)]


# ------------------------------------------------------------------------------------------------ notices


def test_change_notice_says_old_and_new_within_minutes(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    add_subscription(session, "ana@example.org", NOW, event_id=event.id, leads=(1440,), zone="Europe/Berlin")
    add_subscription(session, "filter@example.org", NOW, filter_args={"country": "MK"}, leads=(60,))
    edited = NOW + timedelta(hours=1)
    move(session, event.id, edited, start_date="2026-11-16", end_date="2026-11-17")
    move(
        session, event.id, edited + timedelta(seconds=30), start_date="2026-11-17", end_date="2026-11-18", city="Ohrid"
    )
    assert tick_at(mail_app, edited + timedelta(minutes=1))["sent"] == 0  # waiting for further edits
    assert tick_at(mail_app, edited + timedelta(minutes=3))["sent"] == 2
    (notice,) = smtp.to("ana@example.org")
    assert notice.message["Subject"].startswith("Changed: Ministerial Conference")
    body = text_body(notice.message)
    assert "Date: 15\u2009–\u200916 Nov 2026\n   now: 17\u2009–\u200918 Nov 2026" in body
    assert "Place: Skopje, North Macedonia\n   now: Ohrid, North Macedonia" in body
    assert len(smtp.to("filter@example.org")) == 1


def test_edit_and_edit_back_sends_no_notice(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    add_subscription(session, "ana@example.org", NOW, event_id=event.id)
    move(session, event.id, NOW, start_date="2026-11-16", end_date="2026-11-17")
    move(session, event.id, NOW + timedelta(seconds=20), start_date="2026-11-15", end_date="2026-11-16")
    tick_at(mail_app, NOW + timedelta(minutes=5))
    assert smtp.received == []


def test_cancellation_notice(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    add_subscription(session, "ana@example.org", NOW, event_id=event.id)
    set_status(session, event.id, "cancelled", None, None, NOW)
    session.commit()
    tick_at(mail_app, NOW + timedelta(minutes=3))
    (notice,) = smtp.to("ana@example.org")
    assert notice.message["Subject"].startswith("Cancelled: Ministerial Conference")
    assert "Status: Confirmed\n   now: Cancelled" in text_body(notice.message)
    attachment = next(part for part in notice.message.iter_attachments())
    assert "STATUS:CANCELLED" in attachment.get_content()


# ------------------------------------------------------------------------------------------------ DST


@pytest.mark.parametrize(
    ("fields", "lead", "due"),
    [
        # 10:00 on the day clocks go forward is 08:00 UTC (CEST); one day before is 08:00 UTC on the 28th.
        (
            {"start_date": "2026-03-29", "start_time": "10:00", "end_time": "11:00"},
            1440,
            datetime(2026, 3, 28, 8, 0, tzinfo=UTC),
        ),
        # 01:30 that night is still CET: 00:30 UTC.
        (
            {"start_date": "2026-03-29", "start_time": "01:30", "end_time": "03:30"},
            120,
            datetime(2026, 3, 28, 22, 30, tzinfo=UTC),
        ),
        # 10:00 on the day clocks go back is 09:00 UTC (CET); one day before is 09:00 UTC (11:00 CEST).
        (
            {"start_date": "2026-10-25", "start_time": "10:00", "end_time": "11:00"},
            1440,
            datetime(2026, 10, 24, 9, 0, tzinfo=UTC),
        ),
        # An all-day event on 25 October begins at local midnight, still CEST: 22:00 UTC on the 24th.
        ({"start_date": "2026-10-25", "all_day": "on"}, 120, datetime(2026, 10, 24, 20, 0, tzinfo=UTC)),
    ],
)
def test_reminders_around_skopje_dst_changes(
    fields: dict[str, str], lead: int, due: datetime, mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    created = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(created, tick=False):
        event = make_event(session, now=created, timezone="Europe/Skopje", **fields)
        add_subscription(session, "ana@example.org", created, event_id=event.id, leads=(lead,))
    assert [row.due_dt for row in rows(session, kind="reminder")] == [due]
    assert tick_at(mail_app, due - timedelta(seconds=1))["sent"] == 0
    assert tick_at(mail_app, due + timedelta(seconds=1))["sent"] == 1
    assert len(smtp.to("ana@example.org")) == 1


# ------------------------------------------------------------------------------------------------ the story


def test_subscribe_confirm_remind_and_notice_for_the_skopje_conference(
    mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    """Done when: a new user subscribes with the form, confirms from the mail, gets the reminder for the Skopje
    conference at the chosen lead time and a notice when its date moves."""
    event = make_event(session, **UPCOMING_SKOPJE)
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        page = client.get(f"/events/{event.id}").get_data(as_text=True)
        assert "E-mail reminders" in page
        response = client.post(
            "/subscriptions",
            data={
                "email": "Maja@Example.org",
                "event_id": str(event.id),
                "lead": ["1440"],
                "timezone": "Europe/Berlin",
            },
        )
        assert response.status_code == 303
        run_tick(mail_app)
        (confirmation,) = smtp.to("maja@example.org")
        confirm_path = link(confirmation.message, r"/subscriptions/confirm/[A-Za-z0-9_-]+")
        assert client.post(confirm_path).status_code == 200
    edited = NOW + timedelta(days=1)
    move(session, event.id, edited, start_date="2026-11-17", end_date="2026-11-18")
    tick_at(mail_app, edited + timedelta(minutes=3))
    notice = smtp.to("maja@example.org")[1].message
    assert "Date: 15\u2009–\u200916 Nov 2026\n   now: 17\u2009–\u200918 Nov 2026" in text_body(notice)
    due = SKOPJE_START + timedelta(days=2) - timedelta(days=1)
    assert tick_at(mail_app, due - timedelta(seconds=1))["sent"] == 0
    assert tick_at(mail_app, due + timedelta(seconds=1))["sent"] == 1
    reminder = smtp.to("maja@example.org")[2].message
    assert reminder["Subject"] == (
        "Ministerial Conference on Sustainable Migration Management in the Western Balkans — tomorrow, Skopje"
    )
    assert "17\u2009–\u200918 Nov 2026" in text_body(reminder)
    unsubscribe = reminder["List-Unsubscribe"].strip().strip("<>").removeprefix("http://tracker.test")
    assert (
        mail_app.test_client(use_cookies=False).post(unsubscribe, data="List-Unsubscribe=One-Click").status_code == 200
    )
    assert rows(session, kind="reminder", status="pending") == []
