"""ISO 3166-1 alpha-2 countries, for validation and pickers, named in the reader's language.

English names come from pycountry (its common names: "Taiwan", "Bolivia"); Macedonian and Albanian ones from
CLDR through Babel ("Северна Македонија", "Maqedonia e Veriut"), with pycountry's English name for a code CLDR
does not name. Lists sorted by name are kept per language, so a page pays for sorting once per process.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pycountry

from tracker.i18n import DEFAULT_LANGUAGE, LANGUAGES, babel_locale, current_language

#: Each language's letters in dictionary order, where that differs from code points (ѓ after д, ë after e …).
_ALPHABETS: dict[str, str] = {
    "mk": "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
    "sq": "abcçdeëfghijklmnopqrstuvxyz",
}


@cache
def _names() -> dict[str, str]:
    names = {country.alpha_2: getattr(country, "common_name", country.name) for country in pycountry.countries}
    names["XK"] = "Kosovo"  # user-assigned code in common use (EU, IOM)
    return names


@cache
def _local_names(language: str) -> dict[str, str]:
    """Every code's name in ``language`` (English: pycountry's; others: CLDR's, else the English one)."""
    english = _names()
    if language == DEFAULT_LANGUAGE:
        return english
    territories = babel_locale(language).territories
    return {code: territories.get(code) or name for code, name in english.items()}


def is_country(code: str) -> bool:
    return code.upper() in _names()


def country_name(code: str | None, language: str | None = None) -> str:
    """The country's name in ``language`` (default: the current one); an unknown code as given, upper-cased."""
    if not code:
        return ""
    return _local_names(language or current_language()).get(code.upper(), code.upper())


def _sort_key(language: str) -> Any:
    alphabet = _ALPHABETS.get(language)
    if alphabet is None:
        return lambda item: item[1]
    order = {letter: index for index, letter in enumerate(alphabet)}
    return lambda item: [(order.get(letter, 100 + ord(letter)), letter) for letter in item[1].casefold()]


@cache
def sorted_choices(language: str) -> list[tuple[str, str]]:
    """(code, name) pairs in ``language``, sorted by name in that language's alphabet (English: by code point)."""
    return sorted(_local_names(language).items(), key=_sort_key(language))


def country_choices() -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name in the current language, for select boxes (templates:
    ``country_choices()``, called per page, so each page lists them in its reader's language)."""
    return sorted_choices(current_language())


@cache
def _codes_by_name() -> dict[str, str]:
    codes = {name.casefold(): code for code, name in _names().items()}
    for country in pycountry.countries:  # official names too ("Republic of North Macedonia" is not listed)
        codes.setdefault(country.name.casefold(), country.alpha_2)
        official = getattr(country, "official_name", "")
        if official:
            codes.setdefault(official.casefold(), country.alpha_2)
    for language in LANGUAGES:  # and the names pages show in each language ("Северна Македонија")
        for code, name in _local_names(language).items():
            codes.setdefault(name.casefold(), code)
    return codes


def country_code(name: str) -> str | None:
    """The code of a country named in English, Macedonian or Albanian ("North Macedonia", "Северна Македонија",
    "Maqedonia e Veriut" → "MK"), or None."""
    return _codes_by_name().get(" ".join(name.split()).casefold())
