"""Finished JSON answers of the API's lists, kept in memory and validated by the feeds' generation counter.

FullCalendar asks for the same six weeks again at every view change and many readers share one filter, so an
answer is kept (bytes and ETag) until events, organisations, people or tags change: the generation
(``tracker.models.feeds``) is bumped by every such commit, in any process, and read at most every
``RECHECK_SECONDS`` (at once after a commit in this process) — the feeds' own rule and cache
(``FeedCache``: least recently used out, within a byte budget). A cached answer thus costs no query at all;
another process's change shows within those seconds. The generation is read before the query, so an answer
is never kept under a generation newer than its data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from tracker.services.feeds.cache import Feed, FeedCache, digest


@dataclass
class Answer(Feed):
    """A JSON answer's bytes and ETag (``Feed``'s fields), and whether another page follows."""

    more: bool = False


def json_bytes(data: Any) -> bytes:
    """Compact UTF-8 JSON, as every API answer is sent."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def cached_answer(
    session: Session, cache: FeedCache, key: tuple[Any, ...], now: datetime, build: Callable[[], tuple[Any, bool]]
) -> Answer:
    """The answer for ``key`` from ``cache`` while the data has not changed, else ``build()``'s (data, more),
    kept for the next request."""
    known = cache.peek(key, now)
    if isinstance(known, Answer):
        return known
    generation = cache.generation(session)
    kept = cache.get(key)
    if isinstance(kept, Answer) and kept.fresh(generation, now):
        return kept
    data, more = build()
    body = json_bytes(data)
    answer = Answer(body=body, etag=digest(body), last_modified=now, generation=generation, more=more)
    cache.put(key, answer)
    return answer
