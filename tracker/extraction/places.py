"""Cities and countries named in a press release, from our own gazetteer: no network, no model.

The gazetteer (``data/places.json.gz``, made by ``scripts/build_gazetteer.py`` from geonames and pycountry) holds
every city of 15,000 people or more (5,000 in the region) and every country, with their Macedonian, Albanian and
Serbian (Cyrillic and Latin) names. Those names are inflected by a small table of endings per language
(``place_words``: "Shkup" -> "Shkupit", "Београд" -> "Београду", "Maqedonia" -> "Maqedonisë") and matched in one
Aho-Corasick pass over the case-folded text. A match counts only on word boundaries (so neither "Iran" in "Tirana"
nor "Ruse" in "Brussels") and only when the text capitalises it; short all-capital words match only acronyms ("UK",
"USA"); a city that is also a given name ("Vladimir", "Sofia") is no place when a capitalised word follows it
("Vladimir Putin"). Where matches overlap the longest wins. A name shared by several places goes to a country before
a city, to a city's own name before another city's alternate name ("Kroya" is in Indonesia, though geonames lists it
for Krujë), then to the most populous, with the region's cities counted ten times over.
"""

from __future__ import annotations

import bisect
import gzip
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

from tracker.extraction.place_words import name_forms

#: A city row's flags (``scripts/build_gazetteer.py``): its names inflect; it is its country's capital.
_INFLECT, _CAPITAL = 1, 2
#: Cities here win a shared name against a place elsewhere up to ten times their size.
REGION_PREFERRED = frozenset({"MK", "AL", "XK", "RS", "ME", "BA"})
_REGION_WEIGHT = 10


@dataclass(frozen=True)
class PlaceMention:
    """A city or country named in the text; ``city`` is None for a country alone."""

    city: str | None
    country: str
    timezone: str | None
    span: tuple[int, int]
    text: str


@dataclass(frozen=True, slots=True)
class _Place:
    city: str | None
    country: str
    timezone: str | None
    population: int


def _is_acronym(name: str) -> bool:
    """At most four letters, all capitals ("UK", "USA"); stops at the first letter that says no (the gazetteer
    asks this of 50,000 names at first use)."""
    letters = 0
    for char in name:
        if char.isalpha():
            letters += 1
            if letters > 4 or not char.isupper():
                return False
    return True


def _gazetteer() -> dict:
    """The generated data, read from the package (once: only ``_index`` reads it, and keeps what it needs)."""
    raw = (resources.files("tracker.extraction") / "data" / "places.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


#: What a phrase that holds a name but is no place names ("New Mexico", "Central Macedonia").
_NOWHERE = _Place(None, "", None, 0)


@dataclass(frozen=True, slots=True)
class _Key:
    """What one case-folded form stands for, and whether the text must write it in capitals."""

    place: _Place
    rank: tuple[int, int, int]
    acronym: bool
    given_name: bool


#: An automaton's value: the key's number in ``_Index.keys`` shifted left by this, or'ed with the form's length.
_LENGTH_BITS = 10
_LENGTH_MASK = (1 << _LENGTH_BITS) - 1


@dataclass(frozen=True, slots=True)
class _Index:
    """The automaton over every form of every name (each a small int: which key, how long) and the keys."""

    automaton: ahocorasick.Automaton
    keys: tuple[_Key, ...]

    def key(self, value: int) -> _Key:
        return self.keys[value >> _LENGTH_BITS]


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Built straight into an int-valued automaton, the automaton itself holding which key each form has so far:
    no dictionary of 200,000 forms, no tuple per form (``keys_of`` is the same choice as a dictionary)."""
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    numbers: dict[int, int] = {}  # id(key) -> its number
    keys: list[_Key] = []

    def get(form: str) -> _Key | None:
        value = automaton.get(form, None)
        return None if value is None else keys[value >> _LENGTH_BITS]

    def put(form: str, key: _Key) -> None:
        number = numbers.get(id(key))
        if number is None:
            number = numbers[id(key)] = len(keys)
            keys.append(key)
        automaton.add_word(form, number << _LENGTH_BITS | len(form))

    _choose_keys(_gazetteer(), get, put)
    automaton.make_automaton()
    return _Index(automaton, tuple(keys))


def keys_of(data: dict) -> dict[str, _Key]:
    """Every case-folded form of every name in ``data`` (the gazetteer's layout), with the place it names."""
    keys: dict[str, _Key] = {}
    _choose_keys(data, keys.get, keys.__setitem__)
    return keys


def _choose_keys(data: dict, get: Callable[[str], _Key | None], put: Callable[[str, _Key], None]) -> None:
    """Offer every form of every name in ``data`` to a table (``get``, ``put``), keeping the best rank per form."""
    stop = set(data["stop"])
    given_names = set(data["given_names"])

    def offer(name: str, place: _Place, rank: tuple[int, int, int], forms: set[str]) -> None:
        offered = _Key(place, rank, _is_acronym(name), name.casefold() in given_names)
        for form in forms:
            if form in stop or (len(form) < 3 and not offered.acronym):
                continue
            known = get(form)
            if known is None or rank > known.rank:
                put(form, offered)

    def folded(name: str) -> str:
        return " ".join(name.casefold().split())

    for code, by_language in data["countries"].items():
        country = _Place(None, code, None, 0)
        for language, names in by_language.items():
            for name in names:
                forms = {folded(name)} if _is_acronym(name) else name_forms(folded(name), language)
                offer(name, country, (2, 0, 0), forms)
    for row in data["cities"]:
        city, code, timezone, population = row[:4]
        inflect = len(row) > 4 and bool(row[4] & _INFLECT)
        alternates = row[5] if len(row) > 5 else []
        exonyms = row[6] if len(row) > 6 else []
        place = _Place(city, code, timezone, population)
        weight = population * (_REGION_WEIGHT if code in REGION_PREFERRED else 1)
        for own, names in ((1, [city, *exonyms]), (0, alternates)):
            for name in names:
                forms = name_forms(folded(name)) if inflect and not _is_acronym(name) else {folded(name)}
                offer(name, place, (1, own, weight), forms)
    _prefer_city_states(get, put, data)
    nowhere = _Key(_NOWHERE, (4, 0, 0), False, False)
    for name in data["not_places"]:  # "New Mexico": matched, so that "Mexico" is not, and then dropped
        for form in name_forms(folded(name)):
            put(form, nowhere)


def _prefer_city_states(get: Callable[[str], _Key | None], put: Callable[[str, _Key], None], data: dict) -> None:
    """A country's name that is also its capital's ("Luxembourg", "Singapore", "Monaco") names the capital."""
    capitals = {(row[0].casefold(), row[1]): row for row in data["cities"] if len(row) > 4 and row[4] & _CAPITAL}
    for code, by_language in data["countries"].items():
        for names in by_language.values():
            for name in names:
                row = capitals.get((name.casefold(), code))
                key = get(name.casefold())
                if row and key and key.place.city is None:
                    place = _Place(row[0], code, row[2], row[3])
                    put(name.casefold(), _Key(place, (3, 0, 0), key.acronym, False))


#: Any one whitespace character between the words of a name reads as a space (a line break, a no-break space).
_SPACES = str.maketrans({char: " " for char in "\t\n\r\v\f\u00a0\u2007\u202f\u2009\u200a"})


def _fold(text: str) -> str:
    """``text`` case-folded character by character, so offsets stay those of the text; whitespace as spaces."""
    folded = text.casefold()
    if len(folded) != len(text):
        folded = "".join(char.casefold() if len(char.casefold()) == 1 else char.lower()[:1] for char in text)
    return folded.translate(_SPACES)


def _capitalised(written: str, key: _Key) -> bool:
    """Whether the text writes a match as a name: initial capital; a short all-capital word only as an acronym."""
    if key.acronym:
        return written == written.upper()
    if not written[:1].isupper():
        return False
    letters = [char for char in written if char.isalpha()]
    return not (len(letters) <= 4 and all(char.isupper() for char in letters))


def _name_follows(text: str, end: int) -> bool:
    """Whether a capitalised word follows ``end`` after one space ("Vladimir Putin", not "Sofia, Bulgaria")."""
    return text[end : end + 1] == " " and text[end + 1 : end + 2].isupper()


def _composed(text: str) -> tuple[str, list[int] | None]:
    """``text`` in NFC ("г" + combining acute -> "ѓ", as some keyboards type Macedonian), and for each of its
    characters (and its end) the offset in ``text`` it came from; None when ``text`` is composed already."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    pieces: list[str] = []
    offsets: list[int] = []
    start = 0
    for at in range(1, len(text) + 1):
        if at == len(text) or not unicodedata.combining(text[at]):
            piece = unicodedata.normalize("NFC", text[start:at])
            pieces.append(piece)
            offsets.extend([start] * len(piece))
            start = at
    offsets.append(len(text))
    return "".join(pieces), offsets


def find_places(text: str) -> list[PlaceMention]:
    """Cities and countries named in ``text``, in text order, not overlapping, the longest match first."""
    composed, offsets = _composed(text)
    found = [(start, end, key) for start, end, key in _matches(composed) if key.place is not _NOWHERE]
    if offsets is None:
        return [_mention(key.place, start, end, text) for start, end, key in found]
    return [_mention(key.place, offsets[start], offsets[end], text) for start, end, key in found]


def _matches(text: str) -> list[tuple[int, int, _Key]]:
    """The chosen matches in a composed text: (start, end, key), in text order."""
    index = _index()
    folded = _fold(text)
    found: list[tuple[int, int, _Key]] = []
    for end, value in index.automaton.iter(folded):
        start = end - (value & _LENGTH_MASK) + 1
        key = index.key(value)
        if start > 0 and folded[start - 1].isalnum():
            continue
        if end + 1 < len(folded) and folded[end + 1].isalnum():
            continue
        if _capitalised(text[start : end + 1], key) and not (key.given_name and _name_follows(text, end + 1)):
            found.append((start, end + 1, key))
    found.sort(key=lambda item: (item[0] - item[1], item[0]))
    starts: list[int] = []  # the chosen matches, sorted and disjoint, so only neighbours can overlap
    chosen: dict[int, tuple[int, _Key]] = {}
    for start, end, key in found:
        at = bisect.bisect_left(starts, start)
        if at > 0 and chosen[starts[at - 1]][0] > start:
            continue
        if at < len(starts) and starts[at] < end:
            continue
        starts.insert(at, start)
        chosen[start] = (end, key)
    return [(start, *chosen[start]) for start in starts]


def _mention(place: _Place, start: int, end: int, text: str) -> PlaceMention:
    return PlaceMention(place.city, place.country, place.timezone, (start, end), text[start:end])


def city_of(name: str) -> PlaceMention | None:
    """The city one name stands for, in any script or case form ("Shkupit", "Скопље"); None for a country alone
    or an unknown name. Capitals are not required here: the caller already knows this is a place."""
    stripped = name.strip()
    index = _index()
    found = index.automaton.get(" ".join(_fold(stripped).split()), None)
    if found is not None:
        key = index.key(found)
        return _mention(key.place, 0, len(stripped), stripped) if key.place.city else None  # also _NOWHERE
    for mention in find_places(stripped):
        if mention.city:
            return mention
    return None
