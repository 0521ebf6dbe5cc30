"""When two names mean the same organisation or person: the directory's one matching rule.

(First version: equal keys only; the matching work replaces it with acronyms and closeness.)
"""

from __future__ import annotations

import re

from tracker.text import romanise

#: Words that do not tell organisations apart ("Ministry of the Interior" = "Ministry of Interior").
SMALL_WORDS = frozenset({"the", "of", "for", "and", "a", "an", "de", "la", "le", "des", "du", "za", "na", "i", "e"})
_WORD = re.compile(r"[a-z0-9]+")


def name_key(name: str) -> str:
    """The words of ``name`` that matter, folded (``tracker.text.romanise``) and joined by single spaces."""
    return " ".join(word for word in _WORD.findall(romanise(name)) if word not in SMALL_WORDS)


def same_name(first: str, second: str) -> bool:
    """Whether two spellings name the same entry (equal keys)."""
    key = name_key(first)
    return bool(key) and key == name_key(second)
