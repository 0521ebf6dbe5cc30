"""event languages: the language of an event's own title and description, and its translations

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("language", sa.String(length=2), server_default="en", nullable=False))
        batch.add_column(sa.Column("translations", sa.Text(), server_default="{}", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.drop_column("translations")
        batch.drop_column("language")
