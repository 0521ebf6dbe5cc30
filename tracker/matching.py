"""When two names mean the same organisation or person, and how close two names are: the directory's one rule.

Three relations, strictest first:

1. **The same name** (``same_name``, ``name_keys``): the same significant words once case, accents, the script
   (Cyrillic read with either table of ``tracker.text``), small words ("of the", "za", "të"), spacing and
   hyphens are set aside; for people also a leading title ("Dr.", "H.E."). Lookups resolve these without asking.
2. **An acronym**: "IOM" for "International Organization for Migration" (the initials of its significant words,
   or of all its words: "MoI" for "Ministry of Interior"), or the acronym stored with the entry ("MoI CZ").
3. **Close** (``closeness`` at least ``CLOSE``): most words the same, compared loosely (British and American
   spelling, transliteration digraphs such as "sh" for "š", doubled letters, one slip in a long word) and weighed
   by Dice on words. "Ministry of Interior of Serbia" and "… of Croatia" share two words of three (0.67): not close.

A name may hold several spellings: "IOM - the International Organization for Migration" and "Ministry of the
Interior (MoI CZ)" are also read part by part. ``names_of`` computes every form of an entry once (cached), and
``DirectoryIndex`` ranks a directory of thousands of entries per keystroke from those forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from tracker.text import CYRILLIC_TO_ASCII, CYRILLIC_TO_FOLDED_LATIN, romanise

#: Words that do not tell entries apart, in English, the Romance languages, Macedonian, Albanian and Serbian
#: (romanised): "Ministry of the Interior" = "Ministry of Interior", "Ministerstvo za vnatreshni raboti".
SMALL_WORDS = frozenset(
    {
        "the", "of", "for", "and", "a", "an", "on", "in", "at", "to", "by",
        "de", "la", "le", "les", "des", "du", "del", "di", "da", "do", "el", "et", "y", "e",
        "za", "na", "i", "vo", "so", "od", "po", "u", "o", "sa", "s",
        "dhe", "te", "per", "ne", "se",
    }
)  # fmt: skip
#: Titles before a person's name ("Dr. António Vitorino", "H.E. Mr Oliver Spasovski", "д-р", "проф.").
_TITLE = re.compile(
    r"^(?:(?:dr|d-r|prof|mr|mrs|ms|miss|mx|sir|dame|h\.?\s?e|amb|ambassador|doc|mag|ing|eng)(?:\.|\s)+)+"
)
#: Closeness from which two names are offered as probably the same entry.
CLOSE = 0.8
#: Closeness of an acronym to the name it abbreviates (below an equal name, above any word-by-word match).
ACRONYM = 0.95
#: Words this long or longer may differ by a slip (``SequenceMatcher`` ratio at least ``WORD_SLIP``).
SLIP_LENGTH, WORD_SLIP = 7, 0.9
#: An acronym-like form: at most this many words and characters ("MoI CZ", "U.N.", "EUAA").
_ACRONYM_WORDS, _ACRONYM_LENGTH = 3, 12

_WORD = re.compile(r"[a-z0-9]+")
_JOINER = re.compile(r"(?<=\w)[-'’](?=\w)")
#: Where a name holds two spellings: "IOM - the International …", "Name (ACRONYM)", "A / B".
_PARTS = re.compile(r"\s+[-–—/|]\s+|\s*[()\[\]:]\s*")
#: Loose spelling, applied in order to each romanised word: transliteration digraphs, British and American.
_LOOSE_RULES = (
    (re.compile(r"dzh"), "dz"),
    (re.compile(r"([zscdkg])[hj]"), r"\1"),
    (re.compile(r"iz(ation|ations|e|es|ed|ing)$"), r"is\1"),
    (re.compile(r"mme$"), "m"),
    (re.compile(r"our(s?)$"), r"or\1"),
    (re.compile(r"ence$"), "ense"),
    (re.compile(r"(?<=[^aeiou])re$"), "er"),
    (re.compile(r"y$"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
)


@dataclass(frozen=True)
class Names:
    """Every form of one entry's names (or of what someone typed) that the comparisons use."""

    #: Significant words run together, per spelling and Cyrillic table ("ministryinteriorczechrepublic").
    keys: frozenset[str]
    #: Acronym-like forms, letters only: the stored acronym, short spellings, acronym parts ("iom", "moicz").
    acronyms: frozenset[str]
    #: Initials (three letters or more) of the longer spellings: of significant words ("iom"), of all words ("moi").
    initials: frozenset[str]
    #: The loose words of each spelling, for closeness.
    words: tuple[tuple[str, ...], ...]


def _is_acronym_like(part: str) -> bool:
    """Short and mostly capitals, as acronyms are written: "IOM", "MoI CZ", "U.N.", "МВР" (not "Skopje")."""
    letters = [char for char in part if char.isalpha()]
    compact = "".join(_WORD.findall(romanise(part, CYRILLIC_TO_ASCII)))
    return (
        2 <= len(compact) <= _ACRONYM_LENGTH
        and len(part.split()) <= _ACRONYM_WORDS
        and 2 * sum(char.isupper() for char in letters) >= len(letters)
    )


def spellings(name: str) -> tuple[list[str], list[str]]:
    """The parts of a name that holds a name and an acronym ("IOM - the International …", "Name (MoI CZ)"):
    (name parts, acronym parts); both empty unless there are two parts or more and one is acronym-like."""
    parts = [part.strip() for part in _PARTS.split(name) if _WORD.search(romanise(part))]
    acronyms = [part for part in parts if _is_acronym_like(part)]
    if len(parts) < 2 or not acronyms:
        return [], []
    return [part for part in parts if part not in acronyms], acronyms


def _words(name: str, table: dict[str, str], person: bool) -> list[str]:
    """All words of ``name`` romanised with ``table``, hyphenated words joined, a person's titles dropped."""
    text = _JOINER.sub("", romanise(name, table))
    if person:
        text = _TITLE.sub("", text.strip())
    return _WORD.findall(text)


def _significant(words: Iterable[str]) -> list[str]:
    return [word for word in words if word not in SMALL_WORDS]


def loose_word(word: str) -> str:
    """A romanised word spelled loosely (``_LOOSE_RULES``): "vnatreshni" and "vnatrešni", "centre" and "center"."""
    for pattern, replacement in _LOOSE_RULES:
        word = pattern.sub(replacement, word)
    return word


def name_key(name: str, *, person: bool = False) -> str:
    """The significant words of ``name``, folded (``tracker.text.romanise``), joined by single spaces."""
    return " ".join(_significant(_words(name, CYRILLIC_TO_FOLDED_LATIN, person)))


def name_keys(name: str, *, person: bool = False) -> frozenset[str]:
    """The keys of ``name`` under both Cyrillic tables, significant words run together; none when it has none."""
    tables = (CYRILLIC_TO_FOLDED_LATIN, CYRILLIC_TO_ASCII)
    keys = {"".join(_significant(_words(name, table, person))) for table in tables}
    return frozenset(key for key in keys if key)


def _compact(name: str) -> str:
    return "".join(_words(name, CYRILLIC_TO_ASCII, False))


def _names_of(name: str, acronym: str | None = None, aliases: tuple[str, ...] = (), *, person: bool = False) -> Names:
    keys: set[str] = set()
    acronyms: set[str] = set()
    initials: set[str] = set()
    words: list[tuple[str, ...]] = []
    for known in (name, *aliases):
        name_parts, acronym_parts = ([], []) if person else spellings(known)
        acronyms.update(_compact(part) for part in acronym_parts)
        for spelling in (known, *name_parts):
            keys |= name_keys(spelling, person=person)
            every = _words(spelling, CYRILLIC_TO_ASCII, person)
            significant = _significant(every)
            loose = tuple(loose_word(word) for word in significant)
            if loose and loose not in words:
                words.append(loose)
            if person:
                continue
            if len(every) <= _ACRONYM_WORDS and 2 <= len(compact := "".join(every)) <= _ACRONYM_LENGTH:
                acronyms.add(compact)
            for letters in ("".join(word[0] for word in significant), "".join(word[0] for word in every)):
                if len(letters) >= 3:
                    initials.add(letters)
    if acronym and not person and (compact := _compact(acronym)):
        acronyms.add(compact)
    return Names(frozenset(keys), frozenset(acronyms), frozenset(initials), tuple(words))


#: ``names_of(name, acronym, aliases, person=…)``: the forms of one entry, computed once per process.
names_of = lru_cache(maxsize=20_000)(_names_of)


def _word_similarity(first: str, second: str) -> float:
    """1 for the same loose word; the ``SequenceMatcher`` ratio for a slip in a long word; 0 otherwise."""
    if first == second:
        return 1.0
    if min(len(first), len(second)) < SLIP_LENGTH:
        return 0.0
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    if matcher.real_quick_ratio() < WORD_SLIP or matcher.quick_ratio() < WORD_SLIP:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= WORD_SLIP else 0.0


#: ``word_similarity(first, second)``: cached, since a directory's words repeat ("ministry", "interior").
word_similarity = lru_cache(maxsize=200_000)(_word_similarity)


def prefix_weight(typed: str, word: str) -> float:
    """How much a word being typed counts for the longer word it begins: never as much as the whole word."""
    return 0.5 + 0.4 * len(typed) / len(word) if word.startswith(typed) and typed != word else 0.0


def _similarity(word: str, other: str, may_begin: bool) -> float:
    similarity = word_similarity(word, other)
    return similarity or (prefix_weight(word, other) if may_begin else 0.0)


def align(typed: tuple[str, ...], known: tuple[str, ...], *, partial: bool = False) -> tuple[float, int]:
    """Pair each typed word with its most similar unused known word: (sum of similarities, words paired).

    With ``partial`` (someone is still typing), a typed word may also be the beginning of a known word: the
    last one from its first letter, the others from their third.
    """
    total, paired, used = 0.0, 0, set()
    for position, word in enumerate(typed):
        may_begin = partial and (position == len(typed) - 1 or len(word) >= 3)
        best, best_at = 0.0, -1
        for at, other in enumerate(known):
            if at not in used and (similarity := _similarity(word, other, may_begin)) > best:
                best, best_at = similarity, at
        if best_at >= 0:
            used.add(best_at)
            total += best
            paired += 1
    return total, paired


def dice(typed: tuple[str, ...], known: tuple[str, ...], *, partial: bool = False) -> float:
    """Dice's coefficient on words: twice the similarity of the pairs over the words of both."""
    return 2 * align(typed, known, partial=partial)[0] / (len(typed) + len(known))


def _acronym_score(typed: Names, known: Names) -> float:
    """1 for the same key or acronym, ``ACRONYM`` for an acronym against initials, else 0."""
    if typed.keys & known.keys or typed.acronyms & known.acronyms:
        return 1.0
    if typed.acronyms & known.initials or typed.initials & known.acronyms:
        return ACRONYM
    return 0.0


def _words_score(typed: tuple[str, ...], known: tuple[str, ...], partial: bool) -> float:
    """Dice when close; when every typed word is found in a longer name, a lower "contains" score; else 0."""
    total, paired = align(typed, known, partial=partial)
    similarity = 2 * total / (len(typed) + len(known))
    if similarity >= CLOSE:
        return similarity
    return 0.4 + 0.4 * similarity if paired == len(typed) else 0.0


def score(typed: Names, known: Names, *, partial: bool = False) -> float:
    """How well ``known`` answers ``typed``, 0–1: 1 the same name or acronym, ``ACRONYM`` initials, else words.

    From ``CLOSE`` up: probably the same entry. Below it: ``known`` contains every typed word (a suggestion
    while typing, "Ministry" for every ministry). 0: not an answer.
    """
    found = _acronym_score(typed, known)
    if found == 1.0:
        return found
    pairs = ((one, other) for one in typed.words for other in known.words)
    return max([found, *(_words_score(one, other, partial) for one, other in pairs)])


def closeness(first: str, second: str, *, person: bool = False) -> float:
    """How close two names are, 0–1: ``score``'s key and acronym levels, then Dice on words (no "contains")."""
    one, other = names_of(first, person=person), names_of(second, person=person)
    found = max(_acronym_score(one, other), _acronym_score(other, one))
    if found == 1.0:
        return found
    return max([found, *(dice(a, b) for a in one.words for b in other.words)])


def same_name(first: str, second: str, *, person: bool = False) -> bool:
    """Whether two spellings name the same entry (a shared key): lookups resolve these without asking."""
    return bool(name_keys(first, person=person) & name_keys(second, person=person))


def is_close(first: str, second: str, *, person: bool = False) -> bool:
    """Whether two names probably mean the same entry (the editor is asked before a new one is made)."""
    return closeness(first, second, person=person) >= CLOSE


@dataclass(frozen=True)
class Entry:
    """One directory entry as the index holds it: its id and the forms of its names."""

    id: int
    names: Names


def _may_pair(word: str, known: str, may_begin: bool) -> bool:
    """Whether ``align`` may pair the typed ``word`` with ``known`` (lengths first: most words differ in them)."""
    if word == known or (may_begin and known.startswith(word)):
        return True
    return len(known) >= SLIP_LENGTH and abs(len(known) - len(word)) <= 2 and word_similarity(word, known) > 0


class DirectoryIndex:
    """A directory's entries by their words, keys, acronyms and initials, ranked against what someone types.

    Only entries sharing something with the typed name are scored, and each typed word is compared with the
    directory's distinct words once (not once per entry): a few thousand entries rank within milliseconds.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = {entry.id: entry.names for entry in entries}
        self._by_form: dict[str, set[int]] = {}  # keys, acronyms and initials, marked apart by a prefix
        self._by_word: dict[str, set[int]] = {}
        for entry_id, names in self.entries.items():
            forms = [f"k:{key}" for key in names.keys] + [f"a:{form}" for form in names.acronyms]
            for form in forms + [f"i:{form}" for form in names.initials]:
                self._by_form.setdefault(form, set()).add(entry_id)
            for word in {word for words in names.words for word in words}:
                self._by_word.setdefault(word, set()).add(entry_id)

    def _with_forms(self, forms: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for form in forms:
            found |= self._by_form.get(form, set())
        return found

    def _with_words(self, typed: Names, partial: bool) -> set[int]:
        """Entries holding a word similar to a typed word (or, while typing, one a typed word begins)."""
        found: set[int] = set()
        for words in typed.words:
            for position, word in enumerate(words):
                may_begin = partial and (position == len(words) - 1 or len(word) >= 3)
                for known, ids in self._by_word.items():
                    if _may_pair(word, known, may_begin):
                        found |= ids
        return found

    def candidates(self, typed: Names, *, partial: bool = False) -> set[int]:
        """Ids of the entries that may answer ``typed`` (a superset of those ``score`` gives more than 0)."""
        forms = [f"k:{key}" for key in typed.keys] + [f"a:{form}" for form in typed.acronyms]
        forms += [f"i:{form}" for form in typed.acronyms] + [f"a:{form}" for form in typed.initials]
        return self._with_forms(forms) | self._with_words(typed, partial)

    def rank(
        self, typed: Names, *, limit: int = 5, exclude_ids: Iterable[int] = (), partial: bool = False
    ) -> list[tuple[int, float]]:
        """(id, score) of the entries answering ``typed``, best first (ties: lowest id), at most ``limit``."""
        excluded = set(exclude_ids)
        scored = [
            (entry_id, found)
            for entry_id in self.candidates(typed, partial=partial) - excluded
            if (found := score(typed, self.entries[entry_id], partial=partial)) > 0
        ]
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:limit]


#: ``directory_index(entries)``: an index kept while the directory stays the same (``entries`` is a tuple).
directory_index = lru_cache(maxsize=8)(DirectoryIndex)
