"""API tokens: issued and revoked by an admin, 256 random bits each, of which only the SHA-256 is stored.

The token is shown once, when it is issued; a leaked database opens nothing. A client sends it as
``Authorization: Bearer trk_…``; ``authenticate`` hashes what was sent, finds the row by that hash and compares
the hashes in constant time. A revoked token, or one whose account is deactivated, opens nothing either.
``last_used_dt`` is written at most once per ``USE_RECORD_INTERVAL``, so a polling client costs no write per request.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlmodel import Session

from tracker.db import write_session
from tracker.models import User
from tracker.models.security import ApiToken
from tracker.tokens import token_hash
from tracker.validation import single_line

TOKEN_PREFIX = "trk_"
TOKEN_BYTES = 32  # 43 URL-safe characters after the prefix
TOKEN_PATTERN = re.compile(r"trk_[A-Za-z0-9_-]{43}")
#: Characters of the token kept in clear (``ApiToken.prefix``, String(12)) so people can tell tokens apart.
SHOWN_PREFIX_LENGTH = 12
NAME_MAX = 100
USE_RECORD_INTERVAL = timedelta(minutes=5)


class TokenError(ValueError):
    """An admin's request about tokens that cannot be done; the message says why."""


@dataclass(frozen=True, slots=True)
class ApiCaller:
    """Who is calling the API, as the views need it (plain values: the request's session may close first)."""

    token_id: int
    name: str
    user: User
    can_write: bool
    can_see_internal: bool
    last_used_dt: datetime | None


def sees_internal(caller: ApiCaller | None) -> bool:
    """The API's audience rule: internal events only for a token that may see them (no token: the public)."""
    return caller is not None and caller.can_see_internal


def issue_token(
    session: Session, name: str, user: User, now: datetime, *, can_write: bool = False, can_see_internal: bool = False
) -> tuple[ApiToken, str]:
    """A new token acting as ``user``; returns the row and the token itself, which is never stored."""
    try:
        clean = single_line(name, NAME_MAX, "The token's name")
    except ValueError as exc:
        raise TokenError(str(exc)) from None
    if not clean:
        raise TokenError("Give the token a name that says who uses it, such as “Newsroom calendar”.")
    if not user.active:
        raise TokenError(f"The account {user.email} is deactivated; a token cannot act as it.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        name=clean,
        token_hash=token_hash(secret),
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        can_write=can_write,
        can_see_internal=can_see_internal,
        user_id=user.id,
        created_dt=now,
    )
    session.add(token)
    session.flush()
    return token, secret


def revoke_token(session: Session, token_id: int, now: datetime) -> ApiToken:
    """Revoke a token for good (a second revoke keeps the first date); ``TokenError`` for an unknown id."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise TokenError(f"There is no API token with id {token_id}.")
    if token.revoked_dt is None:
        token.revoked_dt = now
        session.add(token)
        session.flush()
    return token


def list_tokens(session: Session) -> list[tuple[ApiToken, User | None]]:
    """Every token with the account it acts as, newest first (revoked ones too: the admin page shows them)."""
    statement = select(ApiToken, User).outerjoin(User, User.id == ApiToken.user_id).order_by(ApiToken.id.desc())
    return [(token, user) for token, user in session.execute(statement).all()]


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header; "" for a header that is not one (refused), None for none."""
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return value.strip()


def authenticate(session: Session, token: str) -> ApiCaller | None:
    """The caller a presented token stands for, or None when it opens nothing (malformed, unknown, revoked,
    or its account deactivated)."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None  # refused before any query
    presented = token_hash(token)
    row = session.execute(
        select(ApiToken, User).join(User, User.id == ApiToken.user_id).where(ApiToken.token_hash == presented)
    ).first()
    if row is None:
        return None
    stored, user = row
    if not hmac.compare_digest(stored.token_hash, presented) or stored.revoked_dt is not None or not user.active:
        return None
    return ApiCaller(
        token_id=stored.id,  # type: ignore[arg-type]
        name=stored.name,
        user=user,
        can_write=stored.can_write,
        can_see_internal=stored.can_see_internal,
        last_used_dt=stored.last_used_dt,
    )


def use_is_due(caller: ApiCaller, now: datetime) -> bool:
    """Whether this use should be written down (the last one written is older than ``USE_RECORD_INTERVAL``)."""
    return caller.last_used_dt is None or now - caller.last_used_dt >= USE_RECORD_INTERVAL


def record_use(session: Session, token_id: int, now: datetime) -> None:
    """Write ``last_used_dt`` in the caller's transaction (a write request)."""
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_dt=now))


def record_use_apart(engine: Engine, token_id: int, now: datetime) -> None:
    """Write ``last_used_dt`` in a short transaction of its own (after a read request's answer was sent)."""
    with write_session(engine) as session:
        record_use(session, token_id, now)
        session.commit()
