"""Reminder tables: subscriptions (double opt-in), their lead times, the outbox of mails, addresses, heartbeats.

The delivery guarantee lives here, not in the scheduler: every mail to send is an ``Outbox`` row with a
unique key, a due instant, a status and a lease, so any number of scheduler processes can work the table.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any, Optional

# SQLModel reads relationship annotations at class creation: no "from __future__ import annotations" here.
from sqlalchemy import JSON, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, Relationship, SQLModel

from tracker.i18n import N_
from tracker.models.core import UTCDateTime, utcnow


class SubscriptionStatus(StrEnum):
    PENDING = "pending"  # waiting for the confirmation link to be followed
    ACTIVE = "active"
    ENDED = "ended"  # unsubscribed, replaced by a newer subscription, or never confirmed

    @property
    def label(self) -> str:
        """How the manage page names the state (English; translated where shown)."""
        return {"pending": N_("waiting for confirmation"), "active": N_("active"), "ended": N_("ended")}[self.value]


class OutboxKind(StrEnum):
    REMINDER = "reminder"
    NOTICE = "notice"  # a followed event changed date, place or status
    CONFIRMATION = "confirmation"


class OutboxStatus(StrEnum):
    PENDING = "pending"  # due at ``next_attempt_dt``; a claim moves that instant to the lease's end
    SENT = "sent"
    FAILED = "failed"  # permanent SMTP answer or too many attempts
    SKIPPED = "skipped"  # no longer wanted when its turn came (event started, superseded, suppressed …)


class Subscription(SQLModel, table=True):
    """One address following one event or a stored ``EventFilter``, with the zone its mails are written in."""

    __tablename__ = "reminder_subscription"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_type=String(254), index=True)
    #: Set when following one event; otherwise ``filter`` holds ``EventFilter.to_dict()``.
    event_id: int | None = Field(default=None, foreign_key="event.id", index=True, ondelete="CASCADE")
    filter: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    #: SHA-256 of the canonical JSON of ``filter``: subscriptions with equal filters are planned together.
    filter_key: str | None = Field(default=None, sa_type=String(64), index=True)
    #: What is followed, in words (the event title or ``EventFilter.describe()``), for mails and pages.
    label: str = Field(default="", sa_type=String(300))
    timezone: str = Field(sa_type=String(64))
    #: The language its mails are written in (en, mk or sq): chosen when subscribing, changeable on the manage page.
    language: str = Field(default="en", sa_type=String(2), sa_column_kwargs={"server_default": "en"})
    status: str = Field(default=SubscriptionStatus.PENDING.value, sa_type=String(20), index=True)
    #: Random value the confirm and manage tokens are derived from (HMAC with the app's secret key).
    token_nonce: str = Field(sa_type=String(64))
    #: SHA-256 of the confirm token; cleared when used, so a confirmation link works once.
    confirm_token_hash: str | None = Field(default=None, sa_type=String(64), unique=True)
    confirm_expires_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: SHA-256 of the manage/unsubscribe token carried by every mail.
    manage_token_hash: str = Field(sa_type=String(64), unique=True)
    created_dt: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    confirmed_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_reason: str = Field(default="", sa_type=String(40))

    leads: list["SubscriptionLead"] = Relationship(
        back_populates="subscription", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )

    @property
    def lead_minutes(self) -> list[int]:
        return sorted((lead.minutes for lead in self.leads), reverse=True)


class SubscriptionLead(SQLModel, table=True):
    """One lead time of a subscription (a row, not a list, so planning can join it)."""

    __tablename__ = "reminder_subscription_lead"

    subscription_id: int = Field(foreign_key="reminder_subscription.id", primary_key=True, ondelete="CASCADE")
    minutes: int = Field(primary_key=True)

    subscription: Optional["Subscription"] = Relationship(back_populates="leads")


class Outbox(SQLModel, table=True):
    """One mail to send: a reminder (subscription, event, lead), a change notice or a confirmation."""

    __tablename__ = "reminder_outbox"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_id", "kind", "lead_minutes", "revision", name="uq_reminder_outbox"),
        # Claims read due pending rows only: this partial index stays small however many rows were sent.
        Index(
            "ix_reminder_outbox_due",
            "next_attempt_dt",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_reminder_outbox_event", "event_id", "kind", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=String(20))
    subscription_id: int = Field(foreign_key="reminder_subscription.id", ondelete="CASCADE")
    event_id: int | None = Field(default=None, foreign_key="event.id", ondelete="CASCADE")
    #: Reminders: the lead time. Notices and confirmations: 0.
    lead_minutes: int = Field(default=0)
    #: Notices: the event revision that opened the notice. Confirmations: the n-th confirmation. Reminders: 0.
    revision: int = Field(default=0)
    #: When the mail should go out (reminders: event start − lead).
    due_dt: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=OutboxStatus.PENDING.value, sa_type=String(20))
    #: When the row may next be claimed: ``due_dt`` at first, the end of a lease, or a retry's back-off.
    next_attempt_dt: datetime = Field(sa_type=UTCDateTime)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Random id of the claim holding the lease; marking a row requires it.
    claim_token: str | None = Field(default=None, sa_type=String(32))
    attempts: int = Field(default=0)
    message_id: str | None = Field(default=None, sa_type=String(255))
    #: Notices: ``{field: [old, new]}`` of what changed, merged while the notice waits.
    changes: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    last_error: str | None = Field(default=None, sa_type=Text)
    last_smtp_code: int | None = Field(default=None)
    created_dt: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_reason: str = Field(default="", sa_type=String(40))


class MailAddress(SQLModel, table=True):
    """Per-address state: the confirmation-mail throttle and suppression after a permanent SMTP refusal."""

    __tablename__ = "reminder_address"

    email: str = Field(sa_type=String(254), primary_key=True)
    #: The earliest moment the next confirmation mail may go to this address (one per hour).
    confirm_next_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    suppressed_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    suppressed_reason: str | None = Field(default=None, sa_type=Text)


class SchedulerHeartbeat(SQLModel, table=True):
    """The last tick of each scheduler process, for the admin page."""

    __tablename__ = "reminder_heartbeat"

    name: str = Field(sa_type=String(200), primary_key=True)
    last_tick_dt: datetime = Field(sa_type=UTCDateTime)
    last_result: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
