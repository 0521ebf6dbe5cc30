"""What deleting an event would withdraw, said on the confirmation page before the editor decides.

The delete itself is ``tracker.services.events.delete_event`` (a tombstone ``restore_event`` undoes); this
only counts what hangs on the event, so the editor knows what "delete" means beyond the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlmodel import Session

from tracker.models import Outbox, OutboxKind, OutboxStatus, Subscription, SubscriptionStatus


@dataclass(frozen=True)
class DeleteEffects:
    #: Reminder mails waiting to go out for the event: withdrawn by the delete.
    reminders: int
    #: Active subscriptions following this one event: told by a change notice.
    followers: int


def delete_effects(session: Session, event_id: int) -> DeleteEffects:
    """The reminders a delete withdraws and the followers of this event who would be told."""
    reminders = session.execute(
        select(func.count()).where(
            Outbox.event_id == event_id,
            Outbox.kind == OutboxKind.REMINDER.value,
            Outbox.status == OutboxStatus.PENDING.value,
        )
    ).scalar_one()
    followers = session.execute(
        select(func.count(func.distinct(Subscription.id))).where(
            Subscription.status == SubscriptionStatus.ACTIVE.value,
            or_(
                Subscription.event_id == event_id,
                Subscription.id.in_(  # type: ignore[union-attr]
                    select(Outbox.subscription_id).where(
                        Outbox.event_id == event_id, Outbox.kind == OutboxKind.REMINDER.value
                    )
                ),
            ),
        )
    ).scalar_one()
    return DeleteEffects(reminders=int(reminders), followers=int(followers))
