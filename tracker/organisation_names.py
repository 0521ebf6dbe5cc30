"""Which name of an organisation a reader sees: one rule for pages, feeds and mail.

An organisation has its stored name and acronym (``name``, ``acronym``: the English ones, which the JSON API,
the CSV export, filters and matching use) and may carry them in the other interface languages
(``organisation.translations``, JSON ``{"mk": {"name": …, "acronym": …}}``). A reader of a language gets that
language's name when there is one, else the stored name; likewise the acronym (a translation without an
acronym keeps the stored one, so "IOM" stays "IOM" where no local acronym is in use).

Works on ``Organisation`` and on anything with ``name``, ``acronym`` and ``translations``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from tracker.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language, stored_by_language

#: The languages an organisation's name may be translated into (the stored name is the default language's).
NAME_LANGUAGES = tuple(language for language in LANGUAGES if language != DEFAULT_LANGUAGE)


@lru_cache(maxsize=4096)
def _parsed(stored: str) -> tuple[tuple[str, str, str], ...]:
    """(language, name, acronym) of each usable translation in ``stored`` (cached: lists show many)."""
    found = []
    for language, names in stored_by_language(stored).items():
        if language not in NAME_LANGUAGES:
            continue
        name, acronym = str(names.get("name") or "").strip(), str(names.get("acronym") or "").strip()
        if name:
            found.append((language, name, acronym))
    return tuple(found)


def parse_names(stored: str | None) -> dict[str, dict[str, str]]:
    """The ``translations`` column as ``{"mk": {"name": …, "acronym": …}}`` (only entries with a name)."""
    return {language: {"name": name, "acronym": acronym} for language, name, acronym in _parsed(stored or "{}")}


def encode_names(names: dict[str, dict[str, str]] | None) -> str:
    """The ``translations`` column for ``names``: the translated languages that have a name, as JSON."""
    kept = {}
    for language, value in sorted((names or {}).items()):
        name = str(value.get("name") or "").strip()
        if language in NAME_LANGUAGES and name:
            kept[language] = {"name": name, "acronym": str(value.get("acronym") or "").strip()}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True)


def _local(org: Any, language: str | None) -> tuple[str, str | None]:
    wanted = language or current_language()
    for found, name, acronym in _parsed(getattr(org, "translations", None) or "{}"):
        if found == wanted:
            return name, acronym or org.acronym
    return org.name, org.acronym


def local_name(org: Any, language: str | None = None) -> str:
    """The name a reader of ``language`` (default: the current language) sees."""
    return _local(org, language)[0]


def local_acronym(org: Any, language: str | None = None) -> str | None:
    return _local(org, language)[1]


def local_label(org: Any, language: str | None = None) -> str:
    """ "Name (ACR)" in the reader's language (``Organisation.label`` is the stored one)."""
    name, acronym = _local(org, language)
    return f"{name} ({acronym})" if acronym else name


def local_short(org: Any, language: str | None = None) -> str:
    """The acronym, else the name, in the reader's language (``Organisation.short`` is the stored one)."""
    name, acronym = _local(org, language)
    return acronym or name
