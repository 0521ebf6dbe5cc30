"""People named in a press release, with the positions the release gives them.

A name is two to four capitalised words (Latin or Cyrillic, diacritics, hyphens; "von der" and the like may stand
between them). It counts as a person only with evidence beside it: a title before it ("Interior Minister Oliver
Spasovski", "министерот за внатрешни работи Оливер Спасовски", "Director General of the International Organization
for Migration (IOM), António Vitorino"), a title after it ("António Vitorino, Director General of IOM"), an
honorific ("Mr", "г-дин", "z."), a verb of speech or meeting ("said", "изјави", "tha", "рекао је", "met with",
"се сретна со"), or "and" after another person ("Oliver Spasovski and Vít Rakušan"). A single capitalised word
after a title ("Minister Spasovski", "IOM Director General Vitorino") or alone, and any repeat of a full name, folds
into the person already found with that surname (inflections too: "Вучића"). Month and weekday names, places,
words of organisation names and capitalised function words ("The", "Во", "Në", "Према") are never names.

Titles are data (``person_words``), per language, in the phrase syntax of ``known_organisations.expand`` (Serbian
written in Cyrillic, its Latin forms derived; Macedonian also read romanised). A title takes the organisation or
country after it ("… of the International Organization for Migration", "претседателот на Република Северна
Македонија", "председник Републике Србије", "Mayor of Skopje"), a place ("… in Skopje", "… to North Macedonia"),
the organisation or country adjective before it ("IOM Director General", "Czech counterpart").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from tracker.extraction.known_countries import COUNTRIES
from tracker.extraction.known_organisations import expand
from tracker.extraction.organisations import OrganisationMention, country_at, find_organisations
from tracker.extraction.person_words import (
    ACTION_VERBS,
    HONORIFICS,
    MEETING_WORDS,
    PARTICLES,
    SPEECH_VERBS,
    TITLES,
    never_names,
    serbian_latin,
)
from tracker.extraction.phrases import length_preserving_fold, phrase_regex
from tracker.matching import same_name
from tracker.text import CYRILLIC_TO_ASCII, romanise


@dataclass(frozen=True)
class PersonMention:
    """One person: the name as written in its fullest mention, the fullest position given, and where it stands."""

    name: str
    position: str | None
    span: tuple[int, int]
    text: str
    #: Every place the person is named, surname-only mentions included, in text order: which sentences name them.
    mentions: tuple[tuple[int, int], ...] = ()


def _forms(table: dict[str, tuple[str, ...]]) -> list[str]:
    """Every spelling of a table's phrases, Serbian also in Latin, Macedonian also romanised ("vnatreshni",
    "vnatrešni")."""
    spellings: list[str] = []
    for language, phrases in table.items():
        for phrase in phrases:
            for spelling in expand(phrase):
                spellings.append(spelling)
                if language == "sr":
                    spellings.append(serbian_latin(spelling))
                elif language == "mk":
                    spellings.extend({romanise(spelling, CYRILLIC_TO_ASCII), romanise(spelling)})
    return spellings


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    honorifics = [form.rstrip(".") for form in _forms(HONORIFICS)]
    return {
        "title": phrase_regex(_forms(TITLES)),
        "honorific": re.compile(
            r"(?:(?<![\w\u0300-\u036f])(?:"
            + "|".join(
                re.escape(length_preserving_fold(form)) for form in sorted(set(honorifics), key=len, reverse=True)
            )
            + r")\.?\s+)+$"
        ),
        "title_to_name": re.compile(
            _TITLE_TO_NAME.pattern
            + "(?:"
            + "|".join(re.escape(form) for form in sorted(set(_forms(HONORIFICS)), key=len, reverse=True))
            + r")\.?\s+",
            re.IGNORECASE,
        ),
        "adjective": re.compile(
            r"(?<![\w\u0300-\u036f])(?:"
            + "|".join(re.escape(form) for form in sorted({a for c in COUNTRIES for a in c.adjectives}, key=len)[::-1])
            + r")[ \u00a0]+$"
        ),
        "speech": phrase_regex(_forms(SPEECH_VERBS)),
        "speech_before": re.compile(phrase_regex(_forms(SPEECH_VERBS)).pattern + r"[\s,]*$"),
        "action": phrase_regex(_forms(ACTION_VERBS)),
        "meeting_before": re.compile(phrase_regex(_forms(MEETING_WORDS)).pattern + r"[ \u00a0]+$"),
    }


# ------------------------------------------------------------------------------------------------ names


_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*(?:[-'’][^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*)*")
#: Between two words of one name: one space (or a no-break space).
_NAME_GAPS = " \u00a0"


def _is_name_word(word: str) -> bool:
    """Capitalised, not all capitals ("IOM", "МВР"), and not a word that is never a name."""
    first = word[0]
    return (
        first.isupper() and any(char.islower() for char in word) and length_preserving_fold(word) not in never_names()
    )


@dataclass(frozen=True)
class _Name:
    start: int
    end: int
    words: tuple[str, ...]


def _names(text: str, blocked: Sequence[tuple[int, int]]) -> list[_Name]:
    """Runs of one to four name words (particles inside), outside the ``blocked`` spans (organisations)."""
    words = [(match.start(), match.end(), match.group()) for match in _WORD.finditer(text)]
    found: list[_Name] = []
    run: list[tuple[int, int, str]] = []

    def inner(word: str) -> bool:
        return word in PARTICLES or word.endswith(".")

    def close() -> None:
        while run and inner(run[-1][2]):
            run.pop()
        if run and len([word for word in run if not inner(word[2])]) <= 4:
            found.append(_Name(run[0][0], run[-1][1], tuple(word[2] for word in run if not inner(word[2]))))
        run.clear()

    spans = sorted(blocked)
    starts = [span[0] for span in spans]
    reach = list(accumulate((span[1] for span in spans), max))  # the furthest end among the spans up to each
    for start, end, word in words:
        last = bisect.bisect_left(starts, end) - 1  # the spans that begin before this word ends
        if last >= 0 and reach[last] > start:
            close()
            continue
        adjacent = bool(run) and start - run[-1][1] == 1 and text[start - 1] in _NAME_GAPS
        if run and not adjacent:
            close()
        if _is_name_word(word) or (run and word in PARTICLES):
            run.append((start, end, word))
        elif run and len(word) == 1 and word.isupper() and text.startswith(".", end):
            run.append((start, end + 1, word + "."))  # an initial: "John F. Kennedy"
        else:
            close()
    close()
    return found


# ------------------------------------------------------------------------------------------------ positions

_AFTER_TITLE = re.compile(r"\s+(?:of|for|на|i|e|të|së|od|from)?\s*(?:the\s+)?", re.IGNORECASE)
#: A case ending after an acronym: "ONM-së", "ОЕБС-а".
_CASE_SUFFIX = re.compile(r"[-‐](?:[^\W\d_]){1,4}(?![\w])")
_PARENTHESIS = re.compile(r"\s*\([^()]{1,40}\)$")
#: Between a title and the name it introduces: spaces, an acronym in parentheses, a comma.
_TITLE_TO_NAME = re.compile(r"(?:\s*\([^()]{1,40}\))?\s*,?\s*")
#: Between a name and the title after it: a comma, maybe "the".
#: The most characters a title's acronym, comma and spaces take before its name.
_TITLE_GAP = 48
_NAME_TO_TITLE = re.compile(r"\s*,\s*(?:the\s+|a\s+)?", re.IGNORECASE)


@dataclass(frozen=True)
class _Title:
    start: int
    end: int  # where the position text ends
    reach: int  # where the name after it may begin (after "(IOM)")


_IN = re.compile(r"\s+(?:in|to|at|у|u|në|ne|во|vo|при|pri|pranë)\s+(?:the\s+)?", re.IGNORECASE)
_OF = re.compile(r"\s+(?:of|for|in)\s+(?:the\s+)?", re.IGNORECASE)
_PLACE_PART = re.compile(r"([^\W\d_][\w'’-]*)(\s+(?:of|and|for|the)\s+|\s+|)")


def _place_after(text: str, end: int, joiner: re.Pattern[str] | None = None) -> int | None:
    """Where "of Skopje", "for Migration Affairs" ends: capitalised words that are never names, after "of"/"for"
    (or after ``joiner``: "in Skopje", "у Србији" after an organisation)."""
    gap = (joiner or _OF).match(text, end)
    if gap is None:
        return None
    position, last = gap.end(), None
    while (part := _PLACE_PART.match(text, position)) is not None:
        word = part.group(1)
        if not word[:1].isupper() or (any(char.islower() for char in word) and not _never_name(word)):
            break
        last = part.end(1)
        position = part.end()
        if not part.group(2):
            break
    return last


def _never_name(word: str) -> bool:
    return length_preserving_fold(word) in never_names()


def _titles(text: str, organisations: Sequence[OrganisationMention]) -> list[_Title]:
    """Every title, with the organisation or country it names ("Director General of the IOM", "IOM Director")."""
    folded = length_preserving_fold(text)
    by_start = {item.span[0]: item for item in organisations}
    by_end = {item.span[1]: item for item in organisations}
    titles = []
    for match in _patterns()["title"].finditer(folded):
        start, end = match.span()
        reach = end
        gap = _AFTER_TITLE.match(text, end)
        following = by_start.get(gap.end()) if gap else None
        if following is not None:
            end = reach = following.span[1]
            if (suffix := _CASE_SUFFIX.match(text, end)) is not None:
                end = reach = suffix.end()
            written = _PARENTHESIS.sub("", text[match.start() : end])
            end = match.start() + len(written)
        elif (country := country_at(text, end)) is not None:
            end = reach = country[1]
        elif (place := _place_after(text, end)) is not None:
            end = reach = place
        if end == reach and (place := _place_after(text, reach, _IN)) is not None:
            end = reach = place
        before = next((by_end[at] for at in (start - 1, start - 2) if at in by_end), None)
        if before is not None and before.span[1] < start and not text[before.span[1] : start].strip():
            start = before.span[0]
        elif (adjective := _patterns()["adjective"].search(text, max(0, start - 30), start)) is not None:
            start = adjective.start()
        titles.append(_Title(start, end, reach))
    return titles


# ------------------------------------------------------------------------------------------------ people


@lru_cache(maxsize=65536)
def _surname_key(word: str) -> str:
    return romanise(word)


@lru_cache(maxsize=65536)
def _same_full_name(one: str, other: str) -> bool:
    """``same_name`` for people, remembered: a release names the same few people again and again."""
    return same_name(one, other, person=True)


@lru_cache(maxsize=65536)
def _same_surname(word: str, surname: str) -> bool:
    """The same surname, or an inflection of it ("Вучића" of "Вучић", "Ramës" of "Rama")."""
    one, other = _surname_key(word), _surname_key(surname)
    if one == other:
        return True
    stem = other[:-1] if other[-1:] in "aeiou" else other
    return len(stem) >= 4 and one.startswith(stem) and len(one) - len(other) <= 3


#: Between two people named together ("Oliver Spasovski and Vít Rakušan", "Спасовски и Ракушан").
_AND = re.compile(r"\s*,?\s*(?:and|as well as|и|као и|dhe|si dhe|i|e)\s+", re.IGNORECASE)
#: Where a sentence begins: a capitalised word here may be any word ("Later Spasovski met …").
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;\n]\s*|[\"“”«»„]\s*)$")


@dataclass
class _Person:
    name: _Name
    text: str
    position: str | None


def _position_for(text: str, titles: Sequence[_Title], reaches: Sequence[int], name: _Name) -> str | None:
    """The title just before the name ("Interior Minister Oliver Spasovski") or just after it (", Director …")."""
    low = bisect.bisect_left(reaches, name.start - _TITLE_GAP)
    high = bisect.bisect_right(reaches, name.start)
    for title in sorted(titles[low:high], key=lambda title: -title.reach):
        if _TITLE_TO_NAME.fullmatch(text, title.reach, name.start) or _patterns()["title_to_name"].fullmatch(
            text, title.reach, name.start
        ):
            return text[title.start : title.end]
    after = _NAME_TO_TITLE.match(text, name.end)
    if after is not None:
        for title in titles:
            if title.start == after.end():
                return text[title.start : title.end]
    return None


def _has_evidence(folded: str, name: _Name) -> bool:
    """A full name with an honorific before it, a verb of speech beside it, a verb of meeting after it or a word
    of meeting before it ("met with", "between")."""
    if len(name.words) < 2:
        return False
    patterns = _patterns()
    honorific = patterns["honorific"].search(folded, max(0, name.start - 40), name.start)
    after = folded[name.end : name.end + 40]
    speech_after = patterns["speech"].match(after.lstrip(" ,"))
    action_after = patterns["action"].match(after.lstrip(" "))
    before = folded[max(0, name.start - 40) : name.start]
    speech_before = patterns["speech_before"].search(before)
    meeting_before = patterns["meeting_before"].search(before)
    return bool(honorific or speech_after or action_after or speech_before or meeting_before)


def _find_person(people: Sequence[_Person], name: _Name) -> int | None:
    """The person (latest first) this name is: the same full name, or the same surname ("Spasovski", "Вучића")."""
    written = " ".join(name.words)
    for index in range(len(people) - 1, -1, -1):
        known = people[index].name.words
        if len(name.words) == 1 and _same_surname(name.words[0], known[-1]):
            return index
        if len(name.words) >= 2 and (
            _same_full_name(written, " ".join(known))
            or (
                _same_surname(name.words[-1], known[-1]) and (len(known) == 1 or _same_surname(name.words[0], known[0]))
            )
        ):
            return index
    return None


def _without_sentence_opener(text: str, people: Sequence[_Person], name: _Name) -> tuple[_Name, int | None]:
    """A name whose first word only begins a sentence ("Later Spasovski") read without it, if that is a person."""
    if len(name.words) >= 2 and _SENTENCE_START.search(text, max(0, name.start - 4), name.start):
        tail = _Name(name.start + len(name.words[0]) + 1, name.end, name.words[1:])
        if (found := _find_person(people, tail)) is not None:
            return tail, found
    return name, None


def find_people(text: str, organisations: Sequence[OrganisationMention] | None = None) -> list[PersonMention]:
    """One mention per person, in the order they are first named, with the fullest name and position given.

    ``organisations`` are ``find_organisations(text)`` when the caller has them already (found here otherwise).
    """
    if organisations is None:
        organisations = find_organisations(text)
    titles = sorted(_titles(text, organisations), key=lambda title: title.reach)
    reaches = [title.reach for title in titles]
    names = _names(text, [item.span for item in organisations] + [(title.start, title.end) for title in titles])
    folded = length_preserving_fold(text)
    people: list[_Person] = []
    pending: list[tuple[_Name, str | None]] = []
    last_end = -1  # where the last mention of a person ends: "Oliver Spasovski and Vít Rakušan"
    for name in names:
        position = _position_for(text, titles, reaches, name)
        index = _find_person(people, name)
        if index is None:
            name, index = _without_sentence_opener(text, people, name)
        joined = len(name.words) >= 2 and last_end >= 0 and _AND.fullmatch(text, last_end, name.start) is not None
        if index is not None:
            _fold_into(people[index], name, text, position)
        elif (position is not None and len(name.words) >= 2) or joined or _has_evidence(folded, name):
            people.append(_Person(name, text[name.start : name.end], position))
        elif position is not None:
            pending.append((name, position))  # "Minister Spasovski": a person, once the full name is known
        else:
            continue
        last_end = name.end
    for name, position in pending:
        index = _find_person(people, name)
        if index is None:
            people.append(_Person(name, text[name.start : name.end], position))
        else:
            _fold_into(people[index], name, text, position)
    spans: dict[int, list[tuple[int, int]]] = {index: [] for index in range(len(people))}
    for name in names:
        index = _find_person(people, name)
        if index is None:
            name, index = _without_sentence_opener(text, people, name)
        if index is not None:
            spans[index].append((name.start, name.end))
    for index, person in enumerate(people):
        spans[index] = sorted(set(spans[index]) | {(person.name.start, person.name.end)})
    return [
        PersonMention(person.text, person.position, (person.name.start, person.name.end), person.text, tuple(found))
        for person, found in sorted(
            ((people[index], found) for index, found in spans.items()), key=lambda item: item[1][0]
        )
    ]


def _fold_into(person: _Person, name: _Name, text: str, position: str | None) -> None:
    """A further mention of ``person``: a fuller name or a longer position replaces what it had."""
    if len(name.words) > len(person.name.words):
        person.name, person.text = name, text[name.start : name.end]
    if position is not None and (person.position is None or len(position) > len(person.position)):
        person.position = position
