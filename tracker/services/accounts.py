"""Editors' accounts without the web: password hashing (Argon2id at OWASP strength), the login throttle and
ending every session of an account."""

from __future__ import annotations

import contextlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlmodel import Session

from tracker.models import User
from tracker.services import ratelimit

# OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verifying against this keeps the time of a login with an unknown address like that of a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")

MIN_PASSWORD_LENGTH = 10


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


# --- login throttle ------------------------------------------------------------------------------------------

#: Failed logins allowed in one window, per account (known or not) and per client address. An office behind one
#: NAT address shares the client budget, hence its larger limit; only failures count.
LOGIN_WINDOW = timedelta(minutes=15)
ACCOUNT_BUDGET = ratelimit.Budget(limit=5, window=LOGIN_WINDOW)
CLIENT_BUDGET = ratelimit.Budget(limit=30, window=LOGIN_WINDOW)


@dataclass(frozen=True)
class LoginRefusal:
    """A login refused by the throttle: what to tell the person and the ``Retry-After`` seconds."""

    message: str
    retry_after: int


def client_address(remote_addr: str | None) -> str:
    """The client key of an address: IPv4 as it is, IPv6 as its /64 (one host usually holds a whole /64)."""
    try:
        address = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return remote_addr or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _account_key(email: str) -> str:
    return f"login:account:{email}"


def _throttle_keys(email: str | None, client: str) -> list[tuple[str, ratelimit.Budget, str]]:
    """The counters a login attempt meets; ``email`` is None for text that cannot name any account."""
    keys = [(f"login:client:{client}", CLIENT_BUDGET, "from this address")]
    if email is not None:
        keys.insert(0, (_account_key(email), ACCOUNT_BUDGET, "for this account"))
    return keys


def _refusal(decisions: list[tuple[ratelimit.Decision, ratelimit.Budget, str]], now: datetime) -> LoginRefusal | None:
    """The refusal for the first full budget (account before address), waiting for the last one to reopen.

    A budget is full once it holds ``limit`` failures: the next attempt is refused, whatever its password.
    """
    full = [(decision, where) for decision, budget, where in decisions if decision.count >= budget.limit]
    if not full:
        return None
    retry_after = max(decision.retry_after(now) for decision, _where in full)
    minutes = math.ceil(retry_after / 60)
    wait = f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"
    return LoginRefusal(f"Too many failed logins {full[0][1]}; try again in {wait}.", retry_after)


def login_refusal(db: Session, email: str | None, client: str, now: datetime) -> LoginRefusal | None:
    """Whether a login attempt is refused before its password is checked (no Argon2 hash spent on a flood)."""
    return _refusal(
        [(ratelimit.peek(db, key, budget, now), budget, where) for key, budget, where in _throttle_keys(email, client)],
        now,
    )


def count_login_failure(db: Session, email: str | None, client: str, now: datetime) -> LoginRefusal | None:
    """Count a failed login against the account and the address; the refusal if that filled a budget.

    Unknown accounts are counted like known ones, so the answers never tell which addresses have accounts.
    The caller commits.
    """
    return _refusal(
        [(ratelimit.hit(db, key, budget, now), budget, where) for key, budget, where in _throttle_keys(email, client)],
        now,
    )


def forget_login_failures(db: Session, email: str) -> None:
    """After a successful login the account starts afresh (the address keeps its count: one valid account must
    not reset the budget of an address that guesses at others)."""
    ratelimit.clear(db, _account_key(email))


def end_sessions(db: Session, user_id: int) -> None:
    """Void every session ``user_id`` has, on every device (logout, password reset, deactivation).

    One atomic increment, so two revocations at once both take effect. The caller commits.
    """
    db.execute(
        update(User).where(User.id == user_id).values(session_epoch=User.session_epoch + 1),  # type: ignore[arg-type]
        execution_options={"synchronize_session": "fetch"},
    )


def user_by_email(db: Session, email: str) -> User | None:
    """The account of a normalised e-mail address (``validation.normalise_email``), active or not."""
    return db.exec(select(User).where(User.email == email)).scalar_one_or_none()  # type: ignore[call-overload]
