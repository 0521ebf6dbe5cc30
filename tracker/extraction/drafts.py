"""A press release → draft events: the one entry point for the command line, the editor's page and the tests.

``extract_drafts`` (with evidence spans) and ``extract_json`` (the contract of ``tracker extract``). Rules, no
model: ``release`` reads the dateline and every mention once, ``gathering`` finds the events, and this module
fills each draft's fields. Places inside an organisation's name ("Ministry of Interior of the Czech Republic"),
after "of", or beginning a name ("Budapest Process") are not where; the first other city of the event's
sentences is, else a country after a word of place ("to Austria"), else the dateline's city.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from tracker.extraction import event_words as words
from tracker.extraction.gathering import EventSketch, event_days, gather
from tracker.extraction.known_countries import COUNTRIES
from tracker.extraction.known_institutions import INSTITUTIONS
from tracker.extraction.organisations import KnownOrganisation, OrganisationMention, assign_roles, find_organisations
from tracker.extraction.people import find_people
from tracker.extraction.places import PlaceMention, find_places
from tracker.extraction.release import (
    Release,
    begins_name,
    find_dateline,
    headline,
    home_country,
    people_in,
    places_in,
    read_release,
)
from tracker.extraction.sentences import Sentence, guess_language, split_sentences
from tracker.extraction.titles import event_title, from_headline, title_language

#: The longest text read; a longer paste is cut here (the page says so before this is reached).
MAX_TEXT = 200_000
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


def _place(event: EventSketch, release: Release) -> tuple[PlaceMention | None, Sentence | None]:
    """Where the event is: the first city of its sentences that is nobody's and no part of a name ("Budapest
    Process"), else a country after a word of place ("to Austria"), else the dateline's city."""
    cities: list[tuple[PlaceMention, Sentence]] = []
    countries: list[tuple[PlaceMention, Sentence]] = []
    named = sorted(((place, sentence) for sentence in event.sentences for place in places_in(release, sentence)),
                   key=lambda item: item[0].span)  # fmt: skip
    for place, sentence in named:
        if place.span in release.owned_places or begins_name(release.text, place):
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


def _at_home(mention: OrganisationMention, home: str | None) -> OrganisationMention:
    """A national body named without its country ("the Ministry of Interior said") is the dateline country's."""
    if mention.country or home is None or mention.name not in _NATIONAL_BODIES:
        return mention
    country = next((item.canonical for item in COUNTRIES if item.code == home), None)
    if country is None:
        return mention
    return OrganisationMention(f"{mention.name} of {country}", mention.acronym, home, mention.span, mention.text)


_NATIONAL_BODIES = frozenset(
    body.name for body in INSTITUTIONS if not body.needs_country and not body.name.startswith("Federal")
)


def _organisations(event: EventSketch, release: Release) -> list[tuple[OrganisationMention, str, Sentence]]:
    """The organisations of the event's sentences with their roles; one entry per organisation, its strongest
    role kept (a host named again as a participant stays the host)."""
    home = home_country(release)
    found: dict[str, tuple[OrganisationMention, str, Sentence]] = {}
    for sentence in event.sentences:
        inside = [o for o in release.organisations if sentence.start <= o.span[0] < sentence.end]
        for mention, role in assign_roles(sentence.text, inside, sentence.start):
            mention = _at_home(mention, home)
            key = mention.name.casefold()
            if key not in found or ROLE_ORDER[role] < ROLE_ORDER[found[key][1]]:
                found[key] = (mention, role, sentence)
    return sorted(found.values(), key=lambda item: ROLE_ORDER[item[1]])


def _draft(event: EventSketch, release: Release, heading: str | None) -> Draft:
    """Long because: every field of the draft and its evidence is set here, in the contract's order."""
    assert event.when is not None and event.when_sentence is not None
    place, place_sentence = _place(event, release)
    first = event.sentences[0]
    first_day, last_day = event_days(event)
    begins, ends = _times(event.when_sentence)
    zone = place.timezone if place and begins else None
    start: date | datetime = first_day
    end: date | datetime = last_day
    if begins and zone:
        start = datetime.combine(first_day, begins)
        end = datetime.combine(last_day, ends) if ends else last_day
    organisations = _organisations(event, release)
    named = people_in(release, event.sentences)
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
        evidence["people"] = next(s for s in event.sentences if people_in(release, [s]))
    title = event_title(
        event.kind, first.text, event.cue, release.language,
        place.text if place else None, [p.name for p in people], [o.acronym or o.name for o, _, _ in organisations],
        headline=heading,
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
    organisations = find_organisations(text, known)
    release = read_release(
        text,
        dateline or found_dateline,
        span,
        title_language(guess_language(text), text),
        find_places(text),
        organisations,
        find_people(text, organisations),
    )
    events = [event for event in gather(release, split_sentences(text)) if event.when is not None]
    heading = headline(text, span)
    alone = from_headline(heading, release.dateline) if heading and len(events) == 1 and _names_event(heading) else None
    return [_draft(event, release, alone) for event in events]


def _names_event(line: str) -> bool:
    return any(pattern.search(line) for pattern in words.KIND_PATTERNS.values())


def extract_json(text: str, *, dateline: date | None = None, known: Sequence[KnownOrganisation] = ()) -> dict:
    """``{"drafts": [...]}`` in the shape ``tracker extract`` prints and the editor's page reads."""
    return {"drafts": [draft.as_json() for draft in extract_drafts(text, dateline=dateline, known=known)]}


__all__ = ["Draft", "DraftOrganisation", "DraftPerson", "Evidence", "extract_drafts", "extract_json"]


__all__ = ["Draft", "DraftOrganisation", "DraftPerson", "Evidence", "extract_drafts", "extract_json", "find_dateline"]
