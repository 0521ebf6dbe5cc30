"""Planning: bring the pending reminder rows of the outbox in line with events and subscriptions.

``plan`` is idempotent and set-based — one statement per distinct filter, never one per subscription or
event — and runs inside the transaction that saves an event or confirms a subscription, so a moved or
cancelled event never leaves stale reminders. A reminder is due at ``start − lead``; leads already past when
the subscription was confirmed are not planned. Rows being sent (leased) or already tried are left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, exists, func, literal, or_, select, true, update
from sqlmodel import Session

from tracker.filters import FilterError, parse_filter
from tracker.models import (
    Event,
    Outbox,
    OutboxKind,
    OutboxStatus,
    Subscription,
    SubscriptionLead,
    SubscriptionStatus,
    UTCDateTime,
)
from tracker.services.reminders.outbox import MinusMinutes, insert_outbox_rows
from tracker.services.reminders.rules import reminded_condition
from tracker.visibility import PUBLIC

log = logging.getLogger(__name__)


@dataclass
class PlanResult:
    """Rows planned, re-timed and withdrawn, and the number of SQL statements it took."""

    inserted: int = 0
    retimed: int = 0
    withdrawn: int = 0
    statements: int = 0


@dataclass(frozen=True)
class _Scope:
    """What one ``plan`` call may touch: some events, some subscriptions, or everything (None)."""

    now: datetime
    event_ids: Sequence[int] | None
    subscription_ids: Sequence[int] | None

    def pending_rows(self) -> ColumnElement[bool]:
        """Outbox: reminder rows in scope that wait and are not being sent (no live lease)."""
        conditions: list[ColumnElement[bool]] = [
            Outbox.kind == OutboxKind.REMINDER.value,
            Outbox.status == OutboxStatus.PENDING.value,
            or_(Outbox.lease_until.is_(None), Outbox.lease_until < self.now),
        ]
        if self.event_ids is not None:
            conditions.append(Outbox.event_id.in_(self.event_ids))
        if self.subscription_ids is not None:
            conditions.append(Outbox.subscription_id.in_(self.subscription_ids))
        return and_(*conditions)

    def active_subscriptions(self) -> list[ColumnElement[bool]]:
        conditions = [Subscription.status == SubscriptionStatus.ACTIVE.value]
        if self.subscription_ids is not None:
            conditions.append(Subscription.id.in_(self.subscription_ids))
        return conditions

    def events(self) -> list[ColumnElement[bool]]:
        return [Event.id.in_(self.event_ids)] if self.event_ids is not None else []


def plan(
    session: Session,
    now: datetime,
    *,
    event_ids: Sequence[int] | None = None,
    subscription_ids: Sequence[int] | None = None,
) -> PlanResult:
    """Bring pending reminder rows in line with events and subscriptions; idempotent and set-based.

    Restricted to some events or subscriptions when given (the change listener and confirmation use that).
    Statements: withdraw, re-time, one for event subscriptions, and one select plus two per distinct filter.
    """
    scope = _Scope(now, event_ids, subscription_ids)
    result = PlanResult(withdrawn=_withdraw_unwanted(session, scope), retimed=_retime_moved(session, scope))
    result.inserted = _insert_missing(
        session,
        now,
        [*scope.active_subscriptions(), Subscription.event_id.is_not(None)],
        [Event.id == Subscription.event_id, *scope.events()],
    )
    result.statements = 3
    for key, example_id in _filter_groups(session, scope):
        inserted, withdrawn = _plan_filter_group(session, scope, key, example_id)
        result.inserted += inserted
        result.withdrawn += withdrawn
        result.statements += 2
    result.statements += 1
    return result


def _withdraw_unwanted(session: Session, scope: _Scope) -> int:
    """Delete what no longer qualifies: ended subscriptions, removed leads, events gone, hidden or started."""
    withdrawn = session.connection().execute(
        delete(Outbox)
        .where(
            scope.pending_rows(),
            or_(
                Outbox.subscription_id.in_(
                    select(Subscription.id).where(Subscription.status != SubscriptionStatus.ACTIVE.value)
                ),
                ~exists().where(
                    SubscriptionLead.subscription_id == Outbox.subscription_id,
                    SubscriptionLead.minutes == Outbox.lead_minutes,
                ),
                ~Outbox.event_id.in_(select(Event.id).where(reminded_condition(scope.now))),
            ),
        )
        .execution_options(synchronize_session=False)
    )
    return withdrawn.rowcount  # type: ignore[attr-defined]


def _retime_moved(session: Session, scope: _Scope) -> int:
    """Re-time pending rows of moved events (not yet tried; rows in back-off keep their schedule)."""
    new_due = (
        select(MinusMinutes(Event.start_dt, Outbox.lead_minutes)).where(Event.id == Outbox.event_id).scalar_subquery()
    )
    retimed = session.connection().execute(
        update(Outbox)
        .where(scope.pending_rows(), Outbox.attempts == 0, Outbox.due_dt != new_due)
        .values(due_dt=new_due, next_attempt_dt=new_due)
        .execution_options(synchronize_session=False)
    )
    return retimed.rowcount  # type: ignore[attr-defined]


def _filter_groups(session: Session, scope: _Scope) -> list[tuple[str, int]]:
    """One (filter key, an example subscription id) per distinct filter among active filter subscriptions."""
    groups = session.execute(
        select(Subscription.filter_key, func.min(Subscription.id))
        .where(*scope.active_subscriptions(), Subscription.event_id.is_(None), Subscription.filter_key.is_not(None))
        .group_by(Subscription.filter_key)
    ).all()
    return [(key, example_id) for key, example_id in groups]


def _plan_filter_group(session: Session, scope: _Scope, key: str, example_id: int) -> tuple[int, int]:
    """Withdraw the reminders of events that left the filter, then insert those of events that match it.

    Returns (inserted, withdrawn); two statements.
    """
    example = session.get(Subscription, example_id)
    assert example is not None and example.filter is not None
    try:
        conditions = parse_filter(example.filter, session, include_internal=PUBLIC).conditions()
    except FilterError as exc:  # e.g. an organisation deleted since: the filter matches nothing now
        log.warning("subscription filter %s no longer valid: %s", key, exc)
        conditions = [literal(False)]
    in_group = [*scope.active_subscriptions(), Subscription.filter_key == key]
    gone = session.connection().execute(
        delete(Outbox)
        .where(
            scope.pending_rows(),
            Outbox.subscription_id.in_(select(Subscription.id).where(*in_group)),
            ~Outbox.event_id.in_(select(Event.id).where(*conditions)),
        )
        .execution_options(synchronize_session=False)
    )
    inserted = _insert_missing(session, scope.now, in_group, [*conditions, *scope.events()])
    return inserted, gone.rowcount  # type: ignore[attr-defined]


def _insert_missing(
    session: Session,
    now: datetime,
    subscription_conditions: Iterable[ColumnElement[bool]],
    event_conditions: Iterable[ColumnElement[bool]],
) -> int:
    """INSERT … SELECT the reminder rows of (subscription × lead × matching event) that do not exist yet."""
    due = MinusMinutes(Event.start_dt, SubscriptionLead.minutes)
    existing = (
        select(Outbox.id)
        .where(
            Outbox.subscription_id == Subscription.id,
            Outbox.event_id == Event.id,
            Outbox.kind == OutboxKind.REMINDER.value,
            Outbox.lead_minutes == SubscriptionLead.minutes,
            Outbox.revision == 0,
        )
        .exists()
    )
    rows = (
        select(
            literal(OutboxKind.REMINDER.value),
            Subscription.id,
            Event.id,
            SubscriptionLead.minutes,
            literal(0),
            due,
            literal(OutboxStatus.PENDING.value),
            due,
            literal(0),
            literal(now, UTCDateTime()),
            literal(""),
        )
        .select_from(Subscription)
        .join(SubscriptionLead, SubscriptionLead.subscription_id == Subscription.id)
        .join(Event, and_(true(), *event_conditions))
        .where(*subscription_conditions, reminded_condition(now), due >= Subscription.confirmed_dt, ~existing)
    )
    return insert_outbox_rows(session, rows)
