"""Fixtures of the reminder tests: a real SMTP server, an app that mails to it, subscriptions made through
the real services, and helpers to read the mails that arrived."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import Engine, select
from sqlmodel import Session

from tests.conftest import SKOPJE_CONFERENCE, empty_all_tables
from tests.reminders.smtpd import SmtpServer
from tracker.mail import MailSettings
from tracker.models import Outbox, Subscription, SubscriptionLead, SubscriptionStatus
from tracker.scheduler import run_tick
from tracker.services import subscriptions as subscription_service
from tracker.services.events import event_input_from, load_event, update_event
from tracker.services.subscriptions import filter_key, set_token_hashes
from tracker.tokens import confirm_token
from tracker.validation import EventInput
from tracker.web.sessions import get_engine

UPCOMING_SKOPJE = {**SKOPJE_CONFERENCE, "start_date": "2026-11-15", "end_date": "2026-11-16"}
# The conference's first day begins at local midnight: 2026-11-15 00:00 CET = 2026-11-14 23:00 UTC.
SKOPJE_START = datetime(2026, 11, 14, 23, 0, tzinfo=UTC)


def tick_at(app: Flask, when: datetime) -> dict[str, Any]:
    with time_machine.travel(when, tick=False):
        return run_tick(app)


def move(session: Session, event_id: int, now: datetime, **fields: str) -> None:
    values = event_input_from(load_event(session, event_id))
    values.update(fields)
    update_event(session, event_id, EventInput.from_form(values), None, None, now)
    session.commit()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server: SmtpServer) -> SmtpServer:
    smtp_server.reset()
    return smtp_server


@pytest.fixture
def mail_app(app_factory: Any, smtp: SmtpServer) -> Flask:
    """An app on the test database that sends to the test SMTP server; tables emptied."""
    built = app_factory(SMTP_URL=smtp.url, MAIL_FROM="reminders@tracker.test", REMINDER_LEASE_SECONDS=60)
    empty_all_tables(get_engine(built))
    return built


@pytest.fixture
def mail_engine(mail_app: Flask) -> Engine:
    return get_engine(mail_app)


@pytest.fixture
def session(mail_engine: Engine) -> Iterator[Session]:
    with Session(mail_engine, expire_on_commit=False) as opened:
        yield opened


def settings_of(app: Flask) -> MailSettings:
    return MailSettings.from_config(app.config, app.instance_path)


def add_subscription(
    session: Session,
    email: str,
    now: datetime,
    *,
    event_id: int | None = None,
    filter_args: dict[str, Any] | None = None,
    leads: tuple[int, ...] = (1440,),
    zone: str = "Europe/Skopje",
    secret: str = "test-secret-key-0123456789",
) -> Subscription:
    """An active subscription, confirmed at ``now`` through the real confirm service."""
    from werkzeug.datastructures import MultiDict

    form: MultiDict[str, str] = MultiDict({"email": email, "timezone": zone})
    if event_id is not None:
        form["event_id"] = str(event_id)
    for name, value in (filter_args or {}).items():
        for item in value if isinstance(value, list | tuple) else [value]:
            form.add(name, str(item))
    for lead in leads:
        form.add("lead", str(lead))
    request = subscription_service.parse_request(form, session)
    subscription = subscription_service.create_subscription(session, request, now, secret)
    session.commit()
    token = confirm_token(secret, subscription)
    confirmed = subscription_service.confirm(session, token, now)
    assert confirmed is not None
    session.commit()
    return confirmed


def bulk_subscriptions(
    session: Session, count: int, now: datetime, filter_args: dict[str, Any], leads: tuple[int, ...], secret: str
) -> list[Subscription]:
    """Many active subscriptions with the same filter, stored directly (for volume tests)."""
    from tracker.filters import parse_filter

    event_filter = parse_filter(filter_args, session)
    stored = event_filter.to_dict()
    made = []
    for number in range(count):
        subscription = Subscription(
            email=f"person{number}@example.org",
            filter=stored,
            filter_key=filter_key(stored),
            label=event_filter.describe(),
            timezone="Europe/Skopje",
            status=SubscriptionStatus.ACTIVE.value,
            token_nonce=secrets.token_hex(16),
            manage_token_hash="",
            created_dt=now,
            confirmed_dt=now,
            leads=[SubscriptionLead(minutes=lead) for lead in leads],
        )
        set_token_hashes(subscription, secret)
        subscription.confirm_token_hash = None
        session.add(subscription)
        made.append(subscription)
    session.commit()
    return made


def rows(session: Session, **where: Any) -> list[Outbox]:
    session.rollback()  # a fresh snapshot: end the read transaction an earlier query may have left open
    statement = select(Outbox).order_by(Outbox.id)
    for name, value in where.items():
        statement = statement.where(getattr(Outbox, name) == value)
    return list(session.execute(statement).scalars())


def text_body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content().replace("\r\n", "\n")


def link(message: EmailMessage, pattern: str) -> str:
    found = re.search(pattern, text_body(message))
    assert found, text_body(message)
    return found.group(0)
