"""Composing the mails of a batch: confirmation, reminder and change notice (subject, bodies, ``.ics``).

What recipients share is made once: the event's ``.ics`` once per event revision, and the encoded body and
subject once per (template, event revision, zone, label, leads, changes) with a random stand-in for the
personal token, so a message costs two HMACs, a byte replace and its headers (``mail.SharedBody``).

Each mail is written in its subscriber's language (``Subscription.language``, through ``i18n.use_language``):
subject, bodies, dates, the event's title in that language (``tracker.event_texts.localized``), the ``.ics``
with ``LANGUAGE`` parameters, and the ``Content-Language`` header; shared parts are kept per language.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from tracker import formatting, mail
from tracker.event_texts import localized
from tracker.i18n import current_language, gettext, ngettext, use_language
from tracker.ical import single_event_calendar
from tracker.models import Event, EventStatus, OutboxKind
from tracker.services.reminders.jobs import Job
from tracker.services.reminders.leads import lead_label
from tracker.services.reminders.notices import NOTICE_FIELDS
from tracker.timezones import utc_to_local
from tracker.tokens import confirm_token, manage_token
from tracker.visibility import PUBLIC, may_see


def relative_time(start: datetime, now: datetime, all_day: bool, first_day: date | None, zone: str) -> str:
    """``tomorrow``, ``in 3 days``, ``in 2 hours``: how far off the event is, as a subject line says it."""
    if all_day and first_day is not None:
        days = (first_day - utc_to_local(now, zone).date()).days
    else:
        seconds = (start - now).total_seconds()
        if seconds < 3600:
            return ngettext("in %(num)d minute", "in %(num)d minutes", max(1, round(seconds / 60)))
        hours = round(seconds / 3600)
        if hours < 24:
            return ngettext("in %(num)d hour", "in %(num)d hours", hours)
        days = (utc_to_local(start, zone).date() - utc_to_local(now, zone).date()).days
    if days <= 0:
        return gettext("today")
    if days == 1:
        return gettext("tomorrow")
    return ngettext("in %(num)d day", "in %(num)d days", days)


def snapshot_before(event: Event, changes: dict[str, list[Any]]) -> Event:
    """A detached copy of the event with the old values of ``changes`` (stored as ISO strings)."""
    old = Event(
        id=event.id,
        title=event.title,
        timezone=event.timezone,
        all_day=event.all_day,
        start_dt=event.start_dt,
        end_dt=event.end_dt,
        start_date=event.start_date,
        end_date=event.end_date,
        venue=event.venue,
        city=event.city,
        country=event.country,
        status=event.status,
    )
    for name, (before, _after) in changes.items():
        if name in {"start_dt", "end_dt"} and before:
            setattr(old, name, datetime.fromisoformat(before))
        elif name in {"start_date", "end_date"}:
            setattr(old, name, date.fromisoformat(before) if before else None)
        elif name == "deleted_dt":
            continue
        elif name in {"all_day", "timezone", "venue", "city", "country", "status"}:
            setattr(old, name, before)
    return old


def status_with_reason(event: Event) -> str:
    """The status as a notice says it: ``Cancelled: <the editor's reason>`` when one was given."""
    label = formatting.status_label(event.status)
    if event.status == EventStatus.CANCELLED.value and event.cancel_reason:
        return gettext("%(status)s: %(reason)s", status=label, reason=event.cancel_reason)
    return label


class Composer:
    """Builds the mails of a dispatch; what recipients share is made once (see the module docstring)."""

    #: Distinct shared bodies kept (each about three times the size of a message).
    SHARED_KEPT = 1000

    def __init__(self, settings: mail.MailSettings, now: datetime) -> None:
        self.settings = settings
        self.now = now
        self._ics: dict[tuple[int, int, str], bytes] = {}
        self._placeholder = secrets.token_hex(16)
        self._relative: dict[tuple[Any, ...], str] = {}
        self._shared: dict[tuple[Any, ...], tuple[str, mail.SharedBody]] = {}

    def advance_to(self, now: datetime) -> None:
        """Move to the next batch's instant: bodies stay valid unless their "tomorrow" / "in 2 hours" changes."""
        if now != self.now:
            self.now = now
            self._relative.clear()
        if len(self._shared) > self.SHARED_KEPT:
            self._shared.clear()
        if len(self._ics) > self.SHARED_KEPT:
            self._ics.clear()

    def ics(self, event: Event) -> bytes:
        """The event's ``.ics`` in the current language (its texts tagged with their ``LANGUAGE``)."""
        language = current_language()
        key = (event.id or 0, event.revision, language)
        if key not in self._ics:
            settings = self.settings
            self._ics[key] = single_event_calendar(event, settings.base_url, settings.calendar_name, language=language)
        return self._ics[key]

    def when(self, event: Event, zone: str) -> dict[str, str]:
        """The event's time in the subscriber's zone, with its own local time beside it."""
        if event.all_day and event.start_date and event.end_date:
            text = formatting.format_date_range(event.start_date, event.end_date)
            return {"yours": text, "local": "", "zone": zone}
        yours = formatting.format_instant_range(event.start_dt, event.end_dt, zone)
        local = formatting.format_instant_range(event.start_dt, event.end_dt, event.timezone)
        return {"yours": yours, "local": local if zone != event.timezone else "", "zone": zone}

    def compose_safely(self, job: Job) -> tuple[Any, str] | Exception:
        """``compose``, with a mail that cannot be built returned as its exception (the row then fails)."""
        try:
            with use_language(job.subscription.language):
                return self.compose(job)
        except (mail.MailError, ValueError) as exc:
            return exc

    def compose(self, job: Job) -> tuple[Any, str]:
        """The message of one job and its Message-ID (stable per outbox key, so a resend keeps it), in the
        current language (``compose_safely`` makes it the subscriber's)."""
        row, subscription = job.row, job.subscription
        key = f"{row.kind}:{row.subscription_id}:{row.event_id or 0}:{row.lead_minutes}:{row.revision}"
        message_id = self.settings.message_id(key)
        leads = ", ".join(lead_label(minutes) for minutes in subscription.lead_minutes)
        if row.kind == OutboxKind.CONFIRMATION.value:
            return self._confirmation(job, leads, message_id), message_id
        assert job.event is not None
        subject, body = self._shared_part(job, leads, self._relative_time(job.event, subscription.timezone))
        personal = manage_token(self.settings.secret_key, subscription)
        message = mail.build_message(
            self.settings,
            to=subscription.email,
            subject=subject,
            template="",
            context={},
            message_id=message_id,
            date=self.now,
            unsubscribe_url=self.settings.link(f"/unsubscribe/{personal}"),
            encoded_body=body.personal(personal),
        )
        return message, message_id

    def _relative_time(self, event: Event, zone: str) -> str:
        key = (event.id, event.revision, zone, current_language())
        if key not in self._relative:
            self._relative[key] = relative_time(event.start_dt, self.now, event.all_day, event.start_date, zone)
        return self._relative[key]

    def _confirmation(self, job: Job, leads: str, message_id: str) -> Any:
        """The confirmation mail: personal through and through, so nothing of it is shared."""
        settings, subscription = self.settings, job.subscription
        personal = manage_token(settings.secret_key, subscription)
        context: dict[str, Any] = {
            "calendar_name": settings.calendar_name,
            "subscription": subscription,
            "manage_url": settings.link(f"/subscriptions/{personal}"),
            "unsubscribe_url": settings.link(f"/unsubscribe/{personal}"),
            "leads": leads,
            "confirm_url": settings.link(f"/subscriptions/confirm/{confirm_token(settings.secret_key, subscription)}"),
            "expires": subscription.confirm_expires_dt,
            **self._followed(job),
        }
        return mail.build_message(
            settings,
            to=subscription.email,
            subject=gettext("Confirm your reminders: %(label)s", label=subscription.label),
            template="confirm",
            context=context,
            message_id=message_id,
            date=self.now,
        )

    def _followed(self, job: Job) -> dict[str, Any]:
        """What a confirmation says of what is followed: the event's date (in the subscriber's zone, with its
        local time) and place, or the filter. An event the public may no longer see is named by the label only."""
        event = job.event
        if event is None or event.deleted_dt is not None or not may_see(event, include_internal=PUBLIC):
            return {"event": None}
        text = localized(event)
        return {
            "event": event,
            "title": text.title,
            "title_language": text.language,
            "when": self.when(event, job.subscription.timezone),
            "place": formatting.event_place(event),
            "event_url": self.settings.link(f"/events/{event.id}"),
        }

    def _shared_part(self, job: Job, leads: str, relative: str) -> tuple[str, mail.SharedBody]:
        """Subject and encoded body of a reminder or notice, with the stand-in where the personal token goes."""
        row, subscription, event = job.row, job.subscription, job.event
        assert event is not None
        key = (row.kind, event.id, event.revision, subscription.timezone, relative, subscription.label, leads)
        key += (repr(row.changes), current_language())
        if key in self._shared:
            return self._shared[key]
        settings, token, text = self.settings, self._placeholder, localized(event)
        context: dict[str, Any] = {
            "title": text.title,
            "title_language": text.language,
            "calendar_name": settings.calendar_name,
            "subscription": subscription,
            "manage_url": settings.link(f"/subscriptions/{token}"),
            "unsubscribe_url": settings.link(f"/unsubscribe/{token}"),
            "leads": leads,
            "event": event,
            "event_url": settings.link(f"/events/{event.id}"),
            "when": self.when(event, subscription.timezone),
            "place": formatting.event_place(event),
            "relative": relative,
        }
        if row.kind == OutboxKind.REMINDER.value:
            subject = _reminder_subject(text.title, relative, event.city)
            context.update(headline=subject, relative_line=_reminder_subject("", relative, event.city, line=True))
            template = "reminder"
        else:
            lines = self._notice_lines(event, row.changes or {}, subscription.timezone, context)
            context.update(changes=lines)
            subject = _notice_subject(event, row.changes or {}, text.title, lines)
            template = "notice"
        text, html = mail.render_bodies(template, context)
        self._shared[key] = subject, mail.SharedBody.encode(text, html, self.ics(event), token)
        return self._shared[key]

    def _notice_lines(
        self, event: Event, changes: dict[str, list[Any]], zone: str, context: dict[str, Any]
    ) -> list[tuple[str, str, str]]:
        """(what, before, now) for each announced change: date, place, status."""
        before = snapshot_before(event, changes)
        lines = []
        if any(name in changes for name in NOTICE_FIELDS["when"]):
            lines.append((gettext("Date"), self.when(before, zone)["yours"], context["when"]["yours"]))
        if any(name in changes for name in NOTICE_FIELDS["where"]):
            lines.append((gettext("Place"), formatting.event_place(before) or "—", context["place"] or "—"))
        removed, status = gettext("Cancelled (removed from the calendar)"), gettext("Status")
        if "deleted_dt" in changes and changes["deleted_dt"][1]:
            lines.append((status, formatting.status_label(before.status), removed))
        elif "deleted_dt" in changes:  # restored: back on the calendar
            lines.append((status, removed, status_with_reason(event)))
        elif "status" in changes:
            lines.append((status, formatting.status_label(before.status), status_with_reason(event)))
        return lines


def _reminder_subject(title: str, relative: str, city: str, *, line: bool = False) -> str:
    """ "<title> — tomorrow, Skopje" (the subject); with ``line``, "Tomorrow, Skopje" (the mail's first line)."""
    if line:
        text = gettext("%(when)s, %(city)s", when=relative, city=city) if city else relative
        return text[:1].upper() + text[1:]
    if city:
        return gettext("%(title)s — %(when)s, %(city)s", title=title, when=relative, city=city)
    return gettext("%(title)s — %(when)s", title=title, when=relative)


def _notice_subject(event: Event, changes: dict[str, list[Any]], title: str, lines: list[tuple[str, str, str]]) -> str:
    """ "Cancelled: <title> — status", "Changed: <title> — date, place": what happened, then what changed."""
    what = ", ".join(label.lower() for label, _old, _new in lines)
    removed = bool(changes.get("deleted_dt", [None, None])[1])
    if removed or event.status == EventStatus.CANCELLED.value:
        return gettext("Cancelled: %(title)s — %(changes)s", title=title, changes=what)
    if event.status == EventStatus.POSTPONED.value:
        return gettext("Postponed: %(title)s — %(changes)s", title=title, changes=what)
    return gettext("Changed: %(title)s — %(changes)s", title=title, changes=what)
