"""Organisations' names in Macedonian and Albanian: the directory form stores them, pages and feeds show the
reader's, the stored name stands in where there is none, and a change of them reaches the feeds.

The oracle is the data given (names stored as the ``translations`` column holds them), the catalogues read with
Babel's own ``read_po``, and feeds read back with ``icalendar`` and checked by the shared checker.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import icalendar
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from sqlalchemy import inspect, select, text
from sqlmodel import Session

from tests.conftest import NOW, make_event
from tests.conftest import events_found_in_search_index as indexed
from tests.feeds_support import icscheck
from tracker.db import make_engine
from tracker.migrations import upgrade
from tracker.models import Event, EventOrganisation, Organisation
from tracker.services.demo import load_demo
from tracker.services.demo_texts import ORGANISATION_NAMES

STORED_NAME = "Ministry of Interior of the Republic of North Macedonia"
STORED_ACRONYM = "MoI MK"
NAMES = {"mk": {"name": "Министерство за внатрешни работи", "acronym": "МВР"}}
CATALOGUES = Path(__file__).resolve().parent.parent / "tracker" / "translations"


def catalogue_text(language: str, msgid: str) -> str:
    with (CATALOGUES / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return str(read_po(po)[msgid].string)


def ministry(session: Session, names: dict[str, dict[str, str]] = NAMES) -> Organisation:
    organisation = Organisation(
        name=STORED_NAME, acronym=STORED_ACRONYM, kind="ministry", translations=json.dumps(names, ensure_ascii=False)
    )
    session.add(organisation)
    session.commit()
    return organisation


def hosted_event(session: Session) -> Any:
    ministry(session)
    return make_event(session, title="Ministerial conference", organisations=[(STORED_NAME, "host")])


def page_text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def hosts(html: str) -> str:
    """The text of the event page's link to its host's page."""
    found = re.search(r'<a href="/organisations/[^"]+">(.*?)</a>', html, re.DOTALL)
    assert found
    return page_text(found.group(1)).strip()


# ------------------------------------------------------------------------------------------------ the form


def test_the_directory_form_stores_and_shows_the_names_in_each_language(
    editor_client: FlaskClient, db_session: Session
) -> None:
    form = {
        "name": STORED_NAME,
        "acronym": STORED_ACRONYM,
        "kind": "ministry",
        "name_mk": "Министерство за внатрешни работи на Република Северна Македонија",
        "acronym_mk": "МВР",
        "name_sq": "Ministria e Punëve të Brendshme e Republikës së Maqedonisë së Veriut",
        "acronym_sq": "",
    }
    assert editor_client.post("/edit/organisations", data=form).status_code == 302
    organisation = db_session.exec(select(Organisation).where(Organisation.name == STORED_NAME)).scalar_one()
    assert json.loads(organisation.translations) == {
        "mk": {"name": form["name_mk"], "acronym": "МВР"},
        "sq": {"name": form["name_sq"], "acronym": ""},
    }
    edit = unescape(editor_client.get(f"/edit/organisations/{organisation.id}").get_data(as_text=True))
    for field in ("name_mk", "acronym_mk", "name_sq"):
        assert re.search(rf'name="{field}" value="{re.escape(form[field])}"', edit), field
    # Emptied fields drop the language.
    emptied = {**form, "name_sq": "", "acronym_mk": ""}
    response = editor_client.post(f"/edit/organisations/{organisation.id}", data=emptied)
    assert response.status_code == 302, response.get_data(as_text=True)
    db_session.rollback()  # end the test's read transaction: the page's commit is after it
    assert json.loads(db_session.get(Organisation, organisation.id).translations) == {
        "mk": {"name": form["name_mk"], "acronym": ""}
    }


def test_the_form_refuses_an_acronym_without_a_name_and_overlong_names_in_the_readers_language(
    editor_client: FlaskClient, db_session: Session
) -> None:
    base = {"name": STORED_NAME, "kind": "ministry"}
    response = editor_client.post("/edit/organisations?lang=mk", data={**base, "acronym_sq": "MPB"})
    assert response.status_code == 400
    wanted = "Enter the name in Albanian too: an acronym needs a name in its language."
    assert catalogue_text("mk", wanted) in unescape(response.get_data(as_text=True))
    response = editor_client.post("/edit/organisations?lang=sq", data={**base, "name_mk": "М" * 201})
    assert response.status_code == 400
    assert catalogue_text("sq", "The name in Macedonian") in unescape(response.get_data(as_text=True))
    assert "201" in page_text(response.get_data(as_text=True))
    assert db_session.exec(select(Organisation.id)).first() is None


# ------------------------------------------------------------------------------------------------ the pages


def test_the_event_page_shows_the_readers_name_and_falls_back_to_the_stored_one(
    client: FlaskClient, db_session: Session
) -> None:
    event = hosted_event(db_session)
    macedonian = client.get(f"/events/{event.id}?lang=mk").get_data(as_text=True)
    assert hosts(macedonian) == f"{NAMES['mk']['name']} ({NAMES['mk']['acronym']})"
    assert STORED_NAME not in page_text(macedonian)
    albanian = client.get(f"/events/{event.id}?lang=sq").get_data(as_text=True)  # no Albanian name: the stored
    assert hosts(albanian) == f"{STORED_NAME} ({STORED_ACRONYM})"
    english = client.get(f"/events/{event.id}?lang=en").get_data(as_text=True)
    assert hosts(english) == f"{STORED_NAME} ({STORED_ACRONYM})"


def test_lists_and_the_organisation_page_show_the_readers_name(client: FlaskClient, db_session: Session) -> None:
    hosted_event(db_session)
    organisation = db_session.exec(select(Organisation)).scalar_one()
    page = client.get(f"/organisations/{organisation.slug}?lang=mk").get_data(as_text=True)
    heading = page_text(re.search(r"<h1>(.*?)</h1>", page, re.DOTALL).group(1)).strip()
    assert heading == f"{NAMES['mk']['name']} ({NAMES['mk']['acronym']})"
    index = page_text(client.get("/organisations?lang=mk").get_data(as_text=True))
    assert f"{NAMES['mk']['name']} ({NAMES['mk']['acronym']})" in index
    search = page_text(client.get("/?q=ministerial&lang=mk").get_data(as_text=True))
    assert NAMES["mk"]["acronym"] in search
    choices = re.search(r'<select id="filter-org".*?</select>', client.get("/?lang=mk").get_data(as_text=True), re.S)
    assert choices and f">{NAMES['mk']['name']} ({NAMES['mk']['acronym']})</option>" in choices.group(0)
    english = page_text(client.get("/organisations?lang=en").get_data(as_text=True))
    assert f"{STORED_NAME} ({STORED_ACRONYM})" in english and NAMES["mk"]["name"] not in english


def test_the_api_keeps_the_stored_name_and_lists_the_translations(client: FlaskClient, db_session: Session) -> None:
    hosted_event(db_session)
    [item] = client.get("/api/organisations", headers={"Accept-Language": "mk"}).get_json()
    assert (item["name"], item["acronym"]) == (STORED_NAME, STORED_ACRONYM)
    assert item["translations"] == NAMES


def found_titles(client: FlaskClient, query: str) -> str:
    return page_text(client.get("/", query_string={"q": query, "lang": "mk"}).get_data(as_text=True))


def test_a_name_typed_in_macedonian_finds_its_events(editor_client: FlaskClient, db_session: Session) -> None:
    hosted_event(db_session)
    assert "Ministerial conference" in found_titles(editor_client, "Министерство внатрешни")
    assert "Ministerial conference" in found_titles(editor_client, "МВР")
    assert "Ministerial conference" not in found_titles(editor_client, "Министерство надворешни")
    organisation = db_session.exec(select(Organisation)).scalar_one()
    form = {"name": STORED_NAME, "acronym": STORED_ACRONYM, "kind": "ministry", "name_sq": "Ministria e Brendshme"}
    assert editor_client.post(f"/edit/organisations/{organisation.id}", data=form).status_code == 302
    assert "Ministerial conference" in found_titles(editor_client, "Ministria Brendshme")
    assert "Ministerial conference" not in found_titles(editor_client, "Министерство внатрешни")


def test_the_demo_events_name_their_hosts_in_each_language(client: FlaskClient, db_session: Session) -> None:
    load_demo(db_session, NOW)
    db_session.commit()
    host = db_session.exec(select(Organisation).where(Organisation.acronym == "MoI MK")).scalar_one()
    event = db_session.exec(
        select(Event).join(EventOrganisation).where(EventOrganisation.organisation_id == host.id).limit(1)
    ).scalar_one()
    for language in ("mk", "sq"):
        names = ORGANISATION_NAMES["MoI MK"][language]
        html = client.get(f"/events/{event.id}?lang={language}").get_data(as_text=True)
        assert f"{names['name']} ({names['acronym']})" in page_text(html)
    assert load_demo(db_session, NOW) == 0  # loading twice adds nothing


# ------------------------------------------------------------------------------------------------ the feeds


def description(body: bytes) -> str:
    [vevent] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    return str(vevent["DESCRIPTION"])


def test_the_feed_in_macedonian_names_the_host_in_macedonian(client: FlaskClient, db_session: Session) -> None:
    hosted_event(db_session)
    body = client.get("/calendar.ics?lang=mk").data
    [result] = icscheck(body)
    assert result.clean, result.output
    assert f"{NAMES['mk']['name']} ({NAMES['mk']['acronym']})" in description(body)
    assert STORED_NAME not in description(body)
    assert f"{STORED_NAME} ({STORED_ACRONYM})" in description(client.get("/calendar.ics?lang=sq").data)
    assert f"{STORED_NAME} ({STORED_ACRONYM})" in description(client.get("/calendar.ics").data)


def test_a_change_of_the_names_reaches_the_feed(editor_client: FlaskClient, db_session: Session) -> None:
    hosted_event(db_session)
    organisation = db_session.exec(select(Organisation)).scalar_one()
    before = editor_client.get("/calendar.ics?lang=mk")
    renamed = "Министерство за внатрешни работи на Република Северна Македонија"
    form = {"name": STORED_NAME, "acronym": STORED_ACRONYM, "kind": "ministry", "name_mk": renamed}
    assert editor_client.post(f"/edit/organisations/{organisation.id}", data=form).status_code == 302
    after = editor_client.get("/calendar.ics?lang=mk", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert f"{renamed} ({STORED_ACRONYM})" in description(after.data)


# ------------------------------------------------------------------------------------------------ migration


def _triggers(engine: Any) -> set[str]:
    if engine.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    with engine.connect() as connection:
        return {row[0] for row in connection.execute(text(query))}


def test_migration_0010_adds_the_names_and_its_downgrade_keeps_the_search_triggers(blank_url: str) -> None:
    from alembic import command

    from tracker.migrations import alembic_config

    engine = make_engine(blank_url)
    try:
        upgrade(engine, "0009")
        triggers = _triggers(engine)
        with engine.begin() as connection:
            at = {"at": NOW.replace(tzinfo=None)}
            connection.execute(
                text(
                    "INSERT INTO organisation (name, slug, acronym, kind, created_dt, updated_dt)"
                    " VALUES ('IOM Geneva', 'iom', 'IOM', 'other', :at, :at)"
                ),
                at,
            )
            connection.execute(
                text(
                    "INSERT INTO event (uid, title, kind, status, visibility, all_day, timezone, start_dt, end_dt,"
                    " venue, city, description, source_citation, cancel_reason, sequence, revision, created_dt,"
                    " updated_dt) VALUES ('u1', 'Skopje conference', 'conference', 'confirmed', 'public', false,"
                    " 'UTC', :at, :at, '', 'Skopje', 'About migration', '', '', 0, 1, :at, :at)"
                ),
                at,
            )
            connection.execute(text("INSERT INTO event_organisation (event_id, organisation_id, role, sort_order)"
                                    " VALUES (1, 1, 'host', 0)"))  # fmt: skip
        upgrade(engine)
        assert "translations" in {column["name"] for column in inspect(engine).get_columns("organisation")}
        with engine.connect() as connection:
            assert connection.execute(text("SELECT translations FROM organisation")).scalar() == "{}"
        assert _triggers(engine) == triggers and indexed(engine, "geneva") == [1]
        names = json.dumps({"sq": {"name": "Organizata Ndërkombëtare për Migracion", "acronym": "ONM"}})
        with engine.begin() as connection:
            connection.execute(text("UPDATE organisation SET translations = :t"), {"t": names})
        assert indexed(engine, "organizata") == [1] and indexed(engine, "onm") == [1]
        with engine.begin() as connection:
            connection.execute(text("UPDATE organisation SET translations = 'not json'"))
        assert indexed(engine, "organizata") == [] and indexed(engine, "geneva") == [1]
        command.downgrade(alembic_config(engine), "0009")
        assert "translations" not in {column["name"] for column in inspect(engine).get_columns("organisation")}
        assert _triggers(engine) == triggers
        with engine.begin() as connection:
            connection.execute(text("UPDATE organisation SET name = 'IOM Vienna'"))
        assert indexed(engine, "vienna") == [1] and indexed(engine, "geneva") == []  # 0008's triggers work again
        upgrade(engine)
        assert indexed(engine, "vienna") == [1]
    finally:
        engine.dispose()


def test_a_renamed_organisation_renames_the_feeds_filtered_by_it(
    editor_client: FlaskClient, db_session: Session
) -> None:
    """The filtered feed's name says the organisation's current acronym, not the one a cache saw first."""
    hosted_event(db_session)
    org_id = db_session.exec(select(Organisation)).scalar_one().id
    db_session.rollback()

    def feed_name() -> str:
        body = editor_client.get(f"/calendar.ics?org={org_id}").data
        return str(icalendar.Calendar.from_ical(body)["X-WR-CALNAME"])

    assert STORED_ACRONYM in feed_name()
    form = {"name": STORED_NAME, "acronym": "MVR-NEW", "kind": "ministry"}
    assert editor_client.post(f"/edit/organisations/{org_id}", data=form).status_code == 302
    renamed = feed_name()
    assert "MVR-NEW" in renamed and STORED_ACRONYM not in renamed
