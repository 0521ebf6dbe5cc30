"""Reserved slot for the schema of full-text search (issue 3); empty until that work lands.

The revision chain is fixed in advance (0001 core → 0002 search → 0003 feeds → 0004 reminders) so that the
three pieces of work can add their tables side by side without creating several Alembic heads.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
