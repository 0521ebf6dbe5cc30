"""A press release → draft events: which sentences report or announce an event, and what each says of it.

The one entry point for the command line, the editor's page and the tests: ``extract_drafts`` (with evidence
spans) and ``extract_json`` (the contract of ``tracker extract``). Rules, no model:

1. The dateline ("Skopje, 10 November 2022 (MIA) –") is the base every "Monday" or "tomorrow" is read from.
2. A sentence naming an event (conference, visit, meeting, signing … in any of the four languages) with a date
   makes a draft; the same event named again (overlapping days, same kind) adds to that draft.
3. A sentence naming an event without a date waits for the next sentence that dates an event without naming a
   new one ("As part of a working visit to Geneva, …" then "… Monday's meeting"): together they are one event.
4. Places inside an organisation's name ("Ministry of Interior of the Czech Republic") or after "of" are whose,
   not where; the first other city of the event's sentences is where, else its country, else the dateline's city.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from tracker.extraction import event_words as words
from tracker.extraction.dates import DateMention, find_dates
from tracker.extraction.known_organisations import COUNTRIES, INSTITUTIONS
from tracker.extraction.organisations import KnownOrganisation, OrganisationMention, assign_roles, find_organisations
from tracker.extraction.people import PersonMention, find_people
from tracker.extraction.places import PlaceMention, find_places
from tracker.extraction.sentences import Sentence, guess_language, split_sentences
from tracker.extraction.titles import event_title

#: The longest text read; a longer paste is cut here (the page says so before this is reached).
MAX_TEXT = 200_000
#: How far into the text the dateline is looked for.
DATELINE_WINDOW = 1_000
#: Characters between a date and an event word that still read as one phrase.
NEAR = 60
#: Organisation roles in the order a draft lists them.
ROLE_ORDER = {"host": 0, "co_organiser": 1, "supporter": 2, "participant": 3}


@dataclass(frozen=True)
class Evidence:
    """The sentence a field was read from, and where it stands in the text."""

    sentence: str
    span: tuple[int, int]


@dataclass(frozen=True)
class DraftOrganisation:
    name: str
    acronym: str | None
    role: str


@dataclass(frozen=True)
class DraftPerson:
    name: str
    position: str | None


@dataclass(frozen=True)
class Draft:
    """One proposed event; nothing in it is stored until an editor saves it."""

    title: str
    kind: str
    status: str  # past / ongoing / upcoming, against the dateline
    start: date | datetime
    end: date | datetime
    timezone: str | None
    city: str | None
    country: str | None
    organisations: tuple[DraftOrganisation, ...]
    people: tuple[DraftPerson, ...]
    evidence: dict[str, Evidence]

    def as_json(self) -> dict[str, Any]:
        """The draft in ``tracker extract``'s shape: ISO dates, evidence as sentences."""
        return {
            "title": self.title,
            "kind": self.kind,
            "status": self.status,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "timezone": self.timezone,
            "city": self.city,
            "country": self.country,
            "organisations": [{"name": o.name, "acronym": o.acronym, "role": o.role} for o in self.organisations],
            "people": [{"name": p.name, "position": p.position} for p in self.people],
            "evidence": {name: evidence.sentence for name, evidence in self.evidence.items()},
        }


@dataclass
class _Event:
    """A draft while it is being put together from its sentences."""

    kind: str
    cue: re.Match[str]
    sentences: list[Sentence]
    when: DateMention | None = None
    when_sentence: Sentence | None = None
    evidence: dict[str, Sentence] = field(default_factory=dict)


@dataclass(frozen=True)
class _Release:
    """What is read from the whole text once: its dateline and every mention, for the events to pick from."""

    text: str
    dateline: date
    dateline_span: tuple[int, int] | None
    language: str
    places: list[PlaceMention]
    organisations: list[OrganisationMention]
    people: list[PersonMention]


# ----------------------------------------------------------------------------------------------- the dateline


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
    last = re.search(r"(\w+)\s*,\s*$", before)
    if last is None:
        return False
    found = find_dates(f"on {last.group(1)}", date(2000, 1, 1))
    return bool(found)


# ----------------------------------------------------------------------------------------------- the events


def _cues(sentence: Sentence) -> list[tuple[str, re.Match[str]]]:
    """Every event word of a sentence with its kind, strongest kind first, leaving out press conferences."""
    blocked = [m.span() for m in words.NOT_EVENT_PATTERN.finditer(sentence.text)]
    return [
        (kind, match)
        for kind, pattern in words.KIND_PATTERNS.items()
        for match in pattern.finditer(sentence.text)
        if not any(start <= match.start() < end for start, end in blocked)
    ]


def _event_dates(sentence: Sentence, dates: Sequence[DateMention], release: _Release) -> list[DateMention]:
    """The dates in a sentence that may be an event's: not the dateline, not when something was said ("said
    today"), not a deadline ("by Monday, 12 February", "најдоцна до")."""
    found = []
    for mention in dates:
        if not sentence.start <= mention.span[0] < sentence.end or mention.span == release.dateline_span:
            continue
        before = release.text[max(sentence.start, mention.span[0] - 30) : mention.span[0]]
        after = release.text[mention.span[1] : min(sentence.end, mention.span[1] + 30)]
        if words.DEADLINE.search(before):
            continue
        if mention.relative and (words.SAID_BEFORE.search(before) or words.SAID_AFTER.match(after)):
            continue
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


def _overlaps_days(event: _Event, when: DateMention) -> bool:
    """Whether a date falls within an event's days ("two-day" counted)."""
    first, last = _days(event)
    return first <= when.end and when.start <= last


class _Gathering:
    """Sentences → events, following the rules of the module's docstring."""

    def __init__(self, release: _Release) -> None:
        self.release = release
        self.dates = find_dates(release.text, release.dateline)
        self.events: list[_Event] = []
        self.waiting: _Event | None = None

    def read(self, sentence: Sentence) -> None:
        release = self.release
        if release.dateline_span and sentence.end <= release.dateline_span[0]:
            return  # headline and crawler lines above the dateline: the body says it again, with its date
        if release.dateline_span and sentence.start <= release.dateline_span[0] < sentence.end:
            sentence = _after_dateline(sentence, release.dateline_span)
        cues = _cues(sentence)
        mentions = _event_dates(sentence, self.dates, release)
        if not cues:
            if mentions and self.waiting is not None and words.HELD.search(sentence.text):
                self._date_waiting(mentions[0], sentence)
            return
        kind, cue, when = _choose(cues, mentions, sentence)
        new_event = _names_new_event(
            sentence, cue, release, self.events + [self.waiting] if self.waiting else self.events
        )
        if when is None:
            same = next(
                (e for e in reversed(self.events) if e.kind == kind and (_definite(sentence, cue) or not new_event)),
                None,
            )
            if same is not None:
                same.sentences.append(sentence)
            elif self.waiting is None:
                self.waiting = _Event(kind, cue, [sentence])
            return
        same = next(
            (e for e in self.events if e.when and _overlaps_days(e, when) and (e.kind == kind or not new_event)),
            None,
        )
        if (
            same is None
            and when.relative
            and _definite(sentence, cue)
            and not _names_place(sentence, release, self.events)
        ):
            same = next((e for e in reversed(self.events) if e.kind == kind), None)
        if same is not None:
            same.sentences.append(sentence)
            return
        waiting, dateline = self.waiting, release.dateline
        if (
            waiting is not None
            and not new_event
            and _compatible(_tense(waiting.sentences[0], None, dateline), _tense(sentence, when, dateline))
        ):
            self._date_waiting(when, sentence)
            return
        self.events.append(_Event(kind, cue, [sentence], when, sentence))

    def _date_waiting(self, when: DateMention, sentence: Sentence) -> None:
        assert self.waiting is not None
        self.waiting.when, self.waiting.when_sentence = when, sentence
        self.waiting.sentences.append(sentence)
        self.events.append(self.waiting)
        self.waiting = None

    def finish(self) -> list[_Event]:
        """The events; a lone undated report in the past ("The Minister met …") happened on the dateline."""
        waiting = self.waiting
        if waiting is not None and not self.events and words.PAST.search(waiting.sentences[0].text):
            day = self.release.dateline
            waiting.when = DateMention(day, day, (0, 0), "", True)
            waiting.when_sentence = waiting.sentences[0]
            self.events.append(waiting)
        return self.events


def _gather(release: _Release, sentences: list[Sentence]) -> list[_Event]:
    gathering = _Gathering(release)
    for sentence in sentences:
        gathering.read(sentence)
    return gathering.finish()


def _after_dateline(sentence: Sentence, span: tuple[int, int]) -> Sentence:
    """The part of the dateline's sentence after "City, date (Agency) –": the dateline is not an event's date."""
    offset = span[1] - sentence.start
    rest = sentence.text[offset:]
    skipped = re.match(r"\.?\s*(?:\([^)]{1,30}\)\s*)?[-–—:/|]?\s*", rest)
    cut = offset + (skipped.end() if skipped else 0)
    text = sentence.text[cut:]
    return Sentence(text, sentence.start + cut, sentence.end) if text else sentence


def _definite(sentence: Sentence, cue: re.Match[str]) -> bool:
    """Whether the event word refers back ("the conference", "конференцијата", "konferenca") to one named before."""
    before = sentence.text[max(0, cue.start() - 5) : cue.start()].lower()
    word = cue.group().lower()
    return before.endswith(("the ", "this ")) or word.endswith(("та", "от", "ta", "ja", "a", "i"))


def _names_new_event(sentence: Sentence, cue: re.Match[str], release: _Release, events: Sequence[_Event]) -> bool:
    """Whether a sentence names an event of its own rather than speaking of one before: a conference by its name,
    a place, or people that no earlier event has."""
    named = cue.start() > 0 and _capitalised_word(cue.group())
    if named and words.KIND_PATTERNS["conference"].fullmatch(cue.group()):
        return True
    if _names_place(sentence, release, events):
        return True
    seen = [s for event in events for s in event.sentences]
    present = _people_in(release, [sentence])
    return bool(present) and not (present & _people_in(release, seen))


def _names_place(sentence: Sentence, release: _Release, events: Sequence[_Event]) -> bool:
    """Whether a sentence names a place (outside organisations' names) that no earlier event's sentences name."""
    seen = [s for event in events for s in event.sentences]
    whose = [o.span for o in release.organisations]
    return any(
        sentence.start <= place.span[0] < sentence.end
        and not _inside(place.span, whose)
        and not _named_after(release.text, place)
        and not _mentioned(place.city or place.country, seen, release)
        for place in release.places
    )


def _capitalised_word(word: str) -> bool:
    return word[:1].isupper()


def _mentioned(place: str, sentences: Sequence[Sentence], release: _Release) -> bool:
    return any((p.city or p.country) == place and _in(sentences, p.span) is not None for p in release.places)


def _surname_pattern(person: PersonMention) -> re.Pattern[str]:
    """A person's surname with any case ending ("Гашић", "Гашића"; "Spasovski"), as a word start."""
    surname = person.name.split()[-1]
    stem = surname[:-2] if len(surname) >= 6 else surname
    return re.compile(r"(?<!\w)" + re.escape(stem) + r"\w{0,4}(?!\w)")


def _people_in(release: _Release, sentences: Sequence[Sentence]) -> set[str]:
    """The people (by name) named in any of ``sentences``, by their surname in any inflection."""
    return {
        person.name
        for person in release.people
        if any(_surname_pattern(person).search(sentence.text) for sentence in sentences)
    }


# ----------------------------------------------------------------------------------------------- the fields


def _inside(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def _in(sentences: Sequence[Sentence], span: tuple[int, int]) -> Sentence | None:
    return next((s for s in sentences if s.start <= span[0] < s.end), None)


def _place(event: _Event, release: _Release) -> tuple[PlaceMention | None, Sentence | None]:
    """Where the event is: the first city of its sentences that is nobody's and no part of a name ("Budapest
    Process"), else a country after a word of place ("to Austria"), else the dateline's city."""
    whose = [o.span for o in release.organisations]
    cities: list[tuple[PlaceMention, Sentence]] = []
    countries: list[tuple[PlaceMention, Sentence]] = []
    for place in release.places:
        sentence = _in(event.sentences, place.span)
        if sentence is None or _inside(place.span, whose) or _named_after(release.text, place):
            continue
        before = release.text[max(sentence.start, place.span[0] - 15) : place.span[0]]
        if place.city:
            if not words.WHOSE.search(before):
                cities.append((place, sentence))
        elif words.WHERE_BEFORE.search(before):
            countries.append((place, sentence))
    if cities or countries:
        return (cities or countries)[0]
    head = [p for p in release.places if release.dateline_span and p.span[1] <= release.dateline_span[0] and p.city]
    return (head[-1], None) if head else (None, None)


def _named_after(text: str, place: PlaceMention) -> bool:
    """Whether a place begins a name ("Budapest Process", "Salzburg Forum"): a capitalised word follows it."""
    following = re.match(r" ([^\W\d_])", text[place.span[1] : place.span[1] + 3])
    return following is not None and following.group(1).isupper()


def _times(sentence: Sentence | None) -> tuple[time | None, time | None]:
    """A time of day (and an end time) in the sentence that dates the event."""
    if sentence is None:
        return None, None
    match = words.TIME.search(sentence.text)
    if match is None or (match["m1"] is None and match["s1"] is None):
        return None, None

    def clock(hour: str, minute: str | None, suffix: str | None) -> time:
        value = int(hour)
        mark = (suffix or "").lower().replace(".", "").replace(" ", "")
        if mark == "pm" and value < 12:
            value += 12
        if mark == "am" and value == 12:
            value = 0
        return time(value, int(minute or 0))

    start = clock(match["h1"], match["m1"], match["s1"])
    end = clock(match["h2"], match["m2"], match["s2"] or match["s1"]) if match["h2"] else None
    return start, end


def _status(first: date, last: date, dateline: date) -> str:
    """Past, ongoing or upcoming, by day against the dateline (an event on the dateline's day is ongoing)."""
    if first > dateline:
        return "upcoming"
    return "past" if last < dateline else "ongoing"


def _days(event: _Event) -> tuple[date, date]:
    """The event's first and last day; a single day followed by "two-day" or "дводневна" lasts that long."""
    assert event.when is not None
    first, last = event.when.start, event.when.end
    if first == last:
        for sentence in event.sentences:
            length = words.DAYS_LONG.search(sentence.text)
            if length is not None:
                number = next(value for value in length.groupdict().values() if value)
                return first, first + timedelta(days=words.NUMBERS[number.lower()] - 1)
    return first, last


def _home_country(release: _Release) -> str | None:
    """The country of the dateline's city: whose "the Ministry of Interior" a release means when it names none."""
    if release.dateline_span is None:
        return None
    head = [p for p in release.places if p.span[1] <= release.dateline_span[0]]
    return head[-1].country if head else None


def _at_home(mention: OrganisationMention, home: str | None) -> OrganisationMention:
    """A national body named without its country ("the Ministry of Interior said") is the dateline country's."""
    if mention.country or home is None or mention.name not in _NATIONAL_BODIES:
        return mention
    country = next((item.canonical for item in COUNTRIES if item.code == home), None)
    if country is None:
        return mention
    return OrganisationMention(f"{mention.name} of {country}", mention.acronym, home, mention.span, mention.text)


_NATIONAL_BODIES = frozenset(body.name for body in INSTITUTIONS if not body.needs_country)


def _organisations(event: _Event, release: _Release) -> list[tuple[OrganisationMention, str, Sentence]]:
    """The organisations of the event's sentences with their roles; one entry per organisation, its strongest
    role kept (a host named again as a participant stays the host)."""
    home = _home_country(release)
    found: dict[str, tuple[OrganisationMention, str, Sentence]] = {}
    for sentence in event.sentences:
        inside = [o for o in release.organisations if sentence.start <= o.span[0] < sentence.end]
        for mention, role in assign_roles(sentence.text, inside, sentence.start):
            mention = _at_home(mention, home)
            key = mention.name.casefold()
            if key not in found or ROLE_ORDER[role] < ROLE_ORDER[found[key][1]]:
                found[key] = (mention, role, sentence)
    return sorted(found.values(), key=lambda item: ROLE_ORDER[item[1]])


def _draft(event: _Event, release: _Release) -> Draft:
    """Long because: every field of the draft and its evidence is set here, in the contract's order."""
    assert event.when is not None and event.when_sentence is not None
    place, place_sentence = _place(event, release)
    first = event.sentences[0]
    first_day, last_day = _days(event)
    begins, ends = _times(event.when_sentence)
    zone = place.timezone if place and begins else None
    start: date | datetime = first_day
    end: date | datetime = last_day
    if begins and zone:
        start = datetime.combine(first_day, begins)
        end = datetime.combine(last_day, ends) if ends else last_day
    organisations = _organisations(event, release)
    named = _people_in(release, event.sentences)
    people = [p for p in release.people if p.name in named]
    evidence = {"kind": first, "title": first, "start": event.when_sentence, "end": event.when_sentence,
                "status": event.when_sentence}  # fmt: skip
    if place_sentence is not None:
        evidence["city" if place and place.city else "country"] = place_sentence
        if place and place.city:
            evidence["country"] = place_sentence
    if organisations:
        evidence["organisations"] = organisations[0][2]
    if people:
        evidence["people"] = next(s for s in event.sentences if _people_in(release, [s]))
    title = event_title(
        event.kind, first.text, event.cue, release.language,
        place.text if place else None, [p.name for p in people], [o.acronym or o.name for o, _, _ in organisations],
    )  # fmt: skip
    return Draft(
        title=title,
        kind=event.kind,
        status=_status(first_day, last_day, release.dateline),
        start=start,
        end=end,
        timezone=zone if isinstance(start, datetime) else None,
        city=place.city if place else None,
        country=place.country if place else None,
        organisations=tuple(DraftOrganisation(o.name, o.acronym, role) for o, role, _ in organisations),
        people=tuple(DraftPerson(p.name, p.position) for p in people),
        evidence={name: Evidence(s.text, (s.start, s.end)) for name, s in evidence.items()},
    )


def extract_drafts(
    text: str, *, dateline: date | None = None, known: Sequence[KnownOrganisation] = (), today: date | None = None
) -> list[Draft]:
    """One draft per schedulable event the release reports or announces, in text order; none is stored."""
    text = text[:MAX_TEXT]
    found_dateline, span = find_dateline(text, today)
    release = _Release(
        text=text,
        dateline=dateline or found_dateline,
        dateline_span=span,
        language=guess_language(text),
        places=find_places(text),
        organisations=find_organisations(text, known),
        people=find_people(text),
    )
    events = _gather(release, split_sentences(text))
    return [_draft(event, release) for event in events if event.when is not None]


def extract_json(text: str, *, dateline: date | None = None, known: Sequence[KnownOrganisation] = ()) -> dict:
    """``{"drafts": [...]}`` in the shape ``tracker extract`` prints and the editor's page reads."""
    return {"drafts": [draft.as_json() for draft in extract_drafts(text, dateline=dateline, known=known)]}


__all__ = ["Draft", "DraftOrganisation", "DraftPerson", "Evidence", "extract_drafts", "extract_json"]
