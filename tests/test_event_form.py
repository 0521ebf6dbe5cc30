"""The event form over HTTP: fast entry (zone, dates in words, rows, source, copy), moves, long titles, save checks."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, make_event
from tests.test_editor_views import event_count, form_data, fresh, text_of
from tracker.models import Event, Organisation
from tracker.services.events import event_input_from, update_event
from tracker.validation import EventInput

pytestmark = pytest.mark.usefixtures("process_zone")


def html_of(response: Any) -> str:
    return response.get_data(as_text=True)


def field_value(html: str, name: str) -> str:
    """The value attribute of the input named ``name``."""
    found = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    assert found, f"no input {name}"
    return found.group(1)


def error_on(html: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    return found.group(1).replace("&#39;", "'") if found else ""


def stored(db_session: Session, event_id: int | None = None) -> Event:
    fresh(db_session)
    statement = select(Event).order_by(Event.id.desc())
    if event_id is not None:
        statement = statement.where(Event.id == event_id)
    return db_session.exec(statement).scalars().first()


def edit_values(client: FlaskClient, event_id: int) -> dict[str, Any]:
    """The edit form's fields as the browser would post them back unchanged (rows as lists)."""
    return form_fields(client, f"/edit/events/{event_id}")


def form_fields(client: FlaskClient, url: str) -> dict[str, Any]:
    """The fields of the event form at ``url`` as the browser would post them back unchanged."""
    html = html_of(client.get(url))
    values: dict[str, Any] = {}
    for name, value in re.findall(
        r'<input type="(?:text|date|time|hidden)"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html
    ):
        if name.endswith("[]"):
            values.setdefault(name, []).append(value)
        else:
            values[name] = value
    values.pop("csrf_token", None)
    values["org_role[]"] = re.findall(r'<option value="(\w+)" selected>', html)[-len(values.get("org_name[]", [])) :]
    values["all_day"] = "on" if 'name="all_day" value="on" checked' in html else ""
    for select_name in ("kind", "status", "visibility", "country"):
        chosen = re.search(rf'<select id="{select_name}".*?<option value="([^"]*)" selected', html, re.S)
        values[select_name] = chosen.group(1) if chosen else ""
    return values


# ------------------------------------------------------------------------------------------------ fast entry


def test_an_all_day_event_without_a_zone_takes_it_from_the_place_or_uses_utc(
    editor_client: FlaskClient, db_session: Session
) -> None:
    response = editor_client.post("/edit/events/new", data=form_data(SKOPJE_CONFERENCE, timezone=""))
    assert response.status_code == 302
    assert stored(db_session).timezone == "Europe/Skopje"
    page = text_of(editor_client.get(response.headers["Location"]))
    assert "The time zone Europe/Skopje was taken from the city and country." in page
    nowhere = form_data(SKOPJE_CONFERENCE, title="Online consultation", timezone="", city="", country="")
    response = editor_client.post("/edit/events/new", data=nowhere)
    assert response.status_code == 302
    event = stored(db_session)
    assert (event.timezone, event.start_date, event.end_date) == ("UTC", date(2022, 11, 15), date(2022, 11, 16))
    assert event.start_dt == datetime(2022, 11, 15, tzinfo=UTC)
    assert "so the all-day event uses UTC days" in text_of(editor_client.get(response.headers["Location"]))


def test_a_timed_event_gets_the_zone_of_its_city_and_the_form_shows_a_proposal(
    editor_client: FlaskClient, db_session: Session
) -> None:
    geneva = {"title": "Meeting", "start_date": "2022-11-07", "start_time": "10:00", "end_time": "11:30"}
    geneva |= {"city": "Geneva", "country": "CH", "timezone": ""}
    shown = editor_client.post("/edit/events/new", data=form_data(geneva, title=""))
    assert shown.status_code == 400
    assert field_value(html_of(shown), "timezone") == "Europe/Zurich", "the re-shown form carries the proposal"
    assert 'data-proposed="Europe/Zurich"' in html_of(shown)
    assert editor_client.post("/edit/events/new", data=form_data(geneva)).status_code == 302
    event = stored(db_session)
    assert (event.timezone, event.start_dt) == ("Europe/Zurich", datetime(2022, 11, 7, 9, 0, tzinfo=UTC))
    unknown = editor_client.post("/edit/events/new", data=form_data(geneva, city="Boston", country="US"))
    assert unknown.status_code == 400
    assert error_on(html_of(unknown), "timezone") == "Choose the time zone of the place, such as Europe/Skopje."


def test_the_form_says_each_date_in_words(editor_client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session, **{**SKOPJE_CONFERENCE, "organisations": []})
    html = html_of(editor_client.get(f"/edit/events/{event.id}"))
    assert re.search(r'id="start_date-words"[^>]*>Tuesday 15 November 2022<', html)
    assert re.search(r'id="end_date-words"[^>]*>Wednesday 16 November 2022<', html)
    blank = html_of(editor_client.get("/edit/events/new"))
    assert re.search(r'id="end_date-words"[^>]*>Same day as the start<', blank)
    assert 'src="/static/event-form.js"' in blank and 'src="/static/suggest.js"' in blank
    assert 'list="organisation-names"' in blank and 'list="person-names"' in blank


def test_add_rows_without_javascript_saves_nothing_and_gives_more_rows(
    editor_client: FlaskClient, db_session: Session
) -> None:
    data = form_data(SKOPJE_CONFERENCE, people=["Oliver Spasovski"])
    data["org_name[]"] += ["", "", ""]
    data["org_role[]"] += ["host", "host", "host"]
    data["person_name[]"] += ["", "", ""]
    response = editor_client.post("/edit/events/new", data={**data, "add_rows": "1"})
    assert response.status_code == 200
    html = html_of(response)
    assert html.count('name="org_name[]"') == 3 + 3 + 3, "three filled, three empty, three more"
    assert html.count('name="person_name[]"') == 1 + 3 + 3
    assert 'value="Ministry of the Interior of the Czech Republic"' in html and 'value="Oliver Spasovski"' in html
    assert event_count(db_session) == 0
    assert db_session.exec(select(func.count()).select_from(Organisation)).scalar_one() == 0


def test_the_source_is_a_link_or_a_citation(editor_client: FlaskClient, db_session: Session) -> None:
    link = editor_client.post("/edit/events/new", data=form_data(SKOPJE_CONFERENCE, source=" https://mia.gov.mk/a "))
    assert link.status_code == 302
    event = stored(db_session)
    assert (event.source_url, event.source_citation) == ("https://mia.gov.mk/a", "")
    cited = form_data(SKOPJE_CONFERENCE, title="Second conference", source="MIA press release, 10 Nov 2022")
    assert editor_client.post("/edit/events/new", data=cited).status_code == 302
    event = stored(db_session)
    assert (event.source_url, event.source_citation) == (None, "MIA press release, 10 Nov 2022")
    html = html_of(editor_client.get(f"/edit/events/{event.id}"))
    assert field_value(html, "source") == "MIA press release, 10 Nov 2022"
    www = editor_client.post("/edit/events/new", data=form_data(cited, title="Third", source="www.mia.gov.mk/b"))
    assert www.status_code == 302 and stored(db_session).source_url == "https://www.mia.gov.mk/b"


def test_duplicate_event_prefills_a_new_form(editor_client: FlaskClient, db_session: Session) -> None:
    original = make_event(
        db_session,
        **SKOPJE_CONFERENCE,
        people=["Oliver Spasovski, Minister of Interior"],
        venue="Hotel Arka",
        description="Two days.",
        source_url="https://mia.gov.mk/a",
    )
    html = html_of(editor_client.get(f"/edit/events/new?copy={original.id}"))
    assert field_value(html, "title") == SKOPJE_CONFERENCE["title"]
    assert (field_value(html, "start_date"), field_value(html, "end_date")) == ("2022-11-15", "2022-11-16")
    assert (field_value(html, "venue"), field_value(html, "city")) == ("Hotel Arka", "Skopje")
    assert field_value(html, "timezone") == "Europe/Skopje"
    assert field_value(html, "tags") == "migration, western balkans"
    assert 'value="Ministry of Interior of the Republic of North Macedonia"' in html and 'value="IOM"' in html
    assert 'value="Oliver Spasovski"' in html and "Two days." in html
    assert 'name="revision"' not in html and field_value(html, "source") == ""
    copy = form_fields(editor_client, f"/edit/events/new?copy={original.id}")
    asked = editor_client.post("/edit/events/new", data=copy)
    assert asked.status_code == 409, "the copy is the same event until it is changed"
    changed = {**copy, "start_date": "2023-11-15"}
    assert editor_client.post("/edit/events/new", data=changed).status_code == 302
    made = stored(db_session)
    assert made.id != original.id and made.uid != original.uid and made.revision == 1
    assert (made.start_date, made.end_date) == (date(2023, 11, 15), date(2023, 11, 16)), "the end followed the start"
    assert [person.name for person in made.people] == ["Oliver Spasovski"]
    assert editor_client.get("/edit/events/new?copy=999999").status_code == 404
    assert editor_client.get("/edit/events/new?copy=x").status_code == 404


# ------------------------------------------------------------------------------------------------------ moves


def test_moving_the_start_of_a_timed_event_keeps_its_wall_clock_length_across_a_dst_change(
    editor_client: FlaskClient, db_session: Session
) -> None:
    # Europe/Skopje moves to summer time on Sunday 29 March 2026: 10:00–12:00 is 09:00–11:00 UTC the day before,
    # 08:00–10:00 UTC on the day.
    event = make_event(db_session, start_date="2026-03-28", start_time="10:00", end_time="12:00")
    values = edit_values(editor_client, event.id)
    assert (values["shown_start_date"], values["shown_end_time"]) == ("2026-03-28", "12:00")
    response = editor_client.post(f"/edit/events/{event.id}", data={**values, "start_date": "2026-03-29"})
    assert response.status_code == 302
    moved = stored(db_session, event.id)
    assert moved.start_dt == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)
    assert moved.end_dt == datetime(2026, 3, 29, 10, 0, tzinfo=UTC)
    assert "The end moved with the start" in text_of(editor_client.get(response.headers["Location"]))
    values = edit_values(editor_client, event.id)
    assert editor_client.post(f"/edit/events/{event.id}", data={**values, "start_time": "15:30"}).status_code == 302
    later = stored(db_session, event.id)
    assert (later.start_dt, later.end_dt) == (
        datetime(2026, 3, 29, 13, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 15, 30, tzinfo=UTC),
    )


def test_moving_the_start_of_an_all_day_event_moves_its_last_day(
    editor_client: FlaskClient, db_session: Session
) -> None:
    event = make_event(db_session, **{**SKOPJE_CONFERENCE, "organisations": []})
    values = edit_values(editor_client, event.id)
    assert values["all_day"] == "on"
    assert (
        editor_client.post(f"/edit/events/{event.id}", data={**values, "start_date": "2022-11-29"}).status_code == 302
    )
    moved = stored(db_session, event.id)
    assert (moved.start_date, moved.end_date) == (date(2022, 11, 29), date(2022, 11, 30))


def test_an_end_before_the_start_is_reported_on_the_field_at_fault(
    editor_client: FlaskClient, db_session: Session
) -> None:
    event = make_event(db_session, start_date="2026-11-10", start_time="10:00", end_time="12:00")
    values = edit_values(editor_client, event.id)
    day_before = editor_client.post(f"/edit/events/{event.id}", data={**values, "end_date": "2026-11-09"})
    assert day_before.status_code == 400
    assert error_on(html_of(day_before), "end_date") == "The end date is before the start date."
    assert error_on(html_of(day_before), "end_time") == ""
    too_early = editor_client.post(f"/edit/events/{event.id}", data={**values, "end_time": "09:30"})
    assert too_early.status_code == 400
    assert error_on(html_of(too_early), "end_time") == "The end time is not after the start time on the same day."
    assert error_on(html_of(too_early), "end_date") == ""
    both = editor_client.post(
        f"/edit/events/{event.id}", data={**values, "start_date": "2026-11-12", "end_date": "2026-11-11"}
    )
    assert error_on(html_of(both), "end_date") == "The end date is before the start date."
    assert stored(db_session, event.id).revision == 1, "nothing saved"


def test_a_pasted_title_over_the_limit_is_kept_whole_and_its_length_reported(
    editor_client: FlaskClient, db_session: Session
) -> None:
    title = "Ministerial Conference " + "x" * 289  # 312 characters
    assert len(title) == 312
    response = editor_client.post("/edit/events/new", data=form_data(SKOPJE_CONFERENCE, title=title))
    assert response.status_code == 400
    html = html_of(response)
    assert error_on(html, "title") == "The title has 312 characters; at most 300 are allowed."
    assert field_value(html, "title") == title
    title_input = re.search(r'<input[^>]*name="title"[^>]*>', html).group(0)
    assert "maxlength" not in title_input, "the browser must not cut a paste silently"
    assert event_count(db_session) == 0


def test_form_values_of_a_stored_event_keep_its_source_when_saved_again(db_session: Session) -> None:
    """``event_input_from`` feeds ``EventInput`` back (services, tests): a re-save keeps the link or citation."""
    linked = make_event(db_session, source_url="https://mia.gov.mk/a")
    cited = make_event(db_session, title="Cited", source_citation="MIA press release, 10 Nov 2022")
    for event in (linked, cited):
        data = EventInput.from_form({**event_input_from(event), "title": "Renamed"})
        change = update_event(db_session, event.id, data, event.revision, None, NOW)
        db_session.commit()
        assert "title" in change.changes
        assert "source_url" not in change.changes and "source_citation" not in change.changes
    assert (linked.source_url, cited.source_citation) == ("https://mia.gov.mk/a", "MIA press release, 10 Nov 2022")
