"""imports and API: calendar sources, imported-event links, API tokens

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("default_kind", sa.String(length=20), nullable=False),
        sa.Column("default_visibility", sa.String(length=10), nullable=False),
        sa.Column("default_tags", sa.String(length=500), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("interval_minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_dt", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("etag", sa.String(length=300), nullable=False),
        sa.Column("last_modified_header", sa.String(length=100), nullable=False),
        sa.Column("body_hash", sa.String(length=64), nullable=False),
        sa.Column("last_fetch_dt", sa.DateTime(), nullable=True),
        sa.Column("last_success_dt", sa.DateTime(), nullable=True),
        sa.Column("last_result", sa.String(length=20), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("last_counts", sa.Text(), nullable=False),
        sa.Column("flagged", sa.Text(), nullable=False),
        sa.Column("create_keys", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_fetch_dt", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("calendar_source") as batch:
        batch.create_index(batch.f("ix_calendar_source_next_fetch_dt"), ["next_fetch_dt"], unique=False)
    op.create_table(
        "imported_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("uid", sa.String(length=500), nullable=False),
        sa.Column("recurrence_id", sa.String(length=40), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("last_modified_dt", sa.DateTime(), nullable=True),
        sa.Column("source_start", sa.String(length=40), nullable=False),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("imported_revision", sa.Integer(), nullable=False),
        sa.Column("pending_input", sa.Text(), nullable=False),
        sa.Column("pending_dt", sa.DateTime(), nullable=True),
        sa.Column("last_seen_dt", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["calendar_source.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index("ix_imported_event_source_uid", "imported_event", ["source_id", "uid", "recurrence_id"])
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("can_write", sa.Boolean(), nullable=False),
        sa.Column("can_see_internal", sa.Boolean(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_dt", sa.DateTime(), nullable=False),
        sa.Column("revoked_dt", sa.DateTime(), nullable=True),
        sa.Column("last_used_dt", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )


def downgrade() -> None:
    op.drop_table("api_token")
    op.drop_index("ix_imported_event_source_uid", table_name="imported_event")
    op.drop_table("imported_event")
    op.drop_table("calendar_source")
