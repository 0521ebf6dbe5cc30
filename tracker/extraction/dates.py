"""Date expressions in a press release, resolved against its dateline: the first step from a release to events.

``find_dates`` finds single days ("10 November 2022", "November 10, 2022", "10.11.2022", "15. новембра 2022."),
ranges ("November 15-16, 2022", "15–16 November", "from 30 November to 1 December", "od 15. do 16. novembra"),
weekdays ("on Monday", "Monday's meeting", "во понеделникот", "të hënën") and relative words ("today",
"утре", "dje", "next week") in English, Macedonian, Albanian and Serbian (both scripts). Our own expressions,
compiled once, rather than ``dateparser``: it misreads "15–16 November" as 2016, loses range ends and is slow.

A date without a year takes the year that puts it nearest the dateline. A weekday is the most recent one on or
before the dateline (releases report what happened), unless a word ("next") or a future verb in its sentence
("will", "ќе", "do të", "ће") says it is coming; a possessive ("Monday's meeting") is always past.
Where matches overlap, the longest wins; numbers without a month, times and bare years are never dates.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from tracker.extraction.date_words import (
    FUTURE,
    LANGUAGES,
    MONTHS,
    RANGE_FROM,
    RANGE_JOIN,
    RELATIVE_DAYS,
    RELATIVE_WEEKS,
    WEEKDAY_AFTER,
    WEEKDAY_WORDS,
    WEEKDAYS,
    forms,
)

#: The longest a range may run; a longer one is a misreading.
MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class DateMention:
    """One date expression: the days it names (``end`` inclusive) and where it stands in the text."""

    start: date
    end: date
    span: tuple[int, int]
    text: str
    relative: bool


def _key(words: str) -> str:
    """How a matched word is looked up: lower case, single spaces, no abbreviation dot."""
    return " ".join(words.lower().split()).rstrip(".")


def _alternation(words: Sequence[str]) -> str:
    """A regex matching any of ``words`` as whole words; "nov." also matches "Nov" and "Nov.".

    The words are folded into a trie ("nov(?:ember|\\.?)"), so that a word start tries each letter once.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in " ".join(word.lower().rstrip(".").split()):
            node = node.setdefault(char, {})
        node[""] = {"abbreviation": node.get("", {}).get("abbreviation", False) or word.endswith(".")}
    return _trie_regex(trie) + r"(?!\w)"


def _trie_regex(node: dict[str, dict]) -> str:
    """The regex of one trie node: its continuations, then (if a word ends here) the empty end."""
    options = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_regex(child) for char, child in node.items() if char
    ]
    if "" in node:
        options.append(r"\.?" if node[""]["abbreviation"] else "")
    return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"


def _lookup(table: dict[str, list[str]], languages: Sequence[str]) -> dict[str, int]:
    """Form → 1-based position (month number, weekday number + 1) over the chosen languages."""
    return {
        _key(form): number for lang in languages for number, entry in enumerate(table[lang], 1) for form in forms(entry)
    }


def _forms(table: dict[str, list[str]], languages: Sequence[str]) -> list[str]:
    """Every form in ``table`` for ``languages``, abbreviation dots kept."""
    return [form for lang in languages for entry in table[lang] for form in forms(entry)]


_DAY_NUMBER = r"(?:0?[1-9]|[12]\d|3[01])"
_DAY = _DAY_NUMBER + r"(?:\.|st|nd|rd|th|-?(?:ти|ви|ри|ми))?(?![\d:])"
_YEAR = r"(?:19|20)\d{2}(?![\d:])(?:\.?\s+(?:године|godine|година|godina|г\.|g\.)(?!\w))?"
_START = r"(?<![\w.:/\-–—])"


@dataclass(frozen=True)
class _Grammar:
    """The compiled expressions and lookup tables for one choice of languages."""

    months: dict[str, int]
    weekdays: dict[str, int]
    weekday_words: dict[str, str]
    days: dict[str, int]
    weeks: dict[str, int]
    day_first: re.Pattern[str]
    month_first: re.Pattern[str]
    numeric: re.Pattern[str]
    weekday: re.Pattern[str]
    relative: re.Pattern[str]
    future: re.Pattern[str]


@lru_cache(maxsize=16)
def _grammar(languages: tuple[str, ...]) -> _Grammar:
    """Build the expressions for ``languages`` once (cached; the default set is built at import)."""
    months = _lookup(MONTHS, languages)
    weekdays = _lookup(WEEKDAYS, languages)
    weekday_words = {word: meaning for lang in languages for word, meaning in WEEKDAY_WORDS[lang].items()}
    days = {word: offset for lang in languages for word, offset in RELATIVE_DAYS[lang].items()}
    weeks = {word: offset for lang in languages for word, offset in RELATIVE_WEEKS[lang].items()}
    month = _alternation(_forms(MONTHS, languages))
    weekday = _alternation(_forms(WEEKDAYS, languages))
    starts = _alternation([word for lang in languages for word in RANGE_FROM[lang].split()])
    joins = _alternation([word for lang in languages for word in forms(RANGE_JOIN[lang])])
    join = rf"(?:\s*[-–—]\s*|\s+{joins}\s+)"
    lead = rf"(?:{weekday},?\s+)?"
    year = rf"(?:,?\s+(?P<y2>{_YEAR}))?"
    day_first = (
        rf"{_START}{lead}(?:(?:{starts}\s+)?(?P<d1>{_DAY})(?:\s+(?:of\s+)?(?P<m1>{month})(?:,?\s+(?P<y1>{_YEAR}))?)?"
        rf"{join})?(?P<d2>{_DAY})\s*(?:of\s+)?(?P<m2>{month}){year}"
    )
    month_first = (
        rf"{_START}{lead}(?:{starts}\s+)?(?P<m1>{month})\s+(?P<d1>{_DAY})"
        rf"(?:{join}(?:(?P<m2>{month})\s+)?(?P<d2>{_DAY}))?{year}"
    )
    numeric = (
        rf"{_START}(?:(?P<d1>{_DAY_NUMBER})\.?\s*[-–]\s*)?(?P<d2>{_DAY_NUMBER})(?P<sep>[./])\s?"
        rf"(?P<m2>0?[1-9]|1[0-2])(?P=sep)\s?(?P<y2>(?:19|20)\d{{2}})(?![\d:])"
        rf"|{_START}(?P<iy>(?:19|20)\d{{2}})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])(?![\d:])"
    )
    before = _alternation(list(weekday_words))
    after = _alternation(list(WEEKDAY_AFTER)) if "sq" in languages else r"(?!)"
    weekday_expr = (
        rf"(?<![\w\-])(?:(?P<before>{before})\s+)?(?P<wd>{weekday})(?P<poss>['’]s)?(?:\s+(?P<after>{after}))?"
    )
    relative = rf"(?<![\w\-])(?P<rel>{_alternation(list(days) + list(weeks))})"
    future = r"(?<!\w)(?:" + "|".join(FUTURE[lang] for lang in languages) + r")(?!\w)"
    flags = re.IGNORECASE
    return _Grammar(
        months,
        weekdays,
        weekday_words,
        days,
        weeks,
        re.compile(day_first, flags),
        re.compile(month_first, flags),
        re.compile(numeric, flags),
        re.compile(weekday_expr, flags),
        re.compile(relative, flags),
        re.compile(future, flags),
    )


def _number(text: str | None) -> int | None:
    """The digits at the start of a day or year ("15." → 15, "2022. godine" → 2022)."""
    if text is None:
        return None
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def _nearest(month: int, day: int, dateline: date) -> date | None:
    """The day and month in the year (dateline's, or one either side) nearest the dateline."""
    candidates = []
    for year in (dateline.year - 1, dateline.year, dateline.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda day_: abs((day_ - dateline).days), default=None)


def _range(
    d1: int | None, m1: int | None, y1: int | None, d2: int, m2: int, y2: int | None, dateline: date
) -> tuple[date, date] | None:
    """Resolve the parts of a range (the first day's missing parts come from the second); None if impossible."""
    first_month = m1 or m2
    first_day = d1 if d1 is not None else d2
    try:
        if y2 is None and y1 is None:
            start = _nearest(first_month, first_day, dateline)
            if start is None:
                return None
            end = date(start.year + (first_month > m2), m2, d2)  # "30 December to 2 January" crosses a year
        else:
            end = date(y2 or y1, m2, d2)  # type: ignore[arg-type]
            start = date(y1 or end.year, first_month, first_day)
            if first_month > m2 and y1 is None:
                start = date(end.year - 1, first_month, first_day)
    except ValueError:
        return None
    if not 0 <= (end - start).days <= MAX_RANGE_DAYS:
        return None
    return start, end


def _from_match(match: re.Match[str], grammar: _Grammar, dateline: date) -> tuple[date, date] | None:
    """The days a calendar-date match names (day-first, month-first or numeric)."""
    groups = match.groupdict()
    if groups.get("iy"):
        try:
            day = date(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
        except ValueError:
            return None
        return day, day

    def month(name: str) -> int | None:
        value = groups.get(name)
        if value is None:
            return None
        return int(value) if value.isdigit() else grammar.months[_key(value)]

    m1, m2 = month("m1"), month("m2")
    d1, d2 = _number(groups["d1"]), _number(groups["d2"])
    if d2 is None:  # month-first single day: "November 10, 2022"
        d1, d2, m1, m2 = None, d1, None, m1
    if m2 is None:  # month-first range in one month: "November 15-16"
        m1, m2 = None, m1
    return _range(d1, m1, _number(groups.get("y1")), d2, m2, _number(groups["y2"]), dateline)  # type: ignore[arg-type]


class _Sentences:
    """Whether each sentence of a text speaks of the future, read once per sentence however many weekdays it has."""

    def __init__(self, text: str, future: re.Pattern[str]) -> None:
        self.text = text
        self.future = future
        self.ends = [match.end() for match in re.finditer(r"[.!?…]+[\"'”»“]*\s+|\n", text)]
        self.seen: dict[int, bool] = {}

    def future_at(self, position: int) -> bool:
        """Whether the sentence holding ``position`` has a verb in the future."""
        index = bisect.bisect_right(self.ends, position)
        if index not in self.seen:
            start = self.ends[index - 1] if index else 0
            end = self.ends[index] if index < len(self.ends) else len(self.text)
            self.seen[index] = self.future.search(self.text, start, end) is not None
        return self.seen[index]


def _weekday(match: re.Match[str], grammar: _Grammar, dateline: date, sentences: _Sentences) -> date:
    """The day a weekday expression names: past by default, coming after "next" or a future verb."""
    target = grammar.weekdays[_key(match["wd"])] - 1
    meaning = grammar.weekday_words.get(_key(match["before"] or ""), "")
    meaning = WEEKDAY_AFTER.get(_key(match["after"] or ""), meaning)
    back = (dateline.weekday() - target) % 7
    ahead = (target - dateline.weekday()) % 7
    if meaning == "next":
        return dateline + timedelta(days=ahead or 7)
    if meaning == "last":
        return dateline - timedelta(days=back or 7)
    if not match["poss"] and sentences.future_at(match.start()):
        return dateline + timedelta(days=ahead)
    return dateline - timedelta(days=back)


def _relative(match: re.Match[str], grammar: _Grammar, dateline: date) -> tuple[date, date]:
    """The day or working week a relative word names."""
    word = _key(match["rel"])
    if word in grammar.days:
        day = dateline + timedelta(days=grammar.days[word])
        return day, day
    monday = dateline - timedelta(days=dateline.weekday()) + timedelta(weeks=grammar.weeks[word])
    return monday, monday + timedelta(days=4)


def _candidates(text: str, dateline: date, grammar: _Grammar) -> list[DateMention]:
    """Every match of every expression, overlapping ones included."""
    found: list[DateMention] = []

    def add(match: re.Match[str], days: tuple[date, date] | None, relative: bool) -> None:
        if days is not None:
            found.append(DateMention(days[0], days[1], match.span(), match.group(), relative))

    for pattern in (grammar.day_first, grammar.month_first, grammar.numeric):
        for match in pattern.finditer(text):
            add(match, _from_match(match, grammar, dateline), False)
    for match in grammar.relative.finditer(text):  # before weekdays: "sledeće nedelje" is next week, not Sunday
        add(match, _relative(match, grammar, dateline), True)
    sentences = _Sentences(text, grammar.future)
    for match in grammar.weekday.finditer(text):
        day = _weekday(match, grammar, dateline, sentences)
        add(match, (day, day), True)
    return found


def _longest(mentions: list[DateMention]) -> list[DateMention]:
    """Where mentions overlap keep the longest (on a tie the earlier, then the one found first), in text order."""
    starts: list[int] = []
    kept: list[DateMention] = []
    for mention in sorted(mentions, key=lambda m: (m.span[0] - m.span[1], m.span[0])):
        index = bisect.bisect_left(starts, mention.span[0])
        if index < len(kept) and kept[index].span[0] < mention.span[1]:
            continue  # the next kept one starts inside this one
        if index and kept[index - 1].span[1] > mention.span[0]:
            continue  # the previous kept one runs into this one
        starts.insert(index, mention.span[0])
        kept.insert(index, mention)
    return kept


def find_dates(text: str, dateline: date, languages: Sequence[str] = LANGUAGES) -> list[DateMention]:
    """Every date expression in ``text``, resolved against ``dateline``, in text order without overlaps."""
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise ValueError(f"Dates can be read in {', '.join(LANGUAGES)}, not in {', '.join(unknown)}.")
    grammar = _grammar(tuple(sorted(set(languages))))
    return _longest(_candidates(text, dateline, grammar))


def date_word(word: str) -> str | None:
    """What one word names in dates, in any of the languages: "month", "weekday" or "day" (a day counted from
    the dateline: "today", "утре", "dje"), else None, a possessive too ("Monday's"). For callers that need to know
    a word, not read a text."""
    grammar, key = _grammar(LANGUAGES), _key(re.sub(r"['’]s$", "", word))
    if key in grammar.months:
        return "month"
    if key in grammar.weekdays:
        return "weekday"
    return "day" if key in grammar.days else None


_grammar(LANGUAGES)
