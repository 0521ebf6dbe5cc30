"""Reminder subscriptions without an account: subscribe, confirm, manage, unsubscribe (RFC 8058 one-click).

Links from mails carry a token in the path; nothing here needs a login. The one-click POST works without
cookies or a CSRF token (mail providers send it from their servers) and is idempotent; a GET of the same URL
only shows a button, because link scanners fetch every URL in a mail.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.event_texts import localized
from tracker.filters import parse_filter
from tracker.i18n import gettext as _
from tracker.models import utcnow
from tracker.parsing import optional_id
from tracker.services import subscriptions as service
from tracker.services.reminders import leads
from tracker.tokens import manage_token
from tracker.validation import InputError
from tracker.visibility import PUBLIC, load_visible_event
from tracker.web.csrf import csrf
from tracker.web.sessions import get_session

bp = Blueprint("subscriptions", __name__)


def _form_context(errors: dict[str, str]) -> dict[str, object]:
    """Re-show the subscribe form with what was typed, for the event or the filter it was sent from."""
    session = get_session()
    form = request.form
    event = None
    event_filter = None
    # The form is anonymous whoever sends it: an internal or deleted event reads exactly like a missing one.
    event = load_visible_event(session, optional_id(form.get("event_id", "")), include_internal=PUBLIC)
    if event is None:
        try:
            event_filter = parse_filter(form, session, include_internal=PUBLIC)
        except ValueError:
            event_filter = parse_filter({}, session)
    return {
        "event": event,
        "event_title": localized(event).title if event is not None else "",
        "event_filter": event_filter,
        "errors": errors,
        "values": {
            "email": form.get("email", "")[:254],
            "timezone": form.get("timezone", ""),
            "language": form.get("language", "")[:2],
        },
        "chosen_leads": [str(minutes) for minutes in leads.LEAD_CHOICES if str(minutes) in form.getlist("lead")],
    }


@bp.post("/subscriptions")
def subscribe() -> Response | tuple[str, int]:
    """Double opt-in: store a pending subscription and queue the confirmation mail. Same answer for everyone."""
    session = get_session()
    try:
        subscription_request = service.parse_request(request.form, session)
    except InputError as exc:
        return render_template("subscription_form.html", **_form_context(exc.errors)), 400
    budgets = service.ConfirmationBudgets.from_config(current_app.config)
    service.create_subscription(session, subscription_request, utcnow(), current_app.config["SECRET_KEY"], budgets)
    session.commit()
    wake_scheduler = current_app.extensions.get("tracker.nudge_scheduler")  # set by an in-process scheduler
    if wake_scheduler is not None:
        wake_scheduler()  # the confirmation mail goes now, not at the next tick
    return redirect(url_for("subscriptions.requested"), code=303)


@bp.get("/subscriptions/requested")
def requested() -> str:
    return render_template("subscription_requested.html")


@bp.get("/subscriptions/confirm/<token>")
def confirm_page(token: str) -> str:
    """Shows a button: link scanners that fetch the URL must not confirm on their own."""
    return render_template("subscription_confirm.html", token=token)


@bp.post("/subscriptions/confirm/<token>")
def confirm(token: str) -> str | tuple[str, int]:
    session = get_session()
    subscription = service.confirm(session, token, utcnow())
    if subscription is None:
        session.rollback()
        return render_template("subscription_invalid.html"), 410
    session.commit()
    manage = manage_token(current_app.config["SECRET_KEY"], subscription)
    return render_template("subscription_confirmed.html", subscription=subscription, manage_token=manage)


def _by_token(token: str):  # type: ignore[no-untyped-def]
    subscription = service.by_manage_token(get_session(), token)
    if subscription is None:
        abort(404, description=_("This link is not valid. Use the newest link from one of our mails."))
    return subscription


@bp.get("/subscriptions/<token>")
def manage(token: str) -> str:
    subscription = _by_token(token)
    return render_template(
        "subscription_manage.html",
        subscription=subscription,
        token=token,
        errors={},
        chosen_leads=[str(minutes) for minutes in subscription.lead_minutes],
    )


@bp.post("/subscriptions/<token>")
def change(token: str) -> Response | tuple[str, int]:
    session = get_session()
    subscription = _by_token(token)
    try:
        chosen = leads.parse_leads(request.form.getlist("lead"))
        zone = service.parse_zone(request.form.get("timezone", ""))
        language = service.parse_mail_language(request.form.get("language") or subscription.language)
        service.change(session, subscription, chosen, zone, utcnow(), language)
    except InputError as exc:
        session.rollback()
        subscription = _by_token(token)
        return render_template(
            "subscription_manage.html",
            subscription=subscription,
            token=token,
            errors=exc.errors,
            chosen_leads=request.form.getlist("lead"),
        ), 400
    session.commit()
    flash(_("Your reminders have been changed."), "success")
    return redirect(url_for("subscriptions.manage", token=token), code=303)


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str) -> str:
    """Never unsubscribes by itself: shows the button that sends the one-click POST."""
    subscription = _by_token(token)
    return render_template("subscription_unsubscribe.html", subscription=subscription, token=token)


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe(token: str) -> tuple[str, int]:
    """RFC 8058 one-click: no cookie, no CSRF token; repeating it changes nothing and answers the same."""
    session = get_session()
    subscription = _by_token(token)
    service.end(session, subscription, utcnow())
    session.commit()
    return render_template("subscription_ended.html", subscription=subscription, token=token), 200
