"""Which title and description of an event a reader sees: one rule for pages, feeds, mail and the API.

An event has its own texts (``title``, ``description``, written in ``event.language``) and may carry them in
the other interface languages (``event.translations``, JSON ``{"mk": {"title": …, "description": …}}``; a
translation always has a title, its description may be empty). A reader gets their language's title when there
is one, else the event's own (``fell_back``). A translation without a description shows the event's own
description, marked with its language (``description_language``). Pages mark each text with its ``lang`` and
say when it is not in the reader's language (``title_note``, ``description_note``).

Works on ``Event`` and on the light rows of list pages (anything with ``title``, ``language`` and
``translations``; ``description`` when it has one).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tracker.i18n import LANGUAGES, N_, current_language, gettext, stored_by_language

#: The languages an event's texts may be written in (the interface's).
TEXT_LANGUAGES = LANGUAGES
#: Each text language named in the interface's words (for the form's "original language" choice).
LANGUAGE_LABELS = {"en": N_("English"), "mk": N_("Macedonian"), "sq": N_("Albanian")}
#: The form's labels, one whole phrase per language.
TITLE_LABELS = {"en": N_("Title in English"), "mk": N_("Title in Macedonian"), "sq": N_("Title in Albanian")}
DESCRIPTION_LABELS = {
    "en": N_("Description in English"),
    "mk": N_("Description in Macedonian"),
    "sq": N_("Description in Albanian"),
}
#: When a description is given in a language without a title.
TITLE_WANTED = {
    "en": N_("Enter the title in English too: a description needs a title in its language."),
    "mk": N_("Enter the title in Macedonian too: a description needs a title in its language."),
    "sq": N_("Enter the title in Albanian too: a description needs a title in its language."),
}
#: (reader's language, language shown) → what the page says when the title is not in the reader's language.
_TITLE_NOTES = {
    ("en", "mk"): N_("There is no title in English; it is shown in Macedonian."),
    ("en", "sq"): N_("There is no title in English; it is shown in Albanian."),
    ("mk", "en"): N_("There is no title in Macedonian; it is shown in English."),
    ("mk", "sq"): N_("There is no title in Macedonian; it is shown in Albanian."),
    ("sq", "en"): N_("There is no title in Albanian; it is shown in English."),
    ("sq", "mk"): N_("There is no title in Albanian; it is shown in Macedonian."),
}
_DESCRIPTION_NOTES = {
    ("en", "mk"): N_("There is no description in English; it is shown in Macedonian."),
    ("en", "sq"): N_("There is no description in English; it is shown in Albanian."),
    ("mk", "en"): N_("There is no description in Macedonian; it is shown in English."),
    ("mk", "sq"): N_("There is no description in Macedonian; it is shown in Albanian."),
    ("sq", "en"): N_("There is no description in Albanian; it is shown in English."),
    ("sq", "mk"): N_("There is no description in Albanian; it is shown in Macedonian."),
}


@dataclass(frozen=True)
class LocalText:
    title: str
    description: str
    #: The language the title is in (the reader's, or the event's own when there was no translation).
    language: str
    #: The language the description is in: the title's, or the event's own when the translation has none.
    description_language: str
    #: The language the reader asked for.
    wanted: str

    @property
    def fell_back(self) -> bool:
        """True when the reader's language had no title and the event's own texts are shown instead."""
        return self.language != self.wanted

    @property
    def description_fell_back(self) -> bool:
        return bool(self.description) and self.description_language != self.wanted

    @property
    def title_note(self) -> str:
        """ "There is no title in Macedonian; it is shown in English." in the reader's language, or ""."""
        return gettext(_TITLE_NOTES[self.wanted, self.language]) if self.fell_back else ""

    @property
    def description_note(self) -> str:
        if not self.description_fell_back or self.fell_back:  # a fallen-back title's note covers both
            return ""
        return gettext(_DESCRIPTION_NOTES[self.wanted, self.description_language])


@lru_cache(maxsize=4096)
def _parsed(stored: str, own: str) -> tuple[tuple[str, str, str], ...]:
    """(language, title, description) of each usable translation in ``stored`` (cached: lists show many)."""
    found = []
    for language, texts in stored_by_language(stored).items():
        if language == own or not str(texts.get("title") or "").strip():
            continue
        found.append((language, str(texts["title"]), str(texts.get("description") or "")))
    return tuple(found)


def parse_translations(stored: str | None, own: str | None) -> dict[str, dict[str, str]]:
    """The ``translations`` column as ``{"mk": {"title": …, "description": …}}`` (only usable entries)."""
    return {
        language: {"title": title, "description": description}
        for language, title, description in _parsed(stored or "{}", own or "en")
    }


def translations_of(event: Any) -> dict[str, dict[str, str]]:
    """The event's texts in languages other than its own: ``{"mk": {"title": …, "description": …}}``."""
    return parse_translations(getattr(event, "translations", None), getattr(event, "language", None))


def texts_by_language(event: Any) -> dict[str, dict[str, str]]:
    """Every language's texts, the event's own included, in ``LANGUAGES`` order."""
    own = {event.language or "en": {"title": event.title, "description": getattr(event, "description", "") or ""}}
    merged = {**translations_of(event), **own}
    return {language: merged[language] for language in LANGUAGES if language in merged}


def encode_translations(own_language: str, texts: dict[str, dict[str, str]] | None) -> str:
    """The ``translations`` column for ``texts``: languages other than the event's own, with a title, as JSON."""
    kept = {
        language: {
            "title": str(value.get("title") or "").strip(),
            "description": str(value.get("description") or "").strip(),
        }
        for language, value in sorted((texts or {}).items())
        if language in LANGUAGES and language != own_language and str(value.get("title") or "").strip()
    }
    return json.dumps(kept, ensure_ascii=False, sort_keys=True)


def localized(event: Any, language: str | None = None) -> LocalText:
    """The texts a reader of ``language`` (default: the current language) sees."""
    wanted = language or current_language()
    own = getattr(event, "language", None) or "en"
    description = getattr(event, "description", "") or ""
    if wanted != own:
        for found, title, translated in _parsed(getattr(event, "translations", None) or "{}", own):
            if found == wanted:
                if translated:
                    return LocalText(title, translated, wanted, wanted, wanted)
                return LocalText(title, description, wanted, own, wanted)
    return LocalText(event.title, description, own, own, wanted)


def local_title(event: Any) -> str:
    """The title a reader of the current language sees (templates: ``local_title(event)``)."""
    return localized(event).title


# ------------------------------------------------------------------------------------------ input checks
# ``tracker.validation.EventInput`` reads ``language`` and ``translations`` with these (its own rules for a title
# and a description are passed in, so each language's text is held to the same limits).


class TextFieldError(ValueError):
    """A message for one language's field of the form (``title_mk``, ``description_sq``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def text_language(value: Any) -> str | None:
    """The language of an event's own texts: en, mk or sq; None (not given) keeps the stored one."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text not in LANGUAGES:
        raise ValueError(gettext("Choose the language of the texts: %(choices)s.", choices=", ".join(LANGUAGES)))
    return text


def check_translations(
    value: Any, *, title: Callable[[Any], str], description: Callable[[Any], str]
) -> dict[str, dict[str, str]] | None:
    """``{"mk": {"title": …, "description": …}}`` (a dict or its JSON), each text checked by ``title`` and
    ``description``; a language with neither is dropped, one with a description needs a title. None: not given."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value or "{}")
        except ValueError:
            value = None
    if not isinstance(value, dict) or not all(isinstance(texts, dict) for texts in value.values()):
        raise ValueError(gettext('Give the translations as an object such as {"mk": {"title": …}}.'))
    checked: dict[str, dict[str, str]] = {}
    for language, texts in value.items():
        if language not in LANGUAGES:
            raise ValueError(gettext("Translations may be in %(choices)s only.", choices=", ".join(LANGUAGES)))
        try:
            given_title = title(texts.get("title"))
        except ValueError as exc:
            raise TextFieldError(f"title_{language}", str(exc)) from None
        try:
            given_description = description(texts.get("description"))
        except ValueError as exc:
            raise TextFieldError(f"description_{language}", str(exc)) from None
        if given_description and not given_title:
            raise TextFieldError(f"title_{language}", gettext(TITLE_WANTED[language]))
        if given_title:
            checked[language] = {"title": given_title, "description": given_description}
    return checked
