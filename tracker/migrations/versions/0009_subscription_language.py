"""subscription language: the language a subscriber's mails are written in

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reminder_subscription") as batch:
        batch.add_column(sa.Column("language", sa.String(length=2), server_default="en", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("reminder_subscription") as batch:
        batch.drop_column("language")
