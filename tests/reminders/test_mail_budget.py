"""Confirmation mail cannot be used to bomb a mailbox or to make the site send mail without bound (issue 8, 9).

Two budgets on top of the per-address throttle: at most ``CONFIRM_MAILS_PER_MAILBOX`` confirmation mails per
mailbox per 24 hours (``+tags`` and Gmail's dots are one mailbox) and at most ``CONFIRM_MAILS_PER_HOUR`` for the
whole site. Requests over a budget get exactly the same answer; their subscriptions stay pending without a mail.
The oracle is the outbox and the mails that reach the real SMTP server, never the budget code itself.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, make_event
from tests.reminders.smtpd import SmtpServer
from tracker import create_app
from tracker.config import ConfigError
from tracker.models import MailAddress, Outbox, Subscription, SubscriptionLead
from tracker.scheduler import run_tick
from tracker.validation import mailbox_key

UPCOMING = {**SKOPJE_CONFERENCE, "start_date": "2026-11-25", "end_date": "2026-11-26"}
MAILBOX_BUDGET = 3  # the documented default: per mailbox per 24 hours
GLOBAL_BUDGET = 200  # the documented default: per hour for the whole site


def _post(client: FlaskClient, email: str, event_id: int) -> Any:
    return client.post(
        "/subscriptions", data={"email": email, "event_id": str(event_id), "lead": ["1440"], "timezone": "UTC"}
    )


def _confirmations(session: Session, like: str = "%") -> int:
    """Confirmation rows queued for addresses matching ``like``, counted straight from the outbox."""
    session.rollback()
    return session.execute(
        select(func.count())
        .select_from(Outbox)
        .join(Subscription, Subscription.id == Outbox.subscription_id)
        .where(Outbox.kind == "confirmation", Subscription.email.like(like))
    ).scalar_one()


def _budget_app(app_factory: Any, smtp: SmtpServer, **config: Any) -> Flask:
    return app_factory(SMTP_URL=smtp.url, MAIL_FROM="reminders@tracker.test", **config)


# ------------------------------------------------------------------------------------------------- the key


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("victim@example.org", "victim@example.org"),
        ("Victim@Example.ORG", "victim@example.org"),
        ("victim+1@example.org", "victim@example.org"),
        ("victim+a+b@example.org", "victim@example.org"),
        ("vic.tim@example.org", "vic.tim@example.org"),  # dots matter outside Gmail
        ("v.i.c.t.i.m@gmail.com", "victim@gmail.com"),
        ("V.ictim+news@GoogleMail.com", "victim@gmail.com"),
        ("victim@googlemail.com", "victim@gmail.com"),
        ("victim@mail.gmail.com.example.org", "victim@mail.gmail.com.example.org"),
    ],
)
def test_mailbox_key(address: str, key: str) -> None:
    assert mailbox_key(address) == key


def test_mailbox_key_refuses_what_is_not_an_address() -> None:
    with pytest.raises(ValueError):
        mailbox_key("no-at-sign")


# ---------------------------------------------------------------------------------------------- per mailbox


def test_plus_addressing_reaches_one_mailbox_at_most_the_budget(
    mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event = make_event(session, **UPCOMING)
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        for number in range(1, 501):
            assert _post(client, f"victim+{number}@example.org", event.id).status_code == 303
        run_tick(mail_app)
    assert _confirmations(session, "victim%@example.org") == MAILBOX_BUDGET
    assert len(smtp.received) == MAILBOX_BUDGET  # what really reached the mailbox
    session.rollback()
    assert session.execute(select(func.count()).select_from(Subscription)).scalar_one() == 500


def test_gmail_dot_and_tag_variants_are_one_mailbox(mail_app: Flask, session: Session) -> None:
    event = make_event(session, **UPCOMING)
    local = "victim"
    variants = []
    for mask in range(1, 2 ** (len(local) - 1)):  # every way of putting dots between the letters
        dotted = local[0] + "".join(("." if mask >> bit & 1 else "") + char for bit, char in enumerate(local[1:]))
        variants.append(f"{dotted}@gmail.com")
    variants += ["VICTIM@gmail.com", "victim+x@googlemail.com", "v.ictim+y@GoogleMail.com"]
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        for address in variants:
            assert _post(client, address, event.id).status_code == 303
        assert _post(client, "other.person@gmail.com", event.id).status_code == 303
    assert len(variants) > 30
    assert _confirmations(session, "%@g%mail.com") == MAILBOX_BUDGET + 1  # and the other person still gets one
    assert _confirmations(session, "other.person@gmail.com") == 1


def test_mailbox_budget_holds_across_two_apps_on_one_database(
    app_factory: Any, mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    """Two app objects, each with its own engine and connection pool, as two gunicorn workers would be."""
    event = make_event(session, **UPCOMING)
    clients = [mail_app.test_client(), _budget_app(app_factory, smtp).test_client()]
    with time_machine.travel(NOW, tick=True):
        for number in range(40):
            assert _post(clients[number % 2], f"victim+{number}@example.org", event.id).status_code == 303
    assert _confirmations(session) == MAILBOX_BUDGET


def test_mailbox_gets_mail_again_after_the_window(mail_app: Flask, session: Session) -> None:
    event = make_event(session, **UPCOMING)
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        for number in range(10):
            _post(client, f"victim+{number}@example.org", event.id)
    assert _confirmations(session) == MAILBOX_BUDGET
    with time_machine.travel(NOW + timedelta(hours=23, minutes=59), tick=True):
        _post(client, "victim+late@example.org", event.id)
    assert _confirmations(session) == MAILBOX_BUDGET
    with time_machine.travel(NOW + timedelta(hours=24, minutes=1), tick=True):
        for number in range(10):
            _post(client, f"victim+next{number}@example.org", event.id)
    assert _confirmations(session) == 2 * MAILBOX_BUDGET


def test_a_suppressed_plain_address_suppresses_its_tagged_spellings(mail_app: Flask, session: Session) -> None:
    event = make_event(session, **UPCOMING)
    session.add(MailAddress(email="gone@example.org", suppressed_dt=NOW, suppressed_reason="550 no such user"))
    session.add(MailAddress(email="victim@gmail.com", suppressed_dt=NOW, suppressed_reason="550 no such user"))
    session.commit()
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        for address in ("gone+1@example.org", "Gone+x@example.org", "vic.tim+a@gmail.com", "victim@googlemail.com"):
            assert _post(client, address, event.id).status_code == 303
        assert _post(client, "gone2@example.org", event.id).status_code == 303
    assert _confirmations(session) == 1
    assert _confirmations(session, "gone2@example.org") == 1


# ------------------------------------------------------------------------------------------------ global


def test_distinct_addresses_queue_at_most_the_global_budget(
    app_factory: Any, mail_app: Flask, session: Session, smtp: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    event = make_event(session, **UPCOMING)
    client = _budget_app(app_factory, smtp, CONFIRM_MAILS_PER_HOUR=25).test_client()
    with time_machine.travel(NOW, tick=True), caplog.at_level("WARNING", logger="tracker.services.subscriptions"):
        for number in range(80):
            assert _post(client, f"person{number}@example.org", event.id).status_code == 303
    assert _confirmations(session) == 25
    # the operator hears of it once per window, not once per refused request
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1 and warnings[0].startswith("confirmation mail budget reached (25 per hour)")


def test_realistic_flood_of_distinct_addresses_with_the_default_budget(
    mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event = make_event(session, **UPCOMING)
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        for number in range(300):
            assert _post(client, f"person{number}@example.org", event.id).status_code == 303
        run_tick(mail_app)
    assert _confirmations(session) == GLOBAL_BUDGET
    assert len(smtp.received) == GLOBAL_BUDGET


def test_global_budget_holds_across_two_apps_and_refills_after_the_hour(
    app_factory: Any, mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event = make_event(session, **UPCOMING)
    clients = [_budget_app(app_factory, smtp, CONFIRM_MAILS_PER_HOUR=10).test_client() for _ in range(2)]
    with time_machine.travel(NOW, tick=True):
        for number in range(30):
            _post(clients[number % 2], f"person{number}@example.org", event.id)
    assert _confirmations(session) == 10
    with time_machine.travel(NOW + timedelta(minutes=59), tick=True):
        _post(clients[0], "early@example.org", event.id)
    assert _confirmations(session) == 10
    with time_machine.travel(NOW + timedelta(minutes=61), tick=True):
        for number in range(30):
            _post(clients[number % 2], f"later{number}@example.org", event.id)
    assert _confirmations(session) == 20


def test_one_flooded_mailbox_does_not_use_up_the_global_budget(
    app_factory: Any, mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event = make_event(session, **UPCOMING)
    client = _budget_app(app_factory, smtp, CONFIRM_MAILS_PER_HOUR=20).test_client()
    with time_machine.travel(NOW, tick=True):
        for number in range(60):
            _post(client, f"victim+{number}@example.org", event.id)
        for number in range(30):
            _post(client, f"person{number}@example.org", event.id)
    assert _confirmations(session, "victim%") == MAILBOX_BUDGET
    assert _confirmations(session, "person%") == 20 - MAILBOX_BUDGET


def test_budgets_hold_under_concurrent_requests_in_two_apps(
    app_factory: Any, mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    """Threads in two apps subscribe at the same moment: the shared counters lose no hit and let none extra by."""
    event = make_event(session, **UPCOMING)
    apps = [_budget_app(app_factory, smtp, CONFIRM_MAILS_PER_HOUR=12) for _ in range(2)]
    start = threading.Barrier(8)
    statuses: list[int] = []

    def flood(worker: int) -> None:
        client = apps[worker % 2].test_client()
        start.wait()
        for number in range(10):
            statuses.append(_post(client, f"person{worker}x{number}@example.org", event.id).status_code)
            statuses.append(_post(client, f"victim+{worker}x{number}@example.org", event.id).status_code)

    with time_machine.travel(NOW, tick=True):
        threads = [threading.Thread(target=flood, args=(worker,)) for worker in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert statuses == [303] * 160
    assert _confirmations(session) == 12
    assert _confirmations(session, "victim%") <= MAILBOX_BUDGET


# ------------------------------------------------------------------------------------ same answer, sane data


def _answer(client: FlaskClient, email: str, event_id: int) -> tuple[int, str | None, bytes, bytes]:
    response = _post(client, email, event_id)
    followed = client.get(response.headers["Location"])
    return response.status_code, response.headers.get("Location"), response.get_data(), followed.get_data()


def test_the_answer_does_not_depend_on_whether_mail_was_queued(
    app_factory: Any, mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event = make_event(session, **UPCOMING)
    session.add(MailAddress(email="bounced@example.org", suppressed_dt=NOW, suppressed_reason="550"))
    session.commit()
    small = _budget_app(app_factory, smtp, CONFIRM_MAILS_PER_HOUR=5)
    answers: dict[str, tuple[int, str | None, bytes, bytes]] = {}
    with time_machine.travel(NOW, tick=True):
        answers["first"] = _answer(small.test_client(), "victim+0@example.org", event.id)
        for number in range(1, MAILBOX_BUDGET):
            _answer(small.test_client(), f"victim+{number}@example.org", event.id)
        answers["mailbox over budget"] = _answer(small.test_client(), "victim+9@example.org", event.id)
        answers["suppressed mailbox"] = _answer(small.test_client(), "bounced+1@example.org", event.id)
        answers["within global"] = _answer(small.test_client(), "a@example.org", event.id)
        _answer(small.test_client(), "b@example.org", event.id)
        answers["global over budget"] = _answer(small.test_client(), "c@example.org", event.id)
    assert _confirmations(session) == 5  # 3 victims + a + b: the budgets really were hit
    assert _confirmations(session, "c@example.org") == 0
    assert _confirmations(session, "victim+9@example.org") == 0
    first = answers["first"]
    assert first[0] == 303 and b"Check your inbox" in first[3]
    for name, answer in answers.items():
        assert answer == first, name


def test_subscriptions_over_the_budget_stay_pending_and_intact(
    app_factory: Any, mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event = make_event(session, **UPCOMING)
    client = _budget_app(app_factory, smtp, CONFIRM_MAILS_PER_HOUR=2).test_client()
    with time_machine.travel(NOW, tick=True):
        for address in ("a@example.org", "b@example.org", "c@example.org", "d@example.org"):
            assert _post(client, address, event.id).status_code == 303
        run_tick(mail_app)
    session.rollback()
    stored = {row.email: row for row in session.execute(select(Subscription)).scalars()}
    assert set(stored) == {"a@example.org", "b@example.org", "c@example.org", "d@example.org"}
    for subscription in stored.values():
        assert subscription.status == "pending"
        assert subscription.event_id == event.id and subscription.label == UPCOMING["title"]
        assert subscription.confirm_token_hash and subscription.manage_token_hash
        assert subscription.confirm_expires_dt is not None
        assert abs(subscription.confirm_expires_dt - (NOW + timedelta(hours=48))) < timedelta(minutes=1)
    leads = session.execute(select(SubscriptionLead.subscription_id, SubscriptionLead.minutes)).all()
    assert sorted(minutes for _id, minutes in leads) == [1440] * 4
    addresses = {row.email: row for row in session.execute(select(MailAddress)).scalars()}
    assert set(addresses) == set(stored)
    assert addresses["c@example.org"].confirm_next_dt is None  # no slot taken for a mail never queued
    assert addresses["d@example.org"].suppressed_dt is None
    assert sorted(item.rcpt_tos[0] for item in smtp.received) == ["a@example.org", "b@example.org"]
    # an unsent subscription simply expires: nothing else is ever queued for it
    with time_machine.travel(NOW + timedelta(hours=49), tick=True):
        run_tick(mail_app)
    assert len(smtp.received) == 2
    assert _confirmations(session, "c@example.org") == 0 and _confirmations(session, "d@example.org") == 0


# ------------------------------------------------------------------------------------------------ settings


def test_budgets_are_settings_with_defaults_and_validation(tmp_path: Path) -> None:
    environ = {"TRACKER_INSTANCE_PATH": str(tmp_path)}
    app = create_app(None, environ=environ)
    assert app.config["CONFIRM_MAILS_PER_HOUR"] == GLOBAL_BUDGET
    assert app.config["CONFIRM_MAILS_PER_MAILBOX"] == MAILBOX_BUDGET
    app = create_app(None, environ={**environ, "TRACKER_CONFIRM_MAILS_PER_HOUR": "50"})
    assert app.config["CONFIRM_MAILS_PER_HOUR"] == 50
    for name in ("TRACKER_CONFIRM_MAILS_PER_HOUR", "TRACKER_CONFIRM_MAILS_PER_MAILBOX"):
        with pytest.raises(ConfigError, match=name):
            create_app(None, environ={**environ, name: "lots"})
