"""Organisations named in a press release, and the role each plays in an event's sentence.

``find_organisations`` reads the curated list (``known_organisations``), the entries the database already holds
(``KnownOrganisation``, passed in by the caller) and national bodies by pattern ("Ministry of Interior of the Czech
Republic", "Министерството за внатрешни работи", "MoI"). Full names are compared word by word, romanised and
folded (``tracker.text.romanise`` with both Cyrillic tables), so Cyrillic and Latin spellings find each other and
a word never matches inside another ("IOM" is not in "BIOMASS"); acronyms are compared case-sensitively ("CoE",
"МВР"; those of the database also across scripts, "МВР" = "MVR"). A name next to its acronym ("IOM - the
International Organization for Migration", "International Organization for Migration (IOM)") is one mention.

``assign_roles`` (from ``tracker.extraction.roles``) reads the cue words before (or, for "will host", after) each
mention of a sentence: host, co_organiser, supporter, or participant when nothing says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from tracker.extraction.known_countries import COUNTRIES, COUNTRY_JOINERS
from tracker.extraction.known_institutions import INSTITUTIONS
from tracker.extraction.known_organisations import (
    ADJECTIVAL_ACRONYMS,
    CASE_ENDINGS,
    NOUN_FOLLOWERS,
    ORGANISATIONS,
    CuratedOrganisation,
    expand,
)
from tracker.extraction.phrases import Token, Trie, phrase_keys, tokenise, transliterate_acronym
from tracker.extraction.roles import ROLES, assign_roles
from tracker.matching import name_keys, spellings

__all__ = ["ROLES", "KnownOrganisation", "OrganisationMention", "assign_roles", "country_at", "find_organisations"]


@dataclass(frozen=True)
class KnownOrganisation:
    """An organisation the database already holds, as callers pass it in."""

    name: str
    acronym: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrganisationMention:
    """One mention of an organisation: its best full name, acronym, country (ISO alpha-2) and place in the text."""

    name: str
    acronym: str | None
    country: str | None
    span: tuple[int, int]
    text: str


# ------------------------------------------------------------------------------------------------ the curated index


@lru_cache(maxsize=8192)
def _name_keys(name: str) -> frozenset[str]:
    """``tracker.matching.name_keys``, remembered: the same few names are resolved at every mention."""
    return name_keys(name)


@dataclass(frozen=True)
class _Hit:
    start: int  # token indexes, end exclusive
    end: int
    source: str  # "curated", "known", "institution"
    index: int
    by_acronym: bool
    country: str | None = None
    #: The acronym as written, when the hit is one ("МУП" of "МУП Србије").
    acronym: str | None = None


@lru_cache(maxsize=1)
def _curated_index() -> tuple[Trie, dict[str, list[tuple[str, int]]]]:
    """Every spelling of the curated organisations and institutions, and their acronyms as written (case kept)."""
    names = Trie()
    acronyms: dict[str, list[tuple[str, int]]] = {}
    for index, organisation in enumerate(ORGANISATIONS):
        for phrase in (organisation.name, *organisation.names):
            for spelling in expand(phrase):
                for key in phrase_keys(spelling):
                    names.add(key, ("curated", index))
        for acronym in filter(None, (organisation.acronym, *organisation.acronyms)):
            acronyms.setdefault(acronym, []).append(("curated", index))
    for index, institution in enumerate(INSTITUTIONS):
        for phrase in institution.forms:
            for spelling in expand(phrase):
                for key in phrase_keys(spelling):
                    names.add(key, ("institution", index))
        for acronym in institution.acronyms:
            acronyms.setdefault(acronym, []).append(("institution", index))
    return names, acronyms


@lru_cache(maxsize=1)
def _country_tries() -> tuple[Trie, Trie]:
    """Country phrases after an institution (joiner included: "of the Czech Republic") and adjectives before it."""
    after, before = Trie(), Trie()
    for country in COUNTRIES:
        for language in ("en", "mk", "sq", "sr"):
            for joiner in COUNTRY_JOINERS[language]:
                for form in getattr(country, language):
                    for spelling in expand(f"{joiner} {form}".strip()):
                        for key in phrase_keys(spelling):
                            after.add(key, country.code)
        possessives = [f"{form}'s" for form in country.en if form.split()[0] not in ("Republic", "Kingdom", "Federal")]
        for adjective in (*country.adjectives, *possessives):
            for key in phrase_keys(adjective):
                before.add(key, country.code)
    return after, before


def _known_spellings(known: KnownOrganisation) -> tuple[list[str], list[str]]:
    """(full names, acronyms) of a database entry, its name and aliases read part by part."""
    full: list[str] = []
    short: list[str] = [known.acronym] if known.acronym else []
    for name in (known.name, *known.aliases):
        name_parts, acronym_parts = spellings(name)
        if name_parts or acronym_parts:
            full.extend(name_parts)
            short.extend(acronym_parts)
        elif _looks_like_acronym(name):
            short.append(name)
        else:
            full.append(name)
    return full, short


def _looks_like_acronym(name: str) -> bool:
    letters = [char for char in name if char.isalpha()]
    return 0 < len(letters) <= 8 and " " not in name.strip() and sum(char.isupper() for char in letters) >= 2


@dataclass
class _KnownIndex:
    names: Trie
    latin_acronyms: dict[str, list[int]]
    #: Name keys (``tracker.matching.name_keys``) and Latin acronyms → the entry, to link curated and pattern hits.
    keys: dict[str, int]
    acronym_keys: dict[str, int]
    #: (institution, country) → the entry whose whole name that pattern reads ("Ministry of the Interior of …").
    institutions: dict[tuple[int, str | None], int]


@lru_cache(maxsize=8)
def _known_index(known: tuple[KnownOrganisation, ...]) -> _KnownIndex:
    names = Trie()
    latin: dict[str, list[int]] = {}
    keys: dict[str, int] = {}
    acronym_keys: dict[str, int] = {}
    for index, entry in enumerate(known):
        full, short = _known_spellings(entry)
        for name in full:
            for key in phrase_keys(name):
                names.add(key, ("known", index))
            for key in _name_keys(name):
                keys.setdefault(key, index)
        for acronym in short:
            latin.setdefault(transliterate_acronym(acronym), []).append(index)
            acronym_keys.setdefault(transliterate_acronym(acronym), index)
    institutions: dict[tuple[int, str | None], int] = {}
    patterns = _curated_index()[0]
    for index, entry in enumerate(known):
        for name in _known_spellings(entry)[0]:
            tokens = tokenise(name)
            for first in range(min(2, len(tokens))):  # "Federal Ministry of the Interior of Austria" too
                for end, payloads in patterns.matches(tokens, first):
                    for source, found in payloads:
                        if source == "institution":
                            hit = _extend_country(tokens, _Hit(first, end, source, found, False))
                            if hit.start <= 1 and hit.end == len(tokens):
                                institutions.setdefault((found, hit.country), index)
    return _KnownIndex(names, latin, keys, acronym_keys, institutions)


# ------------------------------------------------------------------------------------------------ finding


def _extend_country(tokens: Sequence[Token], hit: _Hit) -> _Hit:
    """An institution's hit with the country after it ("… of the Czech Republic") or before it ("Czech …")."""
    after, before = _country_tries()
    if hit.end < len(tokens) and tokens[hit.end].joined:
        found = after.matches(tokens, hit.end)
        if found:
            end, codes = max(found, key=lambda item: item[0])
            return _Hit(hit.start, end, hit.source, hit.index, hit.by_acronym, codes[0], hit.acronym)
    for width in (3, 2, 1):
        start = hit.start - width
        if start >= 0 and tokens[hit.start].joined:
            for end, codes in before.matches(tokens, start):
                if end == hit.start:
                    return _Hit(start, hit.end, hit.source, hit.index, hit.by_acronym, codes[0], hit.acronym)
    return hit


def _before_a_noun(text: str, tokens: Sequence[Token], at: int) -> bool:
    """Whether an acronym such as "EU" qualifies the word after it ("EU agencies", "EU-funded", "UN bodies")."""
    if at + 1 >= len(tokens):
        return False
    following = tokens[at + 1]
    gap = text[tokens[at].end : following.start]
    if gap in ("-", "‐", "‑"):
        return following.text.lower() not in CASE_ENDINGS
    return gap.strip() == "" and following.text.lower() not in NOUN_FOLLOWERS


def _raw_hits(text: str, tokens: Sequence[Token], known_index: _KnownIndex) -> list[_Hit]:
    names, acronyms = _curated_index()
    hits: list[_Hit] = []
    for at, token in enumerate(tokens):
        for trie in (names, known_index.names):
            for end, payloads in trie.matches(tokens, at):
                hits.extend(_Hit(at, end, source, index, False) for source, index in payloads)
        if token.text in ADJECTIVAL_ACRONYMS and _before_a_noun(text, tokens, at):
            continue
        for source, index in acronyms.get(token.text, ()):
            hits.append(_Hit(at, at + 1, source, index, True, acronym=token.text))
        if token.text[:1].isupper():
            for index in known_index.latin_acronyms.get(transliterate_acronym(token.text), ()):
                hits.append(_Hit(at, at + 1, "known", index, True))
    extended = []
    for hit in hits:
        if hit.source == "institution":
            hit = _extend_country(tokens, hit)
            if INSTITUTIONS[hit.index].needs_country and hit.country is None:
                continue
        extended.append(hit)
    return extended


_PRIORITY = {"known": 0, "institution": 1, "curated": 2}


def _choose(hits: list[_Hit]) -> list[list[_Hit]]:
    """The longest hits that do not overlap, each with every other hit of exactly the same words."""
    ordered = sorted(hits, key=lambda hit: (-(hit.end - hit.start), hit.start, _PRIORITY[hit.source]))
    taken: list[list[_Hit]] = []
    used: set[int] = set()
    for hit in ordered:
        words = set(range(hit.start, hit.end))
        if words & used:
            for group in taken:
                if (group[0].start, group[0].end) == (hit.start, hit.end):
                    group.append(hit)
            continue
        used |= words
        taken.append([hit])
    return sorted(taken, key=lambda group: group[0].start)


@dataclass(frozen=True)
class _Resolved:
    name: str
    acronym: str | None
    country: str | None
    start: int
    end: int
    #: What identifies the organisation, so that a name and its acronym next to it make one mention.
    identity: str


def _curated_link(organisation: CuratedOrganisation, index: _KnownIndex) -> int | None:
    """The database entry that is this curated organisation: the same acronym (any listed) or the same name."""
    for acronym in filter(None, (organisation.acronym, *organisation.acronyms)):
        if (found := index.acronym_keys.get(transliterate_acronym(acronym))) is not None:
            return found
    for key in _name_keys(organisation.name):
        if (found := index.keys.get(key)) is not None:
            return found
    return None


def _resolve(group: list[_Hit], tokens: Sequence[Token], text: str, known: Sequence[KnownOrganisation]) -> _Resolved:
    index = _known_index(tuple(known))
    first = group[0]
    start, end = tokens[first.start].start, tokens[first.end - 1].end
    written = text[start:end]
    country = next((hit.country for hit in group if hit.country), None)
    by_source = {hit.source: hit for hit in sorted(group, key=lambda hit: -_PRIORITY[hit.source])}
    linked: int | None = None
    name = acronym = None
    if "known" in by_source:
        linked = by_source["known"].index
    elif "curated" in by_source:
        organisation = ORGANISATIONS[by_source["curated"].index]
        linked = _curated_link(organisation, index)
        name, acronym = organisation.name, organisation.acronym
    else:
        institution = INSTITUTIONS[by_source["institution"].index]
        name = institution.name
        if country:
            canonical = next(item.canonical for item in COUNTRIES if item.code == country)
            name = f"{institution.name} of {canonical}"
        acronym = first.acronym
        linked = index.institutions.get((by_source["institution"].index, country))
        for candidate in (name, written):
            for key in _name_keys(candidate):
                if linked is None and (found := index.keys.get(key)) is not None:
                    linked = found
    if linked is not None:
        entry = known[linked]
        name = entry.name
        acronym = entry.acronym or next(iter(_known_spellings(entry)[1]), None)
        identity = f"known:{linked}"
    else:
        identity = f"{first.source}:{first.index}:{country}"
        if "curated" in by_source:
            identity = f"curated:{by_source['curated'].index}"
    assert name is not None
    return _Resolved(name, acronym, country, start, end, identity)


#: Between a name and its acronym that make one mention: "IOM - the International …", "… Migration (IOM)".
_PAIR_GAP = re.compile(r"\s*[-–—:]\s*(?:the\s+)?|\s*\(\s*|\s*,\s*the\s+", re.IGNORECASE)
_CLOSE = re.compile(r"\s*\)")


def _merge(resolved: list[_Resolved], text: str) -> list[OrganisationMention]:
    mentions: list[OrganisationMention] = []
    index = 0
    while index < len(resolved):
        current = resolved[index]
        start, end, country, acronym = current.start, current.end, current.country, current.acronym
        following = resolved[index + 1] if index + 1 < len(resolved) else None
        if following is not None and following.identity.split(":")[:2] == current.identity.split(":")[:2]:
            gap = _PAIR_GAP.fullmatch(text, end, following.start)
            if gap is not None:
                end = following.end
                if "(" in gap.group() and (close := _CLOSE.match(text, end)) is not None:
                    end = close.end()
                country = country or following.country
                index += 1
        mentions.append(OrganisationMention(current.name, acronym, country, (start, end), text[start:end]))
        index += 1
    return mentions


def find_organisations(text: str, known: Sequence[KnownOrganisation] = ()) -> list[OrganisationMention]:
    """Every organisation mentioned in ``text``, in text order, one mention per name (with its acronym)."""
    known = tuple(known)
    tokens = tokenise(text)
    groups = _choose(_raw_hits(text, tokens, _known_index(known)))
    return _merge([_resolve(group, tokens, text, known) for group in groups], text)


def country_at(text: str, start: int) -> tuple[str, int] | None:
    """A country phrase beginning at ``start`` (after spaces): "of the Czech Republic", "на Република Чешка",
    "e Republikës së Maqedonisë së Veriut", "Републике Србије" → (ISO code, end offset)."""
    tokens = tokenise(text[start : start + 120])
    if not tokens or text[start : start + tokens[0].start].strip():
        return None
    found = _country_tries()[0].matches(tokens, 0)
    if not found:
        return None
    end, codes = max(found, key=lambda item: item[0])
    return codes[0], start + tokens[end - 1].end
