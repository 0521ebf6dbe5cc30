"""Messages kept for later in no language: made in the current one, stored as their msgid and parameters.

A calendar source's last error is written by a sync (the scheduler's, or an editor's "Sync now" in Macedonian)
and read later by an editor in any language. A ``Phrase`` is the message in the current language (an ordinary
``str``: joined, compared and shown like any message) that remembers what it was made of; ``dump`` stores
phrases as JSON (msgid, parameters, plural and count; a phrase inside another stays a phrase), and ``load``
makes them again in the language current when they are shown. Plain strings are stored as they are.

Modules that make such messages import ``said as _`` (and ``said_plural as ngettext``), so the catalogue's
extraction finds them as usual.
"""

from __future__ import annotations

import json
from typing import Any

from babel.numbers import format_decimal

from tracker.i18n import DEFAULT_LANGUAGE, current_language, current_locale, gettext, ngettext


class Phrase(str):
    """A translated message that remembers its msgid, its parameters and, for a plural, its count."""

    msgid: str
    plural: str
    count: int | None
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any], plural: str = "", count: int | None = None) -> Phrase:
        shown = {name: str(value) if isinstance(value, Phrase) else value for name, value in params.items()}
        text = gettext(msgid, **shown) if count is None else ngettext(msgid, plural, count, **shown)
        phrase = super().__new__(cls, text)
        phrase.msgid, phrase.plural, phrase.count, phrase.params = msgid, plural, count, dict(params)
        return phrase


def said(msgid: str, **params: Any) -> Phrase:
    """``msgid`` in the current language, ``%(name)s`` filled from ``params``; remembered for ``dump``."""
    return Phrase(msgid, params)


def said_plural(singular: str, plural: str, count: int, **params: Any) -> Phrase:
    """The plural form for ``count`` (``%(num)d``), remembered for ``dump``."""
    return Phrase(singular, params, plural, count)


def _stored(value: Any) -> Any:
    if not isinstance(value, Phrase):
        return value
    item: dict[str, Any] = {"msgid": value.msgid, "params": {name: _stored(v) for name, v in value.params.items()}}
    if value.count is not None:
        item.update(plural=value.plural, count=value.count)
    return item


def _again(value: Any) -> Any:
    if not isinstance(value, dict) or "msgid" not in value:
        return value
    params = {name: str(_again(v)) if isinstance(v, dict) else v for name, v in value.get("params", {}).items()}
    try:
        if "count" in value:
            return ngettext(value["msgid"], value.get("plural", value["msgid"]), int(value["count"]), **params)
        return gettext(value["msgid"], **params)
    except (KeyError, ValueError, TypeError):  # a catalogue entry whose placeholders do not match
        return value["msgid"]


def dump(messages: list[str], limit: int) -> str:
    """``messages`` as JSON of at most ``limit`` characters (the last ones left out to fit)."""
    items = [_stored(message) for message in messages]
    text = json.dumps(items, ensure_ascii=False)
    while len(text) > limit and items:
        items.pop()
        text = json.dumps(items, ensure_ascii=False)
    return text if items else ""


def load(stored: str) -> list[str]:
    """The messages ``dump`` stored, in the current language; text stored before phrases existed, by line."""
    if not stored:
        return []
    if stored.startswith("["):
        try:
            items = json.loads(stored)
        except ValueError:
            items = None
        if isinstance(items, list):
            return [str(_again(item)) for item in items]
    return stored.splitlines()


def number_text(value: int) -> str:
    """A whole number as the current language writes it (1,000 / 1.000 / 1 000); English's without loading
    CLDR's number data (a fetch whose memory is measured may report one)."""
    if current_language() == DEFAULT_LANGUAGE:
        return f"{value:,}"
    return format_decimal(value, locale=current_locale())
