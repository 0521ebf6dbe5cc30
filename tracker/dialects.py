"""What differs between the two databases in the SQL we write, in one place (Flask-free: models use it too)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_insert(bind: Session | Connection | Engine) -> Callable[..., Any]:
    """The backend's ``insert`` construct, which has ``on_conflict_do_nothing/update`` (PostgreSQL's or SQLite's)."""
    engine_or_connection = bind.get_bind() if isinstance(bind, Session) else bind
    return postgresql.insert if engine_or_connection.dialect.name == "postgresql" else sqlite.insert
