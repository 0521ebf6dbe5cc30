"""Which answers other sites may frame: only views marked ``frameable`` (the ``/embed/`` pages).

Every other answer says ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` (``tracker.web.wiring``).
A frameable answer lists the configured sites instead (``EMBED_ALLOWED_ORIGINS``) and carries no
X-Frame-Options: that header cannot name sites (browsers ignore its ALLOW-FROM), so any value would refuse
the frame that ``frame-ancestors`` allows.
It also sets no cookie: the embedding page is someone else's, its visitors are anonymous readers, and a
refreshed editor session or a remembered zone in a third-party frame would only leak who is looking.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, has_request_context, request

F = TypeVar("F", bound=Callable[..., Any])

#: The policy of every answer but the embeddable ones; ``{frame_ancestors}`` is filled in per kind of answer.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors {frame_ancestors}; form-action 'self'; base-uri 'none'"
)


def frameable(view: F) -> F:
    """Mark a view whose answers other sites may frame (and which never sets a cookie)."""
    view.tracker_frameable = True  # type: ignore[attr-defined]
    return view


def is_frameable_request(app: Flask) -> bool:
    """Whether the current request was routed to a ``frameable`` view (error answers of that view included)."""
    if not has_request_context() or request.endpoint is None:
        return False
    return bool(getattr(app.view_functions.get(request.endpoint), "tracker_frameable", False))


def frame_ancestors(origins: tuple[str, ...]) -> str:
    """The ``frame-ancestors`` sources for the configured origins: ``*``, ``'none'`` or the list."""
    return " ".join(origins) if origins else "'none'"


def content_security_policy(origins: tuple[str, ...]) -> str:
    return CONTENT_SECURITY_POLICY.format(frame_ancestors=frame_ancestors(origins))
