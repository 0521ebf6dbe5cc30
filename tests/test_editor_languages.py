"""Editors' pages, their form errors, flashes and history in Macedonian and Albanian.

The expected words are the translators' own (the catalogue's entries, written out here), never produced by the
code under test; the English each replaces must be gone. The language comes from ``?lang=`` on one request, or
from the ``lang`` cookie the switcher leaves; English stays the default (every other test reads English pages).
Dates in a revision's sentence are compared with Babel's own CLDR output for the same pattern.
"""

from __future__ import annotations

import html
from datetime import date

import pytest
from babel.dates import format_date
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import make_event
from tracker.i18n import use_language
from tracker.models import Organisation
from tracker.services.change_text import describe

#: (language, expected text) for each check; the English each replaces is in the test.
ADD_ORGANISATION = {"mk": "Додајте организација", "sq": "Shtoni një organizatë"}
NAME_MISSING = {"mk": "Внесете го називот на организацијата.", "sq": "Shkruani emrin e organizatës."}
END_BEFORE_START = {
    "mk": "Датумот на завршување е пред датумот на почеток.",
    "sq": "Data e mbarimit është para datës së fillimit.",
}
USED_BY_ONE = {"mk": "Ја користи 1 настан.", "sq": "Përdoret nga 1 ngjarje."}
USED_BY_TWO = {"mk": "Ја користат 2 настани.", "sq": "Përdoret nga 2 ngjarje."}
STATUS_CANCELLED = {"mk": "Статусот е променет во „Откажан“.", "sq": "Statusi u ndryshua në “E anuluar”."}
TITLE_CHANGED = {
    "mk": "Насловот е променет од „Working meeting“ во „Working visit“",
    "sq": "Titulli u ndryshua nga “Working meeting” në “Working visit”",
}
START_MOVED = {
    "mk": "Почетокот е поместен од %s 10:00 на %s 10:00",
    "sq": "Fillimi u zhvendos nga %s 10:00 në %s 10:00",
}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_the_organisations_page_speaks_the_language_asked_for(editor_client: FlaskClient, language: str) -> None:
    page = text(editor_client.get(f"/edit/organisations?lang={language}"))
    assert ADD_ORGANISATION[language] in page
    assert "Add an organisation" not in page


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_a_directory_form_error_is_in_the_language_of_the_cookie(editor_client: FlaskClient, language: str) -> None:
    editor_client.set_cookie("lang", language)
    response = editor_client.post("/edit/organisations", data={"name": "  ", "kind": "other"})
    assert response.status_code == 400
    assert NAME_MISSING[language] in text(response)
    assert "Enter the organisation's name." not in text(response)


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_an_event_form_error_is_in_the_reader_language(editor_client: FlaskClient, language: str) -> None:
    form = {
        "title": "Working meeting", "kind": "meeting", "status": "confirmed", "visibility": "public",
        "timezone": "Europe/Skopje", "start_date": "2026-11-10", "end_date": "2026-11-09",
        "start_time": "10:00", "end_time": "12:00",
    }  # fmt: skip
    response = editor_client.post(f"/edit/events/new?lang={language}", data=form)
    assert response.status_code == 400
    assert END_BEFORE_START[language] in text(response)
    assert "The end date is before the start date." not in text(response)


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_what_uses_an_organisation_takes_the_plural_form_of_its_count(
    editor_client: FlaskClient, db_session: Session, language: str
) -> None:
    make_event(db_session, title="One", organisations=[("IOM", "host")])
    iom = db_session.exec(select(Organisation.id).where(Organisation.name == "IOM")).scalar_one()
    once = text(editor_client.get(f"/edit/organisations/{iom}?lang={language}"))
    assert USED_BY_ONE[language] in once and "Used by 1 event." not in once
    make_event(db_session, title="Two", organisations=[("IOM", "host")])
    twice = text(editor_client.get(f"/edit/organisations/{iom}?lang={language}"))
    assert USED_BY_TWO[language] in twice and "Used by 2 events." not in twice


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_a_status_change_is_confirmed_in_the_editor_language(
    editor_client: FlaskClient, db_session: Session, language: str
) -> None:
    event = make_event(db_session)
    editor_client.set_cookie("lang", language)
    response = editor_client.post(
        f"/edit/events/{event.id}/status", data={"status": "cancelled", "reason": "", "revision": "1"}
    )
    assert response.status_code == 302
    page = text(editor_client.get(response.headers["Location"]))
    assert STATUS_CANCELLED[language] in page
    assert "Status set to cancelled." not in page


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_a_stored_revision_reads_in_the_language_it_is_shown_in(language: str) -> None:
    """A revision keeps values only: the same stored change reads in English, Macedonian or Albanian."""
    changes = {
        "title": ["Working meeting", "Working visit"],
        "start_dt": ["2022-11-15T09:00:00+00:00", "2022-11-16T09:00:00+00:00"],
    }
    assert describe("updated", changes, "Europe/Skopje", False)[0] == (
        "Title changed from “Working meeting” to “Working visit”"
    )
    locale = {"mk": "mk", "sq": "sq_MK"}[language]
    days = tuple(format_date(date(2022, 11, day), "EEE d MMM y", locale=locale) for day in (15, 16))
    with use_language(language):
        sentences = describe("updated", changes, "Europe/Skopje", False)
    assert sentences == [TITLE_CHANGED[language], START_MOVED[language] % days]
