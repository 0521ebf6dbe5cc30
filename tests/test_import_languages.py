"""The import page, its preview and its problems in Macedonian and Albanian; a source's error stored in no language.

Oracles: the translations as the translators wrote them (typed here, the same as the catalogue's entries), Babel's
own number formatting, and the English texts the page must no longer show. These pass once the catalogues hold
the entries of this part (``python scripts/i18n.py fill``).
"""

from __future__ import annotations

import html
import io
import json

import pytest
from babel.numbers import format_decimal
from flask import Flask
from flask.testing import FlaskClient

from tests.test_imports import BAD, GENEVA
from tracker import phrases
from tracker.i18n import use_language
from tracker.phrases import said

#: (language, what the page says in it, the English it replaces) for the empty import page.
PAGE = {
    "mk": [
        ("Увези iCalendar датотека", "Import an iCalendar file"),
        ("iCalendar датотека (.ics)", "iCalendar file (.ics)"),
        ("Ознаки за секој настан", "Tags for every event"),
        ("Организација домаќин", "Host organisation"),
        ("Прегледај", "Preview"),
    ],
    "sq": [
        ("Importo një skedar iCalendar", "Import an iCalendar file"),
        ("Skedar iCalendar (.ics)", "iCalendar file (.ics)"),
        ("Etiketat për çdo ngjarje", "Tags for every event"),
        ("Organizata pritëse", "Host organisation"),
        ("Parashiko", "Preview"),
    ],
}
#: The file hint, with the size limit as the language writes numbers.
HINT = {
    "mk": "Извоз од Google Calendar, Outlook, Apple Calendar или Thunderbird, најмногу {size} бајти.",
    "sq": "Një eksport nga Google Calendar, Outlook, Apple Calendar ose Thunderbird, të shumtën {size} bajte.",
}
#: A refused file: the heading and the reader's problem (line 9 has no colon; tests.test_imports.BAD).
REFUSED = {
    "mk": [
        ("Датотеката не е увезена", "The file was not imported"),
        ("Ред 9: редот нема ':' помеѓу името на својството и неговата вредност", "the line has no ':'"),
    ],
    "sq": [
        ("Skedari nuk u importua", "The file was not imported"),
        ("Rreshti 9: rreshti nuk ka ':' ndërmjet emrit të vetisë dhe vlerës së saj", "the line has no ':'"),
    ],
}
#: The preview of one new event: the count (singular form) and the row's action.
PREVIEW = {
    "mk": [("1 настан ќе биде создаден", "1 event will be created"), ("За создавање", "To create")],
    "sq": [("Do të krijohet 1 ngjarje", "1 event will be created"), ("Për t’u krijuar", "To create")],
}


def _text(response_data: str) -> str:
    return html.unescape(response_data)


def _upload(client: FlaskClient, data: bytes, language: str) -> tuple[int, str]:
    form = {"default_kind": "official_visit", "default_visibility": "public", "default_tags": "", "organisation": ""}
    response = client.post(
        f"/edit/import?lang={language}",
        data={**form, "file": (io.BytesIO(data), "partner.ics")},
        content_type="multipart/form-data",
    )
    return response.status_code, _text(response.get_data(as_text=True))


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_the_import_page_speaks_the_readers_language(editor_client: FlaskClient, app: Flask, language: str) -> None:
    page = _text(editor_client.get(f"/edit/import?lang={language}").get_data(as_text=True))

    for translated, english in PAGE[language]:
        assert translated in page
        assert f">{english}<" not in page
    size = format_decimal(int(app.config["IMPORT_MAX_BYTES"]), locale="sq_MK" if language == "sq" else language)
    assert HINT[language].format(size=size) in page
    assert "An export of Google Calendar" not in page


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_a_refused_file_is_explained_in_the_readers_language(editor_client: FlaskClient, language: str) -> None:
    status, page = _upload(editor_client, BAD, language)

    assert status == 400
    for translated, english in REFUSED[language]:
        assert translated in page
        assert english not in page


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_the_preview_counts_with_the_languages_plural_forms(editor_client: FlaskClient, language: str) -> None:
    status, page = _upload(editor_client, GENEVA, language)

    assert status == 200
    for translated, english in PREVIEW[language]:
        assert translated in page
        assert english not in page
    assert "Nothing is stored until you press" not in page


def test_a_stored_error_is_shown_in_the_language_of_whoever_reads_it() -> None:
    """Made in English (the scheduler's sync), stored as msgid and parameters, read in Macedonian and Albanian."""
    with use_language("en"):
        made = said("The server %(host)s refused the connection.", host="calendar.example")
        stored = phrases.dump([made, "a plain line"], 2000)

    assert str(made) == "The server calendar.example refused the connection."
    assert json.loads(stored)[0]["params"] == {"host": "calendar.example"}
    with use_language("mk"):
        assert phrases.load(stored) == ["Серверот calendar.example ја одби врската.", "a plain line"]
    with use_language("sq"):
        assert phrases.load(stored) == ["Serveri calendar.example e refuzoi lidhjen.", "a plain line"]
    with use_language("en"):
        assert phrases.load("Text stored before phrases\nits second line") == [
            "Text stored before phrases",
            "its second line",
        ]


#: A source on an internal address: refused before any connection (tracker.services.fetching).
SOURCE = {"name": "Partner ministry", "url": "https://127.0.0.1/feed.ics", "default_kind": "meeting"}
REFUSED_FETCH = {
    "en": "The address 127.0.0.1 is internal; only public addresses are fetched.",
    "mk": "Адресата 127.0.0.1 е внатрешна; се преземаат само јавни адреси.",
    "sq": "Adresa 127.0.0.1 është e brendshme; merren vetëm adresat publike.",
}
FAILURES = {"en": "1 failure in a row; next try", "mk": "1 неуспех по ред; следен обид", "sq": "1 dështim radhazi"}


def test_a_sources_error_made_in_macedonian_is_read_in_each_language(editor_client: FlaskClient) -> None:
    """ "Sync now" in Macedonian stores the error in no language: the page says it in whoever's language reads it."""
    form = {**SOURCE, "default_visibility": "public", "default_tags": "", "organisation": "", "interval_minutes": "60"}
    page_url = editor_client.post("/edit/sources?lang=mk", data=form).headers["Location"]
    editor_client.post(f"{page_url}/sync?lang=mk")
    flashed = _text(editor_client.get(f"{page_url}?lang=mk").get_data(as_text=True))
    assert f"Синхронизацијата не успеа: {REFUSED_FETCH['mk']}" in flashed  # the flash, in the language asked in

    for language, error in REFUSED_FETCH.items():
        response = editor_client.get(f"{page_url}?lang={language}")
        assert response.status_code == 200
        page = _text(response.get_data(as_text=True))
        assert error in page
        assert FAILURES[language] in page
        for other, other_error in REFUSED_FETCH.items():
            assert other == language or other_error not in page
