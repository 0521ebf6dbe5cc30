"""The rule of which title and description a reader sees (``tracker.event_texts``), and its input checks, alone.

Events are plain namespaces holding the test's own texts; the notes are the English msgids the module's
docstring and the catalogue name (English is the source language), the stored JSON is read back with ``json``.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from tracker import event_texts
from tracker.event_texts import (
    TextFieldError,
    check_translations,
    encode_translations,
    local_title,
    localized,
    parse_translations,
    text_language,
    texts_by_language,
    translations_of,
)
from tracker.i18n import use_language

MK_TITLE = "Министерска конференција за миграциите"
SQ_TITLE = "Konferenca Ministrore për Migracionin"
EN_TITLE = "Ministerial Conference on Migration"
MK_DESCRIPTION = "Конференцијата ги опфаќа сите теми."
SQ_DESCRIPTION = "Konferenca përfshin të gjitha temat."

NAMES = {"en": "English", "mk": "Macedonian", "sq": "Albanian"}


def event(language: str | None = "mk", translations: Any = None, **texts: Any) -> SimpleNamespace:
    fields = {"title": MK_TITLE, "description": MK_DESCRIPTION, "language": language, **texts}
    if translations is not None:
        fields["translations"] = translations if isinstance(translations, str) else json.dumps(translations)
    return SimpleNamespace(**fields)


@pytest.mark.parametrize("wanted", ["en", "sq"])
def test_a_reader_without_a_translation_gets_the_events_own_texts_with_a_note(wanted: str) -> None:
    seen = localized(event(), wanted)
    assert (seen.title, seen.description, seen.language, seen.description_language, seen.wanted) == (
        MK_TITLE,
        MK_DESCRIPTION,
        "mk",
        "mk",
        wanted,
    )
    assert seen.fell_back and seen.description_fell_back
    assert seen.title_note == f"There is no title in {NAMES[wanted]}; it is shown in Macedonian."
    assert seen.description_note == ""  # the title's note covers both


@pytest.mark.parametrize(("wanted", "own"), [(w, o) for w in NAMES for o in NAMES if w != o])
def test_each_pair_of_languages_has_its_own_notes(wanted: str, own: str) -> None:
    title_note = localized(event(language=own), wanted).title_note
    assert title_note == f"There is no title in {NAMES[wanted]}; it is shown in {NAMES[own]}."
    translated = event(language=own, translations={wanted: {"title": "T", "description": ""}})
    seen = localized(translated, wanted)
    assert (seen.title, seen.fell_back, seen.title_note, seen.description_fell_back) == ("T", False, "", True)
    assert seen.description_note == f"There is no description in {NAMES[wanted]}; it is shown in {NAMES[own]}."


def test_a_full_translation_is_shown_with_no_note() -> None:
    seen = localized(event(translations={"sq": {"title": SQ_TITLE, "description": SQ_DESCRIPTION}}), "sq")
    assert (seen.title, seen.description, seen.language, seen.description_language) == (
        SQ_TITLE,
        SQ_DESCRIPTION,
        "sq",
        "sq",
    )
    assert not seen.fell_back and not seen.description_fell_back
    assert (seen.title_note, seen.description_note) == ("", "")


def test_the_own_language_wins_over_a_stored_translation_in_it_and_no_description_means_no_note() -> None:
    own = event(translations={"mk": {"title": "ignored", "description": "ignored"}})
    seen = localized(own, "mk")
    assert (seen.title, seen.description, seen.fell_back, seen.title_note) == (MK_TITLE, MK_DESCRIPTION, False, "")
    bare = localized(event(description=""), "en")
    assert bare.fell_back and not bare.description_fell_back
    bare_translation = localized(event(description="", translations={"en": {"title": EN_TITLE}}), "en")
    assert (bare_translation.title, bare_translation.description) == (EN_TITLE, "")
    assert not bare_translation.description_fell_back and bare_translation.description_note == ""


def test_the_reader_defaults_to_the_current_language_and_an_event_to_english() -> None:
    row = SimpleNamespace(title=EN_TITLE, language=None, translations=json.dumps({"mk": {"title": MK_TITLE}}))
    with use_language("mk"):
        assert localized(row).title == MK_TITLE
        assert local_title(row) == MK_TITLE
        seen = localized(SimpleNamespace(title=EN_TITLE))  # a light row: no language, description nor JSON
        assert (seen.title, seen.description, seen.language, seen.wanted) == (EN_TITLE, "", "en", "mk")
    with use_language("en"):
        assert local_title(row) == EN_TITLE
        assert localized(row).description == ""


def test_stored_translations_are_read_without_the_own_language_and_unusable_entries() -> None:
    stored = json.dumps(
        {
            "en": {"title": EN_TITLE, "description": "In English."},
            "mk": {"title": MK_TITLE},
            "sq": {"title": "  ", "description": "no title"},
        }
    )
    assert parse_translations(stored, "mk") == {"en": {"title": EN_TITLE, "description": "In English."}}
    assert parse_translations(stored, None) == {"mk": {"title": MK_TITLE, "description": ""}}  # own: English
    assert parse_translations(None, "mk") == {}
    assert translations_of(SimpleNamespace(title="x")) == {}
    assert translations_of(event(translations=stored)) == {"en": {"title": EN_TITLE, "description": "In English."}}


def test_every_languages_texts_in_the_interfaces_order() -> None:
    full = event(language="sq", title=SQ_TITLE, description=None, translations={"mk": {"title": MK_TITLE}})
    assert list(texts_by_language(full).items()) == [
        ("mk", {"title": MK_TITLE, "description": ""}),
        ("sq", {"title": SQ_TITLE, "description": ""}),
    ]
    described = event(translations={"en": {"title": EN_TITLE, "description": "In English."}})
    assert texts_by_language(described) == {
        "en": {"title": EN_TITLE, "description": "In English."},
        "mk": {"title": MK_TITLE, "description": MK_DESCRIPTION},
    }
    light = SimpleNamespace(title=EN_TITLE, language="", translations=json.dumps({"sq": {"title": SQ_TITLE}}))
    assert list(texts_by_language(light).items()) == [
        ("en", {"title": EN_TITLE, "description": ""}),
        ("sq", {"title": SQ_TITLE, "description": ""}),
    ]


def test_encoded_translations_keep_other_languages_with_a_title_trimmed_and_sorted() -> None:
    texts = {
        "sq": {"title": f" {SQ_TITLE} ", "description": f" {SQ_DESCRIPTION}\n"},
        "en": {"title": EN_TITLE},
        "mk": {"title": "own language", "description": "dropped"},
        "de": {"title": "Konferenz"},
        "xx": {"title": ""},
    }
    encoded = encode_translations("mk", texts)
    assert json.loads(encoded) == {
        "en": {"title": EN_TITLE, "description": ""},
        "sq": {"title": SQ_TITLE, "description": SQ_DESCRIPTION},
    }
    # the stored text is byte-stable: keys sorted at every level, letters as they are
    assert encoded == (
        f'{{"en": {{"description": "", "title": "{EN_TITLE}"}}, '
        f'"sq": {{"description": "{SQ_DESCRIPTION}", "title": "{SQ_TITLE}"}}}}'
    )
    for untitled in ({"description": "only"}, {"title": None, "description": "only"}, {"title": " "}):
        assert encode_translations("en", {"sq": untitled}) == "{}"
    assert encode_translations("en", None) == "{}"


# ------------------------------------------------------------------------------------------------ input checks


def _line(value: Any) -> str:
    text = str(value or "").strip()
    if len(text) > 20:
        raise ValueError("Too long.")
    return text


@pytest.mark.parametrize(("raw", "expected"), [(None, None), ("mk", "mk"), (" SQ ", "sq"), ("en", "en")])
def test_the_events_own_language_is_one_of_the_three(raw: Any, expected: str | None) -> None:
    assert text_language(raw) == expected


@pytest.mark.parametrize("raw", ["", "de", "mk-MK", 7])
def test_another_own_language_is_refused_naming_the_choices(raw: Any) -> None:
    with pytest.raises(ValueError, match=r"^Choose the language of the texts: en, mk, sq\.$"):
        text_language(raw)


def check(value: Any) -> dict[str, dict[str, str]] | None:
    return check_translations(value, title=_line, description=_line)


def test_translations_are_checked_text_by_text_and_empty_languages_dropped() -> None:
    assert check(None) is None
    assert check("") == {}
    given = {"sq": {"title": " Titulli ", "description": "Përshkrimi"}, "en": {"title": "", "description": ""}}
    assert check(given) == {"sq": {"title": "Titulli", "description": "Përshkrimi"}}
    assert check(json.dumps({"mk": {"title": "Наслов"}})) == {"mk": {"title": "Наслов", "description": ""}}


@pytest.mark.parametrize("value", ["not json", "[]", '{"mk": "Наслов"}', ["mk"], {"mk": None}])
def test_translations_that_are_not_an_object_of_objects_are_refused(value: Any) -> None:
    with pytest.raises(ValueError, match=r'^Give the translations as an object such as \{"mk": \{"title": …\}\}\.$'):
        check(value)


def test_a_language_outside_the_three_is_refused_naming_the_choices() -> None:
    with pytest.raises(ValueError, match=r"^Translations may be in en, mk, sq only\.$") as caught:
        check({"de": {"title": "Konferenz"}})
    assert not isinstance(caught.value, TextFieldError)


@pytest.mark.parametrize(
    ("texts", "field", "message"),
    [
        ({"title": "x" * 21}, "title_sq", "Too long."),
        ({"title": "Titulli", "description": "x" * 21}, "description_sq", "Too long."),
        (
            {"title": " ", "description": "Përshkrimi"},
            "title_sq",
            "Enter the title in Albanian too: a description needs a title in its language.",
        ),
    ],
)
def test_a_bad_text_is_refused_beside_its_field(texts: dict[str, str], field: str, message: str) -> None:
    with pytest.raises(TextFieldError) as caught:
        check({"sq": texts})
    assert (caught.value.field, str(caught.value)) == (field, message)


@pytest.mark.parametrize("language", ["en", "mk", "sq"])
def test_a_description_without_a_title_names_its_language(language: str) -> None:
    with pytest.raises(TextFieldError) as caught:
        check({language: {"description": "text"}})
    assert caught.value.field == f"title_{language}"
    assert str(caught.value) == (
        f"Enter the title in {NAMES[language]} too: a description needs a title in its language."
    )


def test_the_labels_name_each_language() -> None:
    assert event_texts.LANGUAGE_LABELS == NAMES
    assert {code: f"Title in {name}" for code, name in NAMES.items()} == event_texts.TITLE_LABELS
    assert {code: f"Description in {name}" for code, name in NAMES.items()} == event_texts.DESCRIPTION_LABELS
