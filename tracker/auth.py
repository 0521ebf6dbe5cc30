"""Editors' accounts: password hashing (Argon2id at OWASP strength), the session login and access checks."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, abort, g, redirect, request, session, url_for

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
    return g.get("user")


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


def init_app(app: Flask) -> None:
    @app.before_request
    def _load_user() -> None:
        from tracker.db import get_session

        g.user = None
        user_id = session.get("user_id")
        if isinstance(user_id, int):
            user = get_session().get(User, user_id)
            if user is not None and user.active:
                g.user = user
            else:
                session.clear()
