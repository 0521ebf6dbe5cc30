"""Change notices for a cancellation with a reason, and for a delete that is undone (real SMTP server)."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from flask import Flask
from sqlmodel import Session

from tests.conftest import NOW, make_event
from tests.reminders.conftest import UPCOMING_SKOPJE, add_subscription, rows, text_body, tick_at
from tests.reminders.smtpd import SmtpServer
from tracker.services.events import delete_event, restore_event, set_status


def test_the_cancellation_notice_gives_the_reason(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    add_subscription(session, "ana@example.org", NOW, event_id=event.id)
    set_status(session, event.id, "cancelled", None, None, NOW, reason="The minister is ill")
    session.commit()
    tick_at(mail_app, NOW + timedelta(minutes=3))
    (notice,) = smtp.to("ana@example.org")
    assert notice.message["Subject"].startswith("Cancelled: Ministerial Conference")
    assert "Status: Confirmed\n   now: Cancelled: The minister is ill" in text_body(notice.message)
    html = notice.message.get_body(preferencelist=("html",)).get_content()
    assert "<strong>Cancelled: The minister is ill</strong>" in html
    attachment = next(part for part in notice.message.iter_attachments())
    [vevent] = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert str(vevent["DESCRIPTION"]).startswith("This event has been cancelled: The minister is ill\n\n")


def test_a_delete_undone_within_the_notice_delay_sends_nothing(
    mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    add_subscription(session, "ana@example.org", NOW, event_id=event.id)
    delete_event(session, event.id, 1, None, NOW)
    session.commit()
    assert len(rows(session, kind="notice", status="pending")) == 1
    restore_event(session, event.id, 2, None, NOW + timedelta(seconds=40))
    session.commit()
    assert rows(session, kind="notice") == []
    tick_at(mail_app, NOW + timedelta(minutes=5))
    assert smtp.to("ana@example.org") == []
    assert len(rows(session, kind="reminder", status="pending")) == 1  # the reminder is planned again


def test_a_restore_after_the_cancellation_went_out_says_it_is_back(
    mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    add_subscription(session, "ana@example.org", NOW, event_id=event.id)
    delete_event(session, event.id, 1, None, NOW)
    session.commit()
    tick_at(mail_app, NOW + timedelta(minutes=3))
    later = NOW + timedelta(hours=1)
    restore_event(session, event.id, 2, None, later)
    session.commit()
    tick_at(mail_app, later + timedelta(minutes=3))
    cancelled, back = (received.message for received in smtp.to("ana@example.org"))
    assert cancelled["Subject"].startswith("Cancelled: Ministerial Conference")
    assert back["Subject"].startswith("Changed: Ministerial Conference")
    assert "Status: Cancelled (removed from the calendar)\n   now: Confirmed" in text_body(back)
    attachment = next(part for part in back.iter_attachments())
    [vevent] = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert vevent["STATUS"] == "CONFIRMED" and vevent["SEQUENCE"] == 2
