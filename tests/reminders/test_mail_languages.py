"""Reminder mails in the subscriber's language, through the real SMTP server: chosen when subscribing (or the page's
language), changed on the manage page; subject, body, the event's own translated title, dates formatted by
Babel (computed here from CLDR, not by the code under test), the attached ``.ics`` and ``Content-Language``."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import pytest
import time_machine
from babel import Locale
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import NOW, make_event
from tests.reminders.conftest import link, move, rows, text_body, tick_at
from tests.reminders.smtpd import SmtpServer
from tracker.models import Event, Subscription
from tracker.scheduler import run_tick

TITLES = {
    "mk": "Работна средба со Министерството за внатрешни работи",
    "sq": "Takim pune me Ministrinë e Punëve të Brendshme",
}
OWN_TITLE = "Working meeting with the Ministry of the Interior"
#: CLDR locales of the languages as the issue asks for them (Albanian with North Macedonia's formats).
CLDR = {"en": "en_GB", "mk": "mk", "sq": "sq_MK"}
#: The meeting: 10:00–12:00 in Skopje on 10 November 2026 (09:00 UTC); a one-day reminder is due a day before.
DAY = date(2026, 11, 10)
DUE = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)


def meeting(session: Session) -> Event:
    event = make_event(session, title=OWN_TITLE, start_date="2026-11-10", start_time="10:00", end_time="12:00")
    event.translations = json.dumps({code: {"title": title, "description": ""} for code, title in TITLES.items()})
    session.add(event)
    session.commit()
    return event


def long_date(day: date, language: str) -> str:
    """The date with its weekday as CLDR writes it in ``language`` ("вторник, 10 ноември 2026 г.")."""
    return format_date(day, "full", locale=Locale.parse(CLDR[language]))


def subscribe(client: FlaskClient, event: Event, path: str = "/subscriptions", **fields: str) -> None:
    data: dict[str, Any] = {"email": "maja@example.org", "event_id": str(event.id), "lead": ["1440"]}
    data.update(timezone="Europe/Skopje", **fields)
    assert client.post(path, data=data).status_code == 303


def ics_summary(message: Any) -> Any:
    attachment = next(part for part in message.iter_attachments() if part.get_content_type() == "text/calendar")
    [vevent] = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    return vevent["SUMMARY"]


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_confirmation_and_reminder_in_the_chosen_language(
    mail_app: Flask, session: Session, smtp: SmtpServer, language: str
) -> None:
    event = meeting(session)
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        subscribe(client, event, language=language)  # the page is in English: the form's choice counts
        run_tick(mail_app)
    (confirmation,) = smtp.to("maja@example.org")
    message = confirmation.message
    assert message["Content-Language"] == language
    assert TITLES[language] in message["Subject"]
    body = text_body(message)
    assert TITLES[language] in body and long_date(DAY, language) in body
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f'<html lang="{language}">' in html and f'lang="{language}">{TITLES[language]}</a>' in html
    with time_machine.travel(NOW, tick=True):
        assert client.post(link(message, r"/subscriptions/confirm/[A-Za-z0-9_-]+")).status_code == 200
    assert tick_at(mail_app, DUE + timedelta(seconds=1))["sent"] == 1
    reminder = smtp.to("maja@example.org")[1].message
    assert reminder["Content-Language"] == language
    assert reminder["Subject"].startswith(f"{TITLES[language]} — ")
    body = text_body(reminder)
    assert body.startswith(TITLES[language]) and long_date(DAY, language) in body
    summary = ics_summary(reminder)
    assert (str(summary), summary.params["LANGUAGE"]) == (TITLES[language], language)


def test_the_language_defaults_to_the_pages(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = meeting(session)
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        form = client.get(f"/events/{event.id}?lang=sq").get_data(as_text=True)
        assert '<option value="sq" lang="sq" selected>' in form
        subscribe(client, event)  # no language field: the page's (the cookie the switcher left)
        run_tick(mail_app)
    session.rollback()
    (subscription,) = session.execute(select(Subscription)).scalars().all()
    assert (subscription.language, subscription.label) == ("sq", TITLES["sq"])
    (confirmation,) = smtp.to("maja@example.org")
    assert confirmation.message["Content-Language"] == "sq"


def test_the_manage_page_changes_the_language_of_the_next_mails(
    mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event = meeting(session)
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        subscribe(client, event, language="mk")
        run_tick(mail_app)
        message = smtp.to("maja@example.org")[0].message
        confirmed = client.post(link(message, r"/subscriptions/confirm/[A-Za-z0-9_-]+"))
        found = re.search(r'href="(/subscriptions/[A-Za-z0-9_-]+)"', confirmed.get_data(as_text=True))
        assert confirmed.status_code == 200 and found
        manage = found.group(1)
        page = client.get(manage).get_data(as_text=True)
        assert '<option value="mk" lang="mk" selected>' in page
        refused = client.post(manage, data={"lead": ["1440"], "timezone": "Europe/Skopje", "language": "de"})
        assert refused.status_code == 400
        changed = client.post(manage, data={"lead": ["1440"], "timezone": "Europe/Skopje", "language": "sq"})
        assert changed.status_code == 303
        assert '<option value="sq" lang="sq" selected>' in client.get(manage).get_data(as_text=True)
    session.rollback()
    (subscription,) = session.execute(select(Subscription)).scalars().all()
    assert subscription.language == "sq"
    edited = NOW + timedelta(days=1)
    move(session, event.id, edited, start_date="2026-11-11", end_date="2026-11-11")
    tick_at(mail_app, edited + timedelta(minutes=3))
    notice = smtp.to("maja@example.org")[1].message
    assert notice["Content-Language"] == "sq"
    assert TITLES["sq"] in notice["Subject"]
    body = text_body(notice)
    assert TITLES["sq"] in body
    assert long_date(DAY, "sq") in body and long_date(DAY + timedelta(days=1), "sq") in body
    assert rows(session, kind="notice", status="sent")


def test_a_language_not_offered_is_a_form_error(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = meeting(session)
    client = mail_app.test_client()
    data = {"email": "maja@example.org", "event_id": str(event.id), "lead": ["1440"], "timezone": "Europe/Skopje"}
    with time_machine.travel(NOW, tick=True):  # the form is offered while the event is ahead
        response = client.post("/subscriptions", data={**data, "language": "de"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose the language of the e-mails from the list." in page
    assert '<option value="en" lang="en">' in page  # the choice is offered again
    session.rollback()
    assert session.execute(select(Subscription)).scalars().all() == []
