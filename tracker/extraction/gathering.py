"""Which sentences report or announce an event, and which of them speak of the same one.

1. A sentence naming an event (conference, visit, meeting, signing … in any of the four languages) with a date
   makes an event; the same event named again (its days, or "the conference" with no new place) adds to it.
2. A sentence naming an event without a date waits for the next sentence that dates an event without naming a
   new one ("As part of a working visit to Geneva, …" then "… Monday's meeting"): together they are one event.
3. Dates that are not an event's are passed over: the dateline, the day something was said ("said today"), a
   deadline ("by Monday, 12 February"), "today's realities".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from tracker.extraction import event_words as words
from tracker.extraction.dates import DateMention, find_dates
from tracker.extraction.release import Release, after_dateline, begins_name, people_in, places_in
from tracker.extraction.sentences import Sentence, split_clauses

#: Characters between a date and an event word that still read as one phrase.
NEAR = 60


@dataclass
class EventSketch:
    """A draft while it is being put together from its sentences."""

    kind: str
    cue: re.Match[str]
    sentences: list[Sentence]
    when: DateMention | None = None
    when_sentence: Sentence | None = None
    #: How many days each sentence says the event lasts ("two-day"), once read: ``event_days`` asks again and again.
    lengths: dict[Sentence, int | None] = field(default_factory=dict, repr=False, compare=False)


def _cues(sentence: Sentence) -> list[tuple[str, re.Match[str]]]:
    """Every event word of a sentence with its kind, strongest kind first, leaving out press conferences."""
    blocked = [m.span() for m in words.NOT_EVENT_PATTERN.finditer(sentence.text)]
    return [
        (kind, match)
        for kind, pattern in words.KIND_PATTERNS.items()
        for match in pattern.finditer(sentence.text)
        if not any(start <= match.start() < end for start, end in blocked)
    ]


class _Dates(list):  # type: ignore[type-arg]
    """The release's date mentions in text order, with where each starts (for finding a sentence's by bisection)."""

    def __init__(self, mentions: list[DateMention]) -> None:
        super().__init__(mentions)
        self.starts = [mention.span[0] for mention in mentions]


def _event_dates(sentence: Sentence, dates: _Dates, release: Release) -> list[DateMention]:
    """The dates in a sentence that may be an event's: not the dateline, not when something was said ("said
    today"), not a deadline ("by Monday, 12 February", "најдоцна до")."""
    found = []
    first, last = bisect.bisect_left(dates.starts, sentence.start), bisect.bisect_left(dates.starts, sentence.end)
    for mention in dates[first:last]:
        if mention.span == release.dateline_span:
            continue
        before = release.text[max(sentence.start, mention.span[0] - 30) : mention.span[0]]
        after = release.text[mention.span[1] : min(sentence.end, mention.span[1] + 30)]
        if words.DEADLINE.search(before):
            continue
        if words.SAID_BEFORE.search(before) or (mention.relative and words.SAID_AFTER.match(after)):
            continue  # "announced on 1 November", "said today", "денеска изјави"
        if mention.relative and re.match(r"['’]s\b", after) and not _cue_follows(after[2:]):
            continue  # "today's realities" is no day; "Monday's meeting" is
        found.append(mention)
    return found


def _cue_follows(text: str) -> bool:
    """Whether an event word comes next (after at most one adjective): "Monday's meeting", "Tuesday's talks"."""
    return any(p.match(text.lstrip()) or p.match(text.lstrip().partition(" ")[2]) for p in words.KIND_PATTERNS.values())


def _distance(mention: DateMention, position: int) -> int:
    return min(abs(mention.span[0] - position), abs(mention.span[1] - position))


def _choose(
    cues: list[tuple[str, re.Match[str]]], mentions: list[DateMention], sentence: Sentence
) -> tuple[str, re.Match[str], DateMention | None]:
    """The event word and its date: a written date before a relative one ("last week … on 15 and 16 November",
    "on Wednesday, 29 November"), then the nearest; the event word nearest that date, else the strongest."""
    if not mentions:
        kind, cue = cues[0]
        return kind, cue, None
    written = [m for m in mentions if not m.relative] or mentions
    when = min(written, key=lambda m: min(_distance(m, sentence.start + cue.start()) for _, cue in cues))
    near = [item for item in cues if _distance(when, sentence.start + item[1].start()) <= NEAR]
    framed = [
        item for item in near if words.DURING.search(sentence.text[max(0, item[1].start() - 30) : item[1].start()])
    ]
    near = [item for item in near if item not in framed] or near
    if near:
        kind, cue = near[0]  # the strongest kind close to the date: "during an official visit … met"
    else:
        kind, cue = min(cues, key=lambda item: _distance(when, sentence.start + item[1].start()))
    return kind, cue, when


def _tense(sentence: Sentence, when: DateMention | None, dateline: date) -> str:
    """ "future", "past" or "" (unknown): from the date against the dateline, else from the verbs."""
    if when is not None and when.start > dateline:
        return "future"
    if when is not None and when.end < dateline:
        return "past"
    if words.FUTURE.search(sentence.text):
        return "future"
    return "past" if words.PAST.search(sentence.text) else ""


def _compatible(first: str, second: str) -> bool:
    return not first or not second or first == second


def event_days(event: EventSketch) -> tuple[date, date]:
    """The event's first and last day; a single day followed by "two-day" or "дводневна" lasts that long."""
    assert event.when is not None
    first, last = event.when.start, event.when.end
    if first == last:  # the length is said where the event is named or dated
        for sentence in dict.fromkeys(filter(None, (event.sentences[0], event.when_sentence))):
            days = _days_long(event, sentence)
            if days is not None:
                return first, first + timedelta(days=days - 1)
    return first, last


def _days_long(event: EventSketch, sentence: Sentence) -> int | None:
    """The days one sentence says the event lasts ("two-day", "дводневна"), or None; read once per sentence."""
    if sentence not in event.lengths:
        length = words.DAYS_LONG.search(sentence.text)
        number = None if length is None else next(value for value in length.groupdict().values() if value)
        event.lengths[sentence] = None if number is None else words.NUMBERS[number.lower()]
    return event.lengths[sentence]


def _overlaps_days(event: EventSketch, when: DateMention) -> bool:
    """Whether a date falls within an event's days ("two-day" counted)."""
    first, last = event_days(event)
    return first <= when.end and when.start <= last


class Gathering:
    """Sentences → events, following the rules of the module's docstring."""

    def __init__(self, release: Release) -> None:
        self.release = release
        self.dates = _Dates(find_dates(release.text, release.dateline))
        #: The cities and people the events' sentences name so far: what a new sentence is compared with.
        self.cities: set[str] = set()
        self.people: set[str] = set()
        self.events: list[EventSketch] = []
        self.waiting: EventSketch | None = None

    def read(self, sentence: Sentence) -> None:
        release = self.release
        if release.dateline_span and sentence.end <= release.dateline_span[0]:
            return  # headline and crawler lines above the dateline: the body says it again, with its date
        if release.dateline_span and sentence.start <= release.dateline_span[0] < sentence.end:
            sentence = after_dateline(sentence, release.dateline_span)
        cues = _cues(sentence)
        mentions = _event_dates(sentence, self.dates, release)
        if not cues:
            if mentions and self.waiting is not None and words.HELD.search(sentence.text):
                self._date_waiting(mentions[0], sentence)
            elif self.events and self._adds_to_last(sentence, mentions):
                self._join(self.events[-1], sentence)
            return
        kind, cue, when = _choose(cues, mentions, sentence)
        new_event = _names_new_event(sentence, cue, release, self.cities, self.people)
        if when is None:
            same = next((e for e in reversed(self.events) if e.kind == kind and not new_event), None)
            refers_back = self.events and _definite(sentence, cue, release.language)
            if same is None and refers_back and not _names_city(sentence, release):
                same = self.events[-1]  # "Na sastanku, koji je organizovalo …": the last event, whatever its word
            if same is not None:
                self._join(same, sentence)
            elif self.waiting is None:
                self.waiting = EventSketch(kind, cue, [])
                self._join(self.waiting, sentence)
            return
        same = next(
            (e for e in self.events if e.when and _overlaps_days(e, when) and (e.kind == kind or not new_event)),
            None,
        )
        if (
            same is None
            and when.relative
            and _definite(sentence, cue, release.language)
            and not _names_place(sentence, release, self.cities)
        ):
            same = next((e for e in reversed(self.events) if e.kind == kind), None)
        if same is not None:
            self._join(same, sentence)
            return
        waiting, dateline = self.waiting, release.dateline
        if (
            waiting is not None
            and not new_event
            and _compatible(_tense(waiting.sentences[0], None, dateline), _tense(sentence, when, dateline))
        ):
            self._date_waiting(when, sentence)
            return
        event = EventSketch(kind, cue, [], when, sentence)
        self._join(event, sentence)
        self.events.append(event)

    def _adds_to_last(self, sentence: Sentence, mentions: list[DateMention]) -> bool:
        """Whether a sentence naming no event speaks of the last one: who takes part in it ("Representatives of
        UNHCR will attend"), or "the ceremony", on no day of its own and at no new place."""
        last = self.events[-1]
        if any(not _overlaps_days(last, mention) for mention in mentions if not mention.relative):
            return False
        if _names_city(sentence, self.release):
            return False  # the countries delegations come from are no place of the event
        return bool(words.TAKE_PART_PATTERN.search(sentence.text) or words.ANAPHOR_PATTERN.search(sentence.text))

    def _join(self, event: EventSketch, sentence: Sentence) -> None:
        """Add a sentence to an event, and what it names to what the events name."""
        event.sentences.append(sentence)
        self.cities.update(p.city for p in places_in(self.release, sentence) if p.city)
        self.people |= people_in(self.release, [sentence])

    def _date_waiting(self, when: DateMention, sentence: Sentence) -> None:
        assert self.waiting is not None
        self.waiting.when, self.waiting.when_sentence = when, sentence
        self._join(self.waiting, sentence)
        self.events.append(self.waiting)
        self.waiting = None

    def finish(self) -> list[EventSketch]:
        """The events; a lone undated report in the past ("The Minister met …") happened on the dateline."""
        waiting = self.waiting
        if waiting is not None and not self.events and words.PAST.search(waiting.sentences[0].text):
            day = self.release.dateline
            waiting.when = DateMention(day, day, (0, 0), "", True)
            waiting.when_sentence = waiting.sentences[0]
            self.events.append(waiting)
        return self.events


def gather(release: Release, sentences: list[Sentence]) -> list[EventSketch]:
    """The events of a release, read sentence by sentence (a sentence with two dated events as two clauses)."""
    gathering = Gathering(release)
    for sentence in sentences:
        dates = [m.span for m in _event_dates(sentence, gathering.dates, release)]
        if len(dates) < 2:
            gathering.read(sentence)
            continue
        cues = [(sentence.start + m.start(), sentence.start + m.end()) for _, m in _cues(sentence)]
        for clause in split_clauses(sentence, dates, cues):
            gathering.read(clause)
    return gathering.finish()


def _definite(sentence: Sentence, cue: re.Match[str], language: str) -> bool:
    """Whether the event word refers back ("the conference", "конференцијата", "konferenca") to one named before."""
    before = sentence.text[max(0, cue.start() - 8) : cue.start()].lower()
    if before.endswith(("the ", "this ", "that ", "its ")):
        return True
    if re.search(r"(?<!\w)(?:a|an|една|еден|një|jedan|jedna|један|једна)\s+$", before):
        return False
    # Macedonian and Albanian carry the article on the word, Serbian has none: outside English, a word that
    # names an event kind again speaks of the one before unless it says "a".
    return language != "en"


def _names_new_event(
    sentence: Sentence, cue: re.Match[str], release: Release, cities: set[str], people: set[str]
) -> bool:
    """Whether a sentence names an event of its own rather than speaking of one before: a conference by its name,
    a city, or people that no earlier event has (``cities``, ``people``: what the events name so far)."""
    named = cue.start() > 0 and _capitalised_word(cue.group())
    if named and words.KIND_PATTERNS["conference"].fullmatch(cue.group()):
        return True
    if _names_place(sentence, release, cities):
        return True
    present = people_in(release, [sentence])
    return bool(present) and not (present & people)


def _names_place(sentence: Sentence, release: Release, cities: set[str]) -> bool:
    """Whether a sentence names a city (outside organisations' names) that no earlier event's sentences name.

    Countries do not count: "projects in Serbia", "delegations of Albania and Montenegro" name no new venue."""
    return any(
        place.city
        and place.span not in release.owned_places
        and not begins_name(release.text, place)
        and place.city not in cities
        for place in places_in(release, sentence)
    )


def _names_city(sentence: Sentence, release: Release) -> bool:
    """Whether a sentence names a city outside organisations' names."""
    return any(place.city and place.span not in release.owned_places for place in places_in(release, sentence))


def _capitalised_word(word: str) -> bool:
    return word[:1].isupper()
