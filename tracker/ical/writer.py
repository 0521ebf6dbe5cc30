"""The VEVENT writer: one stored event as folded text, byte-identical to what ``icalendar`` writes.

``icalendar`` builds several objects per property and takes about 1 ms per event; this writer formats the
lines directly. ``tests/ical_reference.py`` builds the same VEVENT with ``icalendar`` and the tests compare the
two on hostile data, so stored blocks and ETags do not depend on which one wrote them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from icalendar import Parameters
from icalendar.timezone.tzid import tzid_from_tzinfo

from tracker.i18n import use_language
from tracker.ical.event import (
    EventData,
    event_categories,
    event_data,
    event_description,
    event_location,
    event_summary,
    event_url,
    ical_class,
    ical_status,
    is_transparent,
    needs_utc,
    text_languages,
    utc,
)
from tracker.ical.text import clean_text, escape, fold, text_line, without_bom
from tracker.models import Event
from tracker.timezones import get_zone

#: Bump when the bytes ``write_vevent`` writes change, so that blocks cached in the database are rebuilt.
FORMAT_VERSION = 1
CRLF = "\r\n"


def _stamp(instant: datetime) -> str:
    """A DATE-TIME in UTC (``instant`` must be aware); whole seconds, as icalendar writes it."""
    return _wall(utc(instant)) + "Z"


def _wall(value: datetime) -> str:
    return f"{value.year:04}{value.month:02}{value.day:02}T{value.hour:02}{value.minute:02}{value.second:02}"


def _day(value: date) -> str:
    return f"{value.year:04}{value.month:02}{value.day:02}"


@lru_cache(maxsize=1024)
def _zone_parameters(zone_name: str) -> tuple[str, str]:
    """(";TZID=…" or "", "Z" or "") for wall times in a zone, decided by icalendar's own rules once per zone
    (it names a zone by its key, or UTC when the zone is an alias of UTC, which then gets a Z and no TZID)."""
    tzid = tzid_from_tzinfo(get_zone(zone_name))
    if tzid == "UTC":
        return "", "Z"
    return ";" + Parameters({"TZID": tzid}).to_ical().decode("utf-8"), ""


def _start_and_end(event: EventData) -> tuple[str, str]:
    """The DTSTART and DTEND lines: dates for all-day events, UTC or wall time in the event's zone otherwise."""
    if event.all_day and event.start_date and event.end_date:
        end_day = event.end_date + timedelta(days=1)  # DTEND of dates is exclusive
        return f"DTSTART;VALUE=DATE:{_day(event.start_date)}", f"DTEND;VALUE=DATE:{_day(end_day)}"
    if needs_utc(event):
        return f"DTSTART:{_stamp(event.start_dt)}", f"DTEND:{_stamp(event.end_dt)}"
    zone = get_zone(event.timezone)
    parameters, suffix = _zone_parameters(event.timezone)
    start = f"DTSTART{parameters}:{_wall(event.start_dt.astimezone(zone))}{suffix}"
    end = f"DTEND{parameters}:{_wall(event.end_dt.astimezone(zone))}{suffix}"
    return start, end


def write_vevent(event: Event | EventData, base_url: str, language: str | None = None) -> str:
    """The VEVENT as folded text with CRLF line ends, ready to be joined into a calendar.

    A pure function of the stored event, its links, the site's base URL and the language: DTSTAMP and
    LAST-MODIFIED come from ``updated_dt``, never from "now". Properties in icalendar's order (its canonical
    ones first, then the rest alphabetically).

    ``language``: a feed asked for in a language (``?lang=``) — its texts and labels in that language, SUMMARY
    and DESCRIPTION with the RFC 5545 ``LANGUAGE`` of the text written. None: the plain feed, in the current
    language with no ``LANGUAGE`` parameter (the bytes the feed had before it spoke several languages).
    """
    if language is None:
        return _write_vevent(event_data(event), base_url, tagged=False)
    with use_language(language):
        return _write_vevent(event_data(event), base_url, tagged=True)


def _write_vevent(event: EventData, base_url: str, *, tagged: bool) -> str:
    start, end = _start_and_end(event)
    updated = _stamp(event.updated_dt)
    location = event_location(event)
    summary_name, description_name = "SUMMARY", "DESCRIPTION"
    if tagged:
        summary_language, description_language = text_languages(event)
        summary_name, description_name = (
            f"SUMMARY;LANGUAGE={summary_language}",
            f"DESCRIPTION;LANGUAGE={description_language}",
        )
    # Lines of fixed shape are short ASCII and never folded; the others go through fold.
    lines = [
        "BEGIN:VEVENT",
        text_line(summary_name, event_summary(event)),
        fold(start),
        fold(end),
        "DTSTAMP:" + updated,
        text_line("UID", clean_text(event.uid)),
        f"SEQUENCE:{event.sequence}",
        fold("CATEGORIES:" + without_bom(",".join(escape(category) for category in event_categories(event)))),
        "CLASS:" + ical_class(event),
        "CREATED:" + _stamp(event.created_dt),
        text_line(description_name, event_description(event, base_url)),
        "LAST-MODIFIED:" + updated,
    ]
    if location:
        lines.append(text_line("LOCATION", location))
    lines += [
        "STATUS:" + ical_status(event),
        "TRANSP:" + ("TRANSPARENT" if is_transparent(event) else "OPAQUE"),
        fold("URL;VALUE=URI:" + event_url(base_url, event.id)),
        "END:VEVENT",
        "",
    ]
    return CRLF.join(lines)
