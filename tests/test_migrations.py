"""Migrations from an empty database give exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import tracker.models  # noqa: F401 - registers every table
from tracker.migrations import alembic_config, current_revision, upgrade
from tracker.migrations.schema_filter import include_object


def test_migrated_schema_equals_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_object})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_database_is_at_the_single_head_and_upgrade_is_repeatable(engine: Engine) -> None:
    heads = ScriptDirectory.from_config(alembic_config(engine)).get_heads()
    assert len(heads) == 1, f"one linear history expected, found heads {heads}"
    assert current_revision(engine) == heads[0]
    upgrade(engine)  # a second run changes nothing
    assert current_revision(engine) == heads[0]
    tables = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
