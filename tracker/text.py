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

#: Every control character of the rule above.
CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
#: The same without tab, LF, CR and the Unicode line breaks: what multi-line text may not hold.
MULTILINE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(value: str, *, multiline: bool = False) -> bool:
    """True when ``value`` holds a control character (tab and line breaks count only in one-line text)."""
    return (MULTILINE_CONTROL if multiline else CONTROL).search(value) is not None


#: Cyrillic letters of Macedonian, Serbian, Bulgarian and Russian in the Latin spelling their press uses.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ѓ": "gj", "ђ": "dj", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "ѕ": "dz", "и": "i", "й": "j", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ќ": "kj", "ћ": "c", "у": "u", "ф": "f",
    "х": "h", "ц": "c", "ч": "ch", "џ": "dz", "ш": "sh", "щ": "sht", "ъ": "a", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye",
}  # fmt: skip
_TRANSLITERATION = str.maketrans({**_CYRILLIC, **{key.upper(): value.capitalize() for key, value in _CYRILLIC.items()}})
#: Latin letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans({"ß": "ss", "đ": "dj", "Đ": "Dj", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae",
                               "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ı": "i", "þ": "th"})  # fmt: skip
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def fold(value: str) -> str:
    """``value`` in plain lower-case Latin letters: Cyrillic transliterated, accents and case dropped.

    "António Vitorino", "ANTONIO VITORINO" and "Антонио Виторино" all fold to "antonio vitorino"; the
    directory's matching and the pages' addresses both start from this one spelling.
    """
    latin = value.translate(_TRANSLITERATION).translate(_UNDECOMPOSED)
    decomposed = unicodedata.normalize("NFKD", latin)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def slugify(value: str, maximum: int = 80) -> str:
    """A readable address part: folded, runs of anything but letters and digits as one hyphen."""
    return _NOT_SLUG.sub("-", fold(value)).strip("-")[:maximum].rstrip("-")
