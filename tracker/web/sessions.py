"""The request's database session: read-only for GET, HEAD and OPTIONS, a write session otherwise (see
``tracker.db`` for why), opened on first use and closed at teardown; and the app's engine."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine
from sqlmodel import Session

from tracker.db import READ_ONLY_OPTION, forbid_writes_in_read_only_sessions, make_engine, read_only_bind, write_bind

#: Methods that must not change anything (RFC 9110 §9.2.1): their request's session never writes.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    """Attach the engine to the app and close the request's session at teardown."""
    engine = app.extensions["tracker.engine"] = make_engine(app.config["DATABASE_URL"])
    if app.testing:
        forbid_writes_in_read_only_sessions(engine)
    app.extensions["tracker.binds"] = (read_only_bind(engine), write_bind(engine))

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_engine(app: Flask | None = None) -> Engine:
    return (app or current_app).extensions["tracker.engine"]


def get_session() -> Session:
    """The request's (or app context's) database session, opened on first use.

    In a request, GET/HEAD/OPTIONS get a read-only session, other methods a write session (see the module
    docstring); an app context without a request (tests, shell) gets a plain session.
    """
    if "db_session" not in g:
        if has_request_context():
            read_only, write = current_app.extensions["tracker.binds"]
            safe = request.method in SAFE_METHODS
            g.db_session = Session(
                read_only if safe else write, expire_on_commit=False, info={READ_ONLY_OPTION: True} if safe else {}
            )
        else:
            g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session
