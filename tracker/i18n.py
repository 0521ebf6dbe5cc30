"""The interface's languages: which exist, which one is in use now, and its catalogue (Babel, no Flask).

The language in use is a context variable: the web layer sets it for each request (``tracker.web.language``),
the mail code for each subscriber (``use_language``), so services, formatting and templates below the web layer
translate without importing Flask. Catalogues live in ``tracker/translations`` (``messages.pot`` committed,
``.po`` per language, ``.mo`` compiled at install by ``make``; a missing or stale ``.mo`` is compiled from its
``.po`` in memory, so a checkout without the build step still speaks every language).

Formats come from CLDR through Babel. Albanian uses ``sq_MK`` (24-hour, as in North Macedonia and Kosovo), not
CLDR's plain ``sq``; English uses ``en_GB`` (day before month, 24-hour, weeks from Monday).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

#: The interface's languages, in the switcher's order; the first is the fallback of every other.
LANGUAGES: tuple[str, ...] = ("en", "mk", "sq")
DEFAULT_LANGUAGE = "en"
#: Each language named in itself, for the switcher (a reader looks for their own language's name).
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "mk": "Македонски", "sq": "Shqip"}
#: The CLDR locale whose formats each language uses.
FORMAT_LOCALES: dict[str, str] = {"en": "en_GB", "mk": "mk", "sq": "sq_MK"}

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"

_current: ContextVar[str] = ContextVar("tracker_language", default=DEFAULT_LANGUAGE)


class LanguageError(ValueError):
    """A language code from outside that is not one of ``LANGUAGES``."""

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(f"The language “{value[:20]}” is not offered: choose one of {', '.join(LANGUAGES)}")


def parse_language(raw: str) -> str:
    """A language code from a form, query string or config value: ``en``, ``mk`` or ``sq`` (any case)."""
    value = raw.strip().lower().replace("_", "-")
    if value not in LANGUAGES:
        raise LanguageError(raw)
    return value


def current_language() -> str:
    return _current.get()


def set_language(language: str) -> Any:
    """Make ``language`` current; returns the token that ``reset_language`` takes to undo it."""
    return _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def reset_language(token: Any) -> None:
    _current.reset(token)


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Translate and format in ``language`` inside the block (a mail to one subscriber, a feed in one language)."""
    token = set_language(language)
    try:
        yield
    finally:
        reset_language(token)


@cache
def babel_locale(language: str) -> Locale:
    return Locale.parse(FORMAT_LOCALES.get(language, FORMAT_LOCALES[DEFAULT_LANGUAGE]))


def current_locale() -> Locale:
    return babel_locale(current_language())


@cache
def translations(language: str) -> NullTranslations:
    """The catalogue of ``language`` (English, the source language, is the identity)."""
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    return load_catalogue(TRANSLATIONS_DIR, language)


def load_catalogue(folder: Path, language: str) -> NullTranslations:
    """``folder/<language>/LC_MESSAGES/messages.mo``, or its ``.po`` compiled in memory when the ``.mo`` is
    missing or older than the ``.po`` (a checkout that skipped ``make``, an edit not yet compiled)."""
    messages = folder / language / "LC_MESSAGES"
    po_path, mo_path = messages / f"{DOMAIN}.po", messages / f"{DOMAIN}.mo"
    if mo_path.is_file() and (not po_path.is_file() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if not po_path.is_file():
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext(message: str, **params: Any) -> str:
    """``message`` in the current language, with ``%(name)s`` placeholders filled from ``params``."""
    text = translations(current_language()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, count: int, **params: Any) -> str:
    """The plural form of the current language for ``count``; ``%(num)d`` is ``count``."""
    text = translations(current_language()).ngettext(singular, plural, count)
    return text % {"num": count, **params}


def N_(message: str) -> str:
    """Mark a module-level string for the catalogue; it is translated where it is shown (``gettext(label)``)."""
    return message


def day_in_words(day: date) -> str:
    """A day spelt out so that a day/month mix-up shows ("Tuesday 15 November 2022", "вторник 15 ноември 2022"):
    the event form's and its messages' one way of saying a date, with CLDR's names in the current language."""
    return format_date(day, "EEEE d MMMM y", locale=current_locale())


def stored_by_language(stored: str | None) -> dict[str, dict[str, Any]]:
    """A model's ``translations`` column (JSON ``{"mk": {...}, "sq": {...}}``) as a mapping of the offered
    languages to their objects; text that is not such JSON (a hand edit, an old row) reads as no translations."""
    try:
        value = json.loads(stored or "{}")
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {language: value[language] for language in LANGUAGES if isinstance(value.get(language), dict)}


def _raw_gettext(message: str) -> str:
    return translations(current_language()).gettext(message)


def _raw_ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current_language()).ngettext(singular, plural, count)


def install_in_jinja(env: Any) -> None:
    """Give a Jinja environment ``{% trans %}``, ``_()`` and ``ngettext()`` in the current language (the web
    pages' environment and the mail's alike); blocks are whitespace-trimmed, as ``pybabel extract`` reads them."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_raw_gettext, _raw_ngettext, newstyle=True)  # Jinja fills the placeholders
    env.policies["ext.i18n.trimmed"] = True
    env.globals.update(current_language=current_language, LANGUAGE_NAMES=LANGUAGE_NAMES, LANGUAGES=LANGUAGES)
