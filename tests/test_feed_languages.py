"""Feeds in the reader's language (``?lang=``): the event's own translations with RFC 5545 ``LANGUAGE``, checked by
the shared checker and read back with ``icalendar``; one ETag and one cache entry per language; subscribe links.

The oracle is the data given (titles and descriptions stored on the event) and CLDR's own territory names.
"""

from __future__ import annotations

import json
from typing import Any

import icalendar
import pytest
from babel import Locale
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import NOW, make_event
from tests.feeds_support import icscheck
from tracker.filters import parse_filter
from tracker.models import Event, EventIcs

TEXTS = {
    "mk": {
        "title": "Министерска конференција за миграции — Скопје",
        "description": "Конференција на министрите за внатрешни работи.",
    },
    "sq": {
        "title": "Konferenca ministrore për migracionin — Shkup",
        "description": "Konferencë e ministrave të punëve të brendshme, çështje të sigurisë.",
    },
}
OWN_TITLE = "Ministerial conference on migration — Skopje"
OWN_DESCRIPTION = "A conference of the ministers of the interior."


def translated_event(session: Session, texts: dict[str, dict[str, str]] = TEXTS, **fields: Any) -> Event:
    """An English event carrying ``texts`` in other languages (stored as the ``translations`` column holds them)."""
    event = make_event(session, title=OWN_TITLE, description=OWN_DESCRIPTION, **fields)
    event.translations = json.dumps(texts, ensure_ascii=False)
    session.add(event)
    session.commit()
    return event


def vevents(body: bytes) -> list[Any]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_feed_in_a_language_is_clean_and_says_its_language(
    client: FlaskClient, db_session: Session, language: str
) -> None:
    translated_event(db_session)
    response = client.get(f"/calendar.ics?lang={language}")
    assert response.status_code == 200
    [result] = icscheck(response.data)
    assert result.clean, result.output
    [vevent] = vevents(response.data)
    assert str(vevent["SUMMARY"]) == TEXTS[language]["title"]
    assert vevent["SUMMARY"].params["LANGUAGE"] == language
    assert str(vevent["DESCRIPTION"]).startswith(TEXTS[language]["description"] + "\n\n")
    assert vevent["DESCRIPTION"].params["LANGUAGE"] == language
    expected_country = Locale.parse({"mk": "mk", "sq": "sq_MK"}[language]).territories["MK"]
    assert str(vevent["LOCATION"]) == f"Skopje, {expected_country}"
    assert response.headers["Content-Language"] == language


def test_a_language_without_a_translation_falls_back_and_says_so(client: FlaskClient, db_session: Session) -> None:
    translated_event(db_session, {"mk": TEXTS["mk"]})
    body = client.get("/calendar.ics?lang=sq").data
    [result] = icscheck(body)
    assert result.clean, result.output
    [vevent] = vevents(body)
    assert (str(vevent["SUMMARY"]), vevent["SUMMARY"].params["LANGUAGE"]) == (OWN_TITLE, "en")
    assert vevent["DESCRIPTION"].params["LANGUAGE"] == "en"


def test_a_translation_without_description_tags_the_description_with_its_own_language(
    client: FlaskClient, db_session: Session
) -> None:
    translated_event(db_session, {"mk": {"title": TEXTS["mk"]["title"], "description": ""}})
    [vevent] = vevents(client.get("/calendar.ics?lang=mk").data)
    assert vevent["SUMMARY"].params["LANGUAGE"] == "mk"
    assert str(vevent["DESCRIPTION"]).startswith(OWN_DESCRIPTION)
    assert vevent["DESCRIPTION"].params["LANGUAGE"] == "en"


def test_the_plain_feed_keeps_its_bytes_without_language_parameters(client: FlaskClient, db_session: Session) -> None:
    translated_event(db_session)
    body = client.get("/calendar.ics").data
    assert b"LANGUAGE=" not in body
    [vevent] = vevents(body)
    assert str(vevent["SUMMARY"]) == OWN_TITLE


def test_each_language_has_its_own_etag_and_304(client: FlaskClient, db_session: Session) -> None:
    translated_event(db_session)
    etags = {language: client.get(f"/calendar.ics?lang={language}").headers["ETag"] for language in ("en", "mk", "sq")}
    etags["plain"] = client.get("/calendar.ics").headers["ETag"]
    assert len(set(etags.values())) == 4, etags
    for language in ("en", "mk", "sq"):
        again = client.get(f"/calendar.ics?lang={language}", headers={"If-None-Match": etags[language]})
        assert again.status_code == 304
        other = "sq" if language == "mk" else "mk"
        elsewhere = client.get(f"/calendar.ics?lang={other}", headers={"If-None-Match": etags[language]})
        assert elsewhere.status_code == 200
    # A mk feed is never served for sq from the cache, in either order of requests.
    assert str(vevents(client.get("/calendar.ics?lang=sq").data)[0]["SUMMARY"]) == TEXTS["sq"]["title"]
    assert str(vevents(client.get("/calendar.ics?lang=mk").data)[0]["SUMMARY"]) == TEXTS["mk"]["title"]


def test_blocks_are_stored_per_language(app: Flask, client: FlaskClient, db_session: Session) -> None:
    event = translated_event(db_session)
    for query in ("?lang=mk", "?lang=sq", ""):
        client.get(f"/calendar.ics{query}").close()  # the blocks are stored once the answer has been sent
    blocks = db_session.execute(select(EventIcs.block).where(EventIcs.event_id == event.id)).scalars().all()
    assert len(blocks) == 3
    assert sum(TEXTS["mk"]["title"] in block.replace("\r\n ", "") for block in blocks) == 1  # unfolded


def test_a_language_not_offered_is_refused(client: FlaskClient, db_session: Session) -> None:
    translated_event(db_session)
    response = client.get("/calendar.ics?lang=de")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "“de”" in text and "en, mk, sq" in text


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_one_event_download_in_a_language(client: FlaskClient, db_session: Session, language: str) -> None:
    event = translated_event(db_session)
    response = client.get(f"/events/{event.id}.ics?lang={language}")
    assert response.status_code == 200
    [result] = icscheck(response.data, kind="event")
    assert result.clean, result.output
    [vevent] = vevents(response.data)
    assert (str(vevent["SUMMARY"]), vevent["SUMMARY"].params["LANGUAGE"]) == (TEXTS[language]["title"], language)


def test_a_private_feed_takes_a_language_too(client: FlaskClient, db_session: Session, editor: Any) -> None:
    from tracker.services.feeds import new_feed_token

    translated_event(db_session)
    token = new_feed_token(db_session, editor, NOW)
    db_session.commit()
    for language in ("sq", "mk"):  # no SOURCE tells the two apart: the language itself must be in the cache key
        response = client.get(f"/feeds/{token}.ics?lang={language}")
        [vevent] = vevents(response.data)
        assert (str(vevent["SUMMARY"]), vevent["SUMMARY"].params["LANGUAGE"]) == (TEXTS[language]["title"], language)


def test_subscribe_links_offer_every_language_and_default_to_the_readers(app: Flask, db_session: Session) -> None:
    with app.test_request_context("/?kind=conference&lang=mk"):
        from flask import request

        from tracker.i18n import use_language
        from tracker.web.sessions import get_session

        event_filter = parse_filter(request.args, get_session())
        with use_language("mk"):
            html = render_template_string('{% include "_subscribe.html" %}', event_filter=event_filter)
    assert 'href="webcal://tracker.test/calendar.ics?kind=conference&amp;lang=mk"' in html
    assert 'value="http://tracker.test/calendar.ics?kind=conference&amp;lang=mk"' in html
    for other in ("en", "sq"):
        assert f'href="webcal://tracker.test/calendar.ics?kind=conference&amp;lang={other}" hreflang="{other}"' in html
        assert f"cid=webcal%3A%2F%2Ftracker.test%2Fcalendar.ics%3Fkind%3Dconference%26lang%3D{other}" in html
        assert f"calendar.ics%3Fkind%3Dconference%26lang%3D{other}" in html  # Outlook's url= too
    assert "Македонски" in html and "Shqip" in html and "English" in html


@pytest.mark.parametrize("language", ["en", "mk", "sq"])
@pytest.mark.parametrize("status", ["confirmed", "cancelled", "postponed", "tentative"])
def test_the_fast_writer_equals_icalendar_in_every_language(language: str, status: str) -> None:
    """Tagged blocks, like plain ones, are byte for byte what ``icalendar`` writes (hostile translations too)."""
    from dataclasses import replace

    from tests.feeds_support import HOSTILE_TITLES
    from tests.ical_reference import reference_vevent
    from tests.test_ical_units import EVENT
    from tracker.ical import write_vevent

    for number, title in enumerate(HOSTILE_TITLES):
        texts = {"mk": {"title": title, "description": title * 3}, "sq": {"title": title[::-1], "description": ""}}
        event = replace(EVENT, status=status, translations=json.dumps(texts), cancel_reason=title if number else "")
        assert write_vevent(event, "https://t.example", language) == reference_vevent(
            event, "https://t.example", language
        )
