"""iCalendar feeds: which events a feed holds, its bytes from cached blocks, its validators, private tokens.

A feed is the calendar header, a VTIMEZONE per zone used and a join of VEVENT blocks. Each block is written
once per event revision by ``tracker.ical`` and stored in ``event_ics``, so one edit re-serializes one event
and a restarted process finds its blocks in the database. On top of that, each process keeps finished feeds
in a small ``FeedCache`` keyed by the feed and validated by the feeds' generation counter
(``tracker.models.feeds``), which each process reads at most every ``RECHECK_SECONDS``: an unchanged feed
costs no query at all.

Cancelled and deleted events stay in feeds as STATUS:CANCELLED until ``TOMBSTONE_DAYS`` after the later of
their end and their last change, so that subscribed calendars see the cancellation before the event leaves.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, not_, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from tracker import ical
from tracker.filters import EventFilter
from tracker.models import (
    Event,
    EventIcs,
    EventOrganisation,
    EventPerson,
    EventStatus,
    Organisation,
    Person,
    User,
    Visibility,
)
from tracker.models import feeds as feed_models
from tracker.models.feeds import read_generation, site_key
from tracker.services.listing import with_details

TOMBSTONE_DAYS = 60
TOKEN_BYTES = 32  # 256 bits from secrets.token_urlsafe
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
BLOCK_CHUNK = 500
#: Seconds between looks at the feeds' generation in the database (changes made in this process count at once).
RECHECK_SECONDS = 2.0
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# --- what a feed contains -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedSpec:
    """One feed: a filter, whether internal events are in, and how the calendar calls itself."""

    event_filter: EventFilter
    include_internal: bool
    name: str
    description: str = ""
    #: The feed's own URL (RFC 7986 SOURCE); left empty for private feeds, whose URL is a secret.
    source_url: str = ""

    def cache_key(self, base_url: str) -> tuple[Any, ...]:
        return (
            base_url,
            self.include_internal,
            self.event_filter.query_string(include_tz=False),
            self.name,
            self.description,
            self.source_url,
        )


def public_spec(event_filter: EventFilter, calendar_name: str, feed_url: str) -> FeedSpec:
    """The public feed for a filter; its name says what it contains."""
    what = event_filter.describe()
    name = calendar_name if event_filter.is_empty else f"{calendar_name}: {what}"
    description = f"{what} from {calendar_name}, kept up to date: changes and cancellations appear on refresh."
    return FeedSpec(event_filter, False, name, description, feed_url)


def private_spec(event_filter: EventFilter, calendar_name: str) -> FeedSpec:
    """A user's private feed: public and internal events (the same bytes for every user)."""
    what = event_filter.describe()
    suffix = "internal and public events" if event_filter.is_empty else f"{what}, internal and public"
    name = f"{calendar_name} ({suffix})"
    return FeedSpec(event_filter, True, name, f"{what} from {calendar_name}, including internal events.")


def tombstone_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=TOMBSTONE_DAYS)


def _is_tombstone() -> ColumnElement[bool]:
    return or_(Event.deleted_dt.is_not(None), Event.status == EventStatus.CANCELLED.value)


def _base_conditions(event_filter: EventFilter, include_internal: bool) -> list[ColumnElement[bool]]:
    conditions = list(event_filter.conditions())
    if not include_internal:
        conditions.append(Event.visibility == Visibility.PUBLIC.value)
    return conditions


def feed_conditions(event_filter: EventFilter, include_internal: bool, now: datetime) -> list[ColumnElement[bool]]:
    """Events of a feed: the filter's, and tombstones only while they are recent."""
    cutoff = tombstone_cutoff(now)
    return [
        *_base_conditions(event_filter, include_internal),
        or_(not_(_is_tombstone()), Event.end_dt > cutoff, Event.updated_dt > cutoff),
    ]


# --- the result -----------------------------------------------------------------------------------------


@dataclass
class Feed:
    """Finished calendar bytes with their validators."""

    body: bytes
    etag: str  # hex digest of the body; the view quotes it (and marks the gzip variant)
    last_modified: datetime
    generation: int = 0
    #: The feed changes by itself at this instant (a tombstone expires); None: only when data changes.
    valid_until: datetime | None = None
    event_count: int = 0
    #: How many VEVENTs this build had to serialize (the rest came from stored blocks).
    serialized: int = 0
    _gzipped: bytes | None = field(default=None, repr=False)

    def gzipped(self) -> bytes:
        """The body gzip-compressed, made once (mtime 0, so the bytes are the same in every process)."""
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped

    @property
    def size(self) -> int:
        return len(self.body) + len(self._gzipped or b"")

    def fresh(self, generation: int, now: datetime) -> bool:
        return self.generation == generation and (self.valid_until is None or now < self.valid_until)


class FeedCache:
    """Finished feeds of one process, least recently used first out, within a byte budget.

    It also remembers the feeds' generation: read from the database at most every ``recheck_seconds`` (so
    that an unchanged feed costs no query at all), and at once after a commit in this process changed it.
    Other processes' changes thus reach this one within ``recheck_seconds``.
    """

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, recheck_seconds: float = RECHECK_SECONDS) -> None:
        self.max_bytes = max_bytes
        self.recheck_seconds = recheck_seconds
        self._items: OrderedDict[tuple[Any, ...], Feed] = OrderedDict()
        self._known: tuple[int, int, float] | None = None  # generation, local commits then, when read
        self._lock = threading.Lock()

    def generation(self, session: Session) -> int:
        known = self._known
        if known is not None and known[1] == feed_models.local_commits:
            elapsed = time.time() - known[2]
            if 0 <= elapsed < self.recheck_seconds:
                return known[0]
        commits = feed_models.local_commits  # before the read: a commit meanwhile makes the next call re-read
        value = read_generation(session)
        self.note_generation(value, commits)
        return value

    def peek(self, key: tuple[Any, ...], now: datetime) -> Feed | None:
        """The cached feed if it is known to be current without asking the database, else None."""
        known = self._known
        if known is None or known[1] != feed_models.local_commits:
            return None
        if not 0 <= time.time() - known[2] < self.recheck_seconds:
            return None
        feed = self.get(key)
        return feed if feed is not None and feed.fresh(known[0], now) else None

    def note_generation(self, generation: int, commits: int | None = None) -> None:
        """Remember a generation read from the database (the newest one wins)."""
        with self._lock:
            known = self._known
            if known is None or generation >= known[0]:
                self._known = (generation, feed_models.local_commits if commits is None else commits, time.time())

    def get(self, key: tuple[Any, ...]) -> Feed | None:
        with self._lock:
            feed = self._items.get(key)
            if feed is not None:
                self._items.move_to_end(key)
            return feed

    def put(self, key: tuple[Any, ...], feed: Feed) -> None:
        with self._lock:
            self._items[key] = feed
            self._items.move_to_end(key)
            while len(self._items) > 1 and sum(item.size for item in self._items.values()) > self.max_bytes:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._known = None


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


# --- blocks ---------------------------------------------------------------------------------------------


def store_blocks(session: Session, blocks: dict[int, tuple[int, str]], site: str) -> None:
    """Upsert serialized blocks ({event id: (revision, text)}); never replaces a newer revision's block."""
    if not blocks:
        return
    table = EventIcs.__table__  # type: ignore[attr-defined]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    ids = sorted(blocks)  # one order for every writer: no deadlocks between concurrent fillers
    for start in range(0, len(ids), BLOCK_CHUNK):
        rows = [
            {"event_id": event_id, "site": site, "revision": blocks[event_id][0], "format": ical.FORMAT_VERSION,
             "block": blocks[event_id][1]}
            for event_id in ids[start : start + BLOCK_CHUNK]
        ]  # fmt: skip
        statement = dialect.insert(table).values(rows)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.event_id, table.c.site],
            set_={"revision": statement.excluded.revision, "format": statement.excluded.format,
                  "block": statement.excluded.block},
            where=table.c.revision <= statement.excluded.revision,
        )  # fmt: skip
        session.execute(statement)


def serialize_events(session: Session, event_ids: Sequence[int], base_url: str) -> dict[int, str]:
    """Serialize these events with ``icalendar`` and store their blocks; returns {event id: block}."""
    result: dict[int, str] = {}
    site = site_key(base_url)
    for start in range(0, len(event_ids), BLOCK_CHUNK):
        chunk = list(event_ids[start : start + BLOCK_CHUNK])
        events = session.exec(with_details(select(Event).where(Event.id.in_(chunk)))).scalars()  # type: ignore[call-overload]
        blocks = {event.id: (event.revision, ical.event_block(event, base_url)) for event in events}
        store_blocks(session, blocks, site)
        result.update({event_id: text for event_id, (_revision, text) in blocks.items()})
    return result


def event_block(session: Session, event: Event, base_url: str) -> str:
    """The stored block of this revision of a loaded event, serialized and stored when missing."""
    site = site_key(base_url)
    stored = session.exec(
        select(EventIcs.block).where(  # type: ignore[call-overload]
            EventIcs.event_id == event.id,
            EventIcs.site == site,
            EventIcs.revision == event.revision,
            EventIcs.format == ical.FORMAT_VERSION,
        )
    ).scalar_one_or_none()
    if stored is not None:
        return stored
    block = ical.event_block(event, base_url)
    store_blocks(session, {event.id: (event.revision, block)}, site)  # type: ignore[dict-item]
    return block


# --- building ---------------------------------------------------------------------------------------------


def _latest(*values: datetime | None) -> datetime | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None


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
    return _latest(organisations, people)


def _last_expiry(session: Session, spec: FeedSpec, now: datetime) -> datetime | None:
    """When the latest tombstone that has already left this feed left it (the feed changed then)."""
    cutoff = tombstone_cutoff(now)
    row = session.exec(
        select(func.max(Event.end_dt), func.max(Event.updated_dt)).where(  # type: ignore[call-overload]
            *_base_conditions(spec.event_filter, spec.include_internal),
            _is_tombstone(),
            Event.end_dt <= cutoff,
            Event.updated_dt <= cutoff,
        )
    ).one()
    latest = _latest(row[0], row[1])
    return latest + timedelta(days=TOMBSTONE_DAYS) if latest else None


def build_feed(session: Session, spec: FeedSpec, base_url: str, now: datetime) -> Feed:
    """Build a feed from stored blocks, serializing only events whose block is missing or outdated.

    New blocks are written through ``session``; the caller commits.
    """
    generation = read_generation(session)  # first: a change committed meanwhile makes this copy stale
    site = site_key(base_url)
    conditions = feed_conditions(spec.event_filter, spec.include_internal, now)
    join = and_(
        EventIcs.event_id == Event.id,
        EventIcs.site == site,
        EventIcs.revision == Event.revision,
        EventIcs.format == ical.FORMAT_VERSION,
    )
    statement = (
        select(Event.id, EventIcs.block).outerjoin(EventIcs, join).where(*conditions).order_by(Event.start_dt, Event.id)
    )
    rows = session.exec(statement).all()  # type: ignore[call-overload]
    missing = [row.id for row in rows if row.block is None]
    fresh = serialize_events(session, missing, base_url) if missing else {}

    # Zones, validators and the next expiry come from aggregates in the database, not from a loop over rows.
    zones = session.exec(
        select(Event.timezone, func.min(Event.start_dt), func.max(Event.end_dt))  # type: ignore[call-overload]
        .where(*conditions, Event.all_day.is_(False))
        .group_by(Event.timezone)
        .order_by(Event.timezone)
    ).all()
    uses = [ical.ZoneUse(zone, first.year, last.year) for zone, first, last in zones if not ical.is_utc_zone(zone)]
    later = case((Event.end_dt > Event.updated_dt, Event.end_dt), else_=Event.updated_dt)
    latest_change, first_expiry = session.exec(
        select(func.max(Event.updated_dt), func.min(case((_is_tombstone(), later)))).where(*conditions)  # type: ignore[call-overload]
    ).one()

    header = ical.calendar_header(spec.name, description=spec.description, source_url=spec.source_url,
                                  site_url=base_url)  # fmt: skip
    blocks = (row.block if row.block is not None else fresh[row.id] for row in rows)
    body = ical.assemble(header, ical.zone_blocks(uses), blocks)

    included_ids = select(Event.id).where(*conditions)
    last_modified = _latest(
        latest_change,
        _directory_last_change(session, included_ids) if rows else None,
        _last_expiry(session, spec, now),
    )
    return Feed(
        body=body,
        etag=_digest(body),
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


def single_event_feed(session: Session, event: Event, base_url: str, calendar_name: str) -> Feed:
    """One event as a standalone calendar (a page's download), from its stored block."""
    block = event_block(session, event, base_url)
    uses = [] if event.all_day else ical.zone_uses([(event.timezone, event.start_dt, event.end_dt)])
    body = ical.assemble(ical.calendar_header(calendar_name), ical.zone_blocks(uses), [block])
    directory = [link.organisation.updated_dt for link in event.organisation_links]
    directory += [link.person.updated_dt for link in event.person_links]
    return Feed(body=body, etag=_digest(body), last_modified=max([event.updated_dt, *directory]), event_count=1)


def load_for_ics(session: Session, event_id: int) -> Event | None:
    """An event (deleted ones too) with everything its VEVENT shows."""
    statement = with_details(select(Event).where(Event.id == event_id))
    return session.exec(statement).scalar_one_or_none()  # type: ignore[call-overload]


# --- private feed tokens ----------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_feed_token(session: Session, user: User, now: datetime) -> str:
    """Give ``user`` a new private feed token (256 random bits), replacing any old one; returns the token.

    Only its SHA-256 is stored: the token is shown once, and a leaked database does not open the feeds.
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    user.feed_token_hash = hash_token(token)
    user.feed_token_created_dt = now
    session.add(user)
    return token


def revoke_feed_token(session: Session, user: User) -> None:
    user.feed_token_hash = None
    user.feed_token_created_dt = None
    session.add(user)


def user_for_feed_token(session: Session, token: str) -> User | None:
    """The active user whose private feed this token opens, or None."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    user = session.exec(
        select(User).where(User.feed_token_hash == hash_token(token))  # type: ignore[call-overload]
    ).scalar_one_or_none()
    return user if user is not None and user.active else None
