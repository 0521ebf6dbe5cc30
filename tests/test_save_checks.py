"""Before a save: the editor sees events it may duplicate, close names and clashes, and nothing is stored until
they are settled (HTTP 409 while they are not)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

from tests.conftest import SKOPJE_CONFERENCE, make_event
from tests.test_editor_views import event_count, form_data, fresh, text_of
from tests.test_event_form import edit_values
from tracker.models import Event, EventOrganisation, Organisation, Person

pytestmark = pytest.mark.usefixtures("process_zone")


def fingerprint(response: Any) -> str:
    found = re.search(r'name="confirm" value="([0-9a-f]+)"', response.get_data(as_text=True))
    assert found, "no save-anyway button"
    return found.group(1)


def count(db_session: Session, model: Any) -> int:
    fresh(db_session)
    return db_session.exec(select(func.count()).select_from(model)).scalar_one()


def test_re_entering_an_existing_event_warns_and_stores_nothing_until_saved_anyway(
    editor_client: FlaskClient, db_session: Session
) -> None:
    first = editor_client.post("/edit/events/new", data=form_data(SKOPJE_CONFERENCE))
    assert first.status_code == 302
    first_id = int(first.headers["Location"].rsplit("/", 1)[-1])
    data = form_data(SKOPJE_CONFERENCE, tags="migration")
    again = editor_client.post("/edit/events/new", data=data)
    assert again.status_code == 409
    html = again.get_data(as_text=True)
    assert "This may already be in the calendar" in text_of(again)
    assert f'href="/events/{first_id}" target="_blank"' in html
    assert 'value="Skopje"' in html, "the form is kept"
    assert event_count(db_session) == 1
    assert count(db_session, Organisation) == 3, "nothing of the second save is stored"
    wrong = editor_client.post("/edit/events/new", data={**data, "confirm": "0" * 32})
    assert wrong.status_code == 409 and event_count(db_session) == 1, (
        "a confirmation of other warnings is no confirmation"
    )
    saved = editor_client.post("/edit/events/new", data={**data, "confirm": fingerprint(again)})
    assert saved.status_code == 302
    assert event_count(db_session) == 2
    assert count(db_session, Organisation) == 3, "the second copy links the same organisations"


def test_a_changed_form_is_checked_again(editor_client: FlaskClient, db_session: Session) -> None:
    """The confirmation covers the warnings shown: a form that now clashes with another event asks again."""
    make_event(db_session, title="Other meeting", people=["Ana Bell"], start_date="2026-11-10")
    base = {"title": "Working meeting", "timezone": "Europe/Skopje", "start_date": "2026-11-10"}
    base |= {"start_time": "14:00", "end_time": "15:00", "city": "Skopje", "country": "MK"}
    make_event(db_session, **base)
    shown = editor_client.post("/edit/events/new", data=form_data(base))
    assert shown.status_code == 409
    changed = form_data(base, start_time="10:30", end_time="11:30", people=["Ana Bell"])
    asked = editor_client.post("/edit/events/new", data={**changed, "confirm": fingerprint(shown)})
    assert asked.status_code == 409, "the clash was not shown before"
    assert "Ana Bell is at Other meeting" in text_of(asked)
    assert event_count(db_session) == 2


def test_a_name_close_to_existing_organisations_asks_and_use_existing_links_it(
    editor_client: FlaskClient, db_session: Session
) -> None:
    # Two stored names the typed one is equally close to (word order differs, so neither is the same name by
    # the lookup's rule), so no rule can pick one without asking.
    first = Organisation(name="Ministry of the Interior of the Czech Republic", acronym="MoI CZ")
    second = Organisation(name="Ministry for Interior, Czech Republic")
    db_session.add_all([first, second])
    db_session.commit()
    typed = "Interior Ministry of the Czech Republic"
    data = form_data(SKOPJE_CONFERENCE, organisations=[(typed, "co_organiser")])
    asked = editor_client.post("/edit/events/new", data=data)
    assert asked.status_code == 409
    page = text_of(asked)
    assert f"“{typed}” would be a new organisation" in page
    assert "Use Ministry of the Interior of the Czech Republic (MoI CZ)" in page
    assert "Use Ministry for Interior, Czech Republic" in page
    assert count(db_session, Organisation) == 2 and event_count(db_session) == 0
    html = asked.get_data(as_text=True)
    assert f'name="name_typed_0" value="{typed}"' in html
    answer = {"name_kind_0": "organisation", "name_typed_0": typed, "name_choice_0": str(first.id)}
    saved = editor_client.post("/edit/events/new", data={**data, **answer})
    assert saved.status_code == 302
    assert count(db_session, Organisation) == 2, "no new organisation row"
    links = db_session.exec(select(EventOrganisation)).scalars().all()
    assert [(link.organisation_id, link.role) for link in links] == [(first.id, "co_organiser")]


def test_create_new_is_remembered_while_other_warnings_are_answered(
    editor_client: FlaskClient, db_session: Session
) -> None:
    db_session.add_all(
        [Organisation(name="Regional Cooperation Council"), Organisation(name="Regional-Cooperation Council")]
    )
    db_session.commit()
    make_event(db_session, **{**SKOPJE_CONFERENCE, "organisations": []})
    typed = "The Regional Cooperation Council"
    data = form_data(SKOPJE_CONFERENCE, organisations=[(typed, "host")])
    answer = {"name_kind_0": "organisation", "name_typed_0": typed, "name_choice_0": "new"}
    asked = editor_client.post("/edit/events/new", data={**data, **answer})
    assert asked.status_code == 409, "the similar event is still to be confirmed"
    html = asked.get_data(as_text=True)
    assert f'name="new_org[]" value="{typed}"' in html and "would be a new organisation" not in html
    saved = editor_client.post("/edit/events/new", data={**data, "new_org[]": [typed], "confirm": fingerprint(asked)})
    assert saved.status_code == 302
    assert count(db_session, Organisation) == 3 and event_count(db_session) == 2


def test_a_participant_already_at_another_event_at_that_time_is_a_clash_to_confirm(
    editor_client: FlaskClient, db_session: Session
) -> None:
    # Geneva 10:00–12:00 CET is 09:00–11:00 UTC; Skopje 11:30–13:00 CET is 10:30–12:00 UTC: they overlap.
    geneva = make_event(
        db_session,
        title="Meeting with the IOM Director General",
        timezone="Europe/Zurich",
        city="Geneva",
        country="CH",
        start_date="2026-11-10",
        start_time="10:00",
        end_time="12:00",
        people=["Ana Bell, Minister"],
    )
    skopje = {"title": "Press conference", "timezone": "Europe/Skopje", "city": "Skopje", "country": "MK"}
    skopje |= {"start_date": "2026-11-10", "start_time": "11:30", "end_time": "13:00", "people": ["Ana Bell"]}
    asked = editor_client.post("/edit/events/new", data=form_data(skopje))
    assert asked.status_code == 409
    page = text_of(asked)
    assert "Participants already elsewhere at that time" in page
    assert "Ana Bell is at Meeting with the IOM Director General" in page
    assert "Tuesday, 10 November 2026, 10:00–12:00 CET (Europe/Zurich)" in page and "Geneva" in page
    assert f'href="/events/{geneva.id}"' in asked.get_data(as_text=True)
    assert event_count(db_session) == 1 and count(db_session, Person) == 1
    later = editor_client.post("/edit/events/new", data=form_data(skopje, start_time="13:00", end_time="14:00"))
    assert later.status_code == 302, "13:00 in Skopje is 12:00 UTC, after Geneva ends"
    fresh(db_session)
    assert db_session.exec(select(func.count()).select_from(Event)).scalar_one() == 2


def test_editing_without_touching_time_place_title_or_people_asks_nothing(
    editor_client: FlaskClient, db_session: Session
) -> None:
    make_event(db_session, title="Working meeting")
    twin = make_event(db_session, title="Working meeting")
    values = edit_values(editor_client, twin.id)
    response = editor_client.post(f"/edit/events/{twin.id}", data={**values, "description": "Agenda to follow."})
    assert response.status_code == 302
    moved = editor_client.post(
        f"/edit/events/{twin.id}", data={**edit_values(editor_client, twin.id), "title": "Working meeting "}
    )
    assert moved.status_code == 302, "the same title (spaces collapsed) changes nothing"
    retitled = editor_client.post(
        f"/edit/events/{twin.id}", data={**edit_values(editor_client, twin.id), "venue": "Hall B"}
    )
    assert retitled.status_code == 409, "a change of place compares it with other events again"


def test_a_person_close_to_existing_people_asks_and_use_existing_drops_the_typed_position(
    editor_client: FlaskClient, db_session: Session
) -> None:
    director = Person(name="António Vitorino", position="Director General, IOM")
    namesake = Person(name="Antònio Vitorino", position="Teacher")
    db_session.add_all([director, namesake])
    db_session.commit()
    data = form_data(SKOPJE_CONFERENCE, organisations=[], people=["Antonio Vitorino, DG"])
    asked = editor_client.post("/edit/events/new", data=data)
    assert asked.status_code == 409
    page = text_of(asked)
    assert "“Antonio Vitorino” would be a new person" in page
    assert "Use António Vitorino, Director General, IOM" in page and "Use Antònio Vitorino, Teacher" in page
    answer = {"name_kind_0": "person", "name_typed_0": "Antonio Vitorino", "name_choice_0": str(director.id)}
    assert editor_client.post("/edit/events/new", data={**data, **answer}).status_code == 302
    assert count(db_session, Person) == 2
    event = db_session.exec(select(Event)).scalars().one()
    assert [person.id for person in event.people] == [director.id]
