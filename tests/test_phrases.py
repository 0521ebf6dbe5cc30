"""Messages stored in no language (``tracker.phrases``): what ``dump`` keeps and what ``load`` makes of it.

The Macedonian catalogue here is written by the test (a few entries in a temporary .po), so what each message
reads as is known without the app; plural forms are checked against CLDR's rule as Babel states it, numbers
against Babel's ``format_decimal``, the stored text against the ``json`` module.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel import Locale
from babel.numbers import format_decimal
from babel.support import NullTranslations

from tracker import i18n, phrases
from tracker.i18n import use_language
from tracker.phrases import said, said_plural

PO = """\
msgid ""
msgstr ""
"Language: mk\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n % 10 != 1 || n % 100 == 11);\\n"

msgid "Upcoming"
msgstr "Претстојни"

msgid "The server %(host)s refused the connection."
msgstr "Серверот %(host)s ја одби врската."

msgid "Sync failed: %(why)s"
msgstr "Синхронизацијата не успеа: %(why)s"

msgid "Line %(line)d has no colon."
msgstr "Редот %(line)d нема две точки."

msgid "%(num)d event"
msgid_plural "%(num)d events"
msgstr[0] "%(num)d настан"
msgstr[1] "%(num)d настани"
"""

EVENT, EVENTS = "%(num)d event", "%(num)d events"


@pytest.fixture(autouse=True)
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    path = tmp_path / "mk" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    path.write_text(PO, encoding="utf-8")
    macedonian = i18n.load_catalogue(tmp_path, "mk")
    monkeypatch.setattr(i18n, "translations", lambda language: macedonian if language == "mk" else NullTranslations())
    yield


def _macedonian_events(count: int) -> str:
    return f"{count} настан" if Locale.parse("mk").plural_form(count) == "one" else f"{count} настани"


def test_a_phrase_is_its_text_now_and_remembers_what_it_was_made_of() -> None:
    with use_language("mk"):
        made = said("The server %(host)s refused the connection.", host="calendar.example")
    assert made == "Серверот calendar.example ја одби врската."
    assert (made.msgid, made.params, made.count) == (
        "The server %(host)s refused the connection.",
        {"host": "calendar.example"},
        None,
    )


def test_a_phrase_inside_another_is_stored_as_a_phrase_and_read_in_the_readers_language() -> None:
    with use_language("en"):
        inner = said("The server %(host)s refused the connection.", host="Скопје.example")
        outer = said("Sync failed: %(why)s", why=inner)
        stored = phrases.dump([outer], 2000)
    assert outer == "Sync failed: The server Скопје.example refused the connection."
    assert json.loads(stored) == [
        {
            "msgid": "Sync failed: %(why)s",
            "params": {
                "why": {"msgid": "The server %(host)s refused the connection.", "params": {"host": "Скопје.example"}}
            },
        }
    ]
    with use_language("mk"):
        assert phrases.load(stored) == ["Синхронизацијата не успеа: Серверот Скопје.example ја одби врската."]


@pytest.mark.parametrize("count", [1, 2, 11, 21])
def test_a_plural_is_stored_with_its_count_and_counted_again_in_each_language(count: int) -> None:
    with use_language("mk"):
        made = said_plural(EVENT, EVENTS, count)
        stored = phrases.dump([made], 2000)
    assert made == _macedonian_events(count)
    assert json.loads(stored) == [{"msgid": EVENT, "params": {}, "plural": EVENTS, "count": count}]
    with use_language("en"):
        assert phrases.load(stored) == [f"{count} event" if count == 1 else f"{count} events"]
    with use_language("mk"):
        assert phrases.load(stored) == [_macedonian_events(count)]


def test_a_plural_keeps_its_other_parameters() -> None:
    with use_language("en"):
        stored = phrases.dump(
            [said_plural("%(num)d event in %(city)s", "%(num)d events in %(city)s", 3, city="Ohrid")], 900
        )
        assert phrases.load(stored) == ["3 events in Ohrid"]


def test_a_number_parameter_keeps_its_type_when_read_again() -> None:
    with use_language("en"):
        stored = phrases.dump([said("Line %(line)d has no colon.", line=9)], 2000)
    with use_language("mk"):
        assert phrases.load(stored) == ["Редот 9 нема две точки."]


def test_stored_entries_without_params_or_plural_and_plain_values_are_read_as_they_can_be() -> None:
    stored = json.dumps(
        [{"msgid": "Upcoming"}, {"msgid": EVENT, "count": 2}, "a line naming the msgid field", 7],
        ensure_ascii=False,
    )
    with use_language("mk"):
        assert phrases.load(stored) == ["Претстојни", "2 настани", "a line naming the msgid field", "7"]
    with use_language("en"):
        # no plural stored: the msgid stands for both forms
        assert phrases.load(stored) == ["Upcoming", "2 event", "a line naming the msgid field", "7"]


def test_an_entry_whose_placeholders_do_not_match_reads_as_its_msgid() -> None:
    stored = json.dumps([{"msgid": "The server %(host)s refused the connection.", "params": {"port": 443}}])
    with use_language("mk"):
        assert phrases.load(stored) == ["The server %(host)s refused the connection."]


def test_text_that_is_not_a_list_of_phrases_is_read_by_line() -> None:
    assert phrases.load("") == []
    assert phrases.load("[not json\nsecond line") == ["[not json", "second line"]
    assert phrases.load('{"msgid": "Upcoming"}') == ['{"msgid": "Upcoming"}']


def test_dump_keeps_non_latin_text_as_it_is_and_drops_the_last_messages_to_fit() -> None:
    with use_language("en"):
        messages = [said("The server %(host)s refused the connection.", host=f"сервер-{n}.example") for n in range(3)]
    items = [
        {"msgid": "The server %(host)s refused the connection.", "params": {"host": f"сервер-{n}.example"}}
        for n in range(3)
    ]
    whole, first_two = json.dumps(items, ensure_ascii=False), json.dumps(items[:2], ensure_ascii=False)
    assert "сервер-0.example" in whole
    assert phrases.dump(messages, len(whole)) == whole
    assert phrases.dump(messages, len(whole) - 1) == first_two
    assert phrases.dump(messages, len(first_two)) == first_two
    assert phrases.dump(messages, 10) == ""
    assert phrases.dump([], 100) == ""


@pytest.mark.parametrize(("language", "locale"), [("mk", "mk"), ("sq", "sq_MK")])
def test_numbers_are_written_as_cldr_writes_them(language: str, locale: str) -> None:
    with use_language(language):
        assert phrases.number_text(1234567) == format_decimal(1234567, locale=Locale.parse(locale))


def test_english_numbers_are_grouped_by_commas() -> None:
    assert phrases.number_text(1234567) == format_decimal(1234567, locale=Locale.parse("en_GB")) == "1,234,567"
    assert phrases.number_text(999) == "999"
