"""The insert construct follows the database behind an engine, a connection or a session.

No server is needed: creating a PostgreSQL engine does not connect, and neither does asking a session for it.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.dialects import dialect_insert
from tracker.models import RateCounter


def _engines() -> tuple[Engine, Engine]:
    return create_engine("sqlite://"), create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_engines_and_sessions_pick_their_backends_insert() -> None:
    lite, postgres = _engines()
    assert dialect_insert(lite) is sqlite.insert
    assert dialect_insert(postgres) is postgresql.insert
    with Session(lite) as session:
        assert dialect_insert(session) is sqlite.insert
    with Session(postgres) as session:
        assert dialect_insert(session) is postgresql.insert


def test_a_connection_picks_its_backends_insert() -> None:
    lite, _ = _engines()
    with lite.connect() as connection:
        assert dialect_insert(connection) is sqlite.insert


def test_the_insert_compiles_to_each_backends_upsert() -> None:
    lite, postgres = _engines()
    for engine in (lite, postgres):
        statement = dialect_insert(engine)(RateCounter).values(key="k").on_conflict_do_nothing()
        assert "ON CONFLICT DO NOTHING" in str(statement.compile(dialect=engine.dialect))
