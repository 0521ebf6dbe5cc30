"""iCalendar feeds: which events a feed holds, its bytes from stored blocks, its validators, private tokens.

- ``specs``: what a feed contains (``FeedSpec`` and its cache key, the tombstone rule);
- ``rows`` and ``blocks``: events as plain rows, their VEVENT blocks stored once per revision and language
  (``block_site``) in ``event_ics``;
- ``cache``: finished feeds in each process's ``FeedCache``, validated by the feeds' generation counter;
- ``build``: a feed built from those parts, and one event as a calendar;
- ``tokens``: the tokens that open private feeds.
"""

from tracker.services.feeds.blocks import (
    BLOCK_CHUNK,
    UnsavedBlocks,
    block_site,
    save_blocks,
    serialize_events,
    store_blocks,
    stored_or_new_block,
    take_unsaved_blocks,
)
from tracker.services.feeds.build import build_feed, get_feed, load_for_ics, single_event_feed
from tracker.services.feeds.cache import DEFAULT_CACHE_BYTES, RECHECK_SECONDS, Feed, FeedCache
from tracker.services.feeds.rows import load_event_data
from tracker.services.feeds.specs import (
    TOMBSTONE_DAYS,
    FeedSpec,
    feed_conditions,
    private_spec,
    public_spec,
    tombstone_cutoff,
)
from tracker.services.feeds.tokens import new_feed_token, revoke_feed_token, user_for_feed_token

__all__ = [
    "BLOCK_CHUNK",
    "DEFAULT_CACHE_BYTES",
    "RECHECK_SECONDS",
    "TOMBSTONE_DAYS",
    "Feed",
    "FeedCache",
    "FeedSpec",
    "UnsavedBlocks",
    "block_site",
    "build_feed",
    "feed_conditions",
    "get_feed",
    "load_event_data",
    "load_for_ics",
    "new_feed_token",
    "private_spec",
    "public_spec",
    "revoke_feed_token",
    "save_blocks",
    "serialize_events",
    "single_event_feed",
    "store_blocks",
    "stored_or_new_block",
    "take_unsaved_blocks",
    "tombstone_cutoff",
    "user_for_feed_token",
]
