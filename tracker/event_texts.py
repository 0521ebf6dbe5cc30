"""Which title and description of an event a reader sees: one rule for pages, feeds, mail and the API.

An event has its own texts (``title``, ``description``, written in ``event.language``) and may carry them in
the other interface languages (``event.translations``). A reader gets their language's text when there is one,
else the event's own (``fell_back`` says so, and the page marks the text with its ``lang``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tracker.i18n import LANGUAGES, current_language
from tracker.models import Event


@dataclass(frozen=True)
class LocalText:
    title: str
    description: str
    #: The language the texts are in (the reader's, or the event's own when there was no translation).
    language: str
    #: True when the reader's language had no title and the event's own texts are shown instead.
    fell_back: bool


def translations_of(event: Event) -> dict[str, dict[str, str]]:
    """The event's texts in languages other than its own: ``{"mk": {"title": …, "description": …}}``."""
    try:
        stored = json.loads(event.translations or "{}")
    except ValueError:
        return {}
    if not isinstance(stored, dict):
        return {}
    return {
        language: {"title": str(texts.get("title", "")), "description": str(texts.get("description", ""))}
        for language, texts in stored.items()
        if language in LANGUAGES and language != event.language and isinstance(texts, dict) and texts.get("title")
    }


def texts_by_language(event: Event) -> dict[str, dict[str, str]]:
    """Every language's texts, the event's own included, in ``LANGUAGES`` order."""
    own = {event.language: {"title": event.title, "description": event.description or ""}}
    merged = {**translations_of(event), **own}
    return {language: merged[language] for language in LANGUAGES if language in merged}


def encode_translations(own_language: str, texts: dict[str, dict[str, str]]) -> str:
    """The ``translations`` column for ``texts``: languages other than the event's own, with a title, as JSON."""
    kept = {
        language: {"title": value.get("title", "").strip(), "description": value.get("description", "").strip()}
        for language, value in sorted(texts.items())
        if language in LANGUAGES and language != own_language and value.get("title", "").strip()
    }
    return json.dumps(kept, ensure_ascii=False, sort_keys=True)


def localized(event: Event, language: str | None = None) -> LocalText:
    """The texts a reader of ``language`` (default: the current language) sees."""
    wanted = language or current_language()
    if wanted == event.language:
        return LocalText(event.title, event.description or "", wanted, False)
    texts = translations_of(event).get(wanted)
    if texts:
        return LocalText(texts["title"], texts["description"] or event.description or "", wanted, False)
    return LocalText(event.title, event.description or "", event.language, True)
