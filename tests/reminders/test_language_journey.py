"""The issue's "done when", walked end to end in Macedonian and in Albanian, on the real app and SMTP server.

An editor enters the Skopje conference with its three titles through the form; a reader (a week before it, in
November 2022) follows the switcher's link, sees the month as "ноември"/"nëntor", opens the conference, takes the
feed link the subscribe box offers in their language and reads it with the ``icalendar`` parser (SUMMARY in
their language, ``LANGUAGE`` parameter), subscribes on the event page, confirms from the mail, and gets the
reminder in their language. Every expectation is the test's own data or CLDR's words, never the app's output.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html import unescape

import icalendar
import pytest
import time_machine
from babel.dates import format_interval
from flask import Flask
from sqlmodel import Session

from tests.conftest import add_user, login
from tests.reminders.conftest import link, text_body, tick_at
from tests.reminders.smtpd import SmtpServer
from tests.test_editor_views import form_data
from tracker.scheduler import run_tick

TITLES = {
    "en": "Ministerial Conference on Sustainable Migration Management in the Western Balkans",
    "mk": "Министерска конференција за одржливо управување со миграциите на Западен Балкан",
    "sq": "Konferenca Ministrore për Menaxhimin e Qëndrueshëm të Migracionit në Ballkanin Perëndimor",
}
#: November as CLDR names it in a month heading; the CLDR locale of each language's formats.
NOVEMBER = {"mk": "ноември 2022", "sq": "nëntor 2022"}
CLDR = {"mk": "mk", "sq": "sq_MK"}
BEFORE = datetime(2022, 11, 8, 9, 0, tzinfo=UTC)
#: One day before the first day's local midnight (2022-11-15 00:00 CET = 2022-11-14 23:00 UTC).
DUE = datetime(2022, 11, 13, 23, 0, 30, tzinfo=UTC)
CONFERENCE = {
    "kind": "conference", "status": "confirmed", "visibility": "public", "all_day": "on",
    "timezone": "Europe/Skopje", "start_date": "2022-11-15", "end_date": "2022-11-16", "city": "Skopje",
    "country": "MK", "language": "en", "title": TITLES["en"], "description": "",
    "title_mk": TITLES["mk"], "description_mk": "", "title_sq": TITLES["sq"], "description_sq": "",
}  # fmt: skip


def href(html: str, pattern: str) -> str:
    found = re.search(pattern, html)
    assert found, pattern
    return unescape(found.group(1))


def summaries(body: bytes) -> list[tuple[str, str | None]]:
    """Each event's SUMMARY and its LANGUAGE parameter, as a calendar client's parser reads them."""
    return [
        (str(vevent["SUMMARY"]), vevent["SUMMARY"].params.get("LANGUAGE"))
        for vevent in icalendar.Calendar.from_ical(body).walk("VEVENT")
    ]


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_a_reader_follows_the_conference_in_their_language(
    mail_app: Flask, session: Session, smtp: SmtpServer, language: str
) -> None:
    add_user(session)
    editor, reader = mail_app.test_client(), mail_app.test_client()
    with time_machine.travel(BEFORE, tick=True):
        login(editor)
        created = editor.post("/edit/events/new", data=form_data(CONFERENCE))
        assert created.status_code == 302, created.get_data(as_text=True)[-2000:]
        event_path = created.headers["Location"].replace("/edit/events/", "/events/").split("?")[0]

        month = reader.get("/calendar/2022/11").get_data(as_text=True)
        switched = reader.get(href(month, rf'<a href="([^"]+)"[^>]*hreflang="{language}"'))
        page = switched.get_data(as_text=True)
        assert f'<html lang="{language}"' in page and NOVEMBER[language] in page

        event_page = reader.get(event_path).get_data(as_text=True)  # the cookie keeps the language
        assert TITLES[language] in re.search(r"<h1[^>]*>(.*?)</h1>", event_page, re.S).group(1)
        one_event = reader.get(href(event_page, r'href="([^"]+\.ics[^"]*)" download'))
        assert (TITLES[language], language) in summaries(one_event.data)
        feed_url = href(page, rf'href="webcal://[^/"]+(/calendar\.ics\?[^"]*lang={language}[^"]*)"')
        assert (TITLES[language], language) in summaries(reader.get(feed_url).data)  # the subscribe box's feed

        event_id = event_path.rsplit("/", 1)[1]
        data = {"email": "maja@example.org", "event_id": event_id, "lead": ["1440"], "timezone": "Europe/Skopje"}
        assert reader.post("/subscriptions", data=data).status_code == 303  # the page's language is the default
        run_tick(mail_app)
        (confirmation,) = smtp.to("maja@example.org")
        assert reader.post(link(confirmation.message, r"/subscriptions/confirm/[A-Za-z0-9_-]+")).status_code == 200

    assert tick_at(mail_app, DUE)["sent"] == 1
    reminder = smtp.to("maja@example.org")[1].message
    assert reminder["Content-Language"] == language
    assert TITLES[language] in reminder["Subject"]
    body = text_body(reminder)
    days = format_interval(date(2022, 11, 15), date(2022, 11, 16), "yMMMd", locale=CLDR[language])
    assert TITLES[language] in body and days in body  # "15 – 16 ное. 2022 г.", as CLDR writes the two days
    assert TITLES["en"] not in body
