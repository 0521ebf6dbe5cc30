"""organisation names: an organisation's name and acronym in the other interface languages

``organisation.translations`` holds them as JSON ``{"mk": {"name": …, "acronym": …}}``
(``tracker.organisation_names``); ``name`` and ``acronym`` stay the stored (English) ones.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both backends (SQLite ≥ 3.35 drops a column in place): a batch copy of the table would
# lose the search index's triggers on ``organisation`` (0002, 0008).


def upgrade() -> None:
    op.add_column("organisation", sa.Column("translations", sa.Text(), server_default="{}", nullable=False))


def downgrade() -> None:
    op.drop_column("organisation", "translations")
