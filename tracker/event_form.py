"""What the event form does to the raw values before validation: the end follows a moved start, one source field,
the title and description in each language.

Pure functions on the form's strings (no Flask, no database), so the rules are tested without a request. The form
carries the start and end it showed (``shown_*`` hidden fields); when only the start changed since, the end moves
by the same amount, so moving an event is one change, as in calendar apps.

Texts: the form has a title and a description per language (``text_field``: English keeps the plain ``title`` and
``description``, the form's first; then ``title_mk`` …) and the event's original ``language`` ("" takes the first
language given a title). ``fold_texts`` turns them into what ``EventInput`` reads (``title``/``description`` in the
original language, the others as ``translations``); ``form_texts`` gives them back for showing.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from tracker.i18n import LANGUAGES, day_in_words

TIME_FIELDS = ("start_date", "start_time", "end_date", "end_time")
#: The hidden fields holding what the form showed: ``shown_start_date`` …
SHOWN_FIELDS = tuple(f"shown_{name}" for name in TIME_FIELDS)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S")


def _text(values: dict[str, Any], name: str) -> str:
    return str(values.get(name) or "").strip()


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _moment(day: str, wall: str) -> datetime | None:
    parsed = _day(day)
    try:
        return datetime.combine(parsed, time.fromisoformat(wall)) if parsed else None
    except ValueError:
        return None


def _is_checked(value: Any) -> bool:
    return str(value or "").lower() in {"1", "true", "on", "yes", "y"}


def follow_start(values: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """``values`` with the end moved as far as the start moved, when the editor changed the start and not the end.

    Timed events move in local wall time (10:00–12:00 stays 10:00–12:00 across a clock change); all-day events by
    whole days. Returns the values and whether the end moved. Anything unparseable leaves the values as they are:
    validation then says what is wrong.
    """
    now = {name: _text(values, name) for name in TIME_FIELDS}
    shown = {name: _text(values, f"shown_{name}") for name in TIME_FIELDS}
    start_changed = (now["start_date"], now["start_time"]) != (shown["start_date"], shown["start_time"])
    end_kept = (now["end_date"], now["end_time"]) == (shown["end_date"], shown["end_time"])
    if not (shown["start_date"] and start_changed and end_kept):
        return values, False
    shown_end_date = shown["end_date"] or shown["start_date"]
    if _is_checked(values.get("all_day")):
        first, was_first, was_last = _day(now["start_date"]), _day(shown["start_date"]), _day(shown_end_date)
        if not (first and was_first and was_last):
            return values, False
        return {**values, "end_date": (was_last + (first - was_first)).isoformat()}, True
    start = _moment(now["start_date"], now["start_time"])
    was_start = _moment(shown["start_date"], shown["start_time"])
    was_end = _moment(shown_end_date, shown["end_time"])
    if not (start and was_start and was_end):
        return values, False
    end = was_end + (start - was_start)
    return {**values, "end_date": end.date().isoformat(), "end_time": end.strftime("%H:%M")}, True


def shown_times(values: dict[str, Any]) -> dict[str, str]:
    """The hidden ``shown_*`` fields for a form showing ``values``."""
    return {f"shown_{name}": _text(values, name) for name in TIME_FIELDS}


def split_source(value: Any) -> tuple[str, str]:
    """One "Source" field as (web address, citation): "https://…" or "www.…" is a link, "MIA press release" a citation.

    Anything with a scheme ("javascript:…") counts as an address, so it is refused as one, not stored as text.
    """
    text = str(value or "").strip()
    if text.lower().startswith("www."):
        return "https://" + text, ""
    if _SCHEME.match(text):
        return text, ""
    return "", text


def date_in_words(value: Any) -> str:
    """ "2022-11-15" → "Tuesday 15 November 2022" (so a day/month mix-up shows), in the language in use (CLDR
    names: "вторник 15 ноември 2022", "e martë 15 nëntor 2022"); "" for anything else."""
    day = _day(str(value or "").strip())
    return day_in_words(day) if day else ""


def text_field(kind: str, language: str) -> str:
    """The form field of one language's ``title`` or ``description``: the plain name for English, else ``title_mk`` …"""
    return kind if language == "en" else f"{kind}_{language}"


def _texts_typed(values: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {
        language: {
            "title": _text(values, text_field("title", language)),
            "description": str(values.get(text_field("description", language)) or ""),
        }
        for language in LANGUAGES
    }


def fold_texts(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with ``title``, ``description``, ``language`` and ``translations`` as ``EventInput`` reads them.

    The original language is the one chosen, else the first (in ``LANGUAGES`` order) with a title, else with a
    description, else English. What was typed stays under ``texts`` for showing the form again. A form without
    the language fields (a press release's, a script's) is left as it is.
    """
    if "language" not in values and not any(text_field("title", language) in values for language in LANGUAGES[1:]):
        return values
    texts = _texts_typed(values)
    given = [language for language in LANGUAGES if texts[language]["title"]]
    described = [language for language in LANGUAGES if texts[language]["description"].strip()]
    own = _text(values, "language") or next(iter(given + described), "en")
    mine = texts.get(own, {"title": "", "description": ""})
    others = {
        language: typed
        for language, typed in texts.items()
        if language != own and (typed["title"] or typed["description"].strip())
    }
    return {**values, "texts": texts, "language": own, **mine, "translations": others}


def form_texts(values: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Each language's title and description as the form shows them: as typed, or from the stored values
    (``title``/``description`` in ``language``, the others from ``translations``)."""
    if isinstance(values.get("texts"), dict):
        return values["texts"]
    texts = {language: {"title": "", "description": ""} for language in LANGUAGES}
    for language, typed in (values.get("translations") or {}).items():
        if language in texts and isinstance(typed, dict):
            texts[language] = {
                "title": str(typed.get("title") or ""),
                "description": str(typed.get("description") or ""),
            }
    own = str(values.get("language") or "en")
    if own in texts:
        texts[own] = {"title": str(values.get("title") or ""), "description": str(values.get("description") or "")}
    return texts
