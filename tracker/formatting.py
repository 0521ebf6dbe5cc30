"""How dates, times and labels read on pages and in e-mail: plain functions, also registered as Jinja filters.

Timed events read in the event's own zone, with the zone named ("10:00–12:00 CET, Europe/Zurich"); a viewer
zone, when given, adds the viewer's time beside it. All-day events are dates and never shift.
"""

from __future__ import annotations

from datetime import date, datetime

from tracker.countries import country_name
from tracker.models import Event, EventKind, EventStatus, SubscriptionStatus
from tracker.timezones import utc_to_local, zone_abbreviation

DASH = "\u2013"


def format_date(day: date, *, weekday: bool = False) -> str:
    text = f"{day.day} {day:%B %Y}"
    return f"{day:%a} {text}" if weekday else text


def format_date_range(first: date, last: date) -> str:
    """``15–16 November 2022``, ``30 November – 2 December 2022``, ``30 December 2022 – 2 January 2023``."""
    if first == last:
        return format_date(first, weekday=True)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{DASH}{last.day} {last:%B %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%B} {DASH} {last.day} {last:%B %Y}"
    return f"{format_date(first)} {DASH} {format_date(last)}"


def format_instant_range(start: datetime, end: datetime, zone: str) -> str:
    """Start and end instants as local wall time in ``zone``, with the zone's abbreviation and name."""
    local_start, local_end = utc_to_local(start, zone), utc_to_local(end, zone)
    start_abbr, end_abbr = zone_abbreviation(start, zone), zone_abbreviation(end, zone)
    if local_start.date() == local_end.date():
        text = f"{format_date(local_start.date(), weekday=True)}, {local_start:%H:%M}{DASH}{local_end:%H:%M} {end_abbr}"
    else:
        text = (
            f"{format_date(local_start.date(), weekday=True)} {local_start:%H:%M} {start_abbr} {DASH} "
            f"{format_date(local_end.date(), weekday=True)} {local_end:%H:%M} {end_abbr}"
        )
    return f"{text} ({zone})"


def event_when(event: Event, viewer_zone: str | None = None) -> str:
    """When the event happens, in its own zone; with the viewer's zone added when it differs."""
    if event.all_day and event.start_date and event.end_date:
        return format_date_range(event.start_date, event.end_date)
    text = format_instant_range(event.start_dt, event.end_dt, event.timezone)
    if viewer_zone and viewer_zone != event.timezone:
        text += f"; {format_instant_range(event.start_dt, event.end_dt, viewer_zone)}"
    return text


def event_place(event: Event) -> str:
    return ", ".join(part for part in (event.venue, event.city, country_name(event.country)) if part)


def format_changed(instant: datetime | None) -> str:
    if instant is None:
        return ""
    return f"{format_date(instant.date())}, {instant:%H:%M} UTC"


def kind_label(value: str) -> str:
    return EventKind(value).label


def status_label(value: str) -> str:
    return EventStatus(value).label


def enum_choices(enum: type) -> list[tuple[str, str]]:
    """(value, label) pairs of a label-carrying enum, for select boxes."""
    return [(member.value, member.label) for member in enum]


def subscription_status_label(status: str) -> str:
    return {
        SubscriptionStatus.PENDING.value: "waiting for confirmation",
        SubscriptionStatus.ACTIVE.value: "active",
        SubscriptionStatus.ENDED.value: "ended",
    }.get(status, status)


#: The Jinja filters every template may use, pages and e-mail alike (the web layer adds its own on top).
TEMPLATE_FILTERS = {
    "when": event_when,
    "date_range": format_date_range,
    "day": format_date,
    "place": event_place,
    "changed": format_changed,
    "country": country_name,
    "kind_label": kind_label,
    "status_label": status_label,
}
