"""The reminder rules as plain functions (no database, no app): eligibility, the re-check of a claimed row,
retries, lead times and tokens. Expected values are written out by hand from the rules in the README."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tracker.models import Event
from tracker.services.reminders.leads import DEFAULT_LEADS, LEAD_CHOICES, lead_label, parse_leads
from tracker.services.reminders.rules import (
    MAX_ATTEMPTS,
    REMINDED_STATUSES,
    Findings,
    backoff,
    gets_reminders,
    give_up_reason,
    not_reminded_reason,
    skip_reason,
    unmailable_reason,
)
from tracker.tokens import confirm_token, derived_token, manage_token, plausible_token, token_hash
from tracker.validation import InputError

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=3)


def event(**fields: object) -> Event:
    values: dict[str, object] = {
        "id": 1,
        "title": "Working meeting",
        "status": "confirmed",
        "visibility": "public",
        "start_dt": LATER,
        "end_dt": LATER + timedelta(hours=2),
        "timezone": "Europe/Skopje",
        **fields,
    }
    return Event(**values)


# ------------------------------------------------------------------------------------------ eligibility


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({}, None),
        ({"status": "tentative"}, None),
        ({"status": "postponed"}, "event cancelled"),
        ({"status": "cancelled"}, "event cancelled"),
        ({"deleted_dt": NOW}, "event cancelled"),
        ({"visibility": "internal"}, "event not public"),
        ({"start_dt": NOW}, "event started"),  # starting now is started
        ({"start_dt": NOW - timedelta(minutes=1)}, "event started"),
        ({"start_dt": NOW + timedelta(microseconds=1)}, None),
        # the order of the reasons: started before hidden before cancelled
        ({"start_dt": NOW, "visibility": "internal", "status": "cancelled"}, "event started"),
        ({"visibility": "internal", "status": "cancelled"}, "event not public"),
    ],
)
def test_which_events_get_reminders(fields: dict[str, object], reason: str | None) -> None:
    assert not_reminded_reason(event(**fields), NOW) == reason
    assert gets_reminders(event(**fields), NOW) is (reason is None)


def test_reminded_statuses_are_confirmed_and_tentative() -> None:
    assert sorted(REMINDED_STATUSES) == ["confirmed", "tentative"]


def test_no_event_gets_nothing() -> None:
    assert not_reminded_reason(None, NOW) == "event started"
    assert unmailable_reason(None, NOW) == "event started"
    assert gets_reminders(None, NOW) is False


def test_mail_about_a_cancelled_event_may_go_out_but_not_about_a_hidden_or_started_one() -> None:
    assert unmailable_reason(event(status="cancelled", deleted_dt=NOW), NOW) is None
    assert unmailable_reason(event(visibility="internal"), NOW) == "event not public"
    assert unmailable_reason(event(start_dt=NOW), NOW) == "event started"
    assert unmailable_reason(event(start_dt=NOW + timedelta(seconds=1)), NOW) is None


# ---------------------------------------------------------------------------------------------- re-check


@dataclass
class Recipient:
    status: str = "active"
    filter_key: str | None = None
    confirm_expires_dt: datetime | None = None


CLEAR = Findings(suppressed=False, matches_filter=True, shortest_due_lead=None)


@pytest.mark.parametrize(
    ("status", "expires", "suppressed", "reason"),
    [
        ("pending", NOW + timedelta(seconds=1), False, None),
        ("pending", NOW, False, "confirmation expired"),
        ("pending", NOW - timedelta(hours=1), False, "confirmation expired"),
        ("pending", None, False, "confirmation expired"),
        ("active", NOW + timedelta(hours=1), False, "no longer pending"),
        ("ended", NOW + timedelta(hours=1), False, "no longer pending"),
        ("pending", NOW + timedelta(hours=1), True, "address suppressed"),
        ("active", None, True, "address suppressed"),
    ],
)
def test_recheck_of_a_confirmation(status: str, expires: datetime | None, suppressed: bool, reason: str | None) -> None:
    found = Findings(suppressed=suppressed, matches_filter=True, shortest_due_lead=None)
    recipient = Recipient(status=status, confirm_expires_dt=expires)
    assert skip_reason("confirmation", 0, recipient, None, NOW, found) == reason


@pytest.mark.parametrize(
    ("kind", "subscription", "fields", "found", "reason"),
    [
        ("reminder", "active", {}, CLEAR, None),
        ("reminder", "ended", {}, CLEAR, "unsubscribed"),
        ("reminder", "pending", {}, CLEAR, "unsubscribed"),
        ("reminder", "ended", {}, Findings(True, True, None), "address suppressed"),
        ("reminder", "active", {"start_dt": NOW}, CLEAR, "event started"),
        ("reminder", "active", {"visibility": "internal"}, CLEAR, "event not public"),
        ("reminder", "active", {"status": "cancelled"}, CLEAR, "event cancelled"),
        ("reminder", "active", {"status": "postponed"}, CLEAR, "event cancelled"),
        ("reminder", "active", {"deleted_dt": NOW}, CLEAR, "event cancelled"),
        ("reminder", "active", {}, Findings(False, False, None), "no longer matches"),
        ("reminder", "active", {"status": "cancelled"}, Findings(False, False, None), "event cancelled"),
        ("reminder", "active", {}, Findings(False, True, 120), "superseded"),
        ("reminder", "active", {}, Findings(False, False, 120), "no longer matches"),
        ("reminder", "active", {}, Findings(False, True, 1440), None),  # the shortest due is this one
        ("reminder", "active", {}, Findings(False, True, 10080), None),
        ("notice", "active", {"status": "cancelled", "deleted_dt": NOW}, CLEAR, None),
        ("notice", "active", {"status": "postponed"}, Findings(False, False, 60), None),
        ("notice", "active", {"visibility": "internal"}, CLEAR, "event not public"),
        ("notice", "active", {"start_dt": NOW}, CLEAR, "event started"),
        ("notice", "ended", {}, CLEAR, "unsubscribed"),
        ("notice", "active", {}, Findings(True, True, None), "address suppressed"),
    ],
)
def test_recheck_of_a_reminder_or_notice(
    kind: str, subscription: str, fields: dict[str, object], found: Findings, reason: str | None
) -> None:
    assert skip_reason(kind, 1440, Recipient(status=subscription), event(**fields), NOW, found) == reason


def test_recheck_of_a_reminder_whose_event_is_gone() -> None:
    assert skip_reason("reminder", 60, Recipient(), None, NOW, CLEAR) == "event started"
    assert skip_reason("notice", 60, Recipient(), None, NOW, CLEAR) == "event started"


# ------------------------------------------------------------------------------------------------ retries


@pytest.mark.parametrize(
    ("attempts", "minutes"), [(0, 1), (1, 1), (2, 2), (3, 4), (4, 8), (6, 32), (7, 60), (8, 60), (30, 60)]
)
def test_backoff_doubles_up_to_an_hour(attempts: int, minutes: int) -> None:
    assert backoff(attempts) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("kind", "attempts", "next_attempt", "start", "reason"),
    [
        ("reminder", 1, NOW, LATER, None),
        ("reminder", MAX_ATTEMPTS - 1, NOW, LATER, None),
        ("reminder", MAX_ATTEMPTS, NOW, LATER, "too many attempts"),
        ("reminder", MAX_ATTEMPTS + 1, NOW, LATER, "too many attempts"),
        ("reminder", 1, LATER, LATER, "event started"),  # the next try would come as the event starts
        ("reminder", 1, LATER - timedelta(seconds=1), LATER, None),
        ("notice", 1, LATER + timedelta(hours=1), LATER, "event started"),
        ("reminder", MAX_ATTEMPTS, LATER, LATER, "event started"),
        ("confirmation", 1, LATER + timedelta(hours=1), LATER, None),  # not tied to an event's start
        ("confirmation", MAX_ATTEMPTS, NOW, None, "too many attempts"),
        ("confirmation", 1, NOW, None, None),
    ],
)
def test_when_a_failing_mail_is_given_up(
    kind: str, attempts: int, next_attempt: datetime, start: datetime | None, reason: str | None
) -> None:
    assert MAX_ATTEMPTS == 8
    assert give_up_reason(kind, attempts, next_attempt, start) == reason


# ---------------------------------------------------------------------------------------------- lead times


@pytest.mark.parametrize(
    ("minutes", "label"),
    [
        (10080, "1 week"),
        (4320, "3 days"),
        (1440, "1 day"),
        (120, "2 hours"),
        (60, "1 hour"),
        (2880, "2 days"),
        (180, "3 hours"),
        (1500, "25 hours"),
        (90, "90 minutes"),
        (30, "30 minutes"),
    ],
)
def test_lead_labels(minutes: int, label: str) -> None:
    assert lead_label(minutes) == label


def test_the_form_offers_five_leads_and_ticks_one_day() -> None:
    assert list(LEAD_CHOICES) == [10080, 4320, 1440, 120, 60]
    assert DEFAULT_LEADS == (1440,)


@pytest.mark.parametrize(
    ("values", "leads"),
    [
        (["60"], (60,)),
        (["10080"], (10080,)),
        (["60", "1440", "60"], (1440, 60)),
        ([" 120 ", "4320"], (4320, 120)),
        (["60", "120", "1440", "4320", "10080"], (10080, 4320, 1440, 120, 60)),
    ],
)
def test_parse_leads_longest_first(values: list[str], leads: tuple[int, ...]) -> None:
    assert parse_leads(values) == leads


@pytest.mark.parametrize("values", [["59"], ["10081"], ["90"], ["7"], ["abc"], ["60", "61"], ["-60"], [""]])
def test_parse_leads_refuses_what_is_not_offered(values: list[str]) -> None:
    with pytest.raises(InputError) as raised:
        parse_leads(values)
    assert raised.value.errors == {"lead": "Choose lead times from the list (1 week, 3 days, 1 day, 2 hours, 1 hour)."}


def test_parse_leads_needs_one() -> None:
    with pytest.raises(InputError) as raised:
        parse_leads([])
    assert raised.value.errors == {"lead": "Choose at least one lead time."}


# ------------------------------------------------------------------------------------------------- tokens


def test_token_hash_is_hex_sha256() -> None:
    # FIPS 180-2 test vector for "abc"
    assert token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


@dataclass
class Nonced:
    token_nonce: str


def test_tokens_are_an_hmac_of_purpose_and_nonce() -> None:
    secret, nonce = "test-secret-key-0123456789", "0f" * 16
    expected = hmac.new(secret.encode(), f"manage:{nonce}".encode(), hashlib.sha256).digest()[:24]
    assert manage_token(secret, Nonced(nonce)) == base64.urlsafe_b64encode(expected).decode()
    assert len(manage_token(secret, Nonced(nonce))) == 32
    assert confirm_token(secret, Nonced(nonce)) == derived_token(secret, "confirm", nonce)
    assert len({confirm_token(secret, Nonced(nonce)), manage_token(secret, Nonced(nonce))}) == 2
    assert manage_token("another-secret-key-0123456", Nonced(nonce)) != manage_token(secret, Nonced(nonce))
    assert manage_token(secret, Nonced("1e" * 16)) != manage_token(secret, Nonced(nonce))


@pytest.mark.parametrize(
    ("token", "plausible"),
    [
        ("a" * 19, False),
        ("a" * 20, True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("Ab0-_" * 5, True),
        ("a" * 19 + "+", False),
        ("a" * 19 + "=", False),
        ("a" * 19 + "/", False),
        ("", False),
    ],
)
def test_plausible_tokens(token: str, plausible: bool) -> None:
    assert plausible_token(token) is plausible
