"""The import page: upload, a preview that stores nothing, "Cancel" that forgets, "Import" that does what it showed.

Oracles: the database's rows (counted and read directly) and the page's text, typed by hand.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlmodel import Session, select

from tests.conftest import NOW, make_event
from tests.test_imports import BAD, GENEVA
from tracker.models import Event
from tracker.services.events import event_input_from, update_event
from tracker.validation import EventInput


def _upload(client: FlaskClient, data: bytes, **fields: str) -> tuple[int, str]:
    form = {"default_kind": "official_visit", "default_visibility": "public", "default_tags": "", "organisation": ""}
    form.update(fields)
    response = client.post(
        "/edit/import",
        data={**form, "file": (io.BytesIO(data), "partner.ics")},
        content_type="multipart/form-data",
    )
    return response.status_code, response.get_data(as_text=True)


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden {name}"
    return found.group(1)


def _count(session: Session) -> int:
    session.rollback()
    return session.exec(select(func.count()).select_from(Event)).one()


def _confirm_form(page: str) -> dict[str, str]:
    names = ("token", "fingerprint", "file_name", "default_kind", "default_visibility", "default_tags", "organisation")
    return {name: _hidden(page, name) for name in names}


def test_the_preview_stores_nothing_and_import_does_what_it_showed(
    editor_client: FlaskClient, db_session: Session
) -> None:
    status, page = _upload(editor_client, GENEVA)

    assert status == 200
    assert "Working visit to Geneva" in page
    assert "To create" in page
    assert _count(db_session) == 0

    response = editor_client.post("/edit/import/confirm", data=_confirm_form(page))

    assert response.status_code == 302
    assert _count(db_session) == 1
    assert db_session.exec(select(Event.kind)).one() == "official_visit"
    again = editor_client.get("/edit/import").get_data(as_text=True)
    assert "Imported partner.ics: 1 created." in again


def test_cancel_forgets_the_file_and_stores_nothing(
    app: Flask, editor_client: FlaskClient, db_session: Session
) -> None:
    _, page = _upload(editor_client, GENEVA)
    form = _confirm_form(page)

    editor_client.post("/edit/import/cancel", data={"token": form["token"]})
    response = editor_client.post("/edit/import/confirm", data=form)

    assert response.status_code == 410
    assert "upload it again" in response.get_data(as_text=True)
    assert _count(db_session) == 0
    assert list((Path(app.instance_path) / "imports").glob("*.ics")) == []


def test_a_bad_file_shows_each_problem_and_stores_nothing(editor_client: FlaskClient, db_session: Session) -> None:
    status, page = _upload(editor_client, BAD)

    assert status == 400
    assert "The file was not imported" in page
    assert "Line 9" in page
    assert _count(db_session) == 0


def test_an_unknown_host_organisation_is_an_error_on_its_field(editor_client: FlaskClient, db_session: Session) -> None:
    status, page = _upload(editor_client, GENEVA, organisation="Ministry of Nowhere")

    assert status == 400
    assert "No organisation is called “Ministry of Nowhere”" in page
    assert _count(db_session) == 0


def test_a_possible_duplicate_is_flagged_and_created_only_when_the_editor_says_so(
    editor_client: FlaskClient, db_session: Session
) -> None:
    make_event(
        db_session,
        title="Working visit to Geneva",
        timezone="Europe/Zurich",
        start_date="2022-11-07",
        start_time="09:00",
        end_time="13:00",
        city="Geneva",
        country="CH",
    )
    db_session.commit()
    _, page = _upload(editor_client, GENEVA)
    assert "Flagged as a possible duplicate: May be an event we already have." in page
    form = _confirm_form(page)

    editor_client.post("/edit/import/confirm", data=form)
    assert _count(db_session) == 1  # flagged, not created

    _, page = _upload(editor_client, GENEVA)
    editor_client.post(
        "/edit/import/confirm", data={**_confirm_form(page), "create_duplicate": _hidden(page, "create_duplicate")}
    )
    assert _count(db_session) == 2


def test_a_preview_of_another_state_is_shown_again_instead_of_importing(
    editor_client: FlaskClient, db_session: Session
) -> None:
    _, page = _upload(editor_client, GENEVA)
    form = _confirm_form(page)
    make_event(
        db_session,
        title="Working visit to Geneva",
        timezone="Europe/Zurich",
        start_date="2022-11-07",
        start_time="10:00",
        end_time="12:00",
        city="Geneva",
        country="CH",
    )
    db_session.commit()

    response = editor_client.post("/edit/import/confirm", data=form)

    assert response.status_code == 409
    assert "changed since the preview" in response.get_data(as_text=True)
    assert _count(db_session) == 1


def test_the_import_pages_are_for_editors_only(client: FlaskClient) -> None:
    assert client.get("/edit/import").status_code in {302, 401, 403}
    assert client.get("/edit/sources").status_code in {302, 401, 403}


def test_a_conflict_of_a_file_import_is_shown_on_the_import_page_and_settled_there(
    editor_client: FlaskClient, db_session: Session
) -> None:
    _, page = _upload(editor_client, GENEVA)
    editor_client.post("/edit/import/confirm", data=_confirm_form(page))
    event = db_session.exec(select(Event)).one()
    edited = EventInput.from_form({**event_input_from(event), "venue": "Palais des Nations"})
    update_event(db_session, event.id, edited, None, None, NOW)
    db_session.commit()
    moved = GENEVA.replace(b"SEQUENCE:0", b"SEQUENCE:1").replace(b"T100000", b"T140000").replace(b"T120000", b"T160000")
    _, page = _upload(editor_client, moved)
    assert "In conflict with a local edit" in page
    editor_client.post("/edit/import/confirm", data=_confirm_form(page))

    page = editor_client.get("/edit/import").get_data(as_text=True)
    assert "Edited here and changed in the source" in page
    assert "Working visit to Geneva" in page and "14:00" in page
    link_id = re.search(r'action="/edit/sources/conflicts/(\d+)"', page)
    assert link_id is not None
    editor_client.post(f"/edit/sources/conflicts/{link_id.group(1)}", data={"choice": "local"})

    db_session.rollback()
    assert db_session.get(Event, event.id).venue == "Palais des Nations"
    assert "Edited here and changed in the source" not in editor_client.get("/edit/import").get_data(as_text=True)
