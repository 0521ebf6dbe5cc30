"""Sentences of a release with their places in the text, and which of the four languages it is written in.

A sentence ends at ".", "!", "?" or "…" (with any closing quotes) followed by space and a capital letter or an
opening quote, or at a line break. A dot after a number followed by a small letter ("15. новембра", "2022.
године") or after a known abbreviation ("Dr.", "г.") ends nothing: Serbian dates are written with dots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

#: Abbreviations whose dot is not a sentence end, lower case without the dot.
ABBREVIATIONS = frozenset(
    (
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "no",
        "nr",
        "art",
        "para",
        "approx",
        "etc",
        "e.g",
        "i.e",
        "vs",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "h.e",
        "г",
        "др",
        "проф",
        "бр",
        "чл",
        "ул",
        "пр",
        "ст",
        "г-дин",
        "г-ѓа",
        "z",
        "zn",
        "dr.",
        "mr.",
        "sh",
        "p.sh",
        "gj",
        "nj",
    )
)

_END = re.compile(r"([.!?…]+)([\"'”»“’)]*)(\s+)(?=[\"'„“«(]?[^\W\d_a-zа-яёђѓєѕіїјљњћќўџçëšžčćđ])|\n+")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text (stripped) and where that text stands."""

    text: str
    start: int
    end: int


def _abbreviated(text: str, dot: int) -> bool:
    """Whether the dot at ``dot`` closes an abbreviation or an initial ("A. Vitorino") rather than a sentence."""
    word = re.search(r"(\S+)$", text[max(0, dot - 12) : dot])
    if word is None:
        return False
    token = word.group(1).lstrip("\"'„“«(").lower()
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, each with its span; blank pieces are dropped."""
    pieces: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        if match.group(1) and match.group(1) == "." and _abbreviated(text, match.start()):
            continue
        cut = match.end(2) if match.group(1) else match.start()
        _add(pieces, text, start, cut)
        start = match.end()
    _add(pieces, text, start, len(text))
    return pieces


#: The longest sentence read as one: a longer run (a list, or text without capitals) is cut at spaces, so that
#: the work per sentence, which compares its words with each other, stays bounded.
MAX_SENTENCE = 1_500


def _add(pieces: list[Sentence], text: str, start: int, end: int) -> None:
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        _add_one(pieces, text, start, cut)
        start = cut
    _add_one(pieces, text, start, end)


def _add_one(pieces: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        offset = start + chunk.index(stripped[0])
        pieces.append(Sentence(stripped, offset, offset + len(stripped)))


_MACEDONIAN = re.compile(r"[ѓќѕ]|\bќе\b|\bсе\b.*\bна\b|\bво\b", re.IGNORECASE)
_SERBIAN_CYRILLIC = re.compile(r"[ћђ]|\bће\b|\bу\b", re.IGNORECASE)
_ALBANIAN = re.compile(r"[ëç]|\b(?:të|dhe|në|për|nga|është)\b", re.IGNORECASE)
_SERBIAN_LATIN = re.compile(r"[čćđšž]|\b(?:je|su|u|i|sa|za|od|će)\b", re.IGNORECASE)


def guess_language(text: str) -> str:
    """ "en", "mk", "sq" or "sr" (both scripts), from the script and each language's tell-tale letters and words.

    Only the choice of words the app writes itself (a title it builds) depends on it; dates and places are read
    in all four languages whatever this says.
    """
    sample = text[:4000]
    cyrillic = len(re.findall(r"[\u0400-\u04ff]", sample))
    latin = len(re.findall(r"[A-Za-z\u00c0-\u024f]", sample))
    if cyrillic > latin:
        macedonian = len(_MACEDONIAN.findall(sample))
        serbian = len(_SERBIAN_CYRILLIC.findall(sample))
        return "mk" if macedonian >= serbian else "sr"
    albanian = len(_ALBANIAN.findall(sample))
    serbian = len(_SERBIAN_LATIN.findall(sample))
    english = len(re.findall(r"\b(?:the|and|of|will|with|to|in)\b", sample, re.IGNORECASE))
    best = max((english, "en"), (albanian, "sq"), (serbian, "sr"))
    return best[1]


#: Where one sentence may hold two events: "On Monday she will meet …, and on Tuesday she will hold talks …".
_CLAUSE_JOIN = re.compile(
    r";\s+|,\s+(?:and|while|whereas|then|а|и|додека|потоа|ndërsa|dhe|kurse|pastaj|a|i|dok|zatim|затим|док)\s+",
    re.IGNORECASE,
)


def split_clauses(sentence: Sentence, dates: list[tuple[int, int]], cues: list[tuple[int, int]]) -> list[Sentence]:
    """The sentence cut between its dated events: where two dates each have an event word on their side of a
    clause join, the join separates two events. ``dates`` and ``cues`` are spans in the whole text."""
    if len(dates) < 2 or len(cues) < 2:
        return [sentence]
    cuts: list[int] = []
    for first, second in pairwise(dates):
        joins = [m for m in _CLAUSE_JOIN.finditer(sentence.text) if first[1] <= sentence.start + m.start() < second[0]]
        if not joins:
            continue
        cut = sentence.start + joins[-1].start()
        previous = cuts[-1] if cuts else sentence.start
        if any(previous <= c[0] < cut for c in cues) and any(cut <= c[0] < sentence.end for c in cues):
            cuts.append(cut)
    pieces: list[Sentence] = []
    start = sentence.start
    for cut in [*cuts, sentence.end]:
        chunk = sentence.text[start - sentence.start : cut - sentence.start]
        stripped = chunk.strip(" ,;")
        if stripped:
            offset = start + chunk.index(stripped)
            pieces.append(Sentence(stripped, offset, offset + len(stripped)))
        start = cut
    return pieces or [sentence]
