"""What is read once from a whole release: its dateline, language and every mention, for events to pick from.

The dateline ("Skopje, 10 November 2022 (MIA) –") is the base every "Monday" or "tomorrow" is read from; its city
is where an event is when the release names no other, and its country says whose "the Ministry of Interior" is.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from tracker.extraction.dates import date_word, find_dates
from tracker.extraction.organisations import OrganisationMention
from tracker.extraction.people import PersonMention
from tracker.extraction.places import PlaceMention
from tracker.extraction.sentences import Sentence

#: How far into the text the dateline is looked for.
DATELINE_WINDOW = 1_000
#: A longer line above the dateline is a paragraph, not a headline.
MAX_HEADLINE_WORDS = 25


@dataclass(frozen=True)
class Release:
    """What is read from the whole text once: its dateline and every mention, for the events to pick from."""

    text: str
    dateline: date
    dateline_span: tuple[int, int] | None
    language: str  # "en", "mk", "sq", "sr" or "sr-Cyrl" (the script a title is written in)
    places: list[PlaceMention]
    organisations: list[OrganisationMention]
    people: list[PersonMention]
    #: Where each place starts, in text order (for ``places_in``), and the places inside an organisation's name.
    place_starts: tuple[int, ...] = ()
    owned_places: frozenset[tuple[int, int]] = frozenset()


def read_release(
    text: str,
    dateline: date,
    dateline_span: tuple[int, int] | None,
    language: str,
    places: list[PlaceMention],
    organisations: list[OrganisationMention],
    people: list[PersonMention],
) -> Release:
    """The release with its lookups built once, so that reading it stays linear in its length."""
    org_spans = sorted(o.span for o in organisations)
    org_starts = [start for start, _ in org_spans]
    reach = list(accumulate((end for _, end in org_spans), max))
    owned = frozenset(
        place.span
        for place in places
        if (last := bisect.bisect_right(org_starts, place.span[0]) - 1) >= 0 and reach[last] >= place.span[1]
    )
    return Release(
        text, dateline, dateline_span, language, places, organisations, people,
        tuple(place.span[0] for place in places), owned,
    )  # fmt: skip


def places_in(release: Release, sentence: Sentence) -> list[PlaceMention]:
    """The places that begin inside ``sentence``."""
    first = bisect.bisect_left(release.place_starts, sentence.start)
    last = bisect.bisect_left(release.place_starts, sentence.end)
    return release.places[first:last]


def find_dateline(text: str, today: date | None = None) -> tuple[date, tuple[int, int] | None]:
    """The release's own date and its span: a full date after "City," and before "(Agency)" or a dash.

    Without one, the first date with a year; without any, ``today``. A crawler's line such as "• Monday, 01 July
    2024" above the release is passed over, since no place stands before it and no dash after it.
    """
    base = today or date.today()
    head = text[:DATELINE_WINDOW]
    dated = [m for m in find_dates(head, base) if not m.relative and re.search(r"\d{4}", m.text)]
    for mention in dated:
        before = head[max(0, mention.span[0] - 40) : mention.span[0]]
        after = head[mention.span[1] : mention.span[1] + 30]
        placed = re.search(r"[^\W\d_][^\W\d_.-]+[^\W\d_]\s*,\s*$", before) is not None
        placed = placed and not _is_weekday(before)
        closed = re.match(r"\.?\s*(?:\([^)]{1,30}\)\s*)?[-–—:/|]", after) is not None
        if placed or closed:
            return mention.start, mention.span
    if dated:
        return dated[0].start, dated[0].span
    return base, None


def _is_weekday(before: str) -> bool:
    """Whether the word before "," is a weekday or "today" ("• Monday, 01 July 2024" is a crawler's, no place)."""
    last = re.search(r"(\w+)\s*,\s*$", before)
    return last is not None and date_word(last.group(1)) in ("weekday", "day")


def after_dateline(sentence: Sentence, span: tuple[int, int]) -> Sentence:
    """The part of the dateline's sentence after "City, date (Agency) –": the dateline is not an event's date."""
    offset = span[1] - sentence.start
    rest = sentence.text[offset:]
    skipped = re.match(r"\.?\s*(?:\([^)]{1,30}\)\s*)?[-–—:/|]?\s*", rest)
    cut = offset + (skipped.end() if skipped else 0)
    text = sentence.text[cut:]
    return Sentence(text, sentence.start + cut, sentence.end) if text else sentence


def headline(text: str, span: tuple[int, int] | None) -> str | None:
    """The release's headline: the last line above the dateline's, unless it is a crawler's ("• Monday, …")."""
    if span is None:
        return None
    above = text[: text.rfind("\n", 0, span[0]) + 1].splitlines()
    lines = [line.strip() for line in above if line.strip()]
    if not lines or lines[-1].startswith(("•", "*", "-")) or len(lines[-1].split()) > MAX_HEADLINE_WORDS:
        return None
    return lines[-1]


def home_country(release: Release) -> str | None:
    """The country of the dateline's city: whose "the Ministry of Interior" a release means when it names none."""
    if release.dateline_span is None:
        return None
    head = [p for p in release.places if p.span[1] <= release.dateline_span[0]]
    return head[-1].country if head else None


def begins_name(text: str, place: PlaceMention) -> bool:
    """Whether a place begins a name ("Budapest Process", "Salzburg Forum"): a capitalised word follows it."""
    following = re.match(r" ([^\W\d_])", text[place.span[1] : place.span[1] + 3])
    return following is not None and following.group(1).isupper()


def people_in(release: Release, sentences: Sequence[Sentence]) -> set[str]:
    """The people (by name) named in any of ``sentences``, by their surname in any inflection."""
    ranges = sorted((sentence.start, sentence.end) for sentence in sentences)
    starts = [start for start, _ in ranges]
    reach = list(accumulate((end for _, end in ranges), max))  # the furthest end among the sentences up to each

    def covered(position: int) -> bool:  # some sentence holds ``position``: one begins before and ends after it
        last = bisect.bisect_right(starts, position) - 1
        return last >= 0 and reach[last] > position

    return {
        person.name for person in release.people for start, _ in person.mentions or (person.span,) if covered(start)
    }
