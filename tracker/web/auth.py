"""The editor's login session and the access checks of views (the accounts themselves: ``services.accounts``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, g, has_request_context, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.models import User, UserRole, utcnow
from tracker.services.accounts import end_sessions
from tracker.web.framing import is_frameable_request
from tracker.web.sessions import get_session

F = TypeVar("F", bound=Callable[..., Any])


def login_user(user: User) -> None:
    """Start a fresh session for ``user`` (a new session on login prevents session fixation).

    The session carries the user's current ``session_epoch``; raising the epoch voids it (``end_sessions``).
    """
    session.clear()
    session["user_id"] = user.id
    session["epoch"] = user.session_epoch
    session.permanent = True
    user.last_login_dt = utcnow()


def logout_user() -> None:
    """End this session and every other session of the same user."""
    user = current_user()
    session.clear()
    if user is not None and user.id is not None:
        db = get_session()
        end_sessions(db, user.id)
        db.commit()


def current_user() -> User | None:
    """The logged-in user, loaded from the session on first use in views marked ``user_not_needed``."""
    if "user" not in g:
        load_user()
    return g.user


def load_user() -> None:
    """Set ``g.user`` from the session, clearing a session whose user is gone or inactive or whose epoch is old.

    One primary-key lookup, and only for requests that carry a user id; anonymous requests cost nothing.
    """
    g.user = None
    user_id = session.get("user_id")
    if isinstance(user_id, int):
        user = get_session().get(User, user_id)
        if user is not None and user.active and session.get("epoch") == user.session_epoch:
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

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        """As Flask's, except that an answer other sites frame sets, refreshes or deletes no cookie."""
        if is_frameable_request(app):
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = CachedSerializerSessionInterface()
    # Behind N reverse proxies, the client address is the N-th from the right of X-Forwarded-For; without the
    # setting the header is ignored, so nobody can choose the address the login throttle counts.
    trusted_proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if trusted_proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted_proxies)  # type: ignore[method-assign]

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
