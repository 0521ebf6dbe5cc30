"""Logging in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker.auth import login_user, logout_user, verify_password
from tracker.db import get_session
from tracker.models import User

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
    session = get_session()
    user = session.exec(select(User).where(User.email == email)).scalar_one_or_none()
    if not verify_password(user, password):
        flash("Wrong e-mail address or password.", "error")
        return render_template("login.html", email=email, next=request.form.get("next", "")), 400
    assert user is not None
    login_user(user)
    session.commit()
    flash(f"Logged in as {user.display_name}.", "success")
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    flash("Logged out.", "success")
    return redirect(url_for("public.index"))
