"""reminders: subscriptions, lead times, the outbox of mails, per-address state, scheduler heartbeats

The revision chain is fixed in advance (0001 core → 0002 search → 0003 feeds → 0004 reminders) so that the
three pieces of work can add their tables side by side without creating several Alembic heads.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_address",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("confirm_next_dt", sa.DateTime(), nullable=True),
        sa.Column("suppressed_dt", sa.DateTime(), nullable=True),
        sa.Column("suppressed_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("email"),
    )
    op.create_table(
        "reminder_heartbeat",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("last_tick_dt", sa.DateTime(), nullable=False),
        sa.Column("last_result", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "reminder_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("filter", sa.JSON(), nullable=True),
        sa.Column("filter_key", sa.String(length=64), nullable=True),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("token_nonce", sa.String(length=64), nullable=False),
        sa.Column("confirm_token_hash", sa.String(length=64), nullable=True),
        sa.Column("confirm_expires_dt", sa.DateTime(), nullable=True),
        sa.Column("manage_token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_dt", sa.DateTime(), nullable=False),
        sa.Column("confirmed_dt", sa.DateTime(), nullable=True),
        sa.Column("ended_dt", sa.DateTime(), nullable=True),
        sa.Column("ended_reason", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("confirm_token_hash"),
        sa.UniqueConstraint("manage_token_hash"),
    )
    with op.batch_alter_table("reminder_subscription", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_subscription_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_subscription_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_subscription_filter_key"), ["filter_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_subscription_status"), ["status"], unique=False)

    op.create_table(
        "reminder_subscription_lead",
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["subscription_id"], ["reminder_subscription.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("subscription_id", "minutes"),
    )
    op.create_table(
        "reminder_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("lead_minutes", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("due_dt", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("next_attempt_dt", sa.DateTime(), nullable=False),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_smtp_code", sa.Integer(), nullable=True),
        sa.Column("created_dt", sa.DateTime(), nullable=False),
        sa.Column("sent_dt", sa.DateTime(), nullable=True),
        sa.Column("finished_reason", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["subscription_id"], ["reminder_subscription.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "subscription_id", "event_id", "kind", "lead_minutes", "revision", name="uq_reminder_outbox"
        ),
    )
    with op.batch_alter_table("reminder_outbox", schema=None) as batch_op:
        # Partial index: claims read due pending rows only, however many rows have been sent.
        batch_op.create_index(
            "ix_reminder_outbox_due",
            ["next_attempt_dt"],
            unique=False,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )
        batch_op.create_index("ix_reminder_outbox_event", ["event_id", "kind", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reminder_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_outbox_event")
        batch_op.drop_index("ix_reminder_outbox_due")
    op.drop_table("reminder_outbox")
    op.drop_table("reminder_subscription_lead")
    with op.batch_alter_table("reminder_subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_subscription_status"))
        batch_op.drop_index(batch_op.f("ix_reminder_subscription_filter_key"))
        batch_op.drop_index(batch_op.f("ix_reminder_subscription_event_id"))
        batch_op.drop_index(batch_op.f("ix_reminder_subscription_email"))
    op.drop_table("reminder_subscription")
    op.drop_table("reminder_heartbeat")
    op.drop_table("reminder_address")
