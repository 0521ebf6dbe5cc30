"""Private feed tokens: 256 random bits per user, of which only the SHA-256 is stored.

The token is shown once, and a leaked database does not open the feeds.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import User
from tracker.tokens import token_hash

TOKEN_BYTES = 32  # 256 bits from secrets.token_urlsafe
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def new_feed_token(session: Session, user: User, now: datetime) -> str:
    """Give ``user`` a new private feed token, replacing any old one; returns the token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    user.feed_token_hash = token_hash(token)
    user.feed_token_created_dt = now
    session.add(user)
    return token


def revoke_feed_token(session: Session, user: User) -> None:
    user.feed_token_hash = None
    user.feed_token_created_dt = None
    session.add(user)


def user_for_feed_token(session: Session, token: str) -> User | None:
    """The active user whose private feed this token opens, or None."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    user = session.exec(
        select(User).where(User.feed_token_hash == token_hash(token))  # type: ignore[call-overload]
    ).scalar_one_or_none()
    return user if user is not None and user.active else None
