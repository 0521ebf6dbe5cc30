"""Organisations named in a press release, and the role each plays in an event's sentence.

``find_organisations`` reads the curated list (``known_organisations``), the entries the database already holds
(``KnownOrganisation``, passed in by the caller) and national bodies by pattern ("Ministry of Interior of the Czech
Republic", "Министерството за внатрешни работи", "MoI"). Full names are compared word by word, romanised and
folded (``tracker.text.romanise`` with both Cyrillic tables), so Cyrillic and Latin spellings find each other and
a word never matches inside another ("IOM" is not in "BIOMASS"); acronyms are compared case-sensitively ("CoE",
"МВР"; those of the database also across scripts, "МВР" = "MVR"). A name next to its acronym ("IOM - the
International Organization for Migration", "International Organization for Migration (IOM)") is one mention.

``assign_roles`` reads the cue words before (or, for "will host", after) each mention of a sentence: host,
co_organiser, supporter, or participant when nothing says otherwise. The cues are data, per language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tracker.extraction.known_organisations import (
    COUNTRIES,
    COUNTRY_JOINERS,
    INSTITUTIONS,
    ORGANISATIONS,
    CuratedOrganisation,
    expand,
)
from tracker.matching import name_keys, spellings
from tracker.text import CYRILLIC_TO_ASCII, CYRILLIC_TO_FOLDED_LATIN, fold, romanise


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


ROLES = ("host", "co_organiser", "supporter", "participant")

# ------------------------------------------------------------------------------------------------ words

_TOKEN = re.compile(r"(?:\w|[\u0300-\u036f])+")
#: What may stand between two words of one name: spaces (a line break too), a hyphen ("OKB-së"), a comma (MARRI).
_JOIN = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*|[-‐‑]|,[ \t\u00a0]?")
_TABLES = (CYRILLIC_TO_FOLDED_LATIN, CYRILLIC_TO_ASCII)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    #: The word romanised and folded with each Cyrillic table (one form for Latin words).
    forms: frozenset[str]
    #: Whether this word may continue a name begun by the word before it.
    joined: bool


def _word_forms(word: str) -> frozenset[str]:
    return frozenset(romanise(word, table) for table in _TABLES)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    previous_end = None
    for match in _TOKEN.finditer(text):
        joined = previous_end is not None and _JOIN.fullmatch(text, previous_end, match.start()) is not None
        tokens.append(_Token(match.start(), match.end(), match.group(), _word_forms(match.group()), joined))
        previous_end = match.end()
    return tokens


def _phrase_keys(phrase: str) -> set[tuple[str, ...]]:
    """The word sequences one spelling stands for, under each Cyrillic table: "Фронтекс" → {("fronteks",)}."""
    keys = set()
    for table in _TABLES:
        words = tuple(romanise(word, table) for word in _TOKEN.findall(phrase))
        if words:
            keys.add(words)
    return keys


def transliterate_acronym(acronym: str) -> str:
    """An acronym in Latin letters, case kept: "МВР" → "MVR", "ОБСЕ" → "OBSE", "CoE" → "CoE"."""
    out = []
    for char in acronym:
        latin = CYRILLIC_TO_ASCII.get(char.lower())
        if latin is None:
            out.append(char)
        else:
            out.append(latin.upper() if char.isupper() else latin)
    return "".join(out)


class _Trie:
    """Word sequences → payloads; ``matches`` walks it from one token, trying each form of each word."""

    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, words: tuple[str, ...], payload: object) -> None:
        node = self.root
        for word in words:
            node = node.setdefault(word, {})
        node.setdefault(None, []).append(payload)

    def matches(self, tokens: Sequence[_Token], at: int) -> list[tuple[int, list]]:
        """(index after the last word, payloads) for every phrase that begins at token ``at``."""
        found: list[tuple[int, list]] = []
        frontier = [self.root]
        index = at
        while frontier and index < len(tokens) and (index == at or tokens[index].joined):
            following = [node[form] for node in frontier for form in tokens[index].forms if form in node]
            index += 1
            for node in following:
                if None in node:
                    found.append((index, node[None]))
            frontier = following
        return found


# ------------------------------------------------------------------------------------------------ the curated index


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


@dataclass
class _Index:
    names: _Trie
    #: Acronym as written (case kept) → payloads; database acronyms are keyed in Latin (``transliterate_acronym``).
    acronyms: dict[str, list[tuple[str, int]]]
    latin_acronyms: dict[str, list[tuple[str, int]]]


@lru_cache(maxsize=1)
def _curated_index() -> tuple[_Trie, dict[str, list[tuple[str, int]]]]:
    names = _Trie()
    acronyms: dict[str, list[tuple[str, int]]] = {}
    for index, organisation in enumerate(ORGANISATIONS):
        for phrase in (organisation.name, *organisation.names):
            for spelling in expand(phrase):
                for key in _phrase_keys(spelling):
                    names.add(key, ("curated", index))
        for acronym in filter(None, (organisation.acronym, *organisation.acronyms)):
            acronyms.setdefault(acronym, []).append(("curated", index))
    for index, institution in enumerate(INSTITUTIONS):
        for phrase in institution.forms:
            for spelling in expand(phrase):
                for key in _phrase_keys(spelling):
                    names.add(key, ("institution", index))
        for acronym in institution.acronyms:
            acronyms.setdefault(acronym, []).append(("institution", index))
    return names, acronyms


@lru_cache(maxsize=1)
def _country_tries() -> tuple[_Trie, _Trie]:
    """Country phrases after an institution (joiner included: "of the Czech Republic") and adjectives before it."""
    after, before = _Trie(), _Trie()
    for country in COUNTRIES:
        for language in ("en", "mk", "sq", "sr"):
            for joiner in COUNTRY_JOINERS[language]:
                for form in getattr(country, language):
                    for spelling in expand(f"{joiner} {form}".strip()):
                        for key in _phrase_keys(spelling):
                            after.add(key, country.code)
        for adjective in country.adjectives:
            for key in _phrase_keys(adjective):
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
    names: _Trie
    latin_acronyms: dict[str, list[int]]
    #: Name keys (``tracker.matching.name_keys``) and Latin acronyms → the entry, to link curated and pattern hits.
    keys: dict[str, int]
    acronym_keys: dict[str, int]
    #: (institution, country) → the entry whose whole name that pattern reads ("Ministry of the Interior of …").
    institutions: dict[tuple[int, str | None], int]


@lru_cache(maxsize=8)
def _known_index(known: tuple[KnownOrganisation, ...]) -> _KnownIndex:
    names = _Trie()
    latin: dict[str, list[int]] = {}
    keys: dict[str, int] = {}
    acronym_keys: dict[str, int] = {}
    for index, entry in enumerate(known):
        full, short = _known_spellings(entry)
        for name in full:
            for key in _phrase_keys(name):
                names.add(key, ("known", index))
            for key in name_keys(name):
                keys.setdefault(key, index)
        for acronym in short:
            latin.setdefault(transliterate_acronym(acronym), []).append(index)
            acronym_keys.setdefault(transliterate_acronym(acronym), index)
    institutions: dict[tuple[int, str | None], int] = {}
    patterns = _curated_index()[0]
    for index, entry in enumerate(known):
        for name in _known_spellings(entry)[0]:
            tokens = _tokens(name)
            for end, payloads in patterns.matches(tokens, 0) if tokens else ():
                for source, found in payloads:
                    if source == "institution":
                        hit = _extend_country(tokens, _Hit(0, end, source, found, False))
                        if hit.start == 0 and hit.end == len(tokens):
                            institutions.setdefault((found, hit.country), index)
    return _KnownIndex(names, latin, keys, acronym_keys, institutions)


# ------------------------------------------------------------------------------------------------ finding


def _extend_country(tokens: Sequence[_Token], hit: _Hit) -> _Hit:
    """An institution's hit with the country after it ("… of the Czech Republic") or before it ("Czech …")."""
    after, before = _country_tries()
    if hit.end < len(tokens) and tokens[hit.end].joined:
        found = after.matches(tokens, hit.end)
        if found:
            end, codes = max(found, key=lambda item: item[0])
            return _Hit(hit.start, end, hit.source, hit.index, hit.by_acronym, codes[0], hit.acronym)
    for width in (2, 1):
        start = hit.start - width
        if start >= 0 and tokens[hit.start].joined:
            for end, codes in before.matches(tokens, start):
                if end == hit.start:
                    return _Hit(start, hit.end, hit.source, hit.index, hit.by_acronym, codes[0], hit.acronym)
    return hit


def _raw_hits(tokens: Sequence[_Token], known_index: _KnownIndex) -> list[_Hit]:
    names, acronyms = _curated_index()
    hits: list[_Hit] = []
    for at, token in enumerate(tokens):
        for trie in (names, known_index.names):
            for end, payloads in trie.matches(tokens, at):
                hits.extend(_Hit(at, end, source, index, False) for source, index in payloads)
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
    for key in name_keys(organisation.name):
        if (found := index.keys.get(key)) is not None:
            return found
    return None


def _resolve(group: list[_Hit], tokens: Sequence[_Token], text: str, known: Sequence[KnownOrganisation]) -> _Resolved:
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
            for key in name_keys(candidate):
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
    tokens = _tokens(text)
    groups = _choose(_raw_hits(tokens, _known_index(known)))
    return _merge([_resolve(group, tokens, text, known) for group in groups], text)


def country_at(text: str, start: int) -> tuple[str, int] | None:
    """A country phrase beginning at ``start`` (after spaces): "of the Czech Republic", "на Република Чешка",
    "e Republikës së Maqedonisë së Veriut", "Републике Србије" → (ISO code, end offset)."""
    tokens = _tokens(text[start : start + 120])
    if not tokens or text[start : start + tokens[0].start].strip():
        return None
    found = _country_tries()[0].matches(tokens, 0)
    if not found:
        return None
    end, codes = max(found, key=lambda item: item[0])
    return codes[0], start + tokens[end - 1].end


# ------------------------------------------------------------------------------------------------ roles

#: Cue phrases per language (lower case; Serbian in both scripts): the role of the mentions that follow.
ROLE_CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "organiser": ("organised by", "organized by", "in the organisation of", "in the organization of",
                      "convened by", "hosted and organised by", "hosted and organized by"),
        "co_organiser": ("co-organised by", "co-organized by", "co organised by", "co-hosted by", "in cooperation with",
                         "in co-operation with", "in partnership with", "jointly with", "together with",
                         "in collaboration with", "and co-organised by", "and co-organized by"),
        "host": ("hosted by", "the host", "as host", "as the host", "host country"),
        "supporter": ("with the support of", "with support from", "with the support from", "supported by",
                      "funded by", "financed by", "sponsored by", "with the financial support of",
                      "with the assistance of", "with financial support from"),
    },
    "mk": {
        "organiser": ("во организација на", "организирана од", "организиран од", "организирано од",
                      "организирани од", "во организација од"),
        "co_organiser": ("во соработка со", "заедно со", "во партнерство со", "коорганизирана од",
                         "коорганизатор"),
        "host": ("домаќин", "домаќин е", "чиј домаќин е", "домаќин на средбата е"),
        "supporter": ("со поддршка на", "со поддршка од", "со финансиска поддршка на", "поддржана од",
                      "поддржан од", "финансирана од", "финансиран од", "финансирано од"),
    },
    "sq": {
        "organiser": ("organizuar nga", "e organizuar nga", "i organizuar nga", "në organizim të", "ne organizim te",
                      "organizuar prej", "në organizimin e"),
        "co_organiser": ("në bashkëpunim me", "bashkë me", "së bashku me", "në partneritet me", "bashkëorganizuar nga"),
        "host": ("nikoqir", "nikoqir është", "nikoqire"),
        "supporter": ("me mbështetjen e", "me mbështetje të", "me përkrahjen e", "mbështetur nga", "financuar nga",
                      "me mbështetjen financiare të"),
    },
    "sr": {
        "organiser": ("у организацији", "u organizaciji", "организован од стране", "organizovan od strane",
                      "организују", "organizuju", "организује", "organizuje", "организовао", "organizovao",
                      "организовала", "organizovala", "организовали", "organizovali"),
        "co_organiser": ("у сарадњи са", "у сарадњи с", "заједно са", "u saradnji sa", "u saradnji s",
                         "zajedno sa", "у партнерству са", "u partnerstvu sa"),
        "host": ("домаћин", "domaćin"),
        "supporter": ("уз подршку", "uz podršku", "уз финансијску подршку", "uz finansijsku podršku",
                      "уз помоћ", "uz pomoć", "финансиран од", "finansiran od", "подржан од", "podržan od",
                      "финансира", "finansira", "финансирају", "finansiraju"),
    },
}  # fmt: skip

#: Cues that name the role of the mentions *before* them ("the Ministry will host", "МВР е домаќин").
ROLE_CUES_AFTER: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"host": ("will host", "hosts", "is hosting", "hosted", "will be hosting", "is the host", "will be the host",
                    "are hosting", "host"),
           "organiser": ("organises", "organizes", "organised", "organized", "is organising", "is organizing",
                         "will organise", "will organize", "are organising", "are organizing"),
           "supporter": ("supported", "supports", "will support", "funded", "funds", "financed", "sponsored")},
    "mk": {"host": ("е домаќин", "ќе биде домаќин", "беше домаќин", "ќе е домаќин", "се домаќини", "ќе бидат домаќини"),
           "organiser": ("организира", "ќе организира", "го организира", "ја организира", "организираат",
                         "ќе организираат", "го организираа", "ја организираа"),
           "supporter": ("поддржа", "ја поддржа", "ја поддржаа", "го поддржа", "го поддржаа", "ја финансира",
                         "го финансира", "ќе го поддржи", "ќе ја поддржи")},
    "sq": {"host": ("do të jetë nikoqir", "është nikoqir", "ishte nikoqir", "do të presë", "priti"),
           "organiser": ("organizon", "do të organizojë", "organizoi", "organizuan", "organizojnë"),
           "supporter": ("mbështeti", "mbështetën", "financoi", "financuan", "do të mbështesë")},
    "sr": {"host": ("ће бити домаћин", "је домаћин", "биће домаћин", "biće domaćin", "će biti domaćin",
                    "je domaćin", "угостиће", "ugostiće", "су домаћини", "su domaćini"),
           "organiser": ("организује", "organizuje", "организоваће", "organizovaće", "организују", "organizuju",
                         "организовали су", "organizovali su", "организовао је", "organizovao je"),
           "supporter": ("подржали су", "podržali su", "подржао је", "podržao je", "подржава", "podržava",
                         "финансирали су", "finansirali su", "финансира", "finansira")},
}  # fmt: skip

#: What may stand between the items of one list of organisations ("A, B and the C", "А и Б", "A dhe B").
_LIST_GAP = re.compile(
    r"(?:[\s,;/&]|\b(?:and|the|as well as|also|or|и|или|dhe|edhe|si dhe|e|i|të|te|ili|kao i|као и|the\s+other)\b)*",
    re.IGNORECASE,
)
#: At most this many characters between a cue and the first mention it governs ("organized by the ").
_CUE_REACH = 40
#: Between the mentions and a cue after them ("IOM will host", "МВР е домаќин", "A, which also hosts"): two words.
_AFTER_GAP = re.compile(r"\s*,?\s*(?:[\w\u0300-\u036f]+\s+){0,2}")
#: What a cue's reach may not cross.
_HARD_STOP = re.compile(r"[.;:!?\"“”«»]")


def length_preserving_fold(text: str) -> str:
    """``tracker.text.fold`` one character at a time, each to one character, so that offsets stay the same."""
    out = []
    for char in text:
        folded = fold(char)
        if len(folded) != 1:
            lowered = char.lower()
            folded = lowered if len(lowered) == 1 else char
        out.append(folded)
    return "".join(out)


def _cue_regex(phrases: Iterable[str]) -> re.Pattern[str]:
    words = sorted({length_preserving_fold(phrase) for phrase in phrases}, key=len, reverse=True)
    alternatives = "|".join(r"[\s\-]+".join(re.escape(word) for word in re.split(r"[\s]+", phrase)) for phrase in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


@lru_cache(maxsize=1)
def _cue_patterns() -> tuple[list[tuple[str, re.Pattern[str]]], list[tuple[str, re.Pattern[str]]]]:
    def build(table: dict[str, dict[str, tuple[str, ...]]]) -> list[tuple[str, re.Pattern[str]]]:
        roles: dict[str, list[str]] = {}
        for cues in table.values():
            for role, phrases in cues.items():
                roles.setdefault(role, []).extend(phrases)
        return [(role, _cue_regex(phrases)) for role, phrases in roles.items()]

    return build(ROLE_CUES), build(ROLE_CUES_AFTER)


def _cues(sentence: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """Cue occurrences (start, end, role) of both kinds, overlaps settled for the longest."""
    folded = length_preserving_fold(sentence)
    before_patterns, after_patterns = _cue_patterns()

    def scan(patterns: list[tuple[str, re.Pattern[str]]]) -> list[tuple[int, int, str]]:
        found = [(match.start(), match.end(), role) for role, pattern in patterns for match in pattern.finditer(folded)]
        found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
        kept: list[tuple[int, int, str]] = []
        for item in found:
            if kept and item[0] < kept[-1][1]:
                if item[1] - item[0] > kept[-1][1] - kept[-1][0]:
                    kept[-1] = item
                continue
            kept.append(item)
        return kept

    return scan(before_patterns), scan(after_patterns)


def _reaches(sentence: str, start: int, end: int) -> bool:
    return 0 <= end - start <= _CUE_REACH and _HARD_STOP.search(sentence, start, end) is None


def assign_roles(
    sentence: str, mentions: Sequence[OrganisationMention], offset: int = 0
) -> list[tuple[OrganisationMention, str]]:
    """Each mention of ``sentence`` (spans in the whole text, ``offset`` the sentence's start) with its role.

    After "organised by", the first of a list is the host and the rest co-organisers; "co-organised by", "in
    cooperation with", "together with" make co-organisers; "hosted by" (or "A will host") a host; "with the
    support of", "funded by" supporters; every other mention is a participant.
    """
    ordered = sorted(mentions, key=lambda mention: mention.span)
    spans = [(mention.span[0] - offset, mention.span[1] - offset) for mention in ordered]
    roles = ["participant"] * len(ordered)
    before, after = _cues(sentence)
    governed = [False] * len(ordered)
    overlapping = {
        index
        for index, (start, end) in enumerate(spans)
        for cue in (*before, *after)
        if start < cue[1] and cue[0] < end
    }
    used_cues: set[tuple[int, int]] = set()
    for cue_start, cue_end, cue_role in before:
        if any(
            other[0] < cue_end and cue_start < other[1] and other[1] - other[0] > cue_end - cue_start for other in after
        ):
            continue
        first = next(
            (index for index, (start, _end) in enumerate(spans) if start >= cue_end and index not in overlapping), None
        )
        if first is None or not _reaches(sentence, cue_end, spans[first][0]):
            continue
        if any(cue_end <= other[0] < spans[first][0] for other in before if other[0] != cue_start):
            continue
        members = [first]
        while members[-1] + 1 < len(spans):
            following = members[-1] + 1
            gap_start, gap_end = spans[members[-1]][1], spans[following][0]
            if gap_end < gap_start or _LIST_GAP.fullmatch(sentence, gap_start, gap_end) is None:
                break
            if any(gap_start <= cue[0] < gap_end for cue in before):
                break
            members.append(following)
        used_cues.add((cue_start, cue_end))
        for position, member in enumerate(members):
            if cue_role == "organiser":
                roles[member] = "host" if position == 0 else "co_organiser"
            else:
                roles[member] = cue_role
            governed[member] = True
    for cue_start, cue_end, cue_role in after:
        if any(other[0] < cue_end and cue_start < other[1] and (other[0], other[1]) in used_cues for other in before):
            continue
        last = next((index for index in range(len(spans) - 1, -1, -1) if spans[index][1] <= cue_start), None)
        if last is None or governed[last] or _AFTER_GAP.fullmatch(sentence, spans[last][1], cue_start) is None:
            continue
        members = [last]
        while members[-1] > 0:
            previous = members[-1] - 1
            if _LIST_GAP.fullmatch(sentence, spans[previous][1], spans[members[-1]][0]) is None or governed[previous]:
                break
            members.append(previous)
        members.reverse()
        for position, member in enumerate(members):
            if cue_role == "supporter":
                roles[member] = "supporter"
            else:
                roles[member] = "host" if position == 0 else "co_organiser"
            governed[member] = True
    return list(zip(ordered, roles, strict=True))
