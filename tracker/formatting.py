"""How dates, times and labels read on pages and in e-mail: plain functions, also registered as Jinja filters.

Timed events read in the event's own zone, with the zone named ("10:00–12:00 CET (Europe/Zurich)"); a viewer
zone, when given, adds the viewer's time beside it. All-day events are dates and never shift.

Every date and time comes from CLDR through Babel, in the current language's locale (``tracker.i18n``): no month
or weekday name is written here. Dates with a weekday use the locale's ``full`` format ("Tuesday, 15 November
2022", "вторник, 15 ноември 2022 г."), plain dates its ``long`` one, ranges ``format_interval`` with the
``yMMMd`` skeleton ("15–16 Nov 2022"), times the ``short`` time format (24-hour in en_GB, mk and sq_MK). What
runs once per event or per grid cell (times of day, weekday names, the days' names) is computed once per
language and kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache, lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_interval, format_skeleton, format_time

from tracker.countries import country_name
from tracker.i18n import babel_locale, current_language, current_locale, gettext, ngettext
from tracker.models import Event, EventKind, EventStatus, OrganisationRole, SubscriptionStatus
from tracker.timezones import utc_to_local, zone_abbreviation

#: The CLDR skeletons used: a range of days, a month's heading, a day of the month without the year.
RANGE_SKELETON = "yMMMd"
MONTH_SKELETON = "yMMMM"
DAY_MONTH_SKELETON = "MMMMd"
SHORT_DATE_SKELETON = "yMMMEd"


@dataclass(frozen=True, slots=True)
class LocaleFormats:
    """What a language's pages format over and over, worked out once: times of day, weekday names, joiners."""

    locale: Locale
    #: Every minute of the day in the locale's short time format ("14:00"), indexed by ``hour * 60 + minute``.
    times: tuple[str, ...]
    #: ``(abbreviated, full)`` stand-alone weekday names, Monday first (the grids' order).
    weekdays: tuple[tuple[str, str], ...]
    #: How a date and a time join ("{1}, {0}": date, time) and how two ends of a range join ("{0} – {1}").
    date_time: str
    fallback_range: str


@cache
def locale_formats(language: str) -> LocaleFormats:
    locale = babel_locale(language)
    times = tuple(format_time(time(minute // 60, minute % 60), "short", locale=locale) for minute in range(1440))
    abbreviated, wide = locale.days["stand-alone"]["abbreviated"], locale.days["stand-alone"]["wide"]
    weekdays = tuple((abbreviated[index], wide[index]) for index in range(7))
    return LocaleFormats(
        locale=locale,
        times=times,
        weekdays=weekdays,
        date_time=str(locale.datetime_formats["medium"]),
        fallback_range=str(locale.interval_formats[None]),
    )


def current_formats() -> LocaleFormats:
    return locale_formats(current_language())


def short_time(value: datetime | time) -> str:
    """A wall time in the current locale's short format ("14:00")."""
    return current_formats().times[value.hour * 60 + value.minute]


def weekday_names() -> tuple[tuple[str, str], ...]:
    """``(abbreviated, full)`` weekday names in the current language, Monday first."""
    return current_formats().weekdays


def format_date(day: date, *, weekday: bool = False) -> str:
    """``15 November 2022``; with ``weekday``: ``Tuesday, 15 November 2022`` (CLDR ``long`` / ``full``)."""
    return _date_text(current_language(), day, weekday)


@lru_cache(maxsize=8192)
def _date_text(language: str, day: date, weekday: bool) -> str:
    """Kept: the month grid names each of its 35–42 days in full, on every request."""
    return babel_date(day, "full" if weekday else "long", locale=babel_locale(language))


def format_short_date(day: date) -> str:
    """A compact date with its weekday, for lists of changes ("Tue, 15 Nov 2022", "вто., 15 ное. 2022 г.")."""
    return format_skeleton(SHORT_DATE_SKELETON, day, locale=current_locale())


def format_weekday(day: date) -> str:
    """The weekday's full name in a sentence's context ("Tuesday", "вторник", "e martë")."""
    return babel_date(day, "EEEE", locale=current_locale())


def format_day_month(day: date) -> str:
    """The day of the month without the year ("15 November", "15 ноември", "15 nëntor")."""
    return format_skeleton(DAY_MONTH_SKELETON, day, locale=current_locale())


def format_month(day: date) -> str:
    """A month's heading ("November 2022", "ноември 2022 г.", "nëntor 2022"): CLDR's ``yMMMM`` pattern."""
    return _month_text(current_language(), day.year, day.month)


@lru_cache(maxsize=4096)
def _month_text(language: str, year: int, month: int) -> str:
    return format_skeleton(MONTH_SKELETON, date(year, month, 1), locale=babel_locale(language))


def format_date_range(first: date, last: date) -> str:
    """``15–16 Nov 2022``, ``30 Nov – 2 Dec 2022``, ``30 Dec 2022 – 2 Jan 2023`` (CLDR's interval formats); one
    day is that day with its weekday."""
    if first == last:
        return format_date(first, weekday=True)
    return format_interval(first, last, RANGE_SKELETON, locale=current_locale())


def format_instant_range(start: datetime, end: datetime, zone: str) -> str:
    """Start and end instants as local wall time in ``zone``, with the zone's abbreviation and name."""
    formats = current_formats()
    local_start, local_end = utc_to_local(start, zone), utc_to_local(end, zone)
    end_abbr = zone_abbreviation(end, zone)
    if local_start.date() == local_end.date():
        times = format_interval(local_start.time(), local_end.time(), "Hm", locale=formats.locale)
        day = format_date(local_start.date(), weekday=True)
        text = formats.date_time.format(f"{times} {end_abbr}", day)
    else:
        ends = ((local_start, zone_abbreviation(start, zone)), (local_end, end_abbr))
        first, last = (
            formats.date_time.format(f"{short_time(wall)} {abbr}", format_date(wall.date(), weekday=True))
            for wall, abbr in ends
        )
        text = formats.fallback_range.format(first, last)
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
    """An instant stored in UTC, shown in UTC: ``15 November 2022, 14:00 UTC``."""
    if instant is None:
        return ""
    return current_formats().date_time.format(f"{short_time(instant)} UTC", format_date(instant.date()))


def kind_label(value: str) -> str:
    return gettext(EventKind(value).label)


def status_label(value: str) -> str:
    return gettext(EventStatus(value).label)


def enum_choices(enum: type) -> list[tuple[str, str]]:
    """(value, label) pairs of a label-carrying enum in the current language, for select boxes."""
    return [(member.value, gettext(member.label)) for member in enum]


def label(member: Any) -> str:
    """An enum member's label (``EventKind.CONFERENCE``, ``OrganisationRole("host")``) in the current language."""
    return gettext(member.label)


def role_heading(role: str, count: int) -> str:
    """A role's heading above ``count`` organisations ("Host", "Co-organisers"), in the current language: the
    event page and the feeds' DESCRIPTION say it the same way."""
    if role == "host":
        return ngettext("Host", "Hosts", count)
    if role == "co_organiser":
        return ngettext("Co-organiser", "Co-organisers", count)
    if role == "supporter":
        return ngettext("Supporter", "Supporters", count)
    if role == "participant":
        return ngettext("Participant", "Participants", count)
    return gettext(OrganisationRole(role).label)


def subscription_status_label(status: str) -> str:
    try:
        return gettext(SubscriptionStatus(status).label)
    except ValueError:
        return status


def script_texts() -> dict[str, Any]:
    """What the pages' scripts write, in the current language, handed to them in the ``<script>`` tag's
    ``data-texts`` (the scripts hold no words of their own): CLDR's weekday names (Sunday first, as JavaScript
    counts) and month names for dates in words, and the messages, whose ``%(name)s`` the script fills (the same
    msgids as the page's own, e.g. the rows' labels)."""
    names = current_locale()
    return {
        "days": [names.days["format"]["wide"][(index + 6) % 7] for index in range(7)],
        "months": [names.months["format"]["wide"][number] for number in range(1, 13)],
        "sameDay": gettext("Same day as the start"),
        "proposed": gettext("Proposed from the city and country."),
        "organisation": gettext("Organisation %(number)s"),
        "role": gettext("Role of organisation %(number)s"),
        "participant": gettext("Participant %(number)s"),
        "count": gettext("%(count)s of at most %(limit)s characters."),
        "over": gettext("%(count)s characters: %(over)s more than the %(limit)s allowed."),
        "myZone": gettext("Use my time zone (%(zone)s)"),
    }


#: The Jinja filters every template may use, pages and e-mail alike (the web layer adds its own on top).
TEMPLATE_FILTERS = {
    "when": event_when,
    "date_range": format_date_range,
    "day": format_date,
    "short_day": format_short_date,
    "time_of_day": short_time,
    "weekday": format_weekday,
    "day_month": format_day_month,
    "month_year": format_month,
    "place": event_place,
    "changed": format_changed,
    "country": country_name,
    "kind_label": kind_label,
    "status_label": status_label,
    "label": label,
    "role_heading": role_heading,
}
