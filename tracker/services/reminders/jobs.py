"""The claimed rows of one batch, loaded as plain values, and the re-check of each before it is sent.

Dispatch reads columns, not ORM objects: building objects costs more than the SMTP exchange. The re-check
runs a few set-based look-ups for the whole batch, then asks ``rules.skip_reason`` row by row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, literal, select
from sqlmodel import Session

from tracker.filters import FilterError, parse_filter
from tracker.models import Event, MailAddress, Outbox, OutboxKind, OutboxStatus, Subscription, SubscriptionLead
from tracker.services.listing import with_details
from tracker.services.reminders.rules import Findings, skip_reason
from tracker.visibility import PUBLIC


@dataclass(slots=True)
class ClaimedRow:
    """The columns of a claimed outbox row that dispatch reads."""

    id: int
    kind: str
    subscription_id: int
    event_id: int | None
    lead_minutes: int
    revision: int
    attempts: int
    changes: dict[str, Any] | None


@dataclass(slots=True)
class Recipient:
    """The columns of a subscription that dispatch reads; ``filter`` is read once per filter, not per row."""

    id: int
    email: str
    status: str
    filter_key: str | None
    label: str
    timezone: str
    token_nonce: str
    confirm_expires_dt: datetime | None
    #: The language the subscriber's mails are written in.
    language: str
    lead_minutes: list[int]


@dataclass
class Job:
    """One mail to send: its outbox row, its subscription and its event (None for a confirmation)."""

    row: ClaimedRow | Outbox
    subscription: Recipient | Subscription
    event: Event | None


_ROW_COLUMNS = (
    Outbox.id,
    Outbox.kind,
    Outbox.subscription_id,
    Outbox.event_id,
    Outbox.lead_minutes,
    Outbox.revision,
    Outbox.attempts,
    Outbox.changes,
)
_RECIPIENT_COLUMNS = (
    Subscription.id,
    Subscription.email,
    Subscription.status,
    Subscription.filter_key,
    Subscription.label,
    Subscription.timezone,
    Subscription.token_nonce,
    Subscription.confirm_expires_dt,
    Subscription.language,
)


def load_jobs(session: Session, ids: Sequence[int], token: str) -> list[Job]:
    """The claimed rows still ours, with their subscriptions (plain values) and events (one object each)."""
    rows = session.execute(
        select(*_ROW_COLUMNS, *_RECIPIENT_COLUMNS)
        .join(Subscription, Subscription.id == Outbox.subscription_id)
        .where(Outbox.id.in_(ids), Outbox.claim_token == token)
        .order_by(Outbox.id)
    ).all()
    leads: dict[int, list[int]] = defaultdict(list)
    for subscription_id, minutes in session.execute(
        select(SubscriptionLead.subscription_id, SubscriptionLead.minutes).where(
            SubscriptionLead.subscription_id.in_({row[2] for row in rows})
        )
    ):
        leads[subscription_id].append(minutes)
    event_ids = {row[3] for row in rows if row[3] is not None}
    events = {
        event.id: event
        for event in session.execute(with_details(select(Event).where(Event.id.in_(event_ids)))).scalars()
    }
    width = len(_ROW_COLUMNS)
    jobs = []
    for values in rows:
        row = ClaimedRow(*values[:width])
        recipient = Recipient(*values[width:], lead_minutes=sorted(leads[row.subscription_id], reverse=True))
        jobs.append(Job(row, recipient, events.get(row.event_id)))
    return jobs


def reasons_to_skip(session: Session, jobs: list[Job], now: datetime) -> dict[int, str]:
    """Re-check each claimed row: is it still wanted now? Returns row id → reason for those that are not."""
    suppressed = _suppressed_addresses(session, {job.subscription.email for job in jobs})
    reminders = [job for job in jobs if job.row.kind == OutboxKind.REMINDER.value]
    shortest_due = _shortest_due_leads(session, reminders, now)
    filter_matches = _filter_matches(session, reminders)
    reasons: dict[int, str] = {}
    for job in jobs:
        row, subscription = job.row, job.subscription
        key = subscription.filter_key
        found = Findings(
            suppressed=subscription.email in suppressed,
            matches_filter=not key or row.event_id in filter_matches.get(key, set()),
            shortest_due_lead=shortest_due.get((row.subscription_id, row.event_id)),  # type: ignore[arg-type]
        )
        reason = skip_reason(row.kind, row.lead_minutes, subscription, job.event, now, found)
        if reason is not None:
            reasons[row.id] = reason  # type: ignore[index]
    return reasons


def _suppressed_addresses(session: Session, emails: set[str]) -> set[str]:
    return set(
        session.execute(
            select(MailAddress.email).where(MailAddress.email.in_(emails), MailAddress.suppressed_dt.is_not(None))
        ).scalars()
    )


def _shortest_due_leads(session: Session, reminders: list[Job], now: datetime) -> dict[tuple[int, int], int]:
    """(subscription, event) → the shortest lead already due among its pending or sent reminders."""
    shortest: dict[tuple[int, int], int] = {}
    if not reminders:
        return shortest
    pairs = {(job.row.subscription_id, job.row.event_id) for job in reminders}
    for subscription_id, event_id, lead in session.execute(
        select(Outbox.subscription_id, Outbox.event_id, Outbox.lead_minutes).where(
            Outbox.kind == OutboxKind.REMINDER.value,
            Outbox.subscription_id.in_({pair[0] for pair in pairs}),
            Outbox.event_id.in_({pair[1] for pair in pairs}),
            Outbox.due_dt <= now,
            Outbox.status.in_([OutboxStatus.PENDING.value, OutboxStatus.SENT.value]),
        )
    ):
        key = (subscription_id, event_id)
        shortest[key] = min(lead, shortest.get(key, lead))
    return shortest


def _filter_matches(session: Session, reminders: list[Job]) -> dict[str, set[int]]:
    """Filter key → the events of this batch that still match the filter (one query per distinct filter)."""
    matches: dict[str, set[int]] = {}
    for job in reminders:
        key = job.subscription.filter_key
        if not key or key in matches:
            continue
        stored = session.execute(select(Subscription.filter).where(Subscription.id == job.subscription.id)).scalar()
        conditions: list[ColumnElement[bool]]
        try:
            parsed = parse_filter(stored, session, include_internal=PUBLIC) if stored else None
            conditions = parsed.conditions() if parsed else [literal(False)]
        except FilterError:
            conditions = [literal(False)]
        event_ids = {other.row.event_id for other in reminders if other.subscription.filter_key == key}
        matches[key] = set(session.execute(select(Event.id).where(Event.id.in_(event_ids), *conditions)).scalars())
    return matches
