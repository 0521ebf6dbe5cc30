"""Words and phrases compared the way names are: romanised and folded, offsets kept, whole words only.

Shared by the organisation and people finders: a text is split into words (``tokenise``), each with its forms under
both Cyrillic tables of ``tracker.text``; phrases are added to a ``Trie`` of such forms, so that "Фронтекс" and
"Frontex", "vnatreshni" and "внатрешни" meet, and a phrase never begins or ends inside a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from tracker.text import CYRILLIC_TO_ASCII, CYRILLIC_TO_FOLDED_LATIN, fold, romanise

TOKEN = re.compile(r"(?:\w|[\u0300-\u036f])+")
#: What may stand between two words of one name: spaces (a line break too), a hyphen ("OKB-së"), an apostrophe
#: ("Children's"), a comma (MARRI).
_JOIN = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*|[-‐‑'’]|,[ \t\u00a0]?")
_TABLES = (CYRILLIC_TO_FOLDED_LATIN, CYRILLIC_TO_ASCII)


class Token(NamedTuple):
    start: int
    end: int
    text: str
    #: The word romanised and folded with each Cyrillic table (one form for Latin words).
    forms: frozenset[str]
    #: Whether this word may continue a name begun by the word before it.
    joined: bool


@lru_cache(maxsize=65536)
def _word_forms(word: str) -> frozenset[str]:
    return frozenset(romanise(word, table) for table in _TABLES)


#: Gaps longer than this are not remembered (``_joins``): they are rare, and most are no join at all.
_SHORT_GAP = 8


@lru_cache(maxsize=4096)
def _joins(gap: str) -> bool:
    """Whether ``gap`` (the text between two words) lets the second word continue a name: one " " or "-" mostly."""
    return _JOIN.fullmatch(gap) is not None


def tokenise(text: str) -> list[Token]:
    tokens: list[Token] = []
    previous_end = None
    for match in TOKEN.finditer(text):
        start, end = match.span()
        word = match.group()
        if previous_end is None:
            joined = False
        elif start - previous_end <= _SHORT_GAP:
            joined = _joins(text[previous_end:start])
        else:
            joined = _JOIN.fullmatch(text, previous_end, start) is not None
        tokens.append(Token(start, end, word, _word_forms(word), joined))
        previous_end = end
    return tokens


def phrase_keys(phrase: str) -> set[tuple[str, ...]]:
    """The word sequences one spelling stands for, under each Cyrillic table: "Фронтекс" → {("fronteks",)}."""
    keys = set()
    for table in _TABLES:
        words = tuple(romanise(word, table) for word in TOKEN.findall(phrase))
        if words:
            keys.add(words)
    return keys


@lru_cache(maxsize=65536)
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


class Trie:
    """Word sequences → payloads; ``matches`` walks it from one token, trying each form of each word."""

    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, words: tuple[str, ...], payload: object) -> None:
        node = self.root
        for word in words:
            node = node.setdefault(word, {})
        node.setdefault(None, []).append(payload)

    def matches(self, tokens: Sequence[Token], at: int) -> list[tuple[int, list]]:
        """(index after the last word, payloads) for every phrase that begins at token ``at``."""
        root = self.root
        if not any(form in root for form in tokens[at].forms):
            return []  # most words begin no phrase
        found: list[tuple[int, list]] = []
        frontier = [root]
        index = at
        while frontier and index < len(tokens) and (index == at or tokens[index].joined):
            following = [node[form] for node in frontier for form in tokens[index].forms if form in node]
            index += 1
            for node in following:
                if None in node:
                    found.append((index, node[None]))
            frontier = following
        return found


@lru_cache(maxsize=8192)
def _fold_one(char: str) -> str:
    folded = fold(char)
    if len(folded) != 1:
        lowered = char.lower()
        folded = lowered if len(lowered) == 1 else char
    return folded


def length_preserving_fold(text: str) -> str:
    """``tracker.text.fold`` one character at a time, each to one character, so that offsets stay the same."""
    return "".join(map(_fold_one, text))


def phrase_regex(phrases: Iterable[str]) -> re.Pattern[str]:
    """Whole-word match of any phrase over folded text (``length_preserving_fold``), the longest that fits.

    The phrases are nested as a trie ("minist(?:er(?:\\s+of|)|ry)"), each branch tried before stopping there: the
    phrases that match at one place are prefixes of one another, so this is the longest-first alternation, read in
    one pass instead of trying a thousand alternatives at every character.
    """
    trie: dict = {}
    for phrase in {length_preserving_fold(phrase) for phrase in phrases}:
        node = trie
        for unit in _units(phrase):
            node = node.setdefault(unit, {})
        node[""] = {}
    return re.compile(rf"(?<![\w\u0300-\u036f]){_trie_pattern(trie)}(?![\w\u0300-\u036f])")


def _units(phrase: str) -> list[str]:
    """A phrase as the trie reads it: its characters, and one space for any run of spaces between its words."""
    return list(" ".join(phrase.split()))


def _trie_pattern(node: dict) -> str:
    """The regex of one trie node: every longer branch first, stopping here last (where a phrase ends)."""
    branches = [
        (r"\s+" if unit == " " else re.escape(unit)) + _trie_pattern(child)
        for unit, child in sorted(node.items())
        if unit
    ]
    if "" in node:
        branches.append("")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
