"""Mistakes can be undone: a delete asks first and can be restored from its tombstone (with its links, history,
feed entry and reminders); a cancellation carries an optional reason to the page and the feeds; the history
page and the event page say what changed in people's words.

Feeds are read back with the ``icalendar`` library and checked with the shared checker; expected texts are
written out by hand from the data.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, login, make_event
from tests.feeds_support import icscheck, vevents
from tests.reminders.conftest import add_subscription
from tracker.models import Event, EventIcs, EventOrganisation, EventRevision, Outbox, User
from tracker.services import events as event_service
from tracker.services.events import event_input_from, load_event, update_event
from tracker.services.feeds.specs import TOMBSTONE_DAYS
from tracker.validation import EventInput

pytestmark = pytest.mark.usefixtures("process_zone")

CONFERENCE = {**SKOPJE_CONFERENCE, "people": ["Oliver Spasovski, Minister of Interior"]}


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def stored(session: Session, event_id: int) -> Event:
    session.rollback()  # a fresh snapshot: the client's commits are newer than this session's reads
    session.expire_all()
    event = session.get(Event, event_id)
    assert event is not None
    return event


def feed_entry(client: FlaskClient, uid: str) -> Any:
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    return vevents(response.data).get(uid)


def feed_body(client: FlaskClient) -> bytes:
    """The public feed; closing the answer stores the blocks it serialized (a GET itself does not write)."""
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    response.close()
    return response.data


def confirm_delete(client: FlaskClient, event_id: int, revision: int) -> Any:
    return client.post(f"/edit/events/{event_id}/delete", data={"revision": str(revision), "confirm": "yes"})


# --- delete asks first -------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_delete_shows_what_will_happen_and_needs_the_confirm_field(
    client: FlaskClient, db_session: Session, editor: User
) -> None:
    login(client, editor.email)
    editor_client = client
    event = make_event(db_session, start_date="2026-11-20")
    add_subscription(db_session, "ana@example.org", NOW, event_id=event.id, leads=(1440, 60))
    page = editor_client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="/edit/events/{event.id}/delete"' in page

    confirmation = editor_client.get(f"/edit/events/{event.id}/delete")
    assert confirmation.status_code == 200
    said = text_of(confirmation)
    assert "Delete “Working meeting”?" in said
    assert "show it as cancelled" in said
    assert "2 planned reminder mails are withdrawn" in said
    assert "1 person follows it by e-mail" in said
    assert 'name="confirm" value="yes"' in confirmation.get_data(as_text=True)

    unconfirmed = editor_client.post(f"/edit/events/{event.id}/delete", data={"revision": "1"})
    assert unconfirmed.status_code == 302
    assert unconfirmed.headers["Location"].endswith(f"/edit/events/{event.id}/delete")
    assert stored(db_session, event.id).deleted_dt is None

    deleted = confirm_delete(editor_client, event.id, 1)
    landing = editor_client.get(deleted.headers["Location"])
    assert landing.status_code == 410
    assert "Event deleted." in text_of(landing)
    assert f'action="/edit/events/{event.id}/restore"' in landing.get_data(as_text=True)
    assert "Undo: restore this event" in text_of(landing)
    assert stored(db_session, event.id).deleted_dt is not None
    pending = select(func.count()).where(
        Outbox.event_id == event.id, Outbox.kind == "reminder", Outbox.status == "pending"
    )
    assert db_session.execute(pending).scalar_one() == 0, "the delete withdrew the reminders"


def test_the_confirmation_page_is_for_editors_and_live_events_only(
    client: FlaskClient, db_session: Session, editor: User
) -> None:
    event = make_event(db_session)
    response = client.get(f"/edit/events/{event.id}/delete")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    login(client, editor.email)
    assert "No reminder mails are waiting for it" in text_of(client.get(f"/edit/events/{event.id}/delete"))
    confirm_delete(client, event.id, 1)
    assert client.get(f"/edit/events/{event.id}/delete").status_code == 404


# --- restore -------------------------------------------------------------------------------------------------------


def test_restore_brings_back_the_event_with_its_links_history_and_feed_entry(
    client: FlaskClient, db_session: Session, editor: User
) -> None:
    editor_client = client
    event = make_event(db_session, **CONFERENCE)
    event_id, uid = event.id, event.uid
    links = db_session.execute(select(func.count()).where(EventOrganisation.event_id == event_id)).scalar_one()
    with time_machine.travel(NOW, tick=False) as clock:
        login(client, editor.email)
        first = feed_entry(editor_client, uid)
        assert first["STATUS"] == "CONFIRMED" and first["SEQUENCE"] == 0
        clock.move_to(NOW + timedelta(hours=1))
        confirm_delete(editor_client, event_id, 1)
        tombstone = feed_entry(editor_client, uid)
        assert tombstone["STATUS"] == "CANCELLED" and tombstone["SEQUENCE"] == 1

        clock.move_to(NOW + timedelta(hours=2))
        restored = editor_client.post(f"/edit/events/{event_id}/restore", data={"revision": "2"})
        assert restored.status_code == 302 and restored.headers["Location"].endswith(f"/events/{event_id}")
        back = feed_entry(editor_client, uid)
        body = editor_client.get("/calendar.ics").data
        page = editor_client.get(f"/events/{event_id}")
        history = text_of(editor_client.get(f"/edit/events/{event_id}/history"))
    assert back["STATUS"] == "CONFIRMED" and back["SEQUENCE"] == 2
    assert not str(back["SUMMARY"]).startswith("Cancelled")
    assert str(back["SUMMARY"]) == SKOPJE_CONFERENCE["title"]
    [result] = icscheck(body)
    assert result.clean, result.output

    event = stored(db_session, event_id)
    assert event.deleted_dt is None and event.revision == 3 and event.sequence == 2
    assert db_session.execute(select(func.count()).where(EventOrganisation.event_id == event_id)).scalar_one() == links
    actions = db_session.execute(
        select(EventRevision.action).where(EventRevision.event_id == event_id).order_by(EventRevision.revision)
    ).scalars()
    assert list(actions) == ["created", "deleted", "restored"]

    assert page.status_code == 200
    said = text_of(page)
    assert "Event restored." in said and "Ministry of the Interior of the Czech Republic" in said
    assert "Oliver Spasovski" in said
    assert re.search(r"Restored .* by Ema Editor .*Deleted .* by Ema Editor .*Created", history), history


def test_an_event_deleted_longer_ago_than_feeds_keep_tombstones_comes_back(
    client: FlaskClient, db_session: Session, editor: User
) -> None:
    editor_client = client
    event = make_event(db_session, **CONFERENCE)
    with time_machine.travel(NOW, tick=False) as clock:
        login(client, editor.email)
        confirm_delete(editor_client, event.id, 1)
        clock.move_to(NOW + timedelta(days=TOMBSTONE_DAYS + 1))
        login(client, editor.email)
        assert feed_entry(editor_client, event.uid) is None, "the tombstone has left the feed"
        assert editor_client.post(f"/edit/events/{event.id}/restore", data={"revision": "2"}).status_code == 302
        back = feed_entry(editor_client, event.uid)
        assert editor_client.get(f"/events/{event.id}").status_code == 200
    assert back is not None and back["STATUS"] == "CONFIRMED" and back["SEQUENCE"] == 2


def test_the_deleted_page_offers_restore_to_editors_only(
    client: FlaskClient, db_session: Session, editor: User
) -> None:
    event = make_event(db_session)
    event_service.delete_event(db_session, event.id, 1, editor, NOW)
    db_session.commit()
    anonymous = client.get(f"/events/{event.id}")
    assert anonymous.status_code == 410 and "/restore" not in anonymous.get_data(as_text=True)
    refused = client.post(f"/edit/events/{event.id}/restore", data={"revision": "2"})
    assert refused.status_code == 302 and "/login?next=" in refused.headers["Location"]
    assert stored(db_session, event.id).deleted_dt is not None
    login(client, editor.email)
    page = client.get(f"/events/{event.id}")
    assert page.status_code == 410
    assert f'action="/edit/events/{event.id}/restore"' in page.get_data(as_text=True)
    assert 'name="revision" value="2"' in page.get_data(as_text=True)


def test_a_stale_or_needless_restore_changes_nothing(editor_client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session)
    stale = editor_client.post(f"/edit/events/{event.id}/restore", data={"revision": "1"}, follow_redirects=True)
    assert "This event is not deleted; nothing was changed." in text_of(stale)
    assert stored(db_session, event.id).revision == 1
    confirm_delete(editor_client, event.id, 1)
    conflict = editor_client.post(f"/edit/events/{event.id}/restore", data={"revision": "1"}, follow_redirects=True)
    assert "changed this event while you were looking at it" in text_of(conflict)
    assert stored(db_session, event.id).deleted_dt is not None
    assert editor_client.post("/edit/events/999999/restore", data={"revision": "1"}).status_code == 404
    assert editor_client.post(f"/edit/events/{event.id}/restore", data={"revision": "x"}).status_code == 400


def test_restore_service_tells_listeners_and_plans_reminders_again(db_session: Session, editor: User) -> None:
    event = make_event(db_session, start_date="2026-11-20")
    add_subscription(db_session, "ana@example.org", NOW, event_id=event.id, leads=(1440,))
    pending = select(func.count()).where(
        Outbox.event_id == event.id, Outbox.kind == "reminder", Outbox.status == "pending"
    )
    assert db_session.execute(pending).scalar_one() == 1
    seen: list[tuple[str, dict[str, Any]]] = []

    def listener(session: Session, change: event_service.EventChange) -> None:
        seen.append((change.action, change.changes))

    event_service.on_event_change(listener)
    try:
        event_service.delete_event(db_session, event.id, 1, editor, NOW)
        db_session.commit()
        assert db_session.execute(pending).scalar_one() == 0
        change = event_service.restore_event(db_session, event.id, 2, editor, NOW + timedelta(minutes=1))
        db_session.commit()
    finally:
        event_service._listeners.remove(listener)
    assert change.event.deleted_dt is None and change.event.revision == 3 and change.event.sequence == 2
    assert seen[-1] == ("restored", {"deleted_dt": [NOW.isoformat(), None]})
    assert db_session.execute(pending).scalar_one() == 1
    # Undone within the notice delay: the follower is not told of a cancellation that did not happen.
    notices = select(func.count()).where(Outbox.event_id == event.id, Outbox.kind == "notice")
    assert db_session.execute(notices).scalar_one() == 0


# --- a reason for a cancellation -------------------------------------------------------------------------------------


def test_a_cancel_reason_reaches_the_page_and_the_feed_and_leaves_with_the_cancellation(
    editor_client: FlaskClient, app: Flask, db_session: Session
) -> None:
    client = app.test_client()  # an anonymous reader beside the editor
    event = make_event(db_session, **CONFERENCE)
    reason = "Министерот е болен; new dates, \\ places follow"
    data = {"status": "cancelled", "reason": f"  {reason}\n", "revision": "1"}
    assert editor_client.post(f"/edit/events/{event.id}/status", data=data).status_code == 302
    assert stored(db_session, event.id).cancel_reason == reason
    assert f"This event has been cancelled: {reason}" in text_of(client.get(f"/events/{event.id}"))
    body = feed_body(client)
    cancelled = vevents(body)[event.uid]
    assert cancelled["STATUS"] == "CANCELLED"
    assert str(cancelled["DESCRIPTION"]).split("\n\n")[0] == f"This event has been cancelled: {reason}"
    [result] = icscheck(body)
    assert result.clean, result.output
    one = vevents(client.get(f"/events/{event.id}.ics").data)[event.uid]
    assert str(one["DESCRIPTION"]).startswith(f"This event has been cancelled: {reason}")

    # Only the reason changes: a new revision, so the stored block is written again.
    block_revision = select(EventIcs.revision).where(EventIcs.event_id == event.id)
    db_session.rollback()
    assert set(db_session.execute(block_revision).scalars()) == {2}
    data = {"status": "cancelled", "reason": "Postponed to spring", "revision": "2"}
    assert editor_client.post(f"/edit/events/{event.id}/status", data=data).status_code == 302
    changed = vevents(feed_body(client))[event.uid]
    assert str(changed["DESCRIPTION"]).startswith("This event has been cancelled: Postponed to spring\n\n")
    db_session.rollback()
    assert set(db_session.execute(block_revision).scalars()) == {3}

    # Confirmed again: the reason goes with the cancellation.
    data = {"status": "confirmed", "reason": "Postponed to spring", "revision": "3"}
    assert editor_client.post(f"/edit/events/{event.id}/status", data=data).status_code == 302
    assert stored(db_session, event.id).cancel_reason == ""
    assert "cancelled" not in text_of(client.get(f"/events/{event.id}"))
    again = vevents(client.get("/calendar.ics").data)[event.uid]
    assert again["STATUS"] == "CONFIRMED" and "Postponed to spring" not in str(again["DESCRIPTION"])


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("x" * 501, "The reason has 501 characters; at most 500 are allowed."),
        ("Strike\x07", "The reason may not contain control characters."),
    ],
    ids=["too long", "control character"],
)
def test_a_bad_reason_is_refused_with_a_message_and_the_text_kept(
    editor_client: FlaskClient, db_session: Session, reason: str, message: str
) -> None:
    event = make_event(db_session)
    data = {"status": "cancelled", "reason": reason, "revision": "1"}
    response = editor_client.post(f"/edit/events/{event.id}/status", data=data)
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'value="xxxxx' in response.get_data(as_text=True) or "Strike" in response.get_data(as_text=True)
    event = stored(db_session, event.id)
    assert event.status == "confirmed" and event.revision == 1


def test_a_reason_with_another_status_is_not_kept(editor_client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session)
    data = {"status": "postponed", "reason": "Strike", "revision": "1"}
    assert editor_client.post(f"/edit/events/{event.id}/status", data=data).status_code == 302
    event = stored(db_session, event.id)
    assert event.status == "postponed" and event.cancel_reason == ""


# --- history and the moved notice, end to end ------------------------------------------------------------------


def test_history_and_event_page_say_what_moved_in_words(
    editor_client: FlaskClient, app: Flask, db_session: Session, editor: User
) -> None:
    event = make_event(db_session, **{**CONFERENCE, "organisations": [CONFERENCE["organisations"][0]]})
    values = event_input_from(load_event(db_session, event.id))
    values.update(start_date="2022-11-16", end_date="2022-11-17", organisations=CONFERENCE["organisations"][:2])
    update_event(db_session, event.id, EventInput.from_form(values), 1, editor, NOW)
    db_session.commit()
    event_service.set_status(db_session, event.id, "cancelled", 2, editor, NOW, reason="Snow")
    db_session.commit()

    history = text_of(editor_client.get(f"/edit/events/{event.id}/history"))
    assert "Start moved from Tue 15 Nov 2022 to Wed 16 Nov 2022" in history
    assert "End moved from Wed 16 Nov 2022 to Thu 17 Nov 2022" in history
    assert "Co-organiser added: Ministry of the Interior of the Czech Republic" in history
    assert "Status: confirmed → cancelled (reason: Snow)" in history
    assert "Mon 2 Nov 2026 10:00 CET by Ema Editor" in history  # NOW (09:00 UTC) in Skopje
    for storage in ("start_date", "start_dt", "+00:00", "2022-11-15", "['", "co_organiser"):
        assert storage not in history

    public = text_of(app.test_client().get(f"/events/{event.id}"))
    assert "Moved from 15 – 16 Nov 2022" in public
    assert "Ema Editor" not in public
