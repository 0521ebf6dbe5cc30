"""Operators' view of reminders: last ticks, queue counts, suppressed addresses and recent SMTP failures."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.models import utcnow
from tracker.services.reminders.overview import overview
from tracker.web.auth import admin_required
from tracker.web.sessions import get_session

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/reminders")
@admin_required
def reminders_overview() -> str:
    now = utcnow()
    return render_template("admin_reminders.html", overview=overview(get_session(), now), now=now)
