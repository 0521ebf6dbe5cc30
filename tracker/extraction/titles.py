"""A draft's title: the event's own name when the release gives one, else a short one in the release's language.

Named events are quoted ("Ministerial Conference on …", „Министерска конференција …“) or written with capitals
around their event word ("the Ministerial Conference on Sustainable Migration Management in the Western Balkans,
organized by …"). Otherwise the release's own words around the event word are kept ("working visit to Geneva" →
"Working visit to Geneva"), and a meeting is named after whoever met ("Meeting of Oliver Spasovski and …").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from tracker.extraction.dates import date_word, find_dates
from tracker.extraction.event_words import KIND_PATTERNS, SENTENCE_OPENERS, TITLE_GLUE

#: The longest title proposed; the editor's form allows 300 characters.
MAX_TITLE = 200

_QUOTED = re.compile(r'"([^"]{8,200})"|“([^“”]{8,200})”|„([^„“”]{8,200})[“”]|«([^«»]{8,200})»')
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+", re.UNICODE)

#: Words that say what an event is about; the title keeps them and at most MAX_ABOUT_WORDS words after.
ABOUT = re.compile(r"\s*(?:on|about|for|of|за|о|об|për|mbi|rreth|o|na\s+temu|на\s+тему)\s", re.IGNORECASE)
MAX_ABOUT_WORDS = 12
#: Small words a title does not end with.
TRAILING_GLUE = ("on", "in", "at", "of", "the", "and", "to", "from", "во", "на", "од", "и", "у", "u", "od", "i", "në",
                 "nga", "më", "dhe", "e", "до", "deri", "do")  # fmt: skip

#: How a meeting is named after its people (or organisations), per language.
MEETING_TITLE = {
    "en": "Meeting of {names}",
    "mk": "Средба на {names}",
    "sq": "Takim i {names}",
    "sr": "Sastanak: {names}",
    "sr-Cyrl": "Састанак: {names}",
}
AND = {"en": "and", "mk": "и", "sq": "dhe", "sr": "i", "sr-Cyrl": "и"}


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word.isdigit()


def _named(sentence: str, cue: re.Match[str]) -> str | None:
    """The capitalised name around a capitalised event word ("the Ministerial Conference on … in the Western
    Balkans"); words that open sentences ("The", "Mbahet") and month names are no part of it."""
    tokens = list(_WORD.finditer(sentence))
    index = next((i for i, token in enumerate(tokens) if token.start() <= cue.start() < token.end()), None)
    if index is None or not _capitalised(tokens[index].group()):
        return None
    first = index
    while first > 0 and _capitalised(tokens[first - 1].group()) and _joined(sentence, tokens[first - 1], tokens[first]):
        first -= 1
    while first < index and _opener(tokens[first].group()):
        first += 1
    if first == index and index == 0:
        return None  # a sentence that begins with the event word: "Konferenca rajonale …" is no name
    last = index
    while last + 1 < len(tokens) and _joined(sentence, tokens[last], tokens[last + 1]):
        following = tokens[last + 1].group()
        glue = following.lower() in TITLE_GLUE and last + 2 < len(tokens) and _capitalised(tokens[last + 2].group())
        if not (_capitalised(following) or glue):
            break
        last += 1
    if last == first:
        return None
    return sentence[tokens[first].start() : tokens[last].end()]


def _opener(word: str) -> bool:
    """A word that opens sentences and names nothing: "The", "During", "Mbahet", a month, weekday or "today"."""
    return word.lower() in SENTENCE_OPENERS or date_word(word) is not None


def _joined(sentence: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Whether two words stand in one phrase: only spaces (or a hyphen or dash: "EU–Western Balkans") between."""
    return sentence[left.end() : right.start()].strip(" -–—") == ""


def _around(sentence: str, cue: re.Match[str], place: str | None) -> str:
    """The release's own words: an adjective before the event word ("working", "high-level"), what it is about
    ("on the protection of children …", "за граничната безбедност") and the place when it follows closely,
    never past a comma or a date."""
    start = cue.start()
    before = re.search(r"([^\W\d_][\w-]*)\s+$", sentence[:start])
    if before and not _capitalised(before.group(1)) and before.group(1).lower() not in TITLE_GLUE:
        start = before.start(1)
    clause = re.match(r"[^,;:()\"“”„«»]*", sentence[cue.end() :])
    rest = clause.group() if clause else ""
    dated = find_dates(rest, date(2000, 1, 1))
    if dated:
        rest = rest[: dated[0].span[0]]
    end = cue.end()
    about = ABOUT.match(rest)
    if about:
        words = rest.split()
        end = cue.end() + len(" ".join(words[:MAX_ABOUT_WORDS])) + (len(rest) - len(rest.lstrip()))
    elif place and 0 <= rest.find(place) <= 40:
        end = cue.end() + rest.find(place) + len(place)
    text = " ".join(sentence[start:end].split()).rstrip(" ,.-–")
    text = re.sub(r"\s+(?:" + "|".join(map(re.escape, TRAILING_GLUE)) + r")$", "", text, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]


def from_headline(headline: str, dateline: date) -> str:
    """A release's headline as a title: its dates taken out ("… од 30 ноември до 1 декември во Белград")."""
    for mention in reversed(find_dates(headline, dateline)):
        headline = headline[: mention.span[0]] + headline[mention.span[1] :]
    words = headline.split()
    while words and words[-1].lower().strip(",.:;") in TRAILING_GLUE:
        words.pop()
    return " ".join(words).strip(" ,.;:–-")[:MAX_TITLE]


def event_title(
    kind: str,
    sentence: str,
    cue: re.Match[str],
    language: str,
    place: str | None,
    people: Sequence[str],
    organisations: Sequence[str],
    headline: str | None = None,
) -> str:
    """The title proposed for an event named by ``cue`` in ``sentence`` (``headline``: the release's, when it
    reports this one event alone)."""
    for quoted in _QUOTED.finditer(sentence):
        name = next(part for part in quoted.groups() if part)
        if len(name.split()) >= 2 and _capitalised(name) and KIND_PATTERNS[kind].search(name):
            return name.strip()[:MAX_TITLE]
    named = _named(sentence, cue)
    if named and len(named.split()) >= 2:
        return named[:MAX_TITLE]
    if headline:
        return headline
    if kind == "meeting" and (people or organisations):
        names = list(people[:2]) or list(organisations[:2])
        joined = f" {AND.get(language, 'and')} ".join(names)
        return MEETING_TITLE.get(language, MEETING_TITLE["en"]).format(names=joined)[:MAX_TITLE]
    return _around(sentence, cue, place)[:MAX_TITLE]


def title_language(language: str, text: str) -> str:
    """The language of the words a title is built with: Serbian in the script the release is written in."""
    if language == "sr" and len(re.findall(r"[\u0400-\u04ff]", text[:2000])) > len(re.findall(r"[a-z]", text[:2000])):
        return "sr-Cyrl"
    return language
