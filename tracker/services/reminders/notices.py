"""Change notices: tell followers what changed (old → new) when an event's date, place or status changes.

A notice waits ``NOTICE_DELAY``, so quick successive edits merge into one mail; an edit undone before it goes
out cancels it. ``replan_after_change`` is the ``on_event_change`` listener that runs both this and the
re-plan inside the saving transaction (``create_app`` registers it).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, delete, exists, literal, or_, select, update
from sqlmodel import Session

from tracker.models import EventStatus, Outbox, OutboxKind, OutboxStatus, Subscription, SubscriptionStatus, UTCDateTime
from tracker.services import batches
from tracker.services.events import EventChange
from tracker.services.reminders.outbox import insert_outbox_rows
from tracker.services.reminders.planning import plan
from tracker.visibility import PUBLIC, may_see

#: A notice waits this long, so quick successive edits merge into one mail ("within minutes").
NOTICE_DELAY = timedelta(minutes=2)
#: Fields whose change is announced, grouped by what the notice calls them.
NOTICE_FIELDS = {
    "when": ("all_day", "timezone", "start_dt", "end_dt", "start_date", "end_date"),
    "where": ("venue", "city", "country"),
    "status": ("status", "deleted_dt"),
}
_ANNOUNCED = frozenset(name for names in NOTICE_FIELDS.values() for name in names)

Changes = dict[str, list[Any]]


def announced_changes(change: EventChange) -> Changes:
    """The changes of one save that a notice announces: nothing unless the event was or became confirmed.

    Followers are anonymous, so nothing is announced of a hidden event, and nothing once it has started (by
    its old or new start).
    """
    event = change.event
    changes = {name: values for name, values in change.changes.items() if name in _ANNOUNCED}
    if change.action not in {"updated", "deleted", "restored"} or not changes:
        return {}
    if not may_see(event, include_internal=PUBLIC):
        return {}
    old_status = change.changes.get("status", [event.status])[0]
    if EventStatus.CONFIRMED.value not in {old_status, event.status}:
        return {}
    old_start = change.changes.get("start_dt", [None])[0]
    starts = [event.start_dt] + ([datetime.fromisoformat(old_start)] if old_start else [])
    if min(starts) <= change.now:
        return {}
    return changes


def merge_changes(waiting: Changes, changes: Changes) -> Changes:
    """A waiting notice's changes with a new save's: the first old value and the latest new one of each field;
    fields changed back to where they started drop out."""
    merged = {name: list(values) for name, values in waiting.items()}
    for name, (old, new) in changes.items():
        merged[name] = [merged[name][0] if name in merged else old, new]
    return {name: values for name, values in merged.items() if values[0] != values[1]}


def queue_notices(session: Session, change: EventChange) -> int:
    """Queue (or merge into a waiting) notice for everyone following an event whose date, place or status changed.

    Followers are active subscriptions to the event itself and those with reminders planned for it.
    Returns how many new notices were queued.
    """
    changes = announced_changes(change)
    if not changes:
        return 0
    merged_into = _merge_into_waiting(session, change.event.id, changes)  # type: ignore[arg-type]
    return _queue_new(session, change, changes, merged_into)


def _merge_into_waiting(session: Session, event_id: int, changes: Changes) -> set[int]:
    """Fold the changes into notices not yet tried; returns the subscriptions whose notice took them."""
    waiting = session.execute(
        select(Outbox.id, Outbox.changes, Outbox.subscription_id).where(
            Outbox.event_id == event_id,
            Outbox.kind == OutboxKind.NOTICE.value,
            Outbox.status == OutboxStatus.PENDING.value,
            Outbox.attempts == 0,
        )
    ).all()
    by_content: dict[str, tuple[Changes, list[int]]] = {}
    for row_id, stored, _ in waiting:
        key = repr(sorted((stored or {}).items()))
        by_content.setdefault(key, (stored or {}, []))[1].append(row_id)
    for stored, ids in by_content.values():
        merged = merge_changes(stored, changes)
        if merged:
            session.execute(
                update(Outbox)
                .where(Outbox.id.in_(ids))
                .values(changes=merged)
                .execution_options(synchronize_session=False)
            )
        else:  # changed back: nothing to announce
            session.connection().execute(delete(Outbox).where(Outbox.id.in_(ids)))
    return {subscription_id for _, _, subscription_id in waiting}


def _queue_new(session: Session, change: EventChange, changes: Changes, merged_into: set[int]) -> int:
    """INSERT … SELECT one notice per follower without a waiting one (set-based, like planning)."""
    event = change.event
    due = change.now + NOTICE_DELAY
    followers = select(
        literal(OutboxKind.NOTICE.value),
        Subscription.id,
        literal(event.id),
        literal(0),
        literal(event.revision),
        literal(due, UTCDateTime()),
        literal(OutboxStatus.PENDING.value),
        literal(due, UTCDateTime()),
        literal(0),
        literal(change.now, UTCDateTime()),
        literal(""),
        literal(changes, JSON()),
    ).where(
        Subscription.status == SubscriptionStatus.ACTIVE.value,
        or_(
            Subscription.event_id == event.id,
            exists().where(
                Outbox.subscription_id == Subscription.id,
                Outbox.event_id == event.id,
                Outbox.kind == OutboxKind.REMINDER.value,
            ),
        ),
        ~exists().where(
            Outbox.subscription_id == Subscription.id,
            Outbox.event_id == event.id,
            Outbox.kind == OutboxKind.NOTICE.value,
            Outbox.status == OutboxStatus.PENDING.value,
        ),
        Subscription.id.not_in(merged_into),  # their waiting notice took this change (or was withdrawn with it)
    )
    return insert_outbox_rows(session, followers, "changes")


def replan_after_change(session: Session, change: EventChange) -> None:
    """The ``on_event_change`` listener, inside the saving transaction: announce the change, then re-plan."""
    if change.event.id is None:
        return
    queue_notices(session, change)
    now = change.now

    def plan_all(batch_session: Session, event_ids: set[int]) -> None:
        ordered = sorted(event_ids)
        for first in range(0, len(ordered), 500):  # bounded IN lists
            plan(batch_session, now, event_ids=ordered[first : first + 500])

    if not batches.defer(session, "reminders.plan", plan_all, change.event.id):
        plan(session, now, event_ids=[change.event.id])
