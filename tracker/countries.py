"""ISO 3166-1 alpha-2 countries (names from pycountry), for validation and pickers."""

from __future__ import annotations

from functools import lru_cache

import pycountry


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names = {country.alpha_2: getattr(country, "common_name", country.name) for country in pycountry.countries}
    names["XK"] = "Kosovo"  # user-assigned code in common use (EU, IOM)
    return names


def is_country(code: str) -> bool:
    return code.upper() in _names()


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return _names().get(code.upper(), code.upper())


def country_choices() -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name, for select boxes."""
    return sorted(_names().items(), key=lambda item: item[1])


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    codes = {name.casefold(): code for code, name in _names().items()}
    for country in pycountry.countries:  # official names too ("Republic of North Macedonia" is not listed)
        codes.setdefault(country.name.casefold(), country.alpha_2)
        official = getattr(country, "official_name", "")
        if official:
            codes.setdefault(official.casefold(), country.alpha_2)
    return codes


def country_code(name: str) -> str | None:
    """The code of a country named in English ("North Macedonia" → "MK"), or None."""
    return _codes_by_name().get(" ".join(name.split()).casefold())
