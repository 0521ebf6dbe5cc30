"""Events as the JSON API gives them: FullCalendar's event-source shape, for a window or one event.

Each event is ``{"id", "title", "start", "end", "allDay", "url", "extendedProps"}``. An all-day event has
date-only ``start`` and ``end``, the end exclusive (the stored last day + 1), so it never shifts a day for a
reader elsewhere. A timed event has date-times with the offset of the requested zone (``Z`` for UTC, the
default). ``extendedProps`` carries kind, status, place, organisations with their roles, tags, the event's own
zone, its UID and revision (what an update must name), the ``language`` of title and description and their
``translations`` (``{"mk": {"title", "description"}}``; ``tracker.event_texts``).

The window query keeps to the listed events of the audience (``EventFilter.apply``, ``tracker.visibility``):
a timed event overlaps [start, end) by its instants, an all-day one the window's local days by its dates. Both
are bounded on ``start_dt`` from both sides (the longest event, as the calendar pages do), so the
(start_dt, end_dt) index narrows the scan. Rows are read as plain columns, organisations and tags in one query
each for the whole page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    column,
    false,
    func,
    or_,
    select,
    true,
    type_coerce,
)
from sqlmodel import Session

from tracker.event_texts import parse_translations
from tracker.filters import EventFilter
from tracker.models import Event, EventOrganisation, EventPerson, EventTag, Organisation, Person
from tracker.services.api_params import Page, Window
from tracker.services.calendar_queries import instant_parameter, lower_bound, query_key
from tracker.timezones import get_zone

#: Slack on ``start_dt`` around the window for all-day events, whose instants are local midnights (UTC−12…+14).
DAY_SLACK = timedelta(days=2)
ONE_DAY = timedelta(days=1)

#: Instants and dates come back raw (SQLite: ISO text; PostgreSQL: naive UTC datetimes and dates) and are
#: written out directly: per-value type processing cost more than the query (as for the month grid).
API_COLUMNS = (
    Event.id, Event.title, Event.all_day,
    type_coerce(Event.start_dt, String).label("start_dt"), type_coerce(Event.end_dt, String).label("end_dt"),
    type_coerce(Event.start_date, String).label("start_date"), type_coerce(Event.end_date, String).label("end_date"),
    Event.kind, Event.status, Event.city, Event.country, Event.venue, Event.timezone, Event.uid, Event.revision,
    Event.language, Event.translations,
)  # fmt: skip


@lru_cache(maxsize=8)
def _links_statements(dialect: str) -> tuple[Select[Any], Select[Any]]:
    """Organisations and tags of the events whose ids are the one parameter ``ids``: a JSON array on SQLite, an
    array on PostgreSQL, so the statement is compiled once, whatever the number of ids (an expanding ``IN``
    is compiled anew for each count). On PostgreSQL each id probes the link tables' index through a LATERAL
    join: with ``IN``/``ANY`` the planner preferred scanning the whole table, 2–3× slower at 100,000 events."""
    organisation_columns = (
        EventOrganisation.event_id, Organisation.id, Organisation.name, Organisation.acronym, Organisation.slug,
        EventOrganisation.role,
    )  # fmt: skip
    organisation_order = (EventOrganisation.sort_order, Organisation.id, EventOrganisation.role)
    joined = select(*organisation_columns, *organisation_order).join(
        Organisation, Organisation.id == EventOrganisation.organisation_id
    )
    tagged = select(EventTag.event_id, EventTag.tag)
    if dialect == "postgresql":
        ids = func.unnest(bindparam("ids", type_=ARRAY(Integer))).table_valued("id").render_derived(name="ids")
        organisations = joined.where(EventOrganisation.event_id == ids.c.id).lateral("links")
        tags = tagged.where(EventTag.event_id == ids.c.id).lateral("tag_links")
        return (
            select(*list(organisations.c)[:6]).select_from(ids).join(organisations, true())
            .order_by(organisations.c.event_id, *list(organisations.c)[6:]),
            select(tags.c.event_id, tags.c.tag).select_from(ids).join(tags, true())
            .order_by(tags.c.event_id, tags.c.tag),
        )  # fmt: skip
    listed = select(column("value")).select_from(func.json_each(bindparam("ids", type_=String)))
    return (
        select(*organisation_columns)
        .join(Organisation, Organisation.id == EventOrganisation.organisation_id)
        .where(EventOrganisation.event_id.in_(listed))
        .order_by(EventOrganisation.event_id, *organisation_order),
        tagged.where(EventTag.event_id.in_(listed)).order_by(EventTag.event_id, EventTag.tag),
    )


_PEOPLE = (
    select(EventPerson.event_id, Person.id, Person.name, Person.position)
    .join(Person, Person.id == EventPerson.person_id)
    .where(EventPerson.event_id == bindparam("event_id"))
    .order_by(EventPerson.sort_order, Person.id)
)


@lru_cache(maxsize=256)
def window_statement(event_filter: EventFilter, include_internal: bool, dialect: str) -> Select[Any]:
    """Events of the filter overlapping the window, in start order, a page at a time (one more row than the
    page, to tell whether there is a next one). Built once per filter and audience; the window is bound."""
    start, end = instant_parameter("window_start"), instant_parameter("window_end")
    first_day = bindparam("first_day", type_=Event.start_date.type)
    end_day = bindparam("end_day", type_=Event.start_date.type)
    outer_start, outer_end = instant_parameter("outer_start"), instant_parameter("outer_end")
    timed = and_(Event.all_day == false(), Event.start_dt < end, Event.end_dt > start)
    all_day = and_(Event.all_day == true(), Event.start_date < end_day, Event.end_date >= first_day)
    statement = event_filter.apply(select(*API_COLUMNS), include_internal=include_internal).where(
        Event.start_dt < outer_end,
        Event.end_dt > outer_start,
        Event.start_dt >= lower_bound(dialect, outer_start),
        or_(timed, all_day),
    )
    statement = statement.order_by(Event.start_dt, Event.id)
    return statement.limit(bindparam("page_limit", type_=Integer)).offset(bindparam("page_offset", type_=Integer))


def window_events(
    session: Session, event_filter: EventFilter, window: Window, page: Page, base_url: str, *, include_internal: bool
) -> tuple[list[dict[str, Any]], bool]:
    """The page of events overlapping ``window`` as API items, and whether more follow."""
    connection = session.connection()
    statement = window_statement(query_key(event_filter), include_internal, connection.dialect.name)
    parameters = {
        "window_start": window.start,
        "window_end": window.end,
        "first_day": window.first_day,
        "end_day": window.end_day,
        "outer_start": window.start - DAY_SLACK,
        "outer_end": window.end + DAY_SLACK,
        "page_limit": page.limit + 1,
        "page_offset": page.offset,
    }
    rows = connection.execute(statement, parameters).all()
    more = len(rows) > page.limit
    return serialise_rows(session, rows[: page.limit], window.zone, base_url), more


def serialise_rows(session: Session, rows: Iterable[Any], zone: str, base_url: str) -> list[dict[str, Any]]:
    """API items for raw rows of ``API_COLUMNS``, with their organisations and tags (one query each)."""
    items: dict[int, dict[str, Any]] = {}
    instant = _instant_writer(None if zone == "UTC" else get_zone(zone))
    for row in rows:
        items[row[0]] = _item(row, instant, base_url)
    if items:
        connection = session.connection()
        dialect = connection.dialect.name
        organisations, tags = _links_statements(dialect)
        ids: Any = list(items) if dialect == "postgresql" else json.dumps(list(items))
        for event_id, org_id, name, acronym, slug, role in connection.execute(organisations, {"ids": ids}).all():
            items[event_id]["extendedProps"]["organisations"].append(
                {"id": org_id, "name": name, "acronym": acronym, "slug": slug, "role": role}
            )
        for event_id, tag in connection.execute(tags, {"ids": ids}).all():
            items[event_id]["extendedProps"]["tags"].append(tag)
    return list(items.values())


def _instant_writer(tzinfo: Any) -> Callable[[Any], str]:
    """Raw stored instant (SQLite text ``YYYY-MM-DD HH:MM:SS.ffffff``, PostgreSQL naive datetime, both UTC) →
    ISO 8601 to the second: ``Z`` for UTC (``tzinfo`` None), else with the zone's offset."""

    def write(raw: Any) -> str:
        if isinstance(raw, str):
            if tzinfo is None:
                return f"{raw[:10]}T{raw[11:19]}Z"
            raw = datetime.fromisoformat(raw[:19])
        if tzinfo is None:
            return raw.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
        return raw.replace(tzinfo=UTC).astimezone(tzinfo).isoformat(timespec="seconds")

    return write


def _item(row: Any, instant: Callable[[Any], str], base_url: str) -> dict[str, Any]:
    (ident, title, all_day, start_dt, end_dt, start_date, end_date, kind, status, city, country, venue, zone, uid,
     revision, language, translations) = row  # fmt: skip
    if all_day:
        start = str(start_date)[:10]
        end = (_day(end_date) + ONE_DAY).isoformat()
    else:
        start, end = instant(start_dt), instant(end_dt)
    return {
        "id": str(ident),
        "title": title,
        "start": start,
        "end": end,
        "allDay": bool(all_day),
        "url": f"{base_url}/events/{ident}",
        "extendedProps": {
            "kind": kind,
            "status": status,
            "city": city,
            "country": country,
            "venue": venue,
            "timezone": zone,
            "uid": uid,
            "revision": revision,
            "language": language,
            "translations": parse_translations(translations, language),
            "organisations": [],
            "tags": [],
        },
    }


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _raw_instant(value: datetime, dialect: str) -> Any:
    """An aware instant as the raw column reads it (``API_COLUMNS``), for an event already loaded."""
    naive = value.astimezone(UTC).replace(tzinfo=None)
    return naive if dialect == "postgresql" else naive.isoformat(sep=" ", timespec="microseconds")


def one_event(session: Session, event: Event, zone: str, base_url: str) -> dict[str, Any]:
    """One event as an API item, with what only the single answer carries: description, source, people,
    the reason of a cancellation."""
    dialect = session.connection().dialect.name
    start, end = _raw_instant(event.start_dt, dialect), _raw_instant(event.end_dt, dialect)
    row = (
        event.id, event.title, event.all_day, start, end, event.start_date, event.end_date, event.kind,
        event.status, event.city, event.country, event.venue, event.timezone, event.uid, event.revision,
        event.language, event.translations,
    )  # fmt: skip
    item = serialise_rows(session, [row], zone, base_url)[0]
    people = session.connection().execute(_PEOPLE, {"event_id": event.id}).all()
    item["extendedProps"].update(
        description=event.description,
        source_url=event.source_url,
        source_citation=event.source_citation,
        cancel_reason=event.cancel_reason,
        people=[{"id": person_id, "name": name, "position": position} for _e, person_id, name, position in people],
    )
    return item
