"""editor's desk: organisation slugs, aliases of organisations and people, cancel reason, source citation

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tracker.text import slugify

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _fill_slugs() -> None:
    """Existing organisations get slugs the way new ones do (acronym or name, numbered when taken)."""
    connection = op.get_bind()
    used: set[str] = set()
    rows = connection.execute(sa.text("SELECT id, name, acronym FROM organisation ORDER BY id")).all()
    for organisation_id, name, acronym in rows:
        base = slugify(acronym or name) or "organisation"
        candidate, number = base, 1
        while candidate in used:
            number += 1
            candidate = f"{base}-{number}"
        used.add(candidate)
        connection.execute(
            sa.text("UPDATE organisation SET slug = :slug WHERE id = :id"), {"slug": candidate, "id": organisation_id}
        )


def upgrade() -> None:
    # A plain ADD COLUMN with a default: rebuilding the table on SQLite would break the search triggers.
    op.add_column("organisation", sa.Column("slug", sa.String(length=120), nullable=False, server_default=""))
    _fill_slugs()
    op.create_index("ix_organisation_slug", "organisation", ["slug"], unique=True)
    for table, owner in (("organisation_alias", "organisation"), ("person_alias", "person")):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column(f"{owner}_id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=200), nullable=False),
            sa.ForeignKeyConstraint([f"{owner}_id"], [f"{owner}.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table(table) as batch:
            batch.create_index(batch.f(f"ix_{table}_{owner}_id"), [f"{owner}_id"], unique=False)
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("source_citation", sa.String(length=300), nullable=False, server_default=""))
        batch.add_column(sa.Column("cancel_reason", sa.String(length=500), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.drop_column("cancel_reason")
        batch.drop_column("source_citation")
    op.drop_table("person_alias")
    op.drop_table("organisation_alias")
    op.drop_index("ix_organisation_slug", table_name="organisation")
    op.drop_column("organisation", "slug")
