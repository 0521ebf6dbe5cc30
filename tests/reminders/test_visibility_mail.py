"""Mail to subscribers follows the same visibility rule as pages: subscribers are anonymous readers.

An event that a reader followed while it was public and that an editor then makes internal (with a new title,
place, date and description) must not reach the reader in a change notice, a reminder or an attached .ics —
whether it became internal before the notice was queued or while the notice was waiting to be sent. The real
scheduler tick sends to a real SMTP server; the oracle is the mail as the server received it.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlmodel import Session

from tests.conftest import NOW, make_event
from tests.reminders.conftest import add_subscription, move, tick_at
from tests.reminders.smtpd import SmtpServer

MARKER = "zqxhidden"
SECRET = {
    "title": f"Visit {MARKER} (not yet announced)",
    "venue": f"{MARKER} residence",
    "city": f"{MARKER.capitalize()}grad",
    "description": f"Embargoed: {MARKER}.",
}
UPCOMING = {"start_date": "2026-11-20", "end_date": "2026-11-20", "title": "Announced working visit"}


def _mail_text(smtp: SmtpServer) -> str:
    """Every header and every decoded part (text, HTML, the .ics) of every mail the server accepted."""
    texts = []
    for received in smtp.received:
        message = received.message
        texts += [f"{name}: {value}" for name, value in message.items()]
        for part in message.walk():
            if not part.is_multipart():
                payload = part.get_payload(decode=True) or b""
                texts.append(payload.decode("utf-8", "replace"))
    return "\n".join(texts).lower()


def _followed_event(session: Session) -> int:
    event = make_event(session, **UPCOMING)
    add_subscription(session, "ana@example.org", NOW, event_id=event.id, leads=(1440,))
    add_subscription(session, "filter@example.org", NOW, filter_args={"kind": "meeting"}, leads=(60,))
    return event.id


def test_making_an_event_internal_sends_nothing_of_its_new_details(
    mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event_id = _followed_event(session)
    edited = NOW + timedelta(hours=1)
    move(session, event_id, edited, visibility="internal", start_date="2026-11-21", end_date="2026-11-21", **SECRET)
    tick_at(mail_app, edited + timedelta(minutes=3))  # past the notices' merge window
    tick_at(mail_app, edited + timedelta(days=18))  # the day before: reminder time
    assert MARKER not in _mail_text(smtp)
    assert [received.rcpt_tos for received in smtp.received] == []


def test_an_event_made_internal_while_its_notice_waits_sends_nothing(
    mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event_id = _followed_event(session)
    edited = NOW + timedelta(hours=1)
    move(session, event_id, edited, start_date="2026-11-22", end_date="2026-11-22")  # a public change: queued
    move(session, event_id, edited + timedelta(seconds=30), visibility="internal", **SECRET)
    tick_at(mail_app, edited + timedelta(minutes=3))
    assert MARKER not in _mail_text(smtp)
    assert smtp.received == []


def test_the_same_change_of_a_public_event_is_announced(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    """The counterpart: left public, the same edit reaches both followers with its new details."""
    event_id = _followed_event(session)
    edited = NOW + timedelta(hours=1)
    move(session, event_id, edited, start_date="2026-11-21", end_date="2026-11-21", **SECRET)
    tick_at(mail_app, edited + timedelta(minutes=3))
    assert sorted(address for received in smtp.received for address in received.rcpt_tos) == [
        "ana@example.org",
        "filter@example.org",
    ]
    assert MARKER in _mail_text(smtp)
