"""One eligibility rule, three readers: planning's SQL, dispatch's Python re-check and the event page's form
must give the same answer for every kind of event, and that answer is the one written out here by hand."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from flask import Flask
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import NOW, make_event
from tracker.models import Event
from tracker.services.events import delete_event
from tracker.services.reminders.rules import gets_reminders, reminded_condition

# name → (form fields, deleted, gets reminders)
CASES = {
    "confirmed": ({"status": "confirmed"}, False, True),
    "tentative": ({"status": "tentative"}, False, True),
    "postponed": ({"status": "postponed"}, False, False),
    "cancelled": ({"status": "cancelled"}, False, False),
    "internal": ({"visibility": "internal"}, False, False),
    "deleted": ({}, True, False),
    "started": ({"start_date": "2026-11-02", "start_time": "09:00"}, False, False),  # 08:00 UTC, before NOW
    "starting now": ({"start_date": "2026-11-02", "start_time": "10:00"}, False, False),  # 09:00 UTC, NOW itself
    "in a minute": ({"start_date": "2026-11-02", "start_time": "10:01"}, False, True),
    "past": ({"start_date": "2026-10-30"}, False, False),
    "tomorrow": ({"start_date": "2026-11-03", "start_time": "09:00"}, False, True),
}


def test_sql_python_and_the_form_agree_on_which_events_get_reminders(mail_app: Flask, session: Session) -> None:
    ids = {}
    for name, (fields, deleted, _expected) in CASES.items():
        event = make_event(session, now=NOW - timedelta(days=30), title=f"Event {name}", **fields)
        if deleted:
            delete_event(session, event.id, None, None, NOW - timedelta(days=1))
            session.commit()
        ids[name] = event.id
    expected = {name for name, (_fields, _deleted, reminded) in CASES.items() if reminded}
    session.rollback()
    by_sql = set(session.execute(select(Event.id).where(reminded_condition(NOW))).scalars())
    assert {name for name, event_id in ids.items() if event_id in by_sql} == expected
    by_python = {name for name, event_id in ids.items() if gets_reminders(session.get(Event, event_id), NOW)}
    assert by_python == expected
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=False):
        for name, event_id in ids.items():
            page = client.get(f"/events/{event_id}").get_data(as_text=True)
            assert ("E-mail reminders" in page) is (name in expected), name
