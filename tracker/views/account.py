"""Logging in and out, and the editor's private feed page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.i18n import gettext as _
from tracker.models import utcnow
from tracker.services.accounts import (
    LoginRefusal,
    client_address,
    count_login_failure,
    forget_login_failures,
    login_refusal,
    user_by_email,
    verify_password,
)
from tracker.services.feeds import new_feed_token, revoke_feed_token
from tracker.validation import normalise_email
from tracker.web import links
from tracker.web.auth import current_user, login_required, login_user, logout_user
from tracker.web.sessions import get_session

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login (no open redirect)."""
    if not target:
        return url_for("public.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("public.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return render_template("login.html", email="", next=request.args.get("next", ""))
    email = request.form.get("email", "").strip().lower()[:254]
    password = request.form.get("password", "")[:1024]
    try:
        account: str | None = normalise_email(email)
    except ValueError:  # names no account (create-user makes only valid ones); counted per address only
        account = None
    client = client_address(request.remote_addr)
    now = utcnow()
    session = get_session()
    refusal = login_refusal(session, account, client, now)
    if refusal is not None:  # checked before the password, so a flood costs no Argon2 hash
        session.commit()  # nothing written; ends the transaction without expiring loaded objects
        return _refused(email, refusal)
    user = user_by_email(session, account) if account is not None else None
    session.commit()  # end the transaction (a write lock on SQLite for a POST) before the slow hash
    if not verify_password(user, password):
        refusal = count_login_failure(session, account, client, now)
        session.commit()  # the failure counts although the answer is an error
        flash(_("Wrong e-mail address or password."), "error")
        if refusal is not None:
            return _refused(email, refusal)
        return render_template("login.html", email=email, next=request.form.get("next", "")), 400
    assert user is not None and account is not None
    forget_login_failures(session, account)
    login_user(user)
    session.commit()
    flash(_("Logged in as %(name)s.", name=user.display_name), "success")
    return redirect(_safe_next(request.form.get("next")))


def _refused(email: str, refusal: LoginRefusal) -> Response:
    """429 with ``Retry-After``, on the login page so the person reads why and for how long."""
    flash(refusal.message, "error")
    page = render_template("login.html", email=email, next=request.form.get("next", ""), locked=True)
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(refusal.retry_after)
    return response


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    flash(_("Logged out. Every session of this account has ended, on every device."), "success")
    return redirect(url_for("public.index"))


@bp.route("/account/feed", methods=["GET", "POST"])
@login_required
def account_feed() -> str | Response | tuple[str, int]:
    """Create, replace or revoke the private feed token; a new token is shown once, on this response."""
    user = current_user()
    assert user is not None
    session = get_session()
    token: str | None = None
    if request.method == "POST":
        action = request.form.get("action", "")
        if action in {"create", "replace"}:
            token = new_feed_token(session, user, utcnow())
            session.commit()
            flash(_("Your private feed address is ready. Copy it now: it is shown only once."), "success")
        elif action == "revoke":
            revoke_feed_token(session, user)
            session.commit()
            flash(_("Your private feed address has been revoked; calendars using it get nothing more."), "success")
        else:
            return render_template("account_feed.html", user=user, token=None, links=None), 400
    feed_links = links.feed_links(None, url=f"{links.base_url()}/feeds/{token}.ics") if token else None
    body = render_template("account_feed.html", user=user, token=token, links=feed_links)
    response = Response(body, content_type="text/html; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"  # the page may show a secret
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
