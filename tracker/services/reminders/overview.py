"""What the operators' page shows of reminders: last ticks, the queue by status, suppressed addresses, failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.models import MailAddress, Outbox, OutboxStatus, SchedulerHeartbeat, Subscription


@dataclass
class Overview:
    last_ticks: list[SchedulerHeartbeat]
    counts: dict[str, int]
    suppressed: int
    failures: list[tuple[Outbox, Subscription]]
    next_due: datetime | None


def overview(session: Session, now: datetime, *, failures: int = 50) -> Overview:
    """Last ticks, counts by status (and of rows retrying), suppressed addresses, the most recent failures."""
    counts = {status.value: 0 for status in OutboxStatus}
    for status, count in session.execute(select(Outbox.status, func.count()).group_by(Outbox.status)):
        counts[status] = count
    counts["retrying"] = session.execute(
        select(func.count())
        .select_from(Outbox)
        .where(Outbox.status == OutboxStatus.PENDING.value, Outbox.attempts > 0, Outbox.last_error.is_not(None))
    ).scalar_one()
    suppressed = session.execute(
        select(func.count()).select_from(MailAddress).where(MailAddress.suppressed_dt.is_not(None))
    ).scalar_one()
    recent = session.execute(
        select(Outbox, Subscription)
        .join(Subscription, Subscription.id == Outbox.subscription_id)
        .where(Outbox.last_error.is_not(None))
        .order_by(Outbox.next_attempt_dt.desc(), Outbox.id.desc())
        .limit(failures)
    ).all()
    ticks = list(session.execute(select(SchedulerHeartbeat).order_by(SchedulerHeartbeat.last_tick_dt.desc())).scalars())
    next_due = session.execute(
        select(func.min(Outbox.next_attempt_dt)).where(Outbox.status == OutboxStatus.PENDING.value)
    ).scalar_one()
    return Overview(ticks, counts, suppressed, [(row, sub) for row, sub in recent], next_due)
