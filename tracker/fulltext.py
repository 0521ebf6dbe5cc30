"""How free text becomes a full-text condition on events, the same way on SQLite and PostgreSQL.

The index (built by migration 0002 and kept current by triggers, so bulk loads and renamed organisations
are covered too) holds, per event: title; organisation names and acronyms, people and tags; venue and
city; description. SQLite uses FTS5 (``unicode61 remove_diacritics 2``), PostgreSQL a weighted
``tsvector`` of the ``simple`` configuration over ``tracker_search_fold(text)`` with a GIN index.

Both sides fold text the same way (``fold``): lower case, Latin diacritics removed (``Rakušan`` →
``rakusan``), a few letters without a decomposition spelled out (``ł`` → ``l``, ``ß`` → ``ss``); Cyrillic
stays Cyrillic. Each query word is matched as a prefix, in its own script and transliterated (Macedonian
rules), so ``Skopje`` finds ``Скопје`` and ``Скопје`` finds ``Skopje``.

A pure helper below ``tracker.filters`` (which needs ``search_condition`` for ``q``) and
``tracker.services.search`` (ranking and highlighting).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sqlalchemy import Boolean, ColumnElement, String, bindparam, false
from sqlalchemy.ext.compiler import compiles

from tracker.models import Event
from tracker.text import CYRILLIC_TO_ASCII, CYRILLIC_TO_FOLDED_LATIN, fold, romanise

MAX_WORDS = 12
WORD = re.compile(r"[^\W_]+")

#: Latin (lower case, accents kept) → Macedonian Cyrillic; digraphs first.
LATIN_TO_CYRILLIC = {
    "dzh": "џ", "dž": "џ", "gj": "ѓ", "kj": "ќ", "lj": "љ", "nj": "њ", "zh": "ж", "ch": "ч", "sh": "ш",
    "dz": "ѕ", "ǵ": "ѓ", "ḱ": "ќ", "ž": "ж", "č": "ч", "š": "ш", "ć": "ћ", "đ": "ђ",
    "a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "ј",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т",
    "u": "у", "v": "в", "w": "в", "x": "кс", "y": "ј", "z": "з",
}  # fmt: skip
_LATIN_TO_CYRILLIC_KEYS = sorted(LATIN_TO_CYRILLIC, key=len, reverse=True)


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in word)


def _to_cyrillic(word: str) -> str | None:
    """Macedonian Cyrillic spelling of a Latin word, or None when it holds anything but letters."""
    out: list[str] = []
    position = 0
    while position < len(word):
        for key in _LATIN_TO_CYRILLIC_KEYS:
            if word.startswith(key, position):
                out.append(LATIN_TO_CYRILLIC[key])
                position += len(key)
                break
        else:
            folded = fold(word[position])
            if folded not in LATIN_TO_CYRILLIC:
                return None
            out.append(LATIN_TO_CYRILLIC[folded])
            position += 1
    return "".join(out)


def word_variants(word: str) -> tuple[str, ...]:
    """The folded forms one query word may take in the index: as typed, and in the other script."""
    lowered = word.lower()
    variants = [fold(lowered)]
    if _is_cyrillic(lowered):
        variants += [romanise(lowered, CYRILLIC_TO_ASCII), romanise(lowered, CYRILLIC_TO_FOLDED_LATIN)]
    elif lowered.isalpha():
        cyrillic = _to_cyrillic(lowered)
        if cyrillic:
            variants.append(cyrillic)
    return tuple(dict.fromkeys(variant for variant in variants if variant))


@lru_cache(maxsize=1024)
def query_words(query: str) -> tuple[tuple[str, ...], ...]:
    """Variants of each word of ``query`` (at most ``MAX_WORDS`` words, duplicates dropped).

    Cached: a search page asks for them several times (condition, index query, highlighting), and the
    transliteration costs milliseconds on a long query."""
    words = list(dict.fromkeys(fold(match) for match in WORD.findall(query)))[:MAX_WORDS]
    return tuple(variants for variants in map(word_variants, words) if variants)


def fts5_query(query: str) -> str:
    """FTS5 MATCH text: every word must match, each as a prefix, in any of its variants."""
    groups = ["(" + " OR ".join(f'"{variant}"*' for variant in variants) + ")" for variants in query_words(query)]
    return " AND ".join(groups)


def tsquery(query: str) -> str:
    """PostgreSQL ``to_tsquery`` text with the same meaning as ``fts5_query``."""
    groups = ["(" + " | ".join(f"'{variant}':*" for variant in variants) + ")" for variants in query_words(query)]
    return " & ".join(groups)


class FullTextMatch(ColumnElement[bool]):
    """``event.id`` is in the full-text index's matches: rendered as FTS5 MATCH or tsvector ``@@``.

    A construct of its own because the condition must be built before the dialect is known (an
    ``EventFilter`` is built once and applied to queries on either database).
    """

    type = Boolean()
    inherit_cache = False  # holds its parameters outside the cache key

    def __init__(self, query: str) -> None:
        self.fts5 = fts5_query(query)
        self.tsquery = tsquery(query)


@compiles(FullTextMatch, "sqlite")
def _compile_sqlite(element: FullTextMatch, compiler: Any, **kw: Any) -> str:
    event_id = compiler.process(Event.__table__.c.id, **kw)  # type: ignore[attr-defined]
    value = compiler.process(bindparam("fts5_query", element.fts5, type_=String(), unique=True), **kw)
    return f"{event_id} IN (SELECT rowid FROM event_search WHERE event_search MATCH {value})"


@compiles(FullTextMatch, "postgresql")
def _compile_postgresql(element: FullTextMatch, compiler: Any, **kw: Any) -> str:
    event_id = compiler.process(Event.__table__.c.id, **kw)  # type: ignore[attr-defined]
    value = compiler.process(bindparam("tsquery", element.tsquery, type_=String(), unique=True), **kw)
    return (
        f"{event_id} IN (SELECT event_search.event_id FROM event_search "
        f"WHERE event_search.document @@ to_tsquery('simple'::regconfig, {value}))"
    )


def search_condition(query: str) -> ColumnElement[bool]:
    """Full-text condition for ``query`` (used by ``EventFilter`` for ``q``); false when it has no words."""
    if not query_words(query):
        return false()
    return FullTextMatch(query)
