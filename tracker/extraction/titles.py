"""A draft's title: the event's own name when the release gives one, else a short one in the release's language.

Named events are quoted ("Ministerial Conference on …", „Министерска конференција …“) or written with capitals
around their event word ("the Ministerial Conference on Sustainable Migration Management in the Western Balkans,
organized by …"). Otherwise the release's own words around the event word are kept ("working visit to Geneva" →
"Working visit to Geneva"), and a meeting is named after whoever met ("Meeting of Oliver Spasovski and …").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tracker.extraction.event_words import KIND_PATTERNS, TITLE_GLUE

#: The longest title proposed; the editor's form allows 300 characters.
MAX_TITLE = 200

_QUOTED = re.compile(r'"([^"]{8,200})"|“([^“”]{8,200})”|„([^„“”]{8,200})[“”]|«([^«»]{8,200})»')
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+", re.UNICODE)

#: How a meeting is named after its people (or organisations), per language.
MEETING_TITLE = {
    "en": "Meeting of {names}",
    "mk": "Средба на {names}",
    "sq": "Takim i {names}",
    "sr": "Sastanak: {names}",
}
AND = {"en": "and", "mk": "и", "sq": "dhe", "sr": "i"}


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word.isdigit()


def _named(sentence: str, cue: re.Match[str]) -> str | None:
    """The capitalised name around the event word, if the release writes one."""
    tokens = list(_WORD.finditer(sentence))
    index = next((i for i, token in enumerate(tokens) if token.start() <= cue.start() < token.end()), None)
    if index is None:
        return None
    first = index
    while first > 0 and _capitalised(tokens[first - 1].group()) and _joined(sentence, tokens[first - 1], tokens[first]):
        first -= 1
    if not _capitalised(tokens[first].group()):
        return None
    last = index
    while last + 1 < len(tokens) and _joined(sentence, tokens[last], tokens[last + 1]):
        following = tokens[last + 1].group()
        glue = following.lower() in TITLE_GLUE and last + 2 < len(tokens) and _capitalised(tokens[last + 2].group())
        if not (_capitalised(following) or glue):
            break
        last += 1
    if last == first and first == index:
        return None
    return sentence[tokens[first].start() : tokens[last].end()]


def _joined(sentence: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Whether two words stand in one phrase: only spaces (or a hyphen or dash: "EU–Western Balkans") between."""
    return sentence[left.end() : right.start()].strip(" -–—") == ""


def _around(sentence: str, cue: re.Match[str], place: str | None) -> str:
    """The release's own words: an adjective before the event word, and the place when it follows closely."""
    start = cue.start()
    before = re.search(r"([^\W\d_]+)\s+$", sentence[:start])
    if before and not _capitalised(before.group(1)) and before.group(1).lower() not in TITLE_GLUE:
        start = before.start(1)
    end = cue.end()
    if place:
        at = sentence.find(place, cue.end())
        if 0 <= at - cue.end() <= 40:
            end = at + len(place)
    text = " ".join(sentence[start:end].split())
    return text[:1].upper() + text[1:]


def event_title(
    kind: str,
    sentence: str,
    cue: re.Match[str],
    language: str,
    place: str | None,
    people: Sequence[str],
    organisations: Sequence[str],
) -> str:
    """The title proposed for an event named by ``cue`` in ``sentence``."""
    for quoted in _QUOTED.finditer(sentence):
        name = next(part for part in quoted.groups() if part)
        if len(name.split()) >= 2 and _capitalised(name) and KIND_PATTERNS[kind].search(name):
            return name.strip()[:MAX_TITLE]
    named = _named(sentence, cue)
    if named and len(named.split()) >= 2:
        return named[:MAX_TITLE]
    if kind == "meeting" and (people or organisations):
        names = list(people[:2]) or list(organisations[:2])
        joined = f" {AND.get(language, 'and')} ".join(names)
        return MEETING_TITLE.get(language, MEETING_TITLE["en"]).format(names=joined)[:MAX_TITLE]
    return _around(sentence, cue, place)[:MAX_TITLE]
