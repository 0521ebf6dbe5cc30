"""Which events get reminders, when a claimed mail is still wanted, and how failed sends are retried.

Each rule is written once here. Eligibility exists in two forms side by side, built from the same constants:
SQL for planning (``reminded_condition``) and Python for an event already loaded (``not_reminded_reason``,
used by dispatch's re-check and by the reminder form). A test holds the two to the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import ColumnElement, and_

from tracker.models import Event, EventStatus, OutboxKind, SubscriptionStatus
from tracker.visibility import PUBLIC, listed_condition, may_see

#: Event statuses that get reminders; the others (postponed, cancelled) withdraw them.
REMINDED_STATUSES = (EventStatus.CONFIRMED.value, EventStatus.TENTATIVE.value)
#: A failing mail is tried this many times at most …
MAX_ATTEMPTS = 8
#: … waiting this long after the first failure, twice as long after each further one, and never longer than this.
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)


# ------------------------------------------------------------------------------------------ eligibility


def reminded_condition(now: datetime) -> ColumnElement[bool]:
    """SQL: events that get reminders — live, public (subscribers are anonymous), reminded status, not started."""
    return and_(listed_condition(PUBLIC), Event.status.in_(REMINDED_STATUSES), Event.start_dt > now)


def unmailable_reason(event: Event | None, now: datetime) -> str | None:
    """Why no mail at all (reminder or notice) may go out about this event now; None when one may."""
    if event is None or event.start_dt <= now:
        return "event started"
    if not may_see(event, include_internal=PUBLIC):
        return "event not public"
    return None


def not_reminded_reason(event: Event | None, now: datetime) -> str | None:
    """Python twin of ``reminded_condition``: why this event gets no reminders now; None when it gets them."""
    reason = unmailable_reason(event, now)
    if reason is not None:
        return reason
    assert event is not None
    if event.deleted_dt is not None or event.status not in REMINDED_STATUSES:
        return "event cancelled"
    return None


def gets_reminders(event: Event | None, now: datetime) -> bool:
    """Whether reminders can be asked for this event now (the event page shows the form only then)."""
    return not_reminded_reason(event, now) is None


# ---------------------------------------------------------------------------------------------- re-check


class Recipient(Protocol):
    """What the re-check reads of a subscription."""

    status: str
    filter_key: str | None
    confirm_expires_dt: datetime | None


@dataclass(frozen=True)
class Findings:
    """What dispatch looked up for one claimed row before asking ``skip_reason``."""

    suppressed: bool  # the address was refused for good
    matches_filter: bool  # the event still matches the subscription's filter (True for event subscriptions)
    shortest_due_lead: int | None  # the shortest lead of this subscription and event already due, if any


def skip_reason(
    kind: str, lead_minutes: int, subscription: Recipient, event: Event | None, now: datetime, found: Findings
) -> str | None:
    """Why a claimed row is no longer wanted now (it is then skipped, not sent); None to send it.

    Several reminders for one event due at once (a late event, a stopped scheduler): only the shortest lead
    is sent, the others are "superseded".
    """
    if found.suppressed:
        return "address suppressed"
    if kind == OutboxKind.CONFIRMATION.value:
        if subscription.status != SubscriptionStatus.PENDING.value:
            return "no longer pending"
        if subscription.confirm_expires_dt is None or subscription.confirm_expires_dt <= now:
            return "confirmation expired"
        return None
    if subscription.status != SubscriptionStatus.ACTIVE.value:
        return "unsubscribed"
    if kind != OutboxKind.REMINDER.value:  # a notice: also about cancelled events, never about hidden ones
        return unmailable_reason(event, now)
    reason = not_reminded_reason(event, now)
    if reason is not None:
        return reason
    if not found.matches_filter:
        return "no longer matches"
    if found.shortest_due_lead is not None and found.shortest_due_lead < lead_minutes:
        return "superseded"
    return None


# ------------------------------------------------------------------------------------------------ retries


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try: 1, 2, 4 … minutes, at most an hour."""
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def give_up_reason(kind: str, attempts: int, next_attempt: datetime, event_start: datetime | None) -> str | None:
    """Why a temporarily failed mail is not tried again (it fails for good); None to retry at ``next_attempt``.

    A reminder or notice whose next try would come once the event has started is useless; a confirmation is not
    tied to the event's start.
    """
    too_late = event_start is not None and kind != OutboxKind.CONFIRMATION.value and next_attempt >= event_start
    if too_late:
        return "event started"
    if attempts >= MAX_ATTEMPTS:
        return "too many attempts"
    return None
