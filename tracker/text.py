"""Which characters no text from outside may hold: one rule for forms, filters and mail headers.

A control character is a C0 control (U+0000–U+001F), DEL, or one of the Unicode line breaks NEL, LS and PS
that mail clients and browsers honour like a newline. One-line values (a title, a filter value, a header)
may hold none of them; multi-line text (a description) may hold the tab, LF, CR, NEL, LS and PS.
iCalendar output has a stricter rule of its own (``tracker.ical``: it also strips C1 controls and
noncharacters, which RFC 5545 forbids in TEXT).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Every control character of the rule above.
CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
#: The same without tab, LF, CR and the Unicode line breaks: what multi-line text may not hold.
MULTILINE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(value: str, *, multiline: bool = False) -> bool:
    """True when ``value`` holds a control character (tab and line breaks count only in one-line text)."""
    return (MULTILINE_CONTROL if multiline else CONTROL).search(value) is not None


#: Letters without a Unicode decomposition, spelled the way readers type them without the keyboard layout.
SPECIAL_LETTERS = {
    "ł": "l", "đ": "d", "ø": "o", "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ħ": "h", "ı": "i", "þ": "th",
}  # fmt: skip

#: Cyrillic → Latin as people type it in ASCII (Macedonian official romanisation; Serbian and Russian extras).
CYRILLIC_TO_ASCII = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ѓ": "gj", "е": "e", "ж": "zh", "з": "z", "ѕ": "dz",
    "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "ќ": "kj", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "џ": "dzh",
    "ш": "sh", "ђ": "dj", "ћ": "c", "й": "j", "ё": "e", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju",
    "я": "ja", "щ": "shch", "є": "je", "і": "i", "ї": "ji", "ґ": "g",
}  # fmt: skip
#: Cyrillic → scientific Latin (ǵ ḱ ž č š dž đ ć) after folding, which is how accented Latin text reads once folded.
CYRILLIC_TO_FOLDED_LATIN = {
    **CYRILLIC_TO_ASCII,
    "ѓ": "g", "ж": "z", "ќ": "k", "ч": "c", "џ": "dz", "ш": "s", "ђ": "d", "щ": "sc",
}  # fmt: skip


def _is_latin(char: str) -> bool:
    code = ord(char)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    lowered = char.lower()
    if lowered in SPECIAL_LETTERS:
        return SPECIAL_LETTERS[lowered]
    if not _is_latin(char):
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(part for part in decomposed if not unicodedata.combining(part))


def fold(text: str) -> str:
    """Lower case without Latin diacritics: the form both indexes and the highlighter compare."""
    return "".join(_fold_char(char) for char in text)


def romanise(value: str, table: dict[str, str] = CYRILLIC_TO_FOLDED_LATIN) -> str:
    """``value`` folded with its Cyrillic letters in Latin: "Антонио Виторино" and "António Vitorino" agree.

    The default table spells Cyrillic as folded scientific Latin (ж → z), which is how "Žernovski" reads once
    folded; ``CYRILLIC_TO_ASCII`` spells it as people type it without accents (ж → zh).
    """
    return fold("".join(table.get(char, char) for char in value.lower()))


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(value: str, maximum: int = 80) -> str:
    """A readable address part: romanised the ASCII way, runs of anything but letters and digits as a hyphen."""
    return _NOT_SLUG.sub("-", romanise(value, CYRILLIC_TO_ASCII)).strip("-")[:maximum].rstrip("-")


def clip(text: str, maximum: int) -> str:
    """``text`` cut to at most ``maximum`` characters, the cut marked with an ellipsis (for limits a reader sees)."""
    return text if len(text) <= maximum else text[: maximum - 1].rstrip() + "…"
