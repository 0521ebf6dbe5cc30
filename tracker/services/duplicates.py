"""Events an editor may be about to enter twice: a close title, or the same place on overlapping dates.

Titles are compared as sets of words: folded (case, accents, Cyrillic in Latin: ``tracker.text.romanise``),
in any order, without small words ("the", "of", "in", …). Two words agree when equal, or when one is the
other with at most ``SUFFIX`` more letters at the end ("Balkan"/"Balkans", "conference"/"conferences"), the
shorter having at least ``STEM`` letters. Closeness is the Dice score: the share of words of both titles that
find a partner in the other.

Another live event is reported when either rule holds:

1. **Close title** — Dice score of at least ``CLOSE_TITLE`` (0.8: "Ministerial Conference on Sustainable
   Migration Management in the Western Balkans" and "Ministerial conference on sustainable migration management
   in Western Balkans" score 1.0), and the two events overlap or lie at most ``DAYS_APART`` days apart. A
   title alone is not enough: "Working visit to Geneva" comes back every year.
2. **Same place, same time** — the same city (folded) and country, overlapping times, and at least one
   *distinctive* word in common, covering at least half of the shorter title's distinctive words. Distinctive
   words leave out what names the kind of event rather than its subject ("meeting", "conference", "visit",
   "working", …): "Working meeting on border security" and "Working meeting on visa policy" in Skopje on the
   same morning are two meetings; "Visit of the Czech Minister of the Interior" and "Meeting with the Minister
   of the Interior of the Czech Republic" there that day are likely one.

Times compare as UTC instants (all-day events by the local midnights stored for them). Candidates are read
from the database within ``DAYS_APART`` of the event, at most ``MAX_CANDIDATES`` of them, never the whole
table: ``start_dt`` is bounded on both sides (the lower bound less the longest event, as the calendar does).
Results come best first: higher scores first (so close titles before places, which score below ``CLOSE_TITLE``,
or they would be close titles), then nearer in time, then earlier.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from tracker.i18n import gettext as _
from tracker.models import Event
from tracker.services.calendar_queries import instant_parameter, lower_bound
from tracker.text import romanise

#: Words that do not tell titles apart.
SMALL_WORDS = frozenset({
    "a", "an", "and", "at", "by", "de", "des", "du", "for", "from", "in", "la", "le", "les", "of", "on", "the",
    "to", "with", "za", "na", "vo", "i", "e",
})  # fmt: skip
#: Words that say what kind of event it is, not what it is about (left out by the same-place rule).
EVENT_WORDS = frozenset({
    "meeting", "meetings", "conference", "visit", "working", "official", "session", "workshop", "seminar",
    "forum", "summit", "ministerial", "high", "level", "round", "table", "event", "briefing", "talks",
    "consultations", "annual", "regional", "international",
})  # fmt: skip
CLOSE_TITLE = 0.8
DAYS_APART = timedelta(days=3)
MAX_CANDIDATES = 500
STEM = 4
SUFFIX = 2
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class SimilarEvent:
    """An existing event that may be the one being entered, and why the editor is shown it."""

    event: Event
    #: A sentence for the form: "Close title, on overlapping dates." or "Same place and time, similar title."
    reason: str
    #: How close the titles are, 0 to 1 (the Dice score of the module docstring).
    score: float


def title_words(title: str) -> frozenset[str]:
    """The words of ``title`` that matter, folded."""
    return frozenset(word for word in _WORD.findall(romanise(title)) if word not in SMALL_WORDS)


def same_word(first: str, second: str) -> bool:
    """Equal, or one is the other plus a short ending ("balkan"/"balkans")."""
    if first == second:
        return True
    close_lengths = min(len(first), len(second)) >= STEM and abs(len(first) - len(second)) <= SUFFIX
    return close_lengths and (first.startswith(second) or second.startswith(first))


def _matched(words: frozenset[str], others: frozenset[str]) -> int:
    return sum(1 for word in words if any(same_word(word, other) for other in others))


def title_score(first: frozenset[str], second: frozenset[str]) -> float:
    """Dice score: the share of both titles' words that find a partner in the other title (0 when both are empty)."""
    total = len(first) + len(second)
    return (_matched(first, second) + _matched(second, first)) / total if total else 0.0


def subject_shared(first: frozenset[str], second: frozenset[str]) -> bool:
    """The same-place rule's test: distinctive words in common, at least half of the shorter title's."""
    first, second = first - EVENT_WORDS, second - EVENT_WORDS
    shared = min(_matched(first, second), _matched(second, first))
    return shared > 0 and 2 * shared >= min(len(first), len(second))


def gap(first: Event, second: Event) -> timedelta:
    """Time between two events; zero or less when they overlap."""
    return max(second.start_dt - first.end_dt, first.start_dt - second.end_dt)


def _same_place(first: Event, second: Event) -> bool:
    city = romanise(first.city.strip())
    return bool(city) and city == romanise(second.city.strip()) and first.country == second.country


def judge(event: Event, other: Event) -> SimilarEvent | None:
    """Whether ``other`` looks like ``event`` under the two rules of the module docstring, and why."""
    words, other_words = title_words(event.title), title_words(other.title)
    score = title_score(words, other_words)
    apart = gap(event, other)
    overlapping = apart < timedelta(0)
    if score >= CLOSE_TITLE and apart <= DAYS_APART:
        reason = _("Close title, on overlapping dates.") if overlapping else _("Close title, within a few days.")
        return SimilarEvent(other, reason, score)
    if overlapping and _same_place(event, other) and subject_shared(words, other_words):
        return SimilarEvent(other, _("Same place at the same time, with a similar title."), score)
    return None


def similar_events(session: Session, event: Event, *, limit: int = 5) -> list[SimilarEvent]:
    """Live events other than ``event`` that look like the same one, best first (at most ``limit``).

    Safe inside the saving transaction before commit: no flush is triggered.
    """
    earliest = instant_parameter("earliest")
    statement = (
        select(Event)
        .where(
            Event.deleted_dt.is_(None),  # type: ignore[union-attr]
            Event.start_dt <= instant_parameter("latest"),
            Event.end_dt >= earliest,
            Event.start_dt >= lower_bound(session.get_bind().dialect.name, earliest),
        )
        .order_by(Event.start_dt, Event.id)
        .limit(MAX_CANDIDATES)
    )
    if event.id is not None:
        statement = statement.where(Event.id != event.id)
    with session.no_autoflush:
        window = {"earliest": event.start_dt - DAYS_APART, "latest": event.end_dt + DAYS_APART}
        candidates = session.execute(statement, window).scalars().all()
    return best_first(event, candidates, limit)


def best_first(event: Event, candidates: Sequence[Event], limit: int = 5) -> list[SimilarEvent]:
    """The candidates that look like ``event``, best first (at most ``limit``)."""
    found = [similar for other in candidates if (similar := judge(event, other)) is not None]
    # Stable: equal scores and gaps keep the candidates' order (start, then id).
    return sorted(found, key=lambda similar: (-similar.score, max(gap(event, similar.event), timedelta(0))))[:limit]


class LoadedCandidates:
    """Live events over one span loaded once, for judging many new events (an import) without a query each.

    ``similar(event)`` answers as ``similar_events`` would for an event inside the span: the candidates that
    overlap ``DAYS_APART`` around it, in start order, judged by the same rules.
    """

    def __init__(self, events: Sequence[Event]) -> None:
        self.events = sorted(events, key=lambda event: (event.start_dt, event.id or 0))
        self.starts = [event.start_dt for event in self.events]
        self.longest = max((event.end_dt - event.start_dt for event in self.events), default=timedelta(0))

    @classmethod
    def load(cls, session: Session, earliest: datetime, latest: datetime, cap: int) -> LoadedCandidates | None:
        """Events that may matter for new events between ``earliest`` and ``latest``; None if over ``cap``."""
        statement = (
            select(Event)
            .where(
                Event.deleted_dt.is_(None),  # type: ignore[union-attr]
                Event.start_dt <= latest + DAYS_APART,
                Event.end_dt >= earliest - DAYS_APART,
            )
            .limit(cap + 1)
        )
        with session.no_autoflush:
            events = session.execute(statement).scalars().all()
        return None if len(events) > cap else cls(events)

    def similar(self, event: Event, *, limit: int = 5) -> list[SimilarEvent]:
        low = bisect_left(self.starts, event.start_dt - DAYS_APART - self.longest)
        high = bisect_right(self.starts, event.end_dt + DAYS_APART)
        window = [
            other
            for other in self.events[low:high]
            if other.end_dt >= event.start_dt - DAYS_APART and other is not event
        ]
        return best_first(event, window[:MAX_CANDIDATES], limit)
