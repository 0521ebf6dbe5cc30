"""Reminder subscriptions without an account: double opt-in, confirmation throttle, manage and unsubscribe tokens.

- Subscribing always gives the same answer, whether the address is new, known, suppressed or throttled:
  nobody learns from the page whether an address is subscribed.
- Nothing but the confirmation mail is sent before the link in it is followed. Confirmation links are
  single-use (the stored hash is cleared) and expire. At most one confirmation mail goes to an address per
  hour; further ones wait for their slot in the outbox, and at most ``MAX_QUEUED_CONFIRMATIONS`` wait.
- So that the form cannot be used to bomb a mailbox or to make the site a mail cannon, confirmation mails also
  count against two budgets kept in the database (``ConfirmationBudgets``): per mailbox per 24 hours, where
  ``+tags`` and Gmail's dots are one mailbox (``validation.mailbox_key``), and for the whole site per hour.
  A request over a budget is answered like any other; its subscription stays pending without a mail and expires.
  A suppressed plain address (``victim@…``) also suppresses its ``+tag`` spellings.
- Tokens are never stored: each is an HMAC of a per-subscription nonce under the app's secret key (so a mail
  composed later by the scheduler can carry it), and only its hash is stored for look-up (``tracker.tokens``).

Confirming or changing a subscription re-plans its reminders at once, inside the caller's transaction: this
module uses the reminders package, never the other way round.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlmodel import Session

from tracker.config import SETTINGS
from tracker.event_texts import localized
from tracker.filters import EventFilter, FilterError, parse_filter
from tracker.i18n import LanguageError, current_language, parse_language
from tracker.i18n import gettext as _
from tracker.models import (
    Event,
    MailAddress,
    Outbox,
    OutboxKind,
    OutboxStatus,
    Subscription,
    SubscriptionLead,
    SubscriptionStatus,
)
from tracker.parsing import optional_id
from tracker.services.ratelimit import Budget, hit
from tracker.services.reminders.addresses import ensure_address, is_suppressed
from tracker.services.reminders.leads import parse_leads
from tracker.services.reminders.planning import plan
from tracker.timezones import TimeError, region_zone
from tracker.tokens import confirm_token, manage_token, plausible_token, token_hash
from tracker.validation import InputError, mailbox_key, normalise_email
from tracker.visibility import PUBLIC, load_visible_event

log = logging.getLogger(__name__)

CONFIRM_VALID = timedelta(hours=48)
CONFIRM_INTERVAL = timedelta(hours=1)
MAX_QUEUED_CONFIRMATIONS = 3
#: Rate-counter keys of the confirmation budgets (``tracker.services.ratelimit``).
SITE_BUDGET_KEY = "confirm-mail:site"
MAILBOX_BUDGET_KEY = "confirm-mail:mailbox:"


@dataclass(frozen=True)
class ConfirmationBudgets:
    """How many confirmation mails may be queued: for the whole site per hour, and per mailbox per 24 hours."""

    site: Budget
    mailbox: Budget

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ConfirmationBudgets:
        """From the settings ``CONFIRM_MAILS_PER_HOUR`` and ``CONFIRM_MAILS_PER_MAILBOX`` (see tracker.config)."""
        return cls(
            site=Budget(int(config["CONFIRM_MAILS_PER_HOUR"]), timedelta(hours=1)),
            mailbox=Budget(int(config["CONFIRM_MAILS_PER_MAILBOX"]), timedelta(hours=24)),
        )


#: The documented defaults, for callers without an app's configuration at hand.
DEFAULT_BUDGETS = ConfirmationBudgets.from_config({name: SETTINGS[name][0] for name in SETTINGS})


# ----------------------------------------------------------------------------------------------------- input


@dataclass(frozen=True)
class SubscriptionRequest:
    """A validated subscribe form: an address, one event or a filter, lead times, a zone and a language."""

    email: str
    event_id: int | None
    event_filter: EventFilter | None
    leads: tuple[int, ...]
    timezone: str
    #: The language of the mails (the form's choice, else the page's language).
    language: str = "en"


def parse_zone(value: str) -> str:
    """A zone from the form's list (UTC or Area/City, ``timezones.region_zone``): mail says times in it."""
    try:
        return region_zone(value)
    except TimeError:
        raise InputError({"timezone": _("Choose a time zone from the list, such as Europe/Skopje.")}) from None


def parse_mail_language(value: str | None) -> str:
    """The language of a subscriber's mails from a form (en, mk or sq); empty: the page's language."""
    if not (value or "").strip():
        return current_language()
    try:
        return parse_language(str(value)[:20])
    except LanguageError:
        raise InputError({"language": _("Choose the language of the e-mails from the list.")}) from None


def parse_request(form: Any, session: Session) -> SubscriptionRequest:
    """Validate the subscribe form (a MultiDict); ``InputError`` names each wrong field."""
    errors: dict[str, str] = {}
    email = ""
    try:
        email = normalise_email(str(form.get("email", ""))[:300])
    except ValueError:
        errors["email"] = _("Enter a valid e-mail address, such as name@example.org.")
    event_id: int | None = None
    event_filter: EventFilter | None = None
    raw_event = str(form.get("event_id", "")).strip()
    if raw_event:
        parsed_event = optional_id(raw_event)
        if parsed_event is None:
            errors["event_id"] = _("The event to follow is not valid.")
        else:
            event = load_visible_event(session, parsed_event, include_internal=PUBLIC)  # subscribers are anonymous
            if event is None:
                errors["event_id"] = _("This event cannot be followed (it does not exist or is not public).")
            else:
                event_id = event.id
    else:
        try:
            event_filter = parse_filter(form, session, include_internal=PUBLIC)
        except FilterError as exc:
            errors["filter"] = _("The filter “%(name)s” is not valid: %(why)s.", name=exc.parameter, why=exc.message)
    leads: tuple[int, ...] = ()
    try:
        leads = parse_leads([str(value) for value in form.getlist("lead")])
    except InputError as exc:
        errors.update(exc.errors)
    zone, language = "", current_language()
    try:
        zone = parse_zone(str(form.get("timezone", "")))
    except InputError as exc:
        errors.update(exc.errors)
    try:
        language = parse_mail_language(form.get("language"))
    except InputError as exc:
        errors.update(exc.errors)
    if errors:
        raise InputError(errors)
    return SubscriptionRequest(email, event_id, event_filter, leads, zone, language)


def filter_key(stored: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(stored, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------- subscribing


def set_token_hashes(subscription: Subscription, secret: str) -> None:
    subscription.confirm_token_hash = token_hash(confirm_token(secret, subscription))
    subscription.manage_token_hash = token_hash(manage_token(secret, subscription))


def create_subscription(
    session: Session,
    request: SubscriptionRequest,
    now: datetime,
    secret: str,
    budgets: ConfirmationBudgets = DEFAULT_BUDGETS,
) -> Subscription:
    """Subscribe (pending) and queue the confirmation mail if the budgets allow; the caller commits."""
    ensure_address(session, request.email)
    subscription = Subscription(
        email=request.email,
        event_id=request.event_id,
        filter=request.event_filter.to_dict() if request.event_filter else None,
        filter_key=filter_key(request.event_filter.to_dict()) if request.event_filter else None,
        label=(
            localized(session.get(Event, request.event_id), request.language).title  # type: ignore[arg-type]
            if request.event_id is not None
            else request.event_filter.describe()  # type: ignore[union-attr]
        )[:300],
        timezone=request.timezone,
        language=request.language,
        status=SubscriptionStatus.PENDING.value,
        token_nonce=secrets.token_hex(16),
        manage_token_hash="",
        created_dt=now,
        leads=[SubscriptionLead(minutes=minutes) for minutes in request.leads],
    )
    set_token_hashes(subscription, secret)
    session.add(subscription)
    session.flush()
    _queue_confirmation(session, subscription, now, budgets)
    return subscription


def _queue_confirmation(
    session: Session, subscription: Subscription, now: datetime, budgets: ConfirmationBudgets
) -> None:
    """Queue the confirmation mail at the address's next free hourly slot, unless a throttle or budget says no.

    Checked in this order, and each one only counts when the ones before it passed: the address (or its
    mailbox) is suppressed; too many already wait for this address; the mailbox's budget; the site's budget.
    The mailbox comes before the site so that flooding one mailbox cannot use up everyone's budget.
    """
    address = session.execute(
        select(MailAddress).where(MailAddress.email == subscription.email).with_for_update()
    ).scalar_one()
    subscription.confirm_expires_dt = now + CONFIRM_VALID
    if is_suppressed(session, subscription.email):
        return
    waiting = session.execute(
        select(func.count())
        .select_from(Outbox)
        .join(Subscription, Subscription.id == Outbox.subscription_id)
        .where(
            Subscription.email == subscription.email,
            Outbox.kind == OutboxKind.CONFIRMATION.value,
            Outbox.status == OutboxStatus.PENDING.value,
        )
    ).scalar_one()
    if waiting >= MAX_QUEUED_CONFIRMATIONS:
        return
    if not hit(session, MAILBOX_BUDGET_KEY + mailbox_key(subscription.email), budgets.mailbox, now).allowed:
        return
    site = hit(session, SITE_BUDGET_KEY, budgets.site, now)
    if not site.allowed:
        if site.count == budgets.site.limit + 1:  # once per window: operators should know mail is held back
            log.warning(
                "confirmation mail budget reached (%d per hour): no more are queued until %s",
                budgets.site.limit,
                site.resets_dt.isoformat(timespec="seconds"),
            )
        return
    due = max(now, address.confirm_next_dt or now)
    address.confirm_next_dt = due + CONFIRM_INTERVAL
    subscription.confirm_expires_dt = due + CONFIRM_VALID
    session.add(
        Outbox(
            kind=OutboxKind.CONFIRMATION.value,
            subscription_id=subscription.id,  # type: ignore[arg-type]
            event_id=subscription.event_id,  # so the mail can say when and where the followed event is
            due_dt=due,
            next_attempt_dt=due,
            created_dt=now,
        )
    )
    session.flush()


# ------------------------------------------------------------------------------------------- confirm / manage


def confirm(session: Session, token: str, now: datetime) -> Subscription | None:
    """Activate the subscription of a confirmation link; None for an unknown, used or expired link.

    An earlier active subscription of the same address to the same thing is replaced by this one.
    """
    if not plausible_token(token):
        return None
    subscription = session.execute(
        select(Subscription).where(Subscription.confirm_token_hash == token_hash(token)).with_for_update()
    ).scalar_one_or_none()
    if subscription is None or subscription.status != SubscriptionStatus.PENDING.value:
        return None
    if subscription.confirm_expires_dt is None or subscription.confirm_expires_dt <= now:
        return None
    subscription.status = SubscriptionStatus.ACTIVE.value
    subscription.confirmed_dt = now
    subscription.confirm_token_hash = None
    same_target = (
        Subscription.event_id == subscription.event_id
        if subscription.event_id is not None
        else Subscription.filter_key == subscription.filter_key
    )
    for older in session.execute(
        select(Subscription).where(
            Subscription.email == subscription.email,
            Subscription.status == SubscriptionStatus.ACTIVE.value,
            Subscription.id != subscription.id,
            same_target,
        )
    ).scalars():
        end(session, older, now, reason="replaced")
    session.execute(
        update(Outbox)
        .where(
            Outbox.subscription_id == subscription.id,
            Outbox.kind == OutboxKind.CONFIRMATION.value,
            Outbox.status == OutboxStatus.PENDING.value,
        )
        .values(status=OutboxStatus.SKIPPED.value, finished_reason="confirmed")
        .execution_options(synchronize_session=False)
    )
    session.flush()
    plan(session, now, subscription_ids=[subscription.id])  # type: ignore[list-item]
    return subscription


def by_manage_token(session: Session, token: str) -> Subscription | None:
    if not plausible_token(token):
        return None
    return session.execute(
        select(Subscription).where(Subscription.manage_token_hash == token_hash(token))
    ).scalar_one_or_none()


def change(
    session: Session,
    subscription: Subscription,
    leads: tuple[int, ...],
    zone: str,
    now: datetime,
    language: str | None = None,
) -> None:
    """New lead times, zone or mail language for an active subscription; reminders are re-planned at once."""
    if subscription.status != SubscriptionStatus.ACTIVE.value:
        ended = _("This subscription has ended; subscribe again from the event or calendar page.")
        raise InputError({"__all__": ended})
    subscription.timezone = zone
    if language is not None and language != subscription.language:
        subscription.language = language
        followed = session.get(Event, subscription.event_id) if subscription.event_id is not None else None
        if followed is not None:  # the pages name a followed event in the mails' language
            subscription.label = localized(followed, language).title[:300]
    current = {lead.minutes for lead in subscription.leads}
    if current != set(leads):
        subscription.leads = [lead for lead in subscription.leads if lead.minutes in leads] + [
            SubscriptionLead(minutes=minutes) for minutes in leads if minutes not in current
        ]
    session.flush()
    plan(session, now, subscription_ids=[subscription.id])  # type: ignore[list-item]


def end(session: Session, subscription: Subscription, now: datetime, reason: str = "unsubscribed") -> bool:
    """End a subscription and withdraw everything it still had queued; False if it had already ended."""
    if subscription.status == SubscriptionStatus.ENDED.value:
        return False
    subscription.status = SubscriptionStatus.ENDED.value
    subscription.ended_dt = now
    subscription.ended_reason = reason
    subscription.confirm_token_hash = None
    session.execute(
        delete(Outbox)
        .where(Outbox.subscription_id == subscription.id, Outbox.status == OutboxStatus.PENDING.value)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return True
