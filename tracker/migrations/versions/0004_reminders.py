"""Reserved slot for the schema of reminder e-mails (issue 5); empty until that work lands.

The revision chain is fixed in advance (0001 core → 0002 search → 0003 feeds → 0004 reminders) so that the
three pieces of work can add their tables side by side without creating several Alembic heads.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
