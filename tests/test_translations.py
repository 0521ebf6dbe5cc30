"""The catalogues: every word a template shows is marked for translation, and mk and sq translate all of it.

The template check reads each template's source with Jinja's own lexer: the text outside ``{% trans %}`` blocks
and ``{{ _() }}`` calls, with every Jinja construct replaced by a placeholder, is parsed as HTML, and any text
node or human-read attribute (``aria-label``, ``title``, ``placeholder``, ``alt``) that still holds a word is
an untranslated string. An element with the standard ``translate="no"`` attribute (a code sample, a URL) is
not read.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

from tracker import i18n
from tracker.resources import template_folder

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(path for path in template_folder().rglob("*") if path.suffix in {".html", ".txt"})
WORD = re.compile(r"[^\W\d_]{2,}")
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "aria-description"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PLACEHOLDER = "\x00"


def _environment() -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    return env


def outside_translation(source: str) -> str:
    """The template's literal text outside trans blocks, each Jinja construct (and trans block) a placeholder."""
    parts: list[str] = []
    in_trans = False
    block: list[str] = []
    for _line, kind, value in _environment().lex(source):
        if kind == "block_begin":
            block = []
        elif kind == "name" and len(block) == 1 and value in {"trans", "pluralize", "endtrans"}:
            in_trans = value != "endtrans"
        if kind in {"block_begin", "name", "block_end"}:
            block.append(value)
        if kind == "data" and not in_trans:
            parts.append(value)
        elif kind in {"variable_begin", "block_begin"}:
            parts.append(PLACEHOLDER)
    return "".join(parts)


class _TextFinder(HTMLParser):
    """Text nodes and read attributes that hold a word, outside ``<script>``, ``<style>`` and ``translate="no"``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._skipping or tag in {"script", "style"} or values.get("translate") == "no":
            if tag not in VOID:
                self._skipping.append(tag)
            return
        for name in READ_ATTRIBUTES & values.keys():
            self._check(values[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._check(data)

    def _check(self, text: str) -> None:
        if WORD.search(text.replace(PLACEHOLDER, " ")):
            self.found.append(" ".join(text.replace(PLACEHOLDER, "…").split())[:80])


def untranslated_in_template(path: Path) -> list[str]:
    text = outside_translation(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":
        return [" ".join(line.replace(PLACEHOLDER, "…").split())[:80] for line in text.splitlines()
                if WORD.search(line.replace(PLACEHOLDER, " "))]  # fmt: skip
    finder = _TextFinder()
    finder.feed(text)
    finder.close()
    return finder.found


def test_the_check_finds_a_bare_word_and_passes_a_marked_one() -> None:
    """The check itself: bare text, a bare attribute and bare text in a .txt are found; marked text is not."""
    assert untranslated_in_template_source("<p>Upcoming events</p>") == ["Upcoming events"]
    assert untranslated_in_template_source('<a aria-label="Main menu" href="{{ x }}">{{ _("Go") }}</a>') == [
        "Main menu"
    ]
    assert untranslated_in_template_source("<p>{% trans %}Hello {{ name }}{% endtrans %}</p>") == []
    assert untranslated_in_template_source('<code translate="no">webcal://x</code> {{ y }} – 12') == []
    assert untranslated_in_template_source("<p>{{ _('A') }}</p><script>let a = 1</script>") == []


def untranslated_in_template_source(source: str) -> list[str]:
    finder = _TextFinder()
    finder.feed(outside_translation(source))
    finder.close()
    return finder.found


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(template_folder())))
def test_every_word_a_template_shows_is_marked_for_translation(path: Path) -> None:
    assert untranslated_in_template(path) == []


def _catalog(language: str) -> object:
    with (i18n.TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_every_catalogue_entry_is_translated_and_none_is_fuzzy(language: str) -> None:
    problems = []
    for message in _catalog(language):  # type: ignore[attr-defined]
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert problems == []


def test_the_committed_catalogue_template_holds_every_marked_string(tmp_path: Path) -> None:
    """Extracting afresh finds no msgid that the committed .pot (and so the .po files) lacks."""
    fresh = tmp_path / "fresh.pot"
    done = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
         "-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "-k", "N_", "-k", "lazy_gettext", "--no-location",
         "-o", str(fresh), str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    with fresh.open("rb") as handle:
        fresh_catalog = read_po(handle)
    wanted = {message.id if isinstance(message.id, str) else message.id[0] for message in fresh_catalog if message.id}
    for language in ("mk", "sq"):
        present = {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in _catalog(language)  # type: ignore[attr-defined]
            if message.id
        }
        assert sorted(wanted - present) == [], f"run `python scripts/i18n.py extract` and translate ({language})"
