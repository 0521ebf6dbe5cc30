"""Every page rendered in Macedonian and Albanian leaves no English behind where the catalogue has a translation.

The oracle is the catalogue itself, read here with Babel's ``read_po`` (not through the app). A visible text (a
text node, an ``aria-label``/``title``/``placeholder``/``alt``, a button's ``value``) that equals an English msgid
(``%(x)d`` standing for a number, ``%(x)s`` for any text) whose translation differs is English left on a
Macedonian or Albanian page. A second net catches strings never marked at all: a visible text holding a word of
the English interface's own vocabulary (every word of four letters or more in the msgids), unless that word is
also in the language's translations or in the data the page shows. Not read: elements with ``translate="no"``,
and elements whose ``lang`` says they are in another language (a title shown in the event's own language when
there is no translation, the language switcher's names).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from typing import Any
from zoneinfo import available_timezones

import pytest
import time_machine
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.browser.conftest import seed
from tests.conftest import NOW, add_user, login
from tracker.i18n import TRANSLATIONS_DIR
from tracker.models import Event, Organisation, Person

READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
WORD = re.compile(r"[^\W\d_]{4,}")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
ZONES = frozenset(available_timezones())


class VisibleText(HTMLParser):
    """What a reader sees or hears of a page: text nodes and read attributes, outside scripts and styles."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0
        self._language = language

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        other_language = tag != "html" and (values.get("lang") or self._language) != self._language
        if self._hidden or tag in {"script", "style", "template"} or values.get("translate") == "no" or other_language:
            if tag not in VOID:
                self._hidden += 1
            return
        for name in READ_ATTRIBUTES & values.keys():
            self._add(values[name] or "")
        if tag == "input" and values.get("type") in {"submit", "button"}:
            self._add(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._add(data)

    def _add(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.texts.append(text)


def visible_texts(html: str, language: str) -> list[str]:
    parser = VisibleText(language)
    parser.feed(html)
    parser.close()
    return parser.texts


@cache
def catalogue(language: str) -> dict[str, str]:
    """English msgid → translation (singular forms; plural msgids give both forms) of ``language``."""
    with (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    pairs: dict[str, str] = {}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            pairs[msgid] = " ".join(strings)
    return pairs


def _pattern(msgid: str) -> re.Pattern[str]:
    """A whole-text pattern of ``msgid``: ``%(x)d`` stands for a number, ``%(x)s`` for any text."""
    pieces = re.split(r"(%\(\w+\)[sd])", " ".join(msgid.split()))
    regex = "".join(
        (r"[\d.,\s]+" if piece.endswith("d") else ".+?") if PLACEHOLDER.fullmatch(piece) else re.escape(piece)
        for piece in pieces
    )
    return re.compile("^" + regex + "$")


@cache
def english_left_patterns(language: str) -> list[tuple[str, re.Pattern[str]]]:
    """The msgids whose text differs in ``language`` and that hold no markup, as whole-text patterns."""
    return [
        (msgid, _pattern(msgid))
        for msgid, translated in catalogue(language).items()
        if translated.strip() != msgid.strip() and "<" not in msgid and WORD.search(PLACEHOLDER.sub("", msgid))
    ]


@cache
def interface_vocabulary(language: str) -> frozenset[str]:
    """Words of the English interface that do not also occur in the translations of ``language``."""
    english = {word.casefold() for msgid in catalogue(language) for word in WORD.findall(PLACEHOLDER.sub("", msgid))}
    translated = {
        word.casefold() for text in catalogue(language).values() for word in WORD.findall(PLACEHOLDER.sub("", text))
    }
    return frozenset(english - translated)


def english_left(html: str, language: str, data_words: frozenset[str]) -> list[str]:
    """The visible texts of ``html`` that are English interface text on a page in ``language``."""
    found = []
    vocabulary = interface_vocabulary(language) - data_words
    for text in visible_texts(html, language):
        if text in ZONES:  # an IANA zone's name in a picker is data, the same in every language
            continue
        whole_msgid = any(pattern.match(text) for _msgid, pattern in english_left_patterns(language))
        if whole_msgid or {word.casefold() for word in WORD.findall(text)} & vocabulary:
            found.append(text)
    return found


def test_the_scan_finds_english_left_and_passes_a_translated_page() -> None:
    """The scan itself, on a made-up page: an English msgid is found; its translation and data are not."""
    msgid = next(msgid for msgid, _pattern in english_left_patterns("mk") if "%(" not in msgid)
    english = f"<main><p>{msgid}</p></main>"
    marked = f'<main><p lang="en">{msgid}</p><code translate="no">{msgid}</code></main>'
    translated = f"<main><p>{catalogue('mk')[msgid]}</p><p>Skopje</p></main>"
    assert english_left(english, "mk", frozenset()) != []
    assert english_left(translated, "mk", frozenset({"skopje"})) == []
    assert english_left(marked, "mk", frozenset()) == []  # said to be English, or not to be translated


@pytest.fixture
def seeded_site(app: Flask, db_session: Session) -> Iterator[dict[str, Any]]:
    with time_machine.travel(NOW, tick=False):
        seeded = seed(db_session)
        add_user(db_session, email="admin@example.org", role="admin", name="Ana Admin")
    yield {"skopje": seeded.skopje, "summit": seeded.summit}


def data_words(session: Session) -> frozenset[str]:
    """Every word of the seeded data (titles, places, organisations, people, e-mail addresses)."""
    texts: list[str] = []
    for event in session.exec(select(Event)):
        texts += [event.title, event.description, event.venue, event.city, event.timezone]
    texts += [f"{org.name} {org.acronym or ''}" for org in session.exec(select(Organisation))]
    texts += [f"{person.name} {person.position or ''}" for person in session.exec(select(Person))]
    texts += ["Ana Admin admin@example.org Conference Tracker"]
    return frozenset(word.casefold() for text in texts for word in WORD.findall(text or ""))


def public_paths(ids: dict[str, Any]) -> list[str]:
    return [
        "/",
        "/calendar/2022/11",
        "/calendar/2026/11",
        "/calendar/2026/week/45",
        "/past",
        f"/events/{ids['skopje']}",
        f"/events/{ids['summit']}",
        "/?q=skopje",
        "/?q=qqxyzw",
        "/organisations",
        "/login",
        "/no-such-page",
        "/calendar/2026/13",
        "/embed/month",
        "/embed/agenda",
        "/subscriptions/requested",
    ]


def editor_paths(ids: dict[str, Any]) -> list[str]:
    return [
        "/edit/events/new",
        f"/edit/events/{ids['skopje']}",
        f"/edit/events/{ids['skopje']}/history",
        f"/edit/events/{ids['skopje']}/delete",
        "/edit/import",
        "/edit/sources",
        "/edit/press-release",
        "/edit/organisations",
        "/edit/people",
        "/account/feed",
        "/admin/reminders",
        "/admin/api-tokens",
    ]


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_public_pages_leave_no_english_interface_text(
    client: FlaskClient, db_session: Session, seeded_site: dict[str, Any], language: str
) -> None:
    words = data_words(db_session)
    left: dict[str, list[str]] = {}
    with time_machine.travel(NOW, tick=False):
        for path in public_paths(seeded_site):
            response = client.get(path, headers={"Accept-Language": language})
            assert response.status_code in {200, 400, 404}, path
            assert f'lang="{language}"' in response.get_data(as_text=True)[:200], path
            found = english_left(response.get_data(as_text=True), language, words)
            if found:
                left[path] = found
    assert left == {}, "\n".join(f"{path}: {sorted(set(texts))}" for path, texts in left.items())


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_editor_pages_leave_no_english_interface_text(
    client: FlaskClient, db_session: Session, seeded_site: dict[str, Any], language: str
) -> None:
    words = data_words(db_session)
    left: dict[str, list[str]] = {}
    with time_machine.travel(NOW, tick=False):
        client.set_cookie("lang", language)  # the login's own answer (its flash) is in that language too
        login(client, "admin@example.org")
        for path in editor_paths(seeded_site):
            response = client.get(path)
            assert response.status_code == 200, path
            found = english_left(response.get_data(as_text=True), language, words)
            if found:
                left[path] = found
    assert left == {}, "\n".join(f"{path}: {sorted(set(texts))}" for path, texts in left.items())
