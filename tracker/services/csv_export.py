"""The events of a filter as CSV, for people who live in spreadsheets (``/events.csv``).

One row per event, soonest first: upcoming events (not yet over), or every event with ``include_past``.
Times are in the event's own zone as ISO 8601 (all-day events: their first and last day, both included), so a
spreadsheet shows what the event page shows. UTF-8 with a byte-order mark, because Excel reads a file without
one as the machine's legacy code page. A cell that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe, which spreadsheets hide.
At most ``MAX_ROWS`` events: a larger export ends with a row that says so (and the caller adds a header).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlmodel import Session

from tracker.filters import EventFilter
from tracker.models import Event, EventTag, OrganisationRole
from tracker.services import agenda
from tracker.services.calendar_queries import query_key
from tracker.services.listing import LIST_COLUMNS, ListedEvent, listed_events
from tracker.timezones import utc_to_local

#: The most events one export holds; the public limit (tests pass a smaller ``limit``).
MAX_ROWS = 10_000
COLUMNS = (
    "title", "kind", "status", "start", "end", "all_day", "time_zone", "venue", "city", "country", "organisers",
    "tags", "url",
)  # fmt: skip
#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"

_TAGS = (
    select(EventTag.event_id, EventTag.tag)
    .where(EventTag.event_id.in_(bindparam("ids", expanding=True)))
    .order_by(EventTag.event_id, EventTag.tag)
)


@dataclass(frozen=True)
class CsvExport:
    body: bytes
    rows: int
    truncated: bool


def safe_cell(value: str) -> str:
    """The value, with an apostrophe first when a spreadsheet would take it for a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _events(
    session: Session,
    event_filter: EventFilter,
    now: datetime,
    *,
    include_internal: bool,
    include_past: bool,
    limit: int,
) -> list[ListedEvent]:
    """Up to ``limit`` events, in start order, through the listing's visibility rule."""
    if not include_past:
        return agenda.agenda(session, event_filter, now, include_internal=include_internal, limit=limit)
    statement = query_key(event_filter).apply(select(*LIST_COLUMNS), include_internal=include_internal)
    return listed_events(session, statement.order_by(Event.start_dt, Event.id).limit(limit), {})


def _tags(session: Session, events: Sequence[ListedEvent]) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = {event.id: [] for event in events}
    if events:
        for event_id, tag in session.connection().execute(_TAGS, {"ids": list(tags)}).all():
            tags[event_id].append(tag)
    return tags


def _row(event: ListedEvent, tags: list[str], url: str) -> list[str]:
    if event.all_day and event.start_date is not None and event.end_date is not None:
        start, end = event.start_date.isoformat(), event.end_date.isoformat()
    else:
        start = utc_to_local(event.start_dt, event.timezone).isoformat()
        end = utc_to_local(event.end_dt, event.timezone).isoformat()
    organisers = "; ".join(
        f"{OrganisationRole(role).label}: " + ", ".join(organisation.label for organisation in organisations)
        for role, organisations in event.organisations_by_role().items()
    )
    values = [
        event.title, event.kind, event.status, start, end, "yes" if event.all_day else "no", event.timezone,
        event.venue or "", event.city or "", event.country or "", organisers, ", ".join(tags), url,
    ]  # fmt: skip
    return [safe_cell(value) for value in values]


def export_events(
    session: Session,
    event_filter: EventFilter,
    now: datetime,
    *,
    include_internal: bool,
    include_past: bool,
    event_url: Callable[[int], str],
    limit: int = MAX_ROWS,
) -> CsvExport:
    """The CSV of the filter's events for this audience: header row, one row per event, and a last row saying
    the export stopped when more than ``limit`` events match."""
    events = _events(
        session, event_filter, now, include_internal=include_internal, include_past=include_past, limit=limit + 1
    )
    truncated = len(events) > limit
    events = events[:limit]
    tags = _tags(session, events)
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)  # RFC 4180: CRLF line ends, quotes where needed
    writer.writerow(COLUMNS)
    for event in events:
        writer.writerow(_row(event, tags[event.id], event_url(event.id)))
    if truncated:
        writer.writerow([f"Only the first {limit} events are listed; narrow the filter to export the rest."])
    return CsvExport(buffer.getvalue().encode("utf-8"), len(events), truncated)
