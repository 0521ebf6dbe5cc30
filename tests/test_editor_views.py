"""Editors' forms over HTTP: creating, bad input kept in the form, conflicts, status changes, CSRF, access."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

from tests.conftest import SKOPJE_CONFERENCE, TEST_PASSWORD, add_user, login, make_event
from tracker.models import Event, Organisation, Person


def form_data(values: dict, **overrides) -> dict:
    """Flatten form values the way the browser posts them (organisation rows as parallel lists)."""
    values = {**values, **overrides}
    data = {key: value for key, value in values.items() if key not in {"organisations", "people"}}
    data["org_name[]"] = [name for name, _ in values.get("organisations", [])]
    data["org_role[]"] = [role for _, role in values.get("organisations", [])]
    data["person_name[]"] = list(values.get("people", []))
    return data


def fresh(db_session: Session) -> None:
    """See what other connections committed: end any read snapshot and forget loaded objects."""
    db_session.rollback()
    db_session.expire_all()


def event_count(db_session: Session) -> int:
    fresh(db_session)
    return db_session.exec(select(func.count()).select_from(Event)).scalar_one()


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_editor_records_the_skopje_conference_and_anyone_reads_it(
    editor_client: FlaskClient, db_session: Session
) -> None:
    response = editor_client.post(
        "/edit/events/new", data=form_data(SKOPJE_CONFERENCE, people=["Oliver Spasovski, Minister of Interior"])
    )
    assert response.status_code == 302
    page_url = response.headers["Location"]
    editor_client.post("/logout")
    page = text_of(editor_client.get(page_url))
    assert "Ministerial Conference on Sustainable Migration Management in the Western Balkans" in page
    assert "15 – 16 Nov 2022" in page
    assert "Host Ministry of Interior of the Republic of North Macedonia" in page
    assert "Co-organiser Ministry of the Interior of the Czech Republic" in page
    assert "Supporter IOM" in page
    assert "Oliver Spasovski, Minister of Interior" in page
    assert "Last changed" in page and "Confirmed" in page and "Conference" in page
    home = text_of(editor_client.get("/"))
    assert "Ministerial Conference" not in home, "a 2022 event is not upcoming"


def test_timed_event_page_names_its_zone(editor_client: FlaskClient) -> None:
    values = {
        "title": "Meeting with the IOM Director General",
        "kind": "meeting",
        "status": "confirmed",
        "visibility": "public",
        "timezone": "Europe/Zurich",
        "start_date": "2022-11-07",
        "start_time": "10:00",
        "end_time": "11:30",
        "city": "Geneva",
        "country": "CH",
    }
    response = editor_client.post("/edit/events/new", data=form_data(values))
    page = text_of(editor_client.get(response.headers["Location"]))
    assert "Monday, 7 November 2022, 10:00–11:30 CET (Europe/Zurich)" in page
    assert "Geneva, Switzerland" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title."),
        ({"title": "x" * 301}, "title", "at most 300"),
        ({"end_date": "2022-11-14"}, "end_date", "The end date is before the start date."),
        ({"timezone": "Europe/Atlantis"}, "timezone", "Unknown time zone"),
        ({"country": "QQ"}, "country", "Unknown country"),
        ({"source": "javascript:alert(1)"}, "source", "full web address"),
        ({"source": "x" * 301}, "source", "The source has 301 characters; at most 300 are allowed."),
        ({"start_date": "15/11/2022"}, "start_date", "YYYY-MM-DD"),
        ({"kind": "party"}, "kind", "Choose a kind"),
        ({"description": "x" * 20_001}, "description", "at most 20000"),
        (
            {"all_day": "", "start_time": "12:00", "end_time": "11:00", "end_date": ""},
            "end_time",
            "The end time is not after the start time on the same day.",
        ),
    ],
)
def test_bad_input_gives_400_with_the_message_beside_the_field_and_keeps_the_input(
    editor_client: FlaskClient, db_session: Session, overrides: dict, field: str, message: str
) -> None:
    response = editor_client.post("/edit/events/new", data=form_data(SKOPJE_CONFERENCE, **overrides))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1).replace("&#39;", "'")
    assert 'value="Skopje"' in html, "what was typed is kept"
    assert "Ministry of the Interior of the Czech Republic" in html
    assert event_count(db_session) == 0
    assert db_session.exec(select(func.count()).select_from(Organisation)).scalar_one() == 0, "nothing half-stored"


def test_two_editors_saving_at_once_the_second_gets_a_conflict_and_keeps_their_input(
    client: FlaskClient, app, db_session: Session
) -> None:
    add_user(db_session, "first@example.org", name="First Editor")
    add_user(db_session, "second@example.org", name="Second Editor")
    event = make_event(db_session, title="Bilateral meeting")
    first, second = app.test_client(), app.test_client()
    login(first, "first@example.org")
    login(second, "second@example.org")
    base = {
        "kind": "meeting",
        "status": "confirmed",
        "visibility": "public",
        "timezone": "Europe/Skopje",
        "start_date": "2026-11-10",
        "start_time": "10:00",
        "end_time": "12:00",
        "revision": "1",
    }
    assert first.get(f"/edit/events/{event.id}").status_code == 200
    assert second.get(f"/edit/events/{event.id}").status_code == 200
    saved = first.post(
        f"/edit/events/{event.id}",
        data=form_data(base, title="Bilateral meeting (moved)", start_time="11:00", end_time="13:00"),
    )
    assert saved.status_code == 302
    conflict = second.post(f"/edit/events/{event.id}", data=form_data(base, title="Second editor's wording"))
    assert conflict.status_code == 409
    html = conflict.get_data(as_text=True)
    assert "Someone else saved this event" in html and "First Editor" in html
    assert 'value="Second editor&#39;s wording"' in html
    assert 'name="revision" value="2"' in html
    fresh(db_session)
    assert db_session.get(Event, event.id).title == "Bilateral meeting (moved)"
    again = second.post(f"/edit/events/{event.id}", data=form_data(base, title="Second editor's wording", revision="2"))
    assert again.status_code == 302
    fresh(db_session)
    assert db_session.get(Event, event.id).title == "Second editor's wording"


def test_status_change_and_delete(editor_client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session)
    assert (
        editor_client.post(f"/edit/events/{event.id}/status", data={"status": "cancelled", "revision": "1"}).status_code
        == 302
    )
    page = text_of(editor_client.get(f"/events/{event.id}"))
    assert "This event has been cancelled." in page
    assert (
        editor_client.post(f"/edit/events/{event.id}/status", data={"status": "nope", "revision": "2"}).status_code
        == 400
    )
    stale = editor_client.post(f"/edit/events/{event.id}/delete", data={"revision": "1", "confirm": "yes"})
    assert stale.status_code == 302 and event_count(db_session) == 1
    fresh(db_session)
    assert db_session.get(Event, event.id).deleted_dt is None, "a delete on a stale revision is refused"
    unconfirmed = editor_client.post(f"/edit/events/{event.id}/delete", data={"revision": "2"})
    assert unconfirmed.status_code == 302 and unconfirmed.headers["Location"].endswith(
        f"/edit/events/{event.id}/delete"
    )
    fresh(db_session)
    assert db_session.get(Event, event.id).deleted_dt is None, "a delete without confirmation is refused"
    confirmed = editor_client.post(f"/edit/events/{event.id}/delete", data={"revision": "2", "confirm": "yes"})
    assert confirmed.status_code == 302
    assert editor_client.get(f"/events/{event.id}").status_code == 410
    assert editor_client.get(f"/edit/events/{event.id}").status_code == 404
    assert editor_client.get(f"/edit/events/{event.id}/history").status_code == 404
    assert editor_client.post(
        f"/edit/events/{event.id}/delete", data={"revision": "x", "confirm": "yes"}
    ).status_code in (
        400,
        404,
    )


def test_history_lists_who_changed_which_field(editor_client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session)
    editor_client.post(f"/edit/events/{event.id}/status", data={"status": "postponed", "revision": "1"})
    history = text_of(editor_client.get(f"/edit/events/{event.id}/history"))
    assert "(revision 2)" in history and "by Ema Editor" in history
    assert "Status: confirmed → postponed" in history


def test_internal_events_only_for_logged_in_users(client: FlaskClient, db_session: Session, editor) -> None:
    event = make_event(
        db_session, title="Closed-door preparatory meeting", visibility="internal", start_date="2099-01-05"
    )
    assert client.get(f"/events/{event.id}").status_code == 404
    assert "Closed-door" not in client.get("/").get_data(as_text=True)
    login(client, editor.email)
    assert client.get(f"/events/{event.id}").status_code == 200
    assert "Closed-door" in client.get("/").get_data(as_text=True)


def test_editing_requires_login(client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session)
    for url in ["/edit/events/new", f"/edit/events/{event.id}", "/edit/organisations", "/edit/people"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    assert client.post(f"/edit/events/{event.id}/delete", data={"revision": "1", "confirm": "yes"}).status_code == 302
    assert event_count(db_session) == 1


def test_forms_need_a_csrf_token(app_factory, db_session: Session) -> None:
    app = app_factory(WTF_CSRF_ENABLED=True)
    add_user(db_session)
    client = app.test_client()
    response = client.post("/login", data={"email": "editor@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 400 and "form had expired" in response.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": "editor@example.org", "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_login_rejects_wrong_password_and_unsafe_next(client: FlaskClient, editor) -> None:
    assert client.post("/login", data={"email": editor.email, "password": "wrong password"}).status_code == 400
    assert client.post("/login", data={"email": "nobody@example.org", "password": "x"}).status_code == 400
    response = client.post(
        "/login", data={"email": editor.email, "password": TEST_PASSWORD, "next": "//evil.example/x"}
    )
    assert response.headers["Location"] == "/"
    set_cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie


def test_organisations_and_people_directory(editor_client: FlaskClient, db_session: Session) -> None:
    data = {
        "name": "International Organization for Migration",
        "acronym": "IOM",
        "kind": "international_organisation",
        "country": "CH",
    }
    assert editor_client.post("/edit/organisations", data=data).status_code == 302
    duplicate = editor_client.post("/edit/organisations", data={**data, "name": "Other"})
    assert duplicate.status_code == 400 and "already uses this acronym" in duplicate.get_data(as_text=True)
    bad = editor_client.post("/edit/organisations", data={"name": "", "kind": "club", "country": "ZZ", "website": "x"})
    assert bad.status_code == 400
    assert (
        editor_client.post(
            "/edit/people", data={"name": "António Vitorino", "position": "Director General", "organisation": "IOM"}
        ).status_code
        == 302
    )
    unknown = editor_client.post("/edit/people", data={"name": "X", "organisation": "Nowhere Org"})
    assert unknown.status_code == 400 and "No such organisation" in unknown.get_data(as_text=True)
    assert "António Vitorino" in editor_client.get("/edit/people").get_data(as_text=True)
    assert editor_client.get("/edit/organisations/999").status_code == 404


HOSTILE_VALUES = ["", "0", "-1", "99999999999999999999", "%00", "\x00", "<script>", "' OR 1=1 --", "a" * 5000, "1e9"]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_no_query_or_form_value_produces_a_500(editor_client: FlaskClient, db_session: Session, value: str) -> None:
    event = make_event(db_session)
    for name in ["kind", "status", "country", "org", "tag", "q", "tz", "page"]:
        assert editor_client.get("/", query_string={name: value}).status_code in (200, 400)
    assert editor_client.get(f"/events/{event.id}", query_string={"tz": value}).status_code in (200, 400)
    form = form_data(SKOPJE_CONFERENCE)
    for name in [
        "title",
        "kind",
        "status",
        "timezone",
        "start_date",
        "end_date",
        "start_time",
        "country",
        "source",
        "tags",
        "visibility",
    ]:
        response = editor_client.post("/edit/events/new", data={**form, name: value})
        # 409: the same conference again (saved by an earlier value), so the form asks before saving it twice.
        assert response.status_code in (302, 400, 409), (name, value, response.status_code)
    response = editor_client.post(f"/edit/events/{event.id}", data={**form, "revision": value})
    assert response.status_code in (302, 400, 409)
    assert editor_client.post(
        f"/edit/events/{event.id}/status", data={"status": value, "revision": "1"}
    ).status_code in (302, 400)


def test_org_filter_takes_acronym_name_or_id(client: FlaskClient, db_session: Session) -> None:
    db_session.add(Organisation(name="Regional Cooperation Council", acronym="RCC"))
    db_session.commit()
    make_event(
        db_session,
        title="Annual meeting",
        start_date="2099-03-03",
        organisations=[("RCC", "host"), ("Council without acronym", "supporter")],
    )
    org_id = db_session.exec(select(Organisation.id).where(Organisation.acronym == "RCC")).scalar_one()
    for value in ["rcc", "Regional Cooperation Council", str(org_id), "council without acronym"]:
        assert "Annual meeting" in client.get("/", query_string={"org": value}).get_data(as_text=True), value
    unknown = client.get("/", query_string={"org": "Nobody"})
    assert unknown.status_code == 400 and "no organisation with acronym, name or id" in unknown.get_data(as_text=True)


def test_a_stale_status_change_or_delete_says_who_saved_first(editor_client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session)
    assert editor_client.post(f"/edit/events/{event.id}/status", data={"status": "postponed", "revision": "1"})
    message = "Ema Editor changed this event while you were looking at it; check it and try again."
    stale = [("status", {"status": "cancelled", "revision": "1"}), ("delete", {"revision": "1", "confirm": "yes"})]
    for action, data in stale:
        response = editor_client.post(f"/edit/events/{event.id}/{action}", data=data, follow_redirects=True)
        assert response.request.path == f"/events/{event.id}"
        assert message in text_of(response).replace("&#39;", "'"), action
    fresh(db_session)
    stored = db_session.get(Event, event.id)
    assert (stored.status, stored.deleted_dt, stored.revision) == ("postponed", None, 2)


def test_directory_pages_edit_an_entry_in_place(editor_client: FlaskClient, db_session: Session) -> None:
    db_session.add(Organisation(name="Regional Cooperation Council", acronym="RCC", kind="ngo", country="BA"))
    db_session.commit()
    rcc = db_session.exec(select(Organisation).where(Organisation.acronym == "RCC")).scalar_one()
    form = editor_client.get(f"/edit/organisations/{rcc.id}").get_data(as_text=True)
    assert "Edit Regional Cooperation Council" in form and 'value="RCC"' in form
    saved = editor_client.post(
        f"/edit/organisations/{rcc.id}", data={"name": "Regional Cooperation Council", "acronym": "RCC2"}
    )
    assert saved.status_code == 302 and saved.headers["Location"] == "/edit/organisations"
    assert "Saved “Regional Cooperation Council”." in editor_client.get("/edit/organisations").get_data(as_text=True)
    fresh(db_session)
    assert db_session.get(Organisation, rcc.id).acronym == "RCC2"
    kept = editor_client.post(f"/edit/organisations/{rcc.id}", data={"name": "", "acronym": "KEPT"})
    assert kept.status_code == 400 and 'value="KEPT"' in kept.get_data(as_text=True)
    assert editor_client.post("/edit/people", data={"name": "Ana Bell", "organisation": "rcc2"}).status_code == 302
    fresh(db_session)
    person = db_session.exec(select(Person).where(Person.name == "Ana Bell")).scalar_one()
    assert person.organisation_id == rcc.id
    page = editor_client.get(f"/edit/people/{person.id}").get_data(as_text=True)
    assert "Edit Ana Bell" in page and 'value="Regional Cooperation Council"' in page
    assert '<option value="Regional Cooperation Council">' in page
    assert editor_client.get("/edit/people/999").status_code == 404
    new_event = editor_client.get("/edit/events/new").get_data(as_text=True)
    assert '<option value="Regional Cooperation Council">RCC2</option>' in new_event
    assert '<option value="Ana Bell">' in new_event


def test_organisations_sharing_an_acronym_in_old_data(editor_client: FlaskClient, db_session: Session) -> None:
    """Rows from before the uniqueness check may share an acronym: the oldest answers, and saving never fails."""
    db_session.add(Organisation(name="Forest Agency", acronym="FA"))
    db_session.commit()
    db_session.add(Organisation(name="Fine Arts Society", acronym="fa"))
    db_session.commit()
    older, newer = (
        db_session.exec(select(Organisation.id).where(Organisation.name == name)).scalar_one()
        for name in ("Forest Agency", "Fine Arts Society")
    )
    refused = editor_client.post(f"/edit/organisations/{newer}", data={"name": "Fine Arts Society", "acronym": "FA"})
    assert refused.status_code == 400 and "already uses this acronym" in refused.get_data(as_text=True)
    assert editor_client.post("/edit/people", data={"name": "Ana Bell", "organisation": "FA"}).status_code == 302
    fresh(db_session)
    assert db_session.exec(select(Person.organisation_id).where(Person.name == "Ana Bell")).scalar_one() == older
    event = make_event(db_session, organisations=[("fa", "host"), ("Fine Arts Society", "supporter")])
    linked = [(link.organisation_id, link.role) for link in event.organisation_links]
    assert sorted(linked) == sorted([(older, "host"), (newer, "supporter")])
