"""What a feed is keyed and named by, and the memory it may hold: ``FeedSpec`` and ``FeedCache``."""

from __future__ import annotations

import gzip
import random
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import select, update
from sqlmodel import Session

from tests.conftest import NOW, make_event
from tracker.config import ConfigError, load_config
from tracker.filters import EventFilter
from tracker.models import Event
from tracker.services import feeds


def test_cache_key_tells_every_feed_apart_but_not_its_display_zone() -> None:
    """Two feeds share a cached copy only when their bytes are the same: every part of the spec and the site
    count, the display zone ``tz`` does not (feeds write each event in its own zone)."""
    conferences = EventFilter(kinds=("conference",))
    spec = feeds.public_spec(conferences, "Tracker", "https://t.example/calendar.ics")
    key = spec.cache_key("https://a.example")
    assert key == feeds.public_spec(conferences, "Tracker", "https://t.example/calendar.ics").cache_key(
        "https://a.example"
    )
    in_tokyo = feeds.public_spec(replace(conferences, tz="Asia/Tokyo"), "Tracker", "https://t.example/calendar.ics")
    assert in_tokyo.cache_key("https://a.example") == key
    others = [
        spec.cache_key("https://b.example"),
        replace(spec, include_internal=True).cache_key("https://a.example"),
        replace(spec, event_filter=EventFilter(kinds=("meeting",))).cache_key("https://a.example"),
        replace(spec, event_filter=EventFilter(kinds=("conference",), q="skopje")).cache_key("https://a.example"),
        replace(spec, name="Other name").cache_key("https://a.example"),
        replace(spec, description="Other description").cache_key("https://a.example"),
        replace(spec, source_url="https://t.example/other.ics").cache_key("https://a.example"),
    ]
    assert len({key, *others}) == 1 + len(others)
    assert "kind=conference" in key and "https://a.example" in key


def test_feed_specs_name_their_audience_and_contents() -> None:
    everything = feeds.public_spec(EventFilter(), "Tracker", "https://t.example/calendar.ics")
    assert (everything.name, everything.include_internal, everything.source_url) == (
        "Tracker", False, "https://t.example/calendar.ics")  # fmt: skip
    assert everything.description == (
        "All events from Tracker, kept up to date: changes and cancellations appear on refresh."
    )
    conferences = feeds.public_spec(EventFilter(kinds=("conference",)), "Tracker", "")
    assert conferences.name == "Tracker: Conferences"
    private = feeds.private_spec(EventFilter(), "Tracker")
    assert (private.name, private.include_internal, private.source_url) == (
        "Tracker (internal and public events)", True, "")  # fmt: skip
    assert private.description == "All events from Tracker, including internal events."
    narrowed = feeds.private_spec(EventFilter(countries=("MK",)), "Tracker")
    assert narrowed.name == "Tracker (North Macedonia, internal and public)"
    assert narrowed.event_filter == EventFilter(countries=("MK",)) and conferences.event_filter.kinds == ("conference",)
    assert narrowed.description == "North Macedonia from Tracker, including internal events."
    assert feeds.tombstone_cutoff(NOW) == NOW - timedelta(days=60) and feeds.TOMBSTONE_DAYS == 60


# --- memory -----------------------------------------------------------------------------------------------


def _incompressible_feed(number: int, size: int) -> feeds.Feed:
    """A feed whose gzip variant is as big as its body (random bytes), so that gzip doubles what it holds."""
    body = random.Random(number).randbytes(size)
    return feeds.Feed(body=body, etag=f"etag-{number}", last_modified=NOW)


def _held_bytes(feeds_held: list[feeds.Feed | None]) -> int:
    """What these feeds hold, counted here from the bytes themselves (not from the cache's own tally)."""
    return sum(len(feed.body) + len(feed._gzipped or b"") for feed in feeds_held if feed is not None)


def test_feed_cache_counts_gzip_made_later_and_drops_the_least_recently_used() -> None:
    """Views make the gzip variant after the feed is cached: that must count against the budget at once."""
    budget = 100_000
    cache = feeds.FeedCache(max_bytes=budget)
    for name in ("a", "b", "c"):
        cache.put((name,), _incompressible_feed(ord(name), 30_000))  # 90,000 bytes
    oldest = cache.get(("a",))
    assert oldest is not None  # "a" is now the most recently used: "b" is the least
    oldest.gzipped()  # +30,000 bytes: over the budget
    present = {name for name in "abc" if cache.get((name,)) is not None}  # touches "a" and "c" again
    assert present == {"a", "c"}, "the least recently used feed goes first"
    held = _held_bytes([cache.get((name,)) for name in "abc"])
    assert held <= budget
    assert cache.total_bytes == held


def test_feed_cache_stays_within_its_budget_whatever_is_put() -> None:
    budget = 250_000
    cache = feeds.FeedCache(max_bytes=budget)
    rng = random.Random(8)
    keys = [f"feed-{number}" for number in range(40)]
    order: list[str] = []  # least recently used first, kept here independently of the cache
    for step in range(400):
        key = rng.choice(keys)
        feed = cache.get((key,))
        if feed is None:
            feed = _incompressible_feed(step, rng.choice((1_000, 20_000, 60_000, 120_000)))
            cache.put((key,), feed)
        if rng.random() < 0.7:
            feed.gzipped()
        if key in order:
            order.remove(key)
        order.append(key)
        cached = [key for (key,), _feed in cache.items()]
        held = _held_bytes([feed for _key, feed in cache.items()])
        assert held <= budget and cache.total_bytes == held
        assert cached[-1] == key  # the one just used is kept (no feed here is over the budget alone)
        assert cached == order[len(order) - len(cached) :], "what is kept is the most recently used, in order"
    before = cache.items()
    cache.put(("huge",), _incompressible_feed(999, budget + 1))
    assert cache.get(("huge",)) is None and cache.items() == before, "a feed over the whole budget is not kept"


def test_feed_cache_budget_is_a_setting(app_factory: Any, db_session: Session) -> None:
    """``FEED_CACHE_MAX_BYTES`` bounds what distinct feeds (here ``?q=``, with gzip) leave in a process."""
    for number in range(40):
        make_event(db_session, title=f"Talks {number}", description=f"Round {number} of the migration talks. " * 20)
    app = app_factory(FEED_CACHE_MAX_BYTES=60_000)
    client = app.test_client()
    sizes = []
    for query in ("talks", "migration", "round", "talk", "migr", "roun", "talks migration", "of the"):
        with time_machine.travel(NOW, tick=False):
            response = client.get(f"/calendar.ics?q={query}", headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
        sizes.append(len(gzip.decompress(response.data)) + len(response.data))
        cache = app.extensions["tracker.feed_cache"]
        assert cache.max_bytes == 60_000 and cache.total_bytes <= 60_000
    assert min(sizes) > 20_000 and sum(sizes) > 3 * 60_000  # the feeds are big enough to need evicting
    assert 1 <= len(cache.items()) <= 2


def test_feed_cache_budget_from_the_environment(tmp_path: Any) -> None:
    config: dict[str, Any] = {}
    load_config(config, tmp_path, {"TRACKER_FEED_CACHE_MAX_BYTES": "1048576"}, None)
    assert config["FEED_CACHE_MAX_BYTES"] == 1024 * 1024
    load_config(config, tmp_path, {}, None)
    assert config["FEED_CACHE_MAX_BYTES"] == feeds.DEFAULT_CACHE_BYTES == 32 * 1024 * 1024
    with pytest.raises(ConfigError, match="TRACKER_FEED_CACHE_MAX_BYTES"):
        load_config(config, tmp_path, {"TRACKER_FEED_CACHE_MAX_BYTES": "lots"}, None)


def test_feed_conditions_keep_live_events_and_only_recent_tombstones(db_session: Session) -> None:
    """Which rows a feed selects, with times set directly in the table (the oracle is the data, not the code):
    a live event stays however old; a cancelled or deleted one only while its end or its last change is less
    than 60 days old (strictly: exactly 60 days is out); internal events only in the private feed."""
    cutoff = NOW - timedelta(days=feeds.TOMBSTONE_DAYS)
    old, recent = NOW - timedelta(days=100), NOW - timedelta(days=10)
    rows = {
        "live, old": ("confirmed", None, old, old),
        "cancelled, old": ("cancelled", None, old, old),
        "deleted, old": ("confirmed", old, old, old),
        "cancelled, changed recently": ("cancelled", None, old, recent),
        "deleted, ended recently": ("confirmed", recent, recent, old),
        "cancelled, exactly at the cutoff": ("cancelled", None, cutoff, cutoff),
        "cancelled, a second inside": ("cancelled", None, cutoff + timedelta(seconds=1), cutoff),
        "changed a second inside": ("cancelled", None, cutoff, cutoff + timedelta(seconds=1)),
    }
    for title, (status, deleted, end, changed) in rows.items():
        event = make_event(db_session, title=title)
        db_session.execute(
            update(Event)
            .where(Event.id == event.id)  # type: ignore[arg-type]
            .values(
                status=status, deleted_dt=deleted, start_dt=end - timedelta(hours=2), end_dt=end, updated_dt=changed
            )
        )
    internal = make_event(db_session, title="internal, live", visibility="internal")
    db_session.commit()

    def selected(include_internal: bool) -> set[str]:
        conditions = feeds.feed_conditions(EventFilter(), include_internal, NOW)
        return set(db_session.exec(select(Event.title).where(*conditions)).scalars())  # type: ignore[call-overload]

    public = {
        "live, old",
        "cancelled, changed recently",
        "deleted, ended recently",
        "cancelled, a second inside",
        "changed a second inside",
    }
    assert selected(False) == public
    assert selected(True) == public | {internal.title}
