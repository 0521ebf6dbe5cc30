"""Cities and countries named in a press release, from our own gazetteer: no network, no model.

The gazetteer (``data/places.json.gz``, made by ``scripts/build_gazetteer.py`` from geonames and pycountry) holds
every city of 15,000 people or more and every country, with their Macedonian, Albanian and Serbian (Cyrillic and
Latin) names. Those names are inflected here by a small table of endings per script ("Shkup" -> "Shkupit",
"Београд" -> "Београду", "Maqedonia" -> "Maqedonisë") and matched in one Aho-Corasick pass over the case-folded
text. A match counts only on word boundaries (so neither "Iran" in "Tirana" nor "Ruse" in "Brussels") and only
when the text capitalises it; short all-capital words match only acronyms ("UK", "USA"). Where matches overlap
the longest wins. A name shared by several places goes to a country before a city, to a city's own name before
another city's alternate name ("Trnava" is in Slovakia, though geonames lists it for Tirana), then to the most
populous, with the region's cities counted ten times over.
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

#: Cities here win a shared name against a place elsewhere up to ten times their size.
REGION_PREFERRED = frozenset({"MK", "AL", "XK", "RS", "ME", "BA"})
_REGION_WEIGHT = 10
#: The most forms one name may have; past it fewer of its words inflect (see ``name_forms``).
_MAX_FORMS = 400

#: Albanian articles that change with case ("Maqedonia e Veriut", "Maqedonisë së Veriut"); one stands for all.
_ARTICLES = ("e", "së", "të", "i")
#: Words of names that never inflect: function words, and Albanian words already in an oblique case ("Veriut").
_FIXED = frozenset({"of", "the", "and", "dhe", "и", "i", "da", "de", "la", "le", "el", "del", "saint", "st."})
_OBLIQUE = ("ut", "it", "së", "ës", "ve")
_CYRILLIC = frozenset("абвгдђежзѕијклљмнњопрстћќуфхцчџшѓ")


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


def latin_forms(word: str) -> set[str]:
    """A case-folded Latin word in the Albanian and Serbian cases ("shkup" -> "shkupit", "ženeva" -> "ženevi")."""
    if len(word) < 3:
        return {word}
    stem, last = word[:-1], word[-1]
    if last == "ë":  # Albanian feminine: Tiranë, Tirana, Tiranës, Tiranën (and unaccented spellings)
        forms = {stem + ending for ending in ("ë", "e", "a", "ës", "es", "ën", "en")}
    elif last == "a":  # Serbian feminine (Ženeva -> Ženevi, Ženeve, Ženevu) and Albanian definite (Prishtina)
        forms = {stem + ending for ending in ("a", "e", "i", "u", "om", "oj", "ë", "ës", "ën", "es", "en")}
        if stem.endswith("i"):  # Albanian -ia: Maqedonia -> Maqedoni, Maqedonisë, Maqedoninë
            forms |= {stem + ending for ending in ("", "së", "në", "se", "ne")}
        for hard, soft in (("k", "c"), ("g", "z"), ("h", "s")):  # Serbian: Republika -> Republici
            if stem.endswith(hard):
                forms.add(stem[:-1] + soft + "i")
    elif last == "i":  # Albanian indefinite (Serbi -> Serbia, Serbisë) and Serbian adjectives (Novi -> Novom)
        forms = {word + ending for ending in ("", "a", "së", "në", "se", "ne", "t", "n", "ut", "u", "un")}
        forms |= {stem + ending for ending in ("og", "om", "oj", "oga", "omu")}
    elif last == "o":  # Serbian neuter: Kosovo -> Kosovu, Kosova
        forms = {stem + ending for ending in ("o", "a", "u", "om")}
    elif last == "e":  # Serbian neuter: Skoplje -> Skoplju, Skoplja
        forms = {stem + ending for ending in ("e", "a", "u", "em", "i")}
    else:  # consonant: Beograd -> Beogradu, Beograda; Shkup -> Shkupi, Shkupit, Shkupin; Bruksel -> Brukselit
        forms = {word + ending for ending in ("", "a", "u", "om", "e", "i", "it", "in", "ut", "un")}
        if word.endswith("ër"):  # Albanian fleeting ë: Shkodër -> Shkodra, Shkodrës; Zvicër -> Zvicra
            forms |= {word[:-2] + "r" + ending for ending in ("a", "ës", "ën", "es")}
    return forms


def cyrillic_forms(word: str) -> set[str]:
    """A case-folded Cyrillic word in the Serbian cases and the Macedonian definite ("београд" -> "београду")."""
    if len(word) < 3:
        return {word}
    stem, last = word[:-1], word[-1]
    if last == "а":  # Женева -> Женеви, Женеве; Македонија -> Македоније; Северна -> Северној; Чешка -> Чешката
        forms = {stem + ending for ending in ("а", "е", "и", "у", "ом", "ој", "ата")}
        for hard, soft in (("к", "ц"), ("г", "з"), ("х", "с")):  # Република -> Републици
            if stem.endswith(hard):
                forms.add(stem[:-1] + soft + "и")
    elif last == "о":  # Косово -> Косову, Косова
        forms = {stem + ending for ending in ("о", "а", "у", "ом", "ото")}
    elif last == "е":  # Скопље -> Скопљу, Скопља
        forms = {stem + ending for ending in ("е", "а", "у", "ем", "ето")}
    elif last == "и":  # Нови -> Новом, Новог
        forms = {word} | {stem + ending for ending in ("ог", "ом", "ој", "ога", "ому")}
    else:  # Београд -> Београду, Београда; Беч -> Бечу; Белград -> Белградот
        forms = {word + ending for ending in ("", "а", "у", "ом", "е", "и", "от")}
    return forms


def word_forms(word: str) -> set[str]:
    """The forms of one case-folded word of a name, by its script; articles stand for one another."""
    if word in _ARTICLES:
        return set(_ARTICLES)
    if word in _FIXED or word.endswith(_OBLIQUE):
        return {word}
    if any(char in _CYRILLIC for char in word):
        return cyrillic_forms(word)
    return latin_forms(word)


def name_forms(name: str) -> set[str]:
    """Every inflected form of a case-folded name ("maqedonia e veriut" -> "maqedonisë së veriut", ...).

    Each word takes its own endings (a Serbian adjective agrees with its noun, an Albanian article changes
    with the case); when that makes too many combinations, only the first and last words inflect, then only
    the last, and names of more than three words keep their words as written.
    """
    words = name.split()
    content = [at for at, word in enumerate(words) if word not in _ARTICLES and word not in _FIXED]
    options = [word_forms(word) for word in words]
    if len(content) > 3:
        options = [set(_ARTICLES) if word in _ARTICLES else {word} for word in words]
    for keep in (content, content[:1] + content[-1:], content[-1:]):
        trimmed = [forms if at in keep or words[at] in _ARTICLES else {words[at]} for at, forms in enumerate(options)]
        if math.prod(len(forms) for forms in trimmed) <= _MAX_FORMS:
            options = trimmed
            break
    return {" ".join(combination) for combination in itertools.product(*options)}


def _is_acronym(name: str) -> bool:
    letters = [char for char in name if char.isalpha()]
    return len(letters) <= 4 and all(char.isupper() for char in letters)


@lru_cache(maxsize=1)
def _gazetteer() -> dict:
    """The generated data, read once from the package."""
    raw = (resources.files("tracker.extraction") / "data" / "places.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


@dataclass(frozen=True, slots=True)
class _Key:
    """What one case-folded form stands for, and whether the text must write it in capitals."""

    place: _Place
    rank: tuple[int, int, int]
    acronym: bool


@lru_cache(maxsize=1)
def _index() -> ahocorasick.Automaton:
    """The automaton over every form of every name, each holding the place that form names."""
    data = _gazetteer()
    stop = set(data["stop"])
    keys: dict[str, _Key] = {}

    def offer(name: str, place: _Place, rank: tuple[int, int, int], inflect: bool) -> None:
        folded = " ".join(name.casefold().split())
        acronym = _is_acronym(name)
        offered = _Key(place, rank, acronym)
        for form in name_forms(folded) if inflect and not acronym else {folded}:
            if form in stop or (len(form) < 3 and not acronym):
                continue
            known = keys.get(form)
            if known is None or rank > known.rank:
                keys[form] = offered

    for code, names in data["countries"].items():
        country = _Place(None, code, None, 0)
        for name in names:
            offer(name, country, (2, 0, 0), inflect=True)
    for row in data["cities"]:
        city, code, timezone, population = row[:4]
        alternates = row[4] if len(row) > 4 else []
        exonyms = row[5] if len(row) > 5 else []
        place = _Place(city, code, timezone, population)
        weight = population * (_REGION_WEIGHT if code in REGION_PREFERRED else 1)
        inflect = bool(alternates or exonyms)
        for name in [city, *exonyms]:
            offer(name, place, (1, 1, weight), inflect)
        for name in alternates:
            offer(name, place, (1, 0, weight), inflect)
    _prefer_city_states(keys, data["countries"])
    automaton = ahocorasick.Automaton()
    for form, key in keys.items():
        automaton.add_word(form, (len(form), key))
    automaton.make_automaton()
    return automaton


def _prefer_city_states(keys: dict[str, _Key], countries: dict[str, list[str]]) -> None:
    """A name that is both a country and its own biggest city ("Luxembourg", "Singapore") names the city."""
    cities = {}
    data = _gazetteer()
    for row in data["cities"]:
        folded = row[0].casefold()
        if folded not in cities or row[3] > cities[folded][3]:
            cities[folded] = row
    for code, names in countries.items():
        for name in names:
            row = cities.get(name.casefold())
            if row and row[1] == code:
                place = _Place(row[0], code, row[2], row[3])
                for form in name_forms(name.casefold()):
                    if form in keys and keys[form].place.country == code:
                        keys[form] = _Key(place, (3, 0, 0), keys[form].acronym)


def _fold(text: str) -> str:
    """``text`` case-folded character by character, so offsets stay those of the text."""
    folded = text.casefold()
    if len(folded) == len(text):
        return folded
    return "".join(char.casefold() if len(char.casefold()) == 1 else char.lower()[:1] for char in text)


def _capitalised(written: str, key: _Key) -> bool:
    """Whether the text writes a match as a name: initial capital; a short all-capital word only as an acronym."""
    if key.acronym:
        return written == written.upper()
    if not written[:1].isupper():
        return False
    letters = [char for char in written if char.isalpha()]
    return not (len(letters) <= 4 and all(char.isupper() for char in letters))


def find_places(text: str) -> list[PlaceMention]:
    """Cities and countries named in ``text``, in text order, not overlapping, the longest match first."""
    automaton = _index()
    folded = _fold(text)
    found: list[tuple[int, int, _Key]] = []
    for end, (length, key) in automaton.iter(folded):
        start = end - length + 1
        if start > 0 and folded[start - 1].isalnum():
            continue
        if end + 1 < len(folded) and folded[end + 1].isalnum():
            continue
        if _capitalised(text[start : end + 1], key):
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
    return [_mention(chosen[start][1].place, start, chosen[start][0], text) for start in starts]


def _mention(place: _Place, start: int, end: int, text: str) -> PlaceMention:
    return PlaceMention(place.city, place.country, place.timezone, (start, end), text[start:end])


def city_of(name: str) -> PlaceMention | None:
    """The city one name stands for, in any script or case form ("Shkupit", "Скопље"); None for a country alone
    or an unknown name. Capitals are not required here: the caller already knows this is a place."""
    stripped = name.strip()
    found = _index().get(" ".join(_fold(stripped).split()), None)
    if found is not None:
        key = found[1]
        return _mention(key.place, 0, len(stripped), stripped) if key.place.city else None
    for mention in find_places(stripped):
        if mention.city:
            return mention
    return None
