"""Operators' pages: the reminder overview (last ticks, queue counts, suppressed addresses, recent SMTP failures,
failing calendar sources) and the JSON API's tokens (issue, shown once; revoke)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker.i18n import gettext as _
from tracker.models import User, utcnow
from tracker.services import api_tokens, sources
from tracker.services.reminders.overview import overview
from tracker.validation import normalise_email
from tracker.web.auth import admin_required
from tracker.web.sessions import get_session

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/reminders")
@admin_required
def reminders_overview() -> str:
    now = utcnow()
    session = get_session()
    failing = sources.failing_sources(session)
    return render_template("admin_reminders.html", overview=overview(session, now), now=now, failing_sources=failing)


def _tokens_page(status: int = 200, **context: Any) -> tuple[str, int, dict[str, str]]:
    session = get_session()
    users = session.exec(select(User).where(User.active).order_by(User.email)).scalars().all()  # type: ignore[call-overload,arg-type]
    page = render_template("admin_api_tokens.html", tokens=api_tokens.list_tokens(session), users=users, **context)
    return page, status, {"Cache-Control": "no-store"}  # the page that shows a new token must not be kept


@bp.get("/api-tokens")
@admin_required
def tokens() -> tuple[str, int, dict[str, str]]:
    return _tokens_page()


@bp.post("/api-tokens")
@admin_required
def issue_token() -> tuple[str, int, dict[str, str]]:
    """Issue a token and show it once, in this answer only (never in a flash message: those travel in cookies)."""
    session = get_session()
    form = request.form
    try:
        email = normalise_email(form.get("user", ""))
    except ValueError:
        return _tokens_page(400, error=_("Choose the account the token acts as."), values=form)
    user = session.exec(select(User).where(User.email == email)).scalar_one_or_none()  # type: ignore[call-overload]
    if user is None:
        return _tokens_page(400, error=_("Choose the account the token acts as."), values=form)
    try:
        token, secret = api_tokens.issue_token(
            session, form.get("name", ""), user, utcnow(),
            can_write=form.get("can_write") == "on", can_see_internal=form.get("can_see_internal") == "on",
        )  # fmt: skip
    except api_tokens.TokenError as exc:
        session.rollback()
        return _tokens_page(400, error=str(exc), values=form)
    session.commit()
    return _tokens_page(issued=token, secret=secret)


@bp.post("/api-tokens/<int:token_id>/revoke")
@admin_required
def revoke_token(token_id: int) -> Response:
    session = get_session()
    try:
        token = api_tokens.revoke_token(session, token_id, utcnow())
    except api_tokens.TokenError:
        abort(404)
    session.commit()
    flash(_("The API token “%(name)s” (%(prefix)s…) is revoked.", name=token.name, prefix=token.prefix), "success")
    return redirect(url_for("admin.tokens"))
