"""Events ↔ iCalendar text (RFC 5545 / RFC 7986): pure functions, no database and no Flask.

A feed is assembled from cached parts (``tracker.services.feeds``):

- ``text``: cleaning, escaping and folding of values, to the byte as ``icalendar`` writes them;
- ``event``: ``EventData`` (plain values of one stored event) and what its VEVENT says;
- ``writer``: ``write_vevent``, one VEVENT as text (the same data gives the same bytes);
- ``vtimezone``: VTIMEZONEs from tzdata in yearly RRULE form, and which zones a calendar needs;
- ``calendar``: the VCALENDAR header, the join of the parts, a one-event calendar.

Files from outside (imports and synced feeds) are read by ``read_calendar`` (``reading``), in parts:

- ``reading_lines``: bytes → numbered, unfolded content lines and the BEGIN/END tree, with each malformed line;
- ``reading_zones``: TZIDs → IANA zones (Windows names, any case), and a file's own VTIMEZONEs read per file;
- ``reading_checks``: each VEVENT's lines checked before anything is expanded (sub-daily rules and the like);
- ``reading_events``: ``ReadLimits``, ``ReadEvent`` and the cleaned values of one VEVENT;
- ``reading_series``: single events and series expanded inside the window, bounded in count and time;
- ``reading``: ``read_calendar`` and ``ReadResult``, the steps in order.
"""

from tracker.ical.calendar import PRODID, REFRESH_INTERVAL, assemble, calendar_header, single_event_calendar
from tracker.ical.event import (
    EVENT_COLUMNS,
    UTC_NAMES,
    EventData,
    event_data,
    event_description,
    event_location,
    event_summary,
    event_url,
    is_ambiguous,
    is_cancelled,
    is_utc_zone,
    needs_utc,
)
from tracker.ical.reading import ReadEvent, ReadLimits, ReadProblem, ReadResult, read_calendar
from tracker.ical.text import clean_text, clean_uri
from tracker.ical.vtimezone import Transition, ZoneUse, vtimezone_block, zone_blocks, zone_transitions, zone_uses
from tracker.ical.writer import CRLF, FORMAT_VERSION, write_vevent

__all__ = [
    "CRLF",
    "EVENT_COLUMNS",
    "FORMAT_VERSION",
    "PRODID",
    "REFRESH_INTERVAL",
    "UTC_NAMES",
    "EventData",
    "ReadEvent",
    "ReadLimits",
    "ReadProblem",
    "ReadResult",
    "Transition",
    "ZoneUse",
    "assemble",
    "calendar_header",
    "clean_text",
    "clean_uri",
    "event_data",
    "event_description",
    "event_location",
    "event_summary",
    "event_url",
    "is_ambiguous",
    "is_cancelled",
    "is_utc_zone",
    "needs_utc",
    "read_calendar",
    "single_event_calendar",
    "vtimezone_block",
    "write_vevent",
    "zone_blocks",
    "zone_transitions",
    "zone_uses",
]
