"""A feed's bytes and validators: built from stored blocks, kept in the process's ``FeedCache``.

A feed is the calendar header, a VTIMEZONE per zone used and a join of VEVENT blocks; only events whose
block is missing or outdated are serialized. Zones, validators and the next expiry come from aggregates in
the database, not from a loop over rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from tracker import ical
from tracker.i18n import use_language
from tracker.models import Event, EventIcs, EventOrganisation, EventPerson, Organisation, Person
from tracker.models import feeds as feed_models
from tracker.models.feeds import read_generation
from tracker.services.feeds.blocks import block_site, latest, serialize_events, stored_or_new_block
from tracker.services.feeds.cache import Feed, FeedCache, digest
from tracker.services.feeds.specs import (
    TOMBSTONE_DAYS,
    FeedSpec,
    base_conditions,
    feed_conditions,
    is_tombstone,
    tombstone_cutoff,
)
from tracker.services.listing import with_details

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _directory_last_change(session: Session, event_ids: Any) -> datetime | None:
    """Latest change of an organisation or person whose name appears in these events' blocks."""
    organisation_ids = (
        select(EventOrganisation.organisation_id)
        .where(EventOrganisation.event_id.in_(event_ids))
        .union(
            select(Person.organisation_id)
            .join(EventPerson, EventPerson.person_id == Person.id)
            .where(EventPerson.event_id.in_(event_ids), Person.organisation_id.is_not(None))
        )
    )
    organisations = session.exec(
        select(func.max(Organisation.updated_dt)).where(Organisation.id.in_(organisation_ids))  # type: ignore[call-overload]
    ).scalar()
    people = session.exec(
        select(func.max(Person.updated_dt)).where(  # type: ignore[call-overload]
            Person.id.in_(select(EventPerson.person_id).where(EventPerson.event_id.in_(event_ids)))
        )
    ).scalar()
    return latest(organisations, people)


def _last_expiry(session: Session, spec: FeedSpec, now: datetime) -> datetime | None:
    """When the latest tombstone that has already left this feed left it (the feed changed then)."""
    cutoff = tombstone_cutoff(now)
    row = session.exec(
        select(func.max(Event.end_dt), func.max(Event.updated_dt)).where(  # type: ignore[call-overload]
            *base_conditions(spec.event_filter, spec.include_internal),
            is_tombstone(),
            Event.end_dt <= cutoff,
            Event.updated_dt <= cutoff,
        )
    ).one()
    last = latest(row[0], row[1])
    return last + timedelta(days=TOMBSTONE_DAYS) if last else None


def _zone_uses(session: Session, conditions: list[Any]) -> list[ical.ZoneUse]:
    """The zones of the feed's timed events with the years they span, from one aggregate query."""
    zones = session.exec(
        select(Event.timezone, func.min(Event.start_dt), func.max(Event.end_dt))  # type: ignore[call-overload]
        .where(*conditions, Event.all_day.is_(False))
        .group_by(Event.timezone)
        .order_by(Event.timezone)
    ).all()
    return [ical.ZoneUse(zone, first.year, last.year) for zone, first, last in zones if not ical.is_utc_zone(zone)]


def _rows_with_blocks(session: Session, conditions: list[Any], site: str) -> list[Any]:
    """(event id, stored block or None) of the feed's events, in calendar order."""
    join = and_(
        EventIcs.event_id == Event.id,
        EventIcs.site == site,
        EventIcs.revision == Event.revision,
        EventIcs.format == ical.FORMAT_VERSION,
    )
    statement = (
        select(Event.id, EventIcs.block).outerjoin(EventIcs, join).where(*conditions).order_by(Event.start_dt, Event.id)
    )
    return list(session.exec(statement).all())  # type: ignore[call-overload]


def build_feed(session: Session, spec: FeedSpec, base_url: str, now: datetime) -> Feed:
    """Build a feed from stored blocks, serializing only events whose block is missing or outdated.

    New blocks are stored through ``store_blocks``: written in ``session`` (the caller commits), or kept in a
    read-only session for the caller to save (``take_unsaved_blocks``). Written in the spec's language.
    """
    with use_language(spec.language):
        return _build_feed(session, spec, base_url, now)


def _build_feed(session: Session, spec: FeedSpec, base_url: str, now: datetime) -> Feed:
    generation = read_generation(session)  # first: a change committed meanwhile makes this copy stale
    conditions = feed_conditions(spec.event_filter, spec.include_internal, now)
    rows = _rows_with_blocks(session, conditions, block_site(base_url, spec.block_language))
    missing = [row.id for row in rows if row.block is None]
    fresh = serialize_events(session, missing, base_url, spec.block_language) if missing else {}
    uses = _zone_uses(session, conditions)
    later = case((Event.end_dt > Event.updated_dt, Event.end_dt), else_=Event.updated_dt)
    latest_change, first_expiry = session.exec(
        select(func.max(Event.updated_dt), func.min(case((is_tombstone(), later)))).where(*conditions)  # type: ignore[call-overload]
    ).one()

    header = ical.calendar_header(spec.name, description=spec.description, source_url=spec.source_url,
                                  site_url=base_url, language=spec.block_language)  # fmt: skip
    blocks = (row.block if row.block is not None else fresh[row.id] for row in rows)
    body = ical.assemble(header, ical.zone_blocks(uses), blocks)

    last_modified = latest(
        latest_change,
        _directory_last_change(session, select(Event.id).where(*conditions)) if rows else None,
        _last_expiry(session, spec, now),
    )
    return Feed(
        body=body,
        etag=digest(body),
        last_modified=min(last_modified or EPOCH, now),
        generation=generation,
        valid_until=first_expiry + timedelta(days=TOMBSTONE_DAYS) if first_expiry else None,
        event_count=len(rows),
        serialized=len(missing),
    )


def get_feed(session: Session, cache: FeedCache, spec: FeedSpec, base_url: str, now: datetime) -> Feed:
    """The feed from this process's cache while nothing changed; rebuilt (from stored blocks) otherwise."""
    key = spec.cache_key(base_url)
    cached = cache.get(key)
    if cached is not None and cached.fresh(cache.generation(session), now):
        return cached
    commits = feed_models.local_commits
    feed = build_feed(session, spec, base_url, now)
    cache.note_generation(feed.generation, commits)
    cache.put(key, feed)
    return feed


def single_event_feed(
    session: Session, event: Event, base_url: str, calendar_name: str, language: str | None = None
) -> Feed:
    """One event as a standalone calendar (a page's download), from its stored block; ``language`` as for
    ``ical.write_vevent`` (None: the current language, untagged)."""
    block = stored_or_new_block(session, event, base_url, language)
    body = ical.single_event_calendar(event, base_url, calendar_name, block=block, language=language)
    directory = [link.organisation.updated_dt for link in event.organisation_links]
    directory += [link.person.updated_dt for link in event.person_links]
    return Feed(body=body, etag=digest(body), last_modified=max([event.updated_dt, *directory]), event_count=1)


def load_for_ics(session: Session, event_id: int) -> Event | None:
    """An event (deleted ones too) with everything its VEVENT shows."""
    statement = with_details(select(Event).where(Event.id == event_id))
    return session.exec(statement).scalar_one_or_none()  # type: ignore[call-overload]
