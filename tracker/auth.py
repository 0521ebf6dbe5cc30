"""Editors' accounts: password hashing (Argon2id at OWASP strength), the session login and access checks."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, abort, g, has_request_context, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from tracker.models import User, UserRole, utcnow

# OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verifying against this keeps the time of a login with an unknown address like that of a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")

MIN_PASSWORD_LENGTH = 10

F = TypeVar("F", bound=Callable[..., Any])


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_strength(password: str) -> str | None:
    """An error message for an unacceptable password, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > 1024:
        return "Use at most 1024 characters."
    return None


def verify_password(user: User | None, password: str) -> bool:
    """True when ``password`` matches; re-hashes in place when the parameters have been raised."""
    if user is None or not user.active:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return False
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


def login_user(user: User) -> None:
    """Start a fresh session for ``user`` (a new session on login prevents session fixation)."""
    session.clear()
    session["user_id"] = user.id
    session.permanent = True
    user.last_login_dt = utcnow()


def logout_user() -> None:
    session.clear()


def current_user() -> User | None:
    """The logged-in user, loaded from the session on first use in views marked ``user_not_needed``."""
    if "user" not in g:
        load_user()
    return g.user


def load_user() -> None:
    """Set ``g.user`` from the session (clearing a session whose user is gone or inactive)."""
    from tracker.db import get_session

    g.user = None
    user_id = session.get("user_id")
    if isinstance(user_id, int):
        user = get_session().get(User, user_id)
        if user is not None and user.active:
            g.user = user
        else:
            session.clear()


def user_not_needed(view: F) -> F:
    """Mark a view whose answer never depends on who is logged in (calendar feeds, opened by URL or token).

    The user is then not loaded before it runs, so the session is not read (no ``Vary: Cookie`` on a public,
    cacheable answer) and a cookie-less calendar client costs no lookup; templates and ``current_user()``
    still load it on demand (an error page's navigation shows who is logged in).
    """
    view.tracker_user_not_needed = True  # type: ignore[attr-defined]
    return view


def login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def admin_required(view: F) -> F:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None or user.role != UserRole.ADMIN.value:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


class CachedSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with the signing serializer made once per key instead of per request.

    Flask builds a new serializer (with a JSON round trip to probe it) for every request, cookie or not;
    the serializer holds no per-request state, so one per (key, fallback keys) serves them all.
    """

    def __init__(self) -> None:
        self._cached: tuple[tuple[Any, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached = self._cached
        if cached is None or cached[0] != key:
            cached = self._cached = (key, super().get_signing_serializer(app))
        return cached[1]


def init_app(app: Flask) -> None:
    app.session_interface = CachedSerializerSessionInterface()

    @app.before_request
    def _load_user() -> None:
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if not getattr(view, "tracker_user_not_needed", False):
            load_user()

    @app.context_processor
    def _user_for_templates() -> dict[str, Any]:
        if has_request_context():  # mails render outside requests
            current_user()  # templates read g.user: load it for pages whose view skipped the load
        return {}
