"""Finished feeds in memory: ``Feed`` (bytes and validators) and each process's ``FeedCache``.

The cache is validated by the feeds' generation counter (``tracker.models.feeds``), which each process reads
at most every ``RECHECK_SECONDS``: an unchanged feed costs no query at all.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from tracker.config import SETTINGS
from tracker.models import feeds as feed_models
from tracker.models.feeds import read_generation

#: Seconds between looks at the feeds' generation in the database (changes made in this process count at once).
RECHECK_SECONDS = 2.0
#: Bytes of finished feeds one process keeps (``FEED_CACHE_MAX_BYTES``; 32 MiB: five 10,000-event feeds).
DEFAULT_CACHE_BYTES: int = SETTINGS["FEED_CACHE_MAX_BYTES"][0]


def digest(body: bytes) -> str:
    """The strong ETag of a feed's bytes (without quotes)."""
    return hashlib.sha256(body).hexdigest()[:32]


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

    def _recent_generation(self) -> int | None:
        """The generation known without a query: read lately, and no commit in this process since."""
        known = self._known
        if known is None or known[1] != feed_models.local_commits:
            return None
        return known[0] if 0 <= time.time() - known[2] < self.recheck_seconds else None

    def generation(self, session: Session) -> int:
        known = self._recent_generation()
        if known is not None:
            return known
        commits = feed_models.local_commits  # before the read: a commit meanwhile makes the next call re-read
        value = read_generation(session)
        self.note_generation(value, commits)
        return value

    def peek(self, key: tuple[Any, ...], now: datetime) -> Feed | None:
        """The cached feed if it is known to be current without asking the database, else None."""
        known = self._recent_generation()
        if known is None:
            return None
        feed = self.get(key)
        return feed if feed is not None and feed.fresh(known, now) else None

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
