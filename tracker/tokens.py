"""Secret tokens handed out in links and feed addresses: only their hash is stored (pure, no database).

A database leak must not give anyone a working link, so tables keep ``token_hash(token)`` and look-ups hash
what the client sent. Subscription tokens are not random but derived (HMAC of a per-subscription nonce under
the app's secret key), so the scheduler can put the same token into every mail it composes later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Protocol


class HasTokenNonce(Protocol):
    """Anything carrying the nonce its tokens are derived from (a ``Subscription``, or dispatch's plain copy)."""

    token_nonce: str


def token_hash(token: str) -> str:
    """The stored form of a token: hex SHA-256 (64 characters)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def derived_token(secret: str, purpose: str, nonce: str) -> str:
    """A URL-safe token that only the holder of ``secret`` can make for this purpose and nonce.

    24 bytes of the HMAC are 32 base64 characters, with no padding to strip.
    """
    digest = hmac.new(secret.encode(), f"{purpose}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def confirm_token(secret: str, subscription: HasTokenNonce) -> str:
    """The token of the subscription's confirmation link."""
    return derived_token(secret, "confirm", subscription.token_nonce)


def manage_token(secret: str, subscription: HasTokenNonce) -> str:
    """The token of the subscription's manage and unsubscribe links, carried by every mail."""
    return derived_token(secret, "manage", subscription.token_nonce)


def plausible_token(token: str) -> bool:
    """Whether ``token`` could be one of ours: 20–64 URL-safe characters (others are refused before any query)."""
    return 20 <= len(token) <= 64 and all(char.isalnum() or char in "-_" for char in token)
