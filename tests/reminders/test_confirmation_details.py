"""The confirmation mail says what is being followed: for one event its date (in the subscriber's chosen zone,
with the event's own local time beside it) and its place; for a filter, which filter.

The mails are the ones the real scheduler tick sends to the test SMTP server, from a subscription made through
the web form. Expected times are worked out by hand: 10:00–12:00 in Skopje on 10 November 2026 (CET, UTC+1) is
09:00–11:00 UTC, 18:00–20:00 in Tokyo (UTC+9).
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlmodel import Session

from tests.conftest import NOW, make_event
from tests.reminders.conftest import text_body
from tests.reminders.smtpd import SmtpServer
from tracker.scheduler import run_tick

pytestmark = pytest.mark.usefixtures("process_zone")


def _confirmation(mail_app: Flask, smtp: SmtpServer, **fields: Any) -> tuple[str, str]:
    """Subscribe through the form, run one tick; the (text, html) bodies of the confirmation mail."""
    data = {"email": "ana@example.org", "lead": ["1440"], **fields}
    with time_machine.travel(NOW, tick=True):
        assert mail_app.test_client().post("/subscriptions", data=data).status_code == 303
        run_tick(mail_app)
    (received,) = smtp.to("ana@example.org")
    html = received.message.get_body(preferencelist=("html",))
    assert html is not None
    return text_body(received.message), html.get_content()


def test_a_single_event_confirmation_says_when_in_the_chosen_zone_and_where(
    mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event = make_event(session, title="Working meeting on readmission", venue="Government building")
    text, html = _confirmation(mail_app, smtp, event_id=str(event.id), timezone="Asia/Tokyo")
    lines = [line.strip() for line in text.splitlines()]
    assert "Working meeting on readmission" in lines
    assert "When:  Tuesday, 10 November 2026, 18:00–20:00 JST (Asia/Tokyo)" in lines
    assert "local time: Tuesday, 10 November 2026, 10:00–12:00 CET (Europe/Skopje)" in lines
    assert "Where: Government building, Skopje, North Macedonia" in lines
    assert f"http://tracker.test/events/{event.id}" in lines
    assert "18:00–20:00 JST" in html and "10:00–12:00 CET" in html and "Government building, Skopje" in html


def test_in_the_event_zone_the_local_time_is_not_repeated(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = make_event(session, title="Working meeting on readmission")
    text, _html = _confirmation(mail_app, smtp, event_id=str(event.id), timezone="Europe/Skopje")
    assert "When:  Tuesday, 10 November 2026, 10:00–12:00 CET (Europe/Skopje)" in text
    assert "local time" not in text


def test_an_all_day_event_confirmation_gives_its_dates(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = make_event(
        session, title="Ministerial conference", all_day="on", start_date="2026-11-15", end_date="2026-11-16",
        start_time="", end_time="",
    )  # fmt: skip
    text, _html = _confirmation(mail_app, smtp, event_id=str(event.id), timezone="America/New_York")
    assert "When:  15\u2009–\u200916 Nov 2026" in text
    assert "Where: Skopje, North Macedonia" in text


def test_a_filter_confirmation_says_which_filter(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    make_event(session, title="Ministerial conference", kind="conference")
    text, html = _confirmation(mail_app, smtp, kind="conference", country="MK", timezone="Europe/Skopje")
    assert "every public event of the filter:" in text
    assert "Conferences · North Macedonia" in text
    assert "When:" not in text
    assert "every public event of the filter" in html
