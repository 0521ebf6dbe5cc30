"""Events in several languages: the form takes a title and description in en, mk and sq; pages show the reader's
language and say when they fall back; search finds every language; revisions and the API carry translations.

Expected texts are the data the tests put in (or the English msgids, the catalogue's source language).
"""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import inspect, select, text
from sqlmodel import Session

from tests.conftest import NOW, make_event
from tests.conftest import events_found_in_search_index as indexed
from tests.test_api_writes import NEW_EVENT, token
from tests.test_editor_views import form_data
from tracker.db import make_engine
from tracker.filters import EventFilter
from tracker.i18n import gettext, use_language
from tracker.migrations import upgrade
from tracker.models import Event, EventRevision
from tracker.services import events as event_service
from tracker.services.search import search_events
from tracker.validation import EventInput

MK_TITLE = "Министерска конференција за одржливо управување со миграциите на Западен Балкан"
SQ_TITLE = "Konferenca Ministrore për Menaxhimin e Qëndrueshëm të Migracionit në Ballkanin Perëndimor"
EN_TITLE = "Ministerial Conference on Sustainable Migration Management in the Western Balkans"
MK_DESCRIPTION = "Конференцијата ги опфаќа сите теми што ги засегаат земјите од Западен Балкан."
SQ_DESCRIPTION = "Konferenca përfshin të gjitha temat që prekin vendet e Ballkanit Perëndimor."

FORM = {
    "kind": "conference",
    "all_day": "on",
    "timezone": "Europe/Skopje",
    "start_date": "2022-11-15",
    "end_date": "2022-11-16",
    "city": "Skopje",
    "country": "MK",
    "language": "",
    "title": "",
    "description": "",
    "title_mk": MK_TITLE,
    "description_mk": MK_DESCRIPTION,
    "title_sq": SQ_TITLE,
    "description_sq": "",
}


def stored(db_session: Session, event_id: int) -> Event:
    db_session.rollback()
    db_session.expire_all()
    event = db_session.get(Event, event_id)
    assert event is not None
    return event


def input_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    assert tag, name
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return unescape(value.group(1)) if value else ""


def textarea_value(html: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    assert found, name
    return unescape(found.group(1))


def field_error(html: str, name: str) -> str:
    found = re.search(rf'<p class="field-error" id="{re.escape(name)}-error">([^<]*)</p>', html)
    return unescape(found.group(1)) if found else ""


def element(html: str, tag: str) -> tuple[dict[str, str], str]:
    """The first ``<tag …>…</tag>``: its attributes and its text."""
    found = re.search(rf"<{tag}\b([^>]*)>(.*?)</{tag}>", html, re.DOTALL)
    assert found, tag
    attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', found.group(1)))
    return attributes, unescape(re.sub(r"<[^>]+>", "", found.group(2))).strip()


def translated_event(db_session: Session, **fields: Any) -> Event:
    """The Skopje conference, its own texts in Macedonian, translated into Albanian (title only) and English."""
    values = {
        "title": MK_TITLE,
        "description": MK_DESCRIPTION,
        "language": "mk",
        "translations": {"sq": {"title": SQ_TITLE, "description": ""}},
        **fields,
    }
    return make_event(db_session, **values)


# ------------------------------------------------------------------------------------------------ the form


def test_the_form_stores_the_first_language_given_as_the_original_and_shows_every_text_again(
    editor_client: FlaskClient, db_session: Session
) -> None:
    response = editor_client.post("/edit/events/new", data=form_data(FORM))
    assert response.status_code == 302, response.get_data(as_text=True)
    event_id = int(response.headers["Location"].rsplit("/", 1)[1])
    event = stored(db_session, event_id)
    # No English title: Macedonian is the first language given one.
    assert (event.language, event.title, event.description) == ("mk", MK_TITLE, MK_DESCRIPTION)
    assert json.loads(event.translations) == {"sq": {"title": SQ_TITLE, "description": ""}}
    html = editor_client.get(f"/edit/events/{event_id}").get_data(as_text=True)
    assert input_value(html, "title") == ""
    assert input_value(html, "title_mk") == MK_TITLE
    assert input_value(html, "title_sq") == SQ_TITLE
    assert textarea_value(html, "description_mk") == MK_DESCRIPTION
    assert re.search(r'<option value="mk" selected>', html)
    # Saving the form as shown changes nothing.
    again = {**FORM, "language": "mk", "revision": "1"}
    assert editor_client.post(f"/edit/events/{event_id}", data=form_data(again)).status_code == 302
    assert stored(db_session, event_id).revision == 1


def test_an_explicit_original_language_and_an_english_title_added_later(
    editor_client: FlaskClient, db_session: Session
) -> None:
    response = editor_client.post("/edit/events/new", data=form_data(FORM, language="sq"))
    event_id = int(response.headers["Location"].rsplit("/", 1)[1])
    event = stored(db_session, event_id)
    assert (event.language, event.title, event.description) == ("sq", SQ_TITLE, "")
    assert json.loads(event.translations) == {"mk": {"title": MK_TITLE, "description": MK_DESCRIPTION}}
    edit = {**FORM, "language": "sq", "revision": "1", "title": EN_TITLE}
    assert editor_client.post(f"/edit/events/{event_id}", data=form_data(edit)).status_code == 302
    event = stored(db_session, event_id)
    assert event.title == SQ_TITLE and json.loads(event.translations)["en"] == {"title": EN_TITLE, "description": ""}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title_mk": "", "title_sq": "", "description_mk": ""}, "title", "Enter a title."),
        ({"language": "en"}, "title", "Enter the title in English, the original language chosen"),
        ({"language": "sq", "title_sq": ""}, "title_sq", "Enter the title in Albanian, the original language"),
        ({"title_sq": "", "description_sq": "Vetëm përshkrim."}, "title_sq", "Enter the title in Albanian too"),
        ({"title_sq": "x" * 301}, "title_sq", "The title has 301 characters; at most 300 are allowed."),
        ({"description_sq": "x" * 20_001}, "description_sq", "at most 20000"),
        ({"language": "de"}, "language", "Choose the language of the texts"),
        ({"language": "mk", "title": "x" * 301}, "title", "The title has 301"),  # an English translation
    ],
)
def test_bad_texts_are_refused_beside_their_field_and_kept(
    editor_client: FlaskClient, db_session: Session, overrides: dict, field: str, message: str
) -> None:
    response = editor_client.post("/edit/events/new", data=form_data(FORM, **overrides))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in field_error(html, field), field
    assert input_value(html, "title_mk") == (overrides.get("title_mk", MK_TITLE))
    assert db_session.exec(select(Event.id)).first() is None


def test_the_form_speaks_the_editors_language(editor_client: FlaskClient) -> None:
    html = editor_client.get("/edit/events/new?lang=en").get_data(as_text=True)
    labels = dict(re.findall(r'<label for="((?:title|description)[_a-z]*)">([^<]*)</label>', html))
    assert labels == {
        "title": "Title in English",
        "title_mk": "Title in Macedonian",
        "title_sq": "Title in Albanian",
        "description": "Description in English",
        "description_mk": "Description in Macedonian",
        "description_sq": "Description in Albanian",
    }
    assert re.search(r'<input[^>]*name="title_mk"[^>]*lang="mk"', html)


# ------------------------------------------------------------------------------------------------ the pages


def test_the_event_page_shows_the_readers_language_and_marks_the_fallback(
    client: FlaskClient, db_session: Session
) -> None:
    event = translated_event(db_session)
    html = client.get(f"/events/{event.id}?lang=sq").get_data(as_text=True)
    assert element(html, "h1") == ({"lang": "sq"}, SQ_TITLE)
    assert 'class="language-note"' not in html.split("</h1>", 1)[1].split("<dl", 1)[0]
    # The Albanian translation has no description: the Macedonian one is shown, marked as Macedonian.
    about = html.split('<section class="description">', 1)[1]
    assert re.search(rf'<div lang="mk">\s*<p>{MK_DESCRIPTION}</p>', about)
    with use_language("sq"):  # the catalogue's Albanian, or the English msgid until it has one
        note = gettext("There is no description in Albanian; it is shown in Macedonian.")
    assert f'<p class="language-note">{note}</p>' in about
    english = client.get(f"/events/{event.id}?lang=en").get_data(as_text=True)
    assert element(english, "h1") == ({"lang": "mk"}, MK_TITLE)
    assert '<p class="language-note">There is no title in English; it is shown in Macedonian.</p>' in english
    macedonian = client.get(f"/events/{event.id}?lang=mk").get_data(as_text=True)
    assert element(macedonian, "h1") == ({"lang": "mk"}, MK_TITLE)
    assert 'class="language-note"' not in macedonian
    json_ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', english, re.S).group(1))
    assert (json_ld["name"], json_ld["inLanguage"]) == (MK_TITLE, "mk")
    albanian_ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert (albanian_ld["name"], albanian_ld["inLanguage"]) == (SQ_TITLE, "sq")


@time_machine.travel(NOW, tick=False)
def test_lists_and_the_month_grid_show_the_readers_title(client: FlaskClient, db_session: Session) -> None:
    translated_event(db_session, start_date="2026-11-10")
    agenda = client.get("/?lang=sq").get_data(as_text=True)
    assert SQ_TITLE in agenda and MK_TITLE not in agenda
    english = client.get("/?lang=en").get_data(as_text=True)
    assert re.search(rf'<h3 lang="mk"><a href="/events/\d+">{MK_TITLE}</a></h3>', english)
    month = client.get("/calendar/2026/11?lang=sq").get_data(as_text=True)
    assert f'<span class="title">{SQ_TITLE}</span>' in month
    month_en = client.get("/calendar/2026/11?lang=en").get_data(as_text=True)
    assert f'<span class="title" lang="mk">{MK_TITLE}</span>' in month_en


# ------------------------------------------------------------------------------------------------ search


@pytest.mark.parametrize(
    ("query", "language", "shown"),
    [
        ("одржливо", "mk", MK_TITLE),
        ("Qëndrueshëm", "sq", SQ_TITLE),
        ("qendrueshem", "mk", MK_TITLE),  # found by the Albanian title, shown in the reader's Macedonian
        ("sustainable", "en", EN_TITLE),
        ("опфаќа", "sq", SQ_TITLE),  # in the Macedonian description only
    ],
)
def test_search_finds_every_language_and_shows_the_readers(
    client: FlaskClient, db_session: Session, query: str, language: str, shown: str
) -> None:
    translations = {"sq": {"title": SQ_TITLE, "description": SQ_DESCRIPTION}, "en": {"title": EN_TITLE}}
    event = translated_event(db_session, translations=translations)
    make_event(db_session, title="Unrelated working meeting")
    hits = search_events(db_session, EventFilter(q=query), include_internal=False)
    assert [hit.event.id for hit in hits] == [event.id]
    html = client.get(f"/?q={query}&lang={language}").get_data(as_text=True)
    titles = [unescape(re.sub(r"</?mark>", "", title)) for title in re.findall(r"<h2[^>]*><a [^>]*>(.*?)</a>", html)]
    assert titles == [shown]


def test_the_index_follows_changes_of_the_translations_alone(db_session: Session) -> None:
    event = translated_event(db_session)
    assert search_events(db_session, EventFilter(q="Tirana"), include_internal=False) == []
    new = json.dumps({"sq": {"title": "Takim në Tirana", "description": ""}}, ensure_ascii=False)
    db_session.execute(text("UPDATE event SET translations = :new WHERE id = :id"), {"new": new, "id": event.id})
    db_session.commit()
    assert [hit.event.id for hit in search_events(db_session, EventFilter(q="tirana"), include_internal=False)] == [
        event.id
    ]
    assert search_events(db_session, EventFilter(q="Qëndrueshëm"), include_internal=False) == []
    db_session.execute(text("UPDATE event SET translations = 'not json' WHERE id = :id"), {"id": event.id})
    db_session.commit()  # text that is not JSON indexes as no translations instead of failing the write
    assert search_events(db_session, EventFilter(q="tirana"), include_internal=False) == []
    assert len(search_events(db_session, EventFilter(q="одржливо"), include_internal=False)) == 1


# ------------------------------------------------------------------------------------------------ revisions


def test_revisions_record_translations_and_a_restore_brings_them_back(
    editor_client: FlaskClient, db_session: Session
) -> None:
    event = translated_event(db_session)
    values = {**event_service.event_input_from(event_service.load_event(db_session, event.id))}
    values["translations"] = {"sq": {"title": SQ_TITLE, "description": SQ_DESCRIPTION}, "en": {"title": EN_TITLE}}
    event_service.update_event(db_session, event.id, EventInput.from_form(values), 1, None, NOW)
    db_session.commit()
    revision = db_session.exec(select(EventRevision).where(EventRevision.revision == 2)).scalar_one()
    assert revision.changes["translations"] == [
        {"sq": {"title": SQ_TITLE, "description": ""}},
        {
            "en": {"title": EN_TITLE, "description": ""},
            "sq": {"title": SQ_TITLE, "description": SQ_DESCRIPTION},
        },
    ]
    event_service.delete_event(db_session, event.id, 2, None, NOW)
    event_service.restore_event(db_session, event.id, 3, None, NOW)
    db_session.commit()
    restored = stored(db_session, event.id)
    assert (restored.language, restored.title) == ("mk", MK_TITLE)
    assert json.loads(restored.translations)["sq"]["description"] == SQ_DESCRIPTION
    history = editor_client.get(f"/edit/events/{event.id}/history").get_data(as_text=True)
    assert "Translations changed" in history


def test_a_change_that_names_no_texts_keeps_the_translations(db_session: Session) -> None:
    """Imports, press releases and API changes of other fields leave language and translations as stored."""
    event = translated_event(db_session)
    values = {**event_service.event_input_from(event_service.load_event(db_session, event.id))}
    values.pop("language"), values.pop("translations")
    event_service.update_event(db_session, event.id, EventInput.from_form({**values, "city": "Ohrid"}), 1, None, NOW)
    db_session.commit()
    event = stored(db_session, event.id)
    assert (event.city, event.language) == ("Ohrid", "mk")
    assert json.loads(event.translations) == {"sq": {"title": SQ_TITLE, "description": ""}}


# ------------------------------------------------------------------------------------------------ the API


def test_the_api_gives_and_takes_language_and_translations(client: FlaskClient, db_session: Session) -> None:
    headers = token(db_session)
    body = {**NEW_EVENT, "language": "en", "translations": {"mk": {"title": MK_TITLE, "description": None}}}
    created = client.post("/api/events", json=body, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    props = created.get_json()["extendedProps"]
    assert (props["language"], props["translations"]) == ("en", {"mk": {"title": MK_TITLE, "description": ""}})
    path = f"/api/events/{created.get_json()['id']}"
    changed = client.patch(path, json={"city": "Novi Sad", "revision": 1}, headers=headers)
    assert changed.get_json()["extendedProps"]["translations"] == {"mk": {"title": MK_TITLE, "description": ""}}
    window = client.get("/api/events?start=2026-12-01&end=2026-12-31").get_json()
    assert [item["extendedProps"]["translations"] for item in window] == [
        {"mk": {"title": MK_TITLE, "description": ""}}
    ]
    bad = [
        ({"translations": ["mk"]}, "translations"),
        ({"translations": {"mk": {"title": 5}}}, "translations"),
        ({"translations": {"de": {"title": "Konferenz"}}}, "translations"),
        ({"translations": {"mk": {"title": "x" * 301}}}, "title_mk"),
        ({"language": "xx"}, "language"),
        ({"language": 7}, "language"),
    ]
    for change, field in bad:
        answer = client.patch(path, json={**change, "revision": 2}, headers=headers)
        assert answer.status_code == 422 and field in answer.get_json()["error"]["fields"], (change, answer.get_json())


# ------------------------------------------------------------------------------------------------ migration


def test_migration_0008_indexes_translations_and_its_downgrade_restores_0002s_index(blank_url: str) -> None:
    from alembic import command

    from tracker.migrations import alembic_config

    engine = make_engine(blank_url)
    try:
        upgrade(engine, "0007")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO event (uid, title, kind, status, visibility, all_day, timezone, start_dt, end_dt,"
                    " venue, city, description, source_citation, cancel_reason, sequence, revision, created_dt,"
                    " updated_dt) VALUES ('u1', 'Skopje conference', 'conference', 'confirmed', 'public', false,"
                    " 'UTC', :at, :at, '', 'Skopje', 'About migration', '', '', 0, 1, :at, :at)"
                ),
                {"at": NOW.replace(tzinfo=None)},
            )
        upgrade(engine)
        assert {"language", "translations"} <= {column["name"] for column in inspect(engine).get_columns("event")}
        assert indexed(engine, "skopje") == [1]
        translations = json.dumps({"sq": {"title": "Konferenca e Shkupit", "description": "Për migracionin"}})
        with engine.begin() as connection:
            connection.execute(text("UPDATE event SET translations = :t"), {"t": translations})
        assert indexed(engine, "shkupit") == [1] and indexed(engine, "migracionin") == [1]
        command.downgrade(alembic_config(engine), "0007")
        assert "translations" not in {column["name"] for column in inspect(engine).get_columns("event")}
        assert indexed(engine, "shkupit") == [] and indexed(engine, "skopje") == [1]
        with engine.begin() as connection:
            connection.execute(text("UPDATE event SET title = 'Ohrid seminar'"))
        assert indexed(engine, "ohrid") == [1] and indexed(engine, "skopje") == [1]  # the city is indexed too
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("UPDATE event SET translations = :t"), {"t": translations})
        assert indexed(engine, "shkupit") == [1]
    finally:
        engine.dispose()


# ------------------------------------------------------------------------------------------------ the rule itself


def test_which_text_a_reader_gets() -> None:
    from types import SimpleNamespace

    from tracker.event_texts import localized

    stored = {"sq": {"title": SQ_TITLE, "description": ""}, "en": {"title": EN_TITLE, "description": "In English."}}
    event = SimpleNamespace(title=MK_TITLE, description=MK_DESCRIPTION, language="mk", translations=json.dumps(stored))
    seen = {language: localized(event, language) for language in ("en", "mk", "sq")}
    assert (seen["en"].title, seen["en"].description, seen["en"].fell_back) == (EN_TITLE, "In English.", False)
    assert (seen["mk"].title, seen["mk"].language, seen["mk"].title_note) == (MK_TITLE, "mk", "")
    # A translation without a description: its title, and the event's own description marked with its language.
    assert (seen["sq"].title, seen["sq"].language, seen["sq"].fell_back) == (SQ_TITLE, "sq", False)
    assert (seen["sq"].description, seen["sq"].description_language) == (MK_DESCRIPTION, "mk")
    assert seen["sq"].description_fell_back
    # Stored text that is not usable counts as no translation.
    for junk in ("not json", "[]", '{"sq": "x"}', '{"sq": {"title": "  "}}', '{"de": {"title": "Konferenz"}}'):
        broken = SimpleNamespace(title=MK_TITLE, description="", language="mk", translations=junk)
        assert (localized(broken, "sq").title, localized(broken, "sq").language) == (MK_TITLE, "mk"), junk


def test_the_form_fields_fold_into_the_stored_values_and_back() -> None:
    from tracker.event_form import fold_texts, form_texts

    typed = {"language": "", "title": "", "title_mk": MK_TITLE, "title_sq": SQ_TITLE, "description_sq": "Për."}
    folded = fold_texts(typed)
    assert (folded["language"], folded["title"], folded["description"]) == ("mk", MK_TITLE, "")
    assert folded["translations"] == {"sq": {"title": SQ_TITLE, "description": "Për."}}
    stored = {key: folded[key] for key in ("language", "title", "description", "translations")}
    assert form_texts(stored) == {
        "en": {"title": "", "description": ""},
        "mk": {"title": MK_TITLE, "description": ""},
        "sq": {"title": SQ_TITLE, "description": "Për."},
    }
    assert fold_texts({"title": "Only English"}) == {"title": "Only English"}  # a form without language fields
