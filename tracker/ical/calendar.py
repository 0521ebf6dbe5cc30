"""Whole calendars: the VCALENDAR header (NAME, X-WR-CALNAME, REFRESH-INTERVAL, X-PUBLISHED-TTL) and the join
of cached parts (header, VTIMEZONEs, VEVENT blocks) into a feed's bytes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import icalendar
from icalendar import vDuration, vText

from tracker.ical.event import EventData
from tracker.ical.text import clean_text, clean_uri
from tracker.ical.vtimezone import vtimezone_block, zone_blocks, zone_uses
from tracker.ical.writer import CRLF, write_vevent
from tracker.models import Event

PRODID = "-//Conference Tracker//tracker 0.1//EN"
REFRESH_INTERVAL = timedelta(hours=1)


def calendar_header(
    name: str, *, description: str = "", source_url: str = "", site_url: str = "", language: str | None = None
) -> str:
    """BEGIN:VCALENDAR and the calendar's properties (no END line); ``language``: the language of the name and
    description, written as their ``LANGUAGE`` (RFC 7986 NAME and DESCRIPTION), when the feed was asked for one."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    tagged = {"LANGUAGE": language} if language else None
    calendar.add("name", vText(clean_text(name)), parameters=tagged)
    calendar.add("x-wr-calname", vText(clean_text(name)))
    if description:
        calendar.add("description", vText(clean_text(description, multiline=True)), parameters=tagged)
        calendar.add("x-wr-caldesc", vText(clean_text(description, multiline=True)))
    if site_url:
        calendar.add("url", clean_uri(site_url), parameters={"VALUE": "URI"})
    if source_url:
        calendar.add("source", clean_uri(source_url), parameters={"VALUE": "URI"})
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    text = calendar.to_ical().decode("utf-8")
    end = "END:VCALENDAR" + CRLF
    assert text.endswith(end)
    return text[: -len(end)]


def assemble(header: str, timezones: Iterable[str], blocks: Iterable[str]) -> bytes:
    """Join cached parts into one calendar. RFC 5545 needs one component at least: an empty calendar gets a
    VTIMEZONE for UTC (allowed, and harmless to every client).

    Each part is encoded on its own and the bytes joined: joining the text first would make one string as
    wide as its widest character (four bytes per character for a single emoji), ~4× the feed's size.
    """
    parts = [header.encode("utf-8"), *(zone.encode("utf-8") for zone in timezones)]
    count = len(parts)
    parts.extend(block.encode("utf-8") for block in blocks)
    if len(parts) == count == 1:
        parts.append(vtimezone_block("Etc/UTC", 2000, 2000).encode("utf-8"))
    parts.append(b"END:VCALENDAR\r\n")
    return b"".join(parts)


def single_event_calendar(
    event: Event | EventData,
    base_url: str,
    calendar_name: str,
    *,
    block: str | None = None,
    language: str | None = None,
) -> bytes:
    """A standalone calendar holding one event (the page's .ics download, an e-mail attachment).

    ``block``: the event's VEVENT already written (its stored block); written here when not given.
    ``language``: as for ``write_vevent`` (texts in that language with their ``LANGUAGE``).
    No METHOD: RFC 5546 would then require ORGANIZER, and Outlook treats a missing METHOD as PUBLISH.
    """
    uses = [] if event.all_day else zone_uses([(event.timezone, event.start_dt, event.end_dt)])
    vevent = block if block is not None else write_vevent(event, base_url, language)
    return assemble(calendar_header(calendar_name, language=language), zone_blocks(uses), [vevent])
