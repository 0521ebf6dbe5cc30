"""Subscribing without an account: double opt-in, the same answer for everyone, throttled confirmation mails,
single-use expiring links, the manage page and RFC 8058 one-click unsubscribe."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import time_machine
from flask import Flask
from sqlalchemy import select, text
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, add_user, login, make_event
from tests.reminders.conftest import add_subscription, link, rows, text_body
from tests.reminders.smtpd import SmtpServer
from tracker.models import MailAddress, Subscription
from tracker.scheduler import run_tick

UPCOMING_SKOPJE = {**SKOPJE_CONFERENCE, "start_date": "2026-11-15", "end_date": "2026-11-16"}


def _subscribe(client: Any, **fields: Any) -> Any:
    data = {"email": "ana@example.org", "lead": ["1440"], "timezone": "Europe/Berlin", **fields}
    return client.post("/subscriptions", data=data)


def test_form_on_the_event_page_follows_that_event(mail_app: Flask, session: Session) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    with time_machine.travel(NOW, tick=True):
        page = mail_app.test_client().get(f"/events/{event.id}").get_data(as_text=True)
    assert 'action="/subscriptions"' in page
    assert f'name="event_id" value="{event.id}"' in page
    assert "this event" in page
    assert "<option selected>Europe/Skopje</option>" in page


def test_double_opt_in_sends_only_the_confirmation_until_confirmed(
    mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        response = _subscribe(client, event_id=event.id, lead=["10080", "1440"])
        assert response.status_code == 303
        assert "Check your inbox" in client.get(response.headers["Location"]).get_data(as_text=True)
        run_tick(mail_app)
    (confirmation,) = smtp.to("ana@example.org")
    message = confirmation.message
    assert message["Subject"].startswith("Confirm your reminders")
    assert message["List-Unsubscribe"] is None
    assert rows(session, kind="reminder") == []  # nothing planned before the link is followed
    with time_machine.travel(NOW + timedelta(days=9), tick=True):  # the 1-week reminder would be due now
        run_tick(mail_app)
    assert len(smtp.to("ana@example.org")) == 1
    confirm_path = link(message, r"/subscriptions/confirm/[A-Za-z0-9_-]+")
    with time_machine.travel(NOW + timedelta(hours=1), tick=True):
        assert "Confirm the reminders" in client.get(confirm_path).get_data(as_text=True)
        assert rows(session, kind="reminder") == []  # a GET (a link scanner) confirms nothing
        confirmed = client.post(confirm_path)
        assert confirmed.status_code == 200 and "Your reminders are on" in confirmed.get_data(as_text=True)
        again = client.post(confirm_path)
        assert again.status_code == 410  # single use
    assert {row.lead_minutes for row in rows(session, kind="reminder")} == {10080, 1440}


def test_confirmation_link_expires(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        _subscribe(client, event_id=event.id)
        run_tick(mail_app)
    confirm_path = link(smtp.received[0].message, r"/subscriptions/confirm/[A-Za-z0-9_-]+")
    with time_machine.travel(NOW + timedelta(hours=49), tick=True):
        assert client.post(confirm_path).status_code == 410
    session.rollback()
    assert session.execute(select(Subscription.status)).scalar_one() == "pending"


def _whole_answer(client: Any, **fields: Any) -> tuple[Any, ...]:
    """Everything a client learns from a subscribe request: status, headers, body, and the page it leads to."""
    response = _subscribe(client, **fields)
    headers = sorted((name, value) for name, value in response.headers.items() if name != "Set-Cookie")
    cookies = sorted(value.split("=", 1)[0] for value in response.headers.getlist("Set-Cookie"))
    followed = client.get(response.headers["Location"])
    return response.status_code, headers, cookies, response.get_data(), followed.status_code, followed.get_data()


def test_same_answer_for_new_known_and_suppressed_addresses(mail_app: Flask, session: Session) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    with time_machine.travel(NOW, tick=True):
        add_subscription(session, "known@example.org", NOW, event_id=event.id)
        session.add(MailAddress(email="bounced@example.org", suppressed_dt=NOW, suppressed_reason="550"))
        session.commit()
        answers = []
        whole = {}
        for email in ("new@example.org", "known@example.org", "bounced@example.org"):
            response = _subscribe(mail_app.test_client(), email=email, event_id=event.id)
            answers.append((response.status_code, response.headers["Location"]))
            whole[email] = _whole_answer(mail_app.test_client(), email=email, event_id=event.id)
    assert len(set(answers)) == 1
    # The three requests really took different paths inside (read with plain SQL) …
    session.rollback()
    queued = dict(
        session.execute(
            text(
                "SELECT s.email, count(o.id) FROM reminder_subscription s LEFT JOIN reminder_outbox o"
                " ON o.subscription_id = s.id AND o.kind = 'confirmation' AND o.status = 'pending'"
                " WHERE s.status = 'pending' GROUP BY s.email"
            )
        ).all()
    )
    assert queued == {"new@example.org": 2, "known@example.org": 2, "bounced@example.org": 0}
    assert (
        session.execute(
            text("SELECT count(*) FROM reminder_subscription WHERE email = 'known@example.org' AND status = 'active'")
        ).scalar_one()
        == 1
    )
    # … and yet answered alike, byte for byte, up to the page the redirect leads to.
    first = whole["new@example.org"]
    assert first[0] == 303 and first[4] == 200 and b"Check your inbox" in first[5]
    assert whole["known@example.org"] == first
    assert whole["bounced@example.org"] == first


def test_at_most_one_confirmation_mail_per_address_per_hour(
    mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    events = [make_event(session, title=f"Meeting {number}", start_date="2026-11-20") for number in range(5)]
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        for event in events:
            assert _subscribe(client, event_id=event.id).status_code == 303
        run_tick(mail_app)
    assert len(smtp.to("ana@example.org")) == 1
    with time_machine.travel(NOW + timedelta(minutes=59), tick=True):
        run_tick(mail_app)
    assert len(smtp.to("ana@example.org")) == 1
    with time_machine.travel(NOW + timedelta(minutes=61), tick=True):
        run_tick(mail_app)
    assert len(smtp.to("ana@example.org")) == 2
    with time_machine.travel(NOW + timedelta(hours=5), tick=True):
        run_tick(mail_app)
    # three confirmations at most wait for their slot; the other requests got the same answer but no mail
    assert len(smtp.to("ana@example.org")) == 3


def test_invalid_input_is_a_400_with_messages(mail_app: Flask, session: Session) -> None:
    client = mail_app.test_client()
    response = client.post("/subscriptions", data={"email": "not-an-address", "lead": ["7"], "timezone": "Mars/Base"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a valid e-mail address" in page and "Choose lead times" in page and "Choose a time zone" in page
    response = client.post(
        "/subscriptions", data={"email": "a@example.org", "lead": ["1440"], "timezone": "UTC", "country": "XX"}
    )
    assert response.status_code == 400 and "country" in response.get_data(as_text=True)
    response = client.post(
        "/subscriptions", data={"email": "a@example.org", "lead": ["1440"], "timezone": "UTC", "event_id": "999999"}
    )
    assert response.status_code == 400
    assert session.execute(select(Subscription)).first() is None


def test_filter_subscription_from_a_calendar_view(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    conference = make_event(session, **UPCOMING_SKOPJE)
    make_event(session, title="A meeting in Skopje", start_date="2026-11-20")
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        _subscribe(client, kind="conference", country="MK", lead=["1440"])
        run_tick(mail_app)
        session.rollback()
        subscription = session.execute(select(Subscription)).scalar_one()
        assert subscription.filter == {
            "kind": ["conference"],
            "status": [],
            "country": ["MK"],
            "org": [],
            "tag": [],
            "q": "",
        }
        assert subscription.label == "Conferences · North Macedonia"
        client.post(link(smtp.received[0].message, r"/subscriptions/confirm/[A-Za-z0-9_-]+"))
    assert [row.event_id for row in rows(session, kind="reminder")] == [conference.id]


def _active_with_token(mail_app: Flask, session: Session, smtp: SmtpServer) -> str:
    event = make_event(session, **UPCOMING_SKOPJE)
    client = mail_app.test_client()
    with time_machine.travel(NOW, tick=True):
        _subscribe(client, event_id=event.id, lead=["1440", "120"])
        run_tick(mail_app)
        confirmed = client.post(link(smtp.received[0].message, r"/subscriptions/confirm/[A-Za-z0-9_-]+"))
    found = re.search(r"/subscriptions/([A-Za-z0-9_-]{20,})\"", confirmed.get_data(as_text=True))
    assert found
    return found.group(1)


def test_manage_page_changes_leads_and_zone_without_login(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    token = _active_with_token(mail_app, session, smtp)
    client = mail_app.test_client()
    with time_machine.travel(NOW + timedelta(hours=2), tick=True):
        page = client.get(f"/subscriptions/{token}").get_data(as_text=True)
        assert "ana@example.org" in page and "Ministerial Conference" in page
        response = client.post(f"/subscriptions/{token}", data={"lead": ["10080", "60"], "timezone": "Asia/Tokyo"})
        assert response.status_code == 303
        assert client.post(f"/subscriptions/{token}", data={"lead": [], "timezone": "UTC"}).status_code == 400
    assert sorted(row.lead_minutes for row in rows(session, kind="reminder", status="pending")) == [60, 10080]
    session.rollback()
    assert session.execute(select(Subscription.timezone)).scalar_one() == "Asia/Tokyo"
    assert mail_app.test_client().get("/subscriptions/not-a-real-token-at-all-xyz").status_code == 404


def test_one_click_unsubscribe_without_cookie_or_csrf_is_idempotent(
    app_factory: Any, mail_app: Flask, session: Session, smtp: SmtpServer
) -> None:
    token = _active_with_token(mail_app, session, smtp)
    strict = app_factory(SMTP_URL=smtp.url, WTF_CSRF_ENABLED=True)  # the real CSRF protection
    client = strict.test_client(use_cookies=False)
    with time_machine.travel(NOW + timedelta(hours=2), tick=True):
        page = client.get(f"/unsubscribe/{token}")
        assert page.status_code == 200 and "<button" in page.get_data(as_text=True)
        assert session.execute(select(Subscription.status)).scalar_one() == "active"  # a GET changes nothing
        assert rows(session, kind="reminder", status="pending")
        # a form elsewhere on the site still needs its token
        assert client.post(f"/subscriptions/{token}", data={"lead": ["60"], "timezone": "UTC"}).status_code == 400
        for _ in range(2):
            response = client.post(
                f"/unsubscribe/{token}",
                data="List-Unsubscribe=One-Click",
                content_type="application/x-www-form-urlencoded",
            )
            assert response.status_code == 200
    session.rollback()
    assert session.execute(select(Subscription.status)).scalar_one() == "ended"
    assert rows(session, kind="reminder", status="pending") == []


def test_admin_page_shows_ticks_counts_and_failures(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    smtp.behaviour.refuse.add("gone@example.org")
    with time_machine.travel(NOW, tick=True):
        add_subscription(session, "gone@example.org", NOW - timedelta(days=30), event_id=event.id, leads=(10080, 1440))
    with time_machine.travel(NOW + timedelta(days=12), tick=True):
        run_tick(mail_app)
    add_user(session, "admin@example.org", role="admin")
    add_user(session, "plain@example.org")
    client = mail_app.test_client()
    login(client, "plain@example.org")
    assert client.get("/admin/reminders").status_code == 403
    client.post("/logout")
    login(client, "admin@example.org")
    page = client.get("/admin/reminders").get_data(as_text=True)
    assert 'id="count-failed">1<' in page and 'id="count-suppressed">1<' in page
    assert "550" in page and "mailbox unavailable" in page
    assert "claimed: 2" in page and "skipped: 1" in page  # the 1-week reminder was superseded by the 1-day one


def test_text_of_the_confirmation_mail(mail_app: Flask, session: Session, smtp: SmtpServer) -> None:
    event = make_event(session, **UPCOMING_SKOPJE)
    with time_machine.travel(NOW, tick=True):
        _subscribe(mail_app.test_client(), event_id=event.id)
        run_tick(mail_app)
    body = text_body(smtp.received[0].message)
    assert "Ministerial Conference on Sustainable Migration Management" in body
    assert "http://tracker.test/subscriptions/confirm/" in body
