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
import logging
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
from sqlmodel import Session

from tracker import ical
from tracker.config import SETTINGS
from tracker.db import is_read_only, write_session
from tracker.dialects import dialect_insert
from tracker.filters import EventFilter
from tracker.models import (
    Event,
    EventIcs,
    EventOrganisation,
    EventPerson,
    EventStatus,
    EventTag,
    Organisation,
    Person,
    User,
    utcnow,
)
from tracker.models import feeds as feed_models
from tracker.models.feeds import read_generation, site_key
from tracker.services.listing import with_details
from tracker.visibility import visibility_condition

log = logging.getLogger(__name__)

TOMBSTONE_DAYS = 60
TOKEN_BYTES = 32  # 256 bits from secrets.token_urlsafe
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
BLOCK_CHUNK = 500
#: Seconds between looks at the feeds' generation in the database (changes made in this process count at once).
RECHECK_SECONDS = 2.0
#: Bytes of finished feeds one process keeps (``FEED_CACHE_MAX_BYTES``; 32 MiB: five 10,000-event feeds).
DEFAULT_CACHE_BYTES: int = SETTINGS["FEED_CACHE_MAX_BYTES"][0]
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
    """The filter's events that the feed's audience may see, deleted ones included (they become tombstones)."""
    return [*event_filter.conditions(), visibility_condition(include_internal)]


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
    #: The cache holding this feed: told when the gzip variant, made later, adds to the feed's size.
    _cache: FeedCache | None = field(default=None, repr=False, compare=False)

    def gzipped(self) -> bytes:
        """The body gzip-compressed, made once (mtime 0, so the bytes are the same in every process)."""
        zipped = self._gzipped
        if zipped is None:
            zipped = self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
            if self._cache is not None:
                self._cache.resized(self)
        return zipped

    @property
    def size(self) -> int:
        """Bytes this feed holds in memory: the body and, once made, its gzip variant."""
        return len(self.body) + len(self._gzipped or b"")

    def fresh(self, generation: int, now: datetime) -> bool:
        return self.generation == generation and (self.valid_until is None or now < self.valid_until)


class FeedCache:
    """Finished feeds of one process, least recently used first out, within a byte budget.

    The budget (``FEED_CACHE_MAX_BYTES``) bounds the bytes of every body and gzip variant held, including a
    gzip variant made after the feed was cached (``Feed.gzipped`` reports it): without that, any number of
    distinct filters (``?q=…``) could each leave a multi-megabyte feed in every worker. A feed larger than
    the whole budget is answered but not kept.

    It also remembers the feeds' generation: read from the database at most every ``recheck_seconds`` (so
    that an unchanged feed costs no query at all), and at once after a commit in this process changed it.
    Other processes' changes thus reach this one within ``recheck_seconds``.
    """

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES, recheck_seconds: float = RECHECK_SECONDS) -> None:
        self.max_bytes = max_bytes
        self.recheck_seconds = recheck_seconds
        self._items: OrderedDict[tuple[Any, ...], Feed] = OrderedDict()
        self._sizes: dict[tuple[Any, ...], int] = {}  # bytes counted for each key
        self._bytes = 0
        self._known: tuple[int, int, float] | None = None  # generation, local commits then, when read
        self._lock = threading.Lock()

    @property
    def total_bytes(self) -> int:
        """Bytes of the feeds held now (bodies and gzip variants); never more than ``max_bytes``."""
        return self._bytes

    def items(self) -> list[tuple[tuple[Any, ...], Feed]]:
        """The cached feeds by key, least recently used first (looking does not count as a use)."""
        with self._lock:
            return list(self._items.items())

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
            self._forget(key)
            if feed.size > self.max_bytes:
                return  # it would push out everything else and still not fit
            feed._cache = self
            self._items[key] = feed
            self._sizes[key] = feed.size
            self._bytes += feed.size
            self._evict()

    def resized(self, feed: Feed) -> None:
        """Count a cached feed's new size (its gzip variant was made), evicting to stay within the budget."""
        with self._lock:
            key = next((key for key, item in self._items.items() if item is feed), None)
            if key is None:
                return
            if feed.size > self.max_bytes:
                self._forget(key)
                return
            self._bytes += feed.size - self._sizes[key]
            self._sizes[key] = feed.size
            self._evict()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._sizes.clear()
            self._bytes = 0
            self._known = None

    def _forget(self, key: tuple[Any, ...]) -> None:
        feed = self._items.pop(key, None)
        if feed is not None:
            self._bytes -= self._sizes.pop(key)
            if feed._cache is self:
                feed._cache = None

    def _evict(self) -> None:
        """Drop least recently used feeds until the bytes fit (the lock is held)."""
        while self._items and self._bytes > self.max_bytes:
            self._forget(next(iter(self._items)))


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


# --- blocks ---------------------------------------------------------------------------------------------


#: A directory change this long before a GET's blocks were serialized may not be in them (see ``save_blocks``).
DIRECTORY_CHANGE_MARGIN = timedelta(minutes=5)
_UNSAVED_KEY = "tracker.feeds.unsaved_blocks"


@dataclass
class UnsavedBlocks:
    """Blocks a read-only (GET) session serialized, to be stored after its answer; see ``save_blocks``."""

    #: The feeds' generation in the snapshot the blocks were serialized from, and when that was.
    generation: int
    since: datetime
    by_site: dict[str, dict[int, tuple[int, str]]] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(len(blocks) for blocks in self.by_site.values())


def store_blocks(session: Session, blocks: dict[int, tuple[int, str]], site: str) -> None:
    """Upsert serialized blocks ({event id: (revision, text)}); never replaces a newer revision's block.

    A GET must not write (``tracker.db``): in a read-only session the blocks wait in the session instead, and
    the view stores them after answering (``take_unsaved_blocks`` and ``save_blocks``).
    """
    if not blocks:
        return
    if is_read_only(session):
        unsaved = session.info.get(_UNSAVED_KEY)
        if unsaved is None:
            unsaved = session.info[_UNSAVED_KEY] = UnsavedBlocks(read_generation(session), utcnow())
        unsaved.by_site.setdefault(site, {}).update(blocks)
        return
    table = EventIcs.__table__  # type: ignore[attr-defined]
    # One statement with the rows as parameters (executemany): compiled once and cached. Rows inlined into
    # VALUES were compiled anew for every chunk, which took half of a 10,000-event feed's first build.
    statement = dialect_insert(session)(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.event_id, table.c.site],
        set_={"revision": statement.excluded.revision, "format": statement.excluded.format,
              "block": statement.excluded.block},
        where=table.c.revision <= statement.excluded.revision,
    )  # fmt: skip
    ids = sorted(blocks)  # one order for every writer: no deadlocks between concurrent fillers
    for start in range(0, len(ids), BLOCK_CHUNK):
        rows = [
            {"event_id": event_id, "site": site, "revision": blocks[event_id][0], "format": ical.FORMAT_VERSION,
             "block": blocks[event_id][1]}
            for event_id in ids[start : start + BLOCK_CHUNK]
        ]  # fmt: skip
        session.execute(statement, rows)


def take_unsaved_blocks(session: Session) -> UnsavedBlocks | None:
    """The blocks this read-only session serialized and could not store, now the caller's to save."""
    return session.info.pop(_UNSAVED_KEY, None)


def save_blocks(engine: Any, unsaved: UnsavedBlocks) -> bool:
    """Store a GET's serialized blocks in a short write transaction of their own; best-effort, never raises.

    A block is keyed by its event's revision, which the upsert respects; but a renamed organisation or person
    changes blocks without a new event revision (``forget_blocks`` drops them). So when the feeds' generation
    moved since the blocks were serialized and a directory entry changed in that time, nothing is stored. A
    busy or failing store is logged and dropped: the next build serializes those events again. Returns whether
    the blocks were stored.
    """
    try:
        with write_session(engine) as session:
            if read_generation(session) != unsaved.generation:
                changed = _latest(
                    session.exec(select(func.max(Organisation.updated_dt))).scalar(),  # type: ignore[call-overload]
                    session.exec(select(func.max(Person.updated_dt))).scalar(),  # type: ignore[call-overload]
                )
                if changed is not None and changed >= unsaved.since - DIRECTORY_CHANGE_MARGIN:
                    log.info("not storing %d feed blocks: the directory changed meanwhile", len(unsaved))
                    return False
            for site, blocks in unsaved.by_site.items():
                store_blocks(session, blocks, site)
            session.commit()
            return True
    except Exception:  # after the answer: nothing may reach the client or the server loop
        log.warning("could not store %d feed blocks; the next build serializes them again", len(unsaved), exc_info=True)
        return False


def _among(column: Any, ids: set[int]) -> ColumnElement[bool]:
    """``column`` in ``ids``: as one range when the ids are dense (a first build's chunks), which costs two
    parameters instead of hundreds (on PostgreSQL, rendering and parsing those took longer than the query);
    callers drop the rows of ids in the range that they did not ask for."""
    low, high = min(ids), max(ids)
    return column.between(low, high) if high - low < 2 * len(ids) else column.in_(ids)  # type: ignore[no-any-return]


def load_event_data(session: Session, event_ids: Sequence[int]) -> list[ical.EventData]:
    """What the VEVENTs of these events show, from plain column selects (in no particular order).

    Four queries (events, their organisation and person links, their tags) plus the few directory entries
    they name; no ORM object per event, so nothing per event lands in the session's identity map. The labels
    come from the directory models' own ``label`` and ``short``.
    """
    wanted_events = set(event_ids)
    if not wanted_events:
        return []
    columns = [getattr(Event, name) for name in ical.EVENT_COLUMNS]
    events = session.execute(select(*columns).where(_among(Event.id, wanted_events))).all()
    organisation_links = session.execute(
        select(EventOrganisation.event_id, EventOrganisation.role, EventOrganisation.organisation_id)
        .where(_among(EventOrganisation.event_id, wanted_events))
        .order_by(EventOrganisation.event_id, EventOrganisation.sort_order, EventOrganisation.organisation_id,
                  EventOrganisation.role)
    ).all()  # fmt: skip
    person_links = session.execute(
        select(EventPerson.event_id, EventPerson.person_id)
        .where(_among(EventPerson.event_id, wanted_events))
        .order_by(EventPerson.event_id, EventPerson.sort_order, EventPerson.person_id)
    ).all()
    tag_rows = session.execute(
        select(EventTag.event_id, EventTag.tag).where(_among(EventTag.event_id, wanted_events))
    ).all()
    person_links = [row for row in person_links if row.event_id in wanted_events]
    organisation_links = [row for row in organisation_links if row.event_id in wanted_events]
    people: dict[int, Person] = {}
    if person_links:
        wanted_people = {person_id for _event_id, person_id in person_links}
        loaded_people = session.scalars(select(Person).where(Person.id.in_(wanted_people)))  # type: ignore[union-attr]
        people = {person.id: person for person in loaded_people}  # type: ignore[misc]
    wanted = {row[2] for row in organisation_links} | {p.organisation_id for p in people.values() if p.organisation_id}
    organisations: dict[int, Organisation] = {}
    if wanted:
        loaded = session.scalars(select(Organisation).where(Organisation.id.in_(wanted)))  # type: ignore[union-attr]
        organisations = {organisation.id: organisation for organisation in loaded}  # type: ignore[misc]
    by_event_organisations: dict[int, list[tuple[str, str]]] = {}
    for event_id, role, organisation_id in organisation_links:
        by_event_organisations.setdefault(event_id, []).append((role, organisations[organisation_id].label))
    by_event_people: dict[int, list[tuple[str, str | None]]] = {}
    for event_id, person_id in person_links:
        person = people[person_id]
        organisation = organisations.get(person.organisation_id) if person.organisation_id else None
        by_event_people.setdefault(event_id, []).append(
            (person.label, organisation.short if organisation is not None else None)
        )
    by_event_tags: dict[int, list[str]] = {}
    for event_id, tag in tag_rows:
        by_event_tags.setdefault(event_id, []).append(tag)
    return [
        ical.EventData(
            *row,
            organisations=tuple(by_event_organisations.get(row.id, ())),
            people=tuple(by_event_people.get(row.id, ())),
            tags=tuple(sorted(by_event_tags.get(row.id, ()))),
        )
        for row in events
        if row.id in wanted_events
    ]


def serialize_events(session: Session, event_ids: Sequence[int], base_url: str) -> dict[int, str]:
    """Serialize these events (``ical.event_block`` on plain rows) and store their blocks; returns {id: block}."""
    result: dict[int, str] = {}
    site = site_key(base_url)
    for start in range(0, len(event_ids), BLOCK_CHUNK):
        chunk = list(event_ids[start : start + BLOCK_CHUNK])
        events = load_event_data(session, chunk)
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

    New blocks are stored through ``store_blocks``: written in ``session`` (the caller commits), or kept in a
    read-only session for the caller to save (``take_unsaved_blocks``).
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
