"""The public directory: which organisations the public may see, their events by role, the feed and reminder
form of one organisation, and the links from event pages to them.

The oracle is the data written out by hand below: which organisation takes part in which event, in which role,
and which events are public, internal, past or deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.conftest import NOW, login, make_event
from tracker.models import Organisation
from tracker.services.events import delete_event

pytestmark = pytest.mark.usefixtures("process_zone")


@dataclass
class Directory:
    iom: Organisation
    ministry: Organisation
    secret: Organisation
    gone: Organisation
    upcoming: int  # public, IOM supporter, ministry host
    past: int  # public, IOM host
    internal: int  # internal, secret host, IOM participant
    deleted: int  # public but deleted, gone host


def _organisation(session: Session, name: str, acronym: str | None = None, **fields: str) -> Organisation:
    organisation = Organisation(name=name, acronym=acronym, **fields)
    session.add(organisation)
    session.commit()
    return organisation


@pytest.fixture
def directory(db_session: Session) -> Directory:
    session = db_session
    iom = _organisation(
        session, "International Organization for Migration", "IOM", kind="international_organisation",
        website="https://www.iom.int/", country="CH",
    )  # fmt: skip
    ministry = _organisation(session, "Ministry of Interior of the Republic of North Macedonia", "MoI MK")
    secret = _organisation(session, "Quiet Liaison Directorate", "QLD")
    gone = _organisation(session, "Withdrawn Seminar Trust")
    upcoming = make_event(
        session, title="Regional migration meeting", tags="migration, western balkans",
        organisations=[(ministry.name, "host"), ("IOM", "supporter")],
    )  # fmt: skip
    past = make_event(
        session, title="Border management workshop", start_date="2026-09-01", organisations=[("IOM", "host")]
    )
    internal = make_event(
        session, title="Quiet liaison visit", visibility="internal",
        organisations=[(secret.name, "host"), ("IOM", "participant")],
    )  # fmt: skip
    deleted = make_event(session, title="Withdrawn seminar", organisations=[(gone.name, "host")])
    delete_event(session, deleted.id, None, None, NOW)
    session.commit()
    return Directory(iom, ministry, secret, gone, upcoming.id, past.id, internal.id, deleted.id)


@pytest.fixture(autouse=True)
def _now() -> object:
    with time_machine.travel(NOW, tick=False):
        yield


def _rows(body: str) -> dict[str, tuple[str, str]]:
    """Name → (upcoming, all) as the directory table shows them."""
    found = re.findall(
        r'<td><a href="/organisations/[^"]+">([^<]+)</a></td>.*?'
        r'<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>',
        body,
        re.S,
    )
    return {name.replace("&amp;", "&"): (upcoming, total) for name, upcoming, total in found}


def test_the_public_directory_lists_only_organisations_of_live_public_events(
    client: FlaskClient, directory: Directory
) -> None:
    response = client.get("/organisations")
    assert response.status_code == 200
    assert _rows(response.get_data(as_text=True)) == {
        "International Organization for Migration (IOM)": ("1", "2"),
        "Ministry of Interior of the Republic of North Macedonia (MoI MK)": ("1", "1"),
    }


def test_editors_see_every_organisation_with_counts_of_internal_events_too(
    client: FlaskClient, editor: object, directory: Directory
) -> None:
    login(client)
    assert _rows(client.get("/organisations").get_data(as_text=True)) == {
        "International Organization for Migration (IOM)": ("2", "3"),
        "Ministry of Interior of the Republic of North Macedonia (MoI MK)": ("1", "1"),
        "Quiet Liaison Directorate (QLD)": ("1", "1"),
        "Withdrawn Seminar Trust": ("0", "0"),
    }


def test_an_organisation_of_internal_or_deleted_events_only_is_a_404_like_a_missing_one(
    client: FlaskClient, directory: Directory
) -> None:
    missing = client.get("/organisations/no-such-organisation")
    assert missing.status_code == 404
    for organisation in (directory.secret, directory.gone):
        response = client.get(f"/organisations/{organisation.slug}")
        assert response.status_code == 404
        assert response.get_data() == missing.get_data()
    assert client.get("/organisations/" + "x" * 500).status_code == 404


def test_editors_reach_the_page_of_an_organisation_of_internal_events(
    client: FlaskClient, editor: object, directory: Directory
) -> None:
    login(client)
    body = client.get(f"/organisations/{directory.secret.slug}").get_data(as_text=True)
    assert "Quiet liaison visit" in body
    assert "/calendar.ics?org=" not in body  # its public feed would not know it


def _section(body: str, heading: str) -> str:
    match = re.search(rf"<h2[^>]*>{heading} <span class=\"count\">\((\d+)\)</span></h2>(.*?)</section>", body, re.S)
    assert match, heading
    return match.group(0)


def test_an_organisation_page_shows_its_details_and_its_events_by_period_and_role(
    client: FlaskClient, directory: Directory
) -> None:
    response = client.get(f"/organisations/{directory.iom.slug}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "International Organization for Migration" in body and "(IOM)" in body
    assert "International organisation" in body and "Switzerland" in body
    assert 'href="https://www.iom.int/"' in body
    assert "Regional migration meeting" in _section(body, "Upcoming events as supporter")
    assert "Border management workshop" in _section(body, "Past events as host")
    headings = re.findall(r"<h2 id=\"[^\"]+\">([^<]+) <span", body)
    assert headings == ["Upcoming events as supporter", "Past events as host"]
    assert "Quiet liaison visit" not in body


def test_editors_see_the_internal_event_under_its_role(
    client: FlaskClient, editor: object, directory: Directory
) -> None:
    login(client)
    body = client.get(f"/organisations/{directory.iom.slug}").get_data(as_text=True)
    assert "Quiet liaison visit" in _section(body, "Upcoming events as participant")


def test_the_feed_link_of_an_organisation_holds_its_public_events(client: FlaskClient, directory: Directory) -> None:
    body = client.get(f"/organisations/{directory.iom.slug}").get_data(as_text=True)
    feed_url = f"http://tracker.test/calendar.ics?org={directory.iom.id}"
    assert f'value="{feed_url}&amp;lang=en"' in body  # the subscribe box links to the reader's language
    feed = client.get(feed_url.removeprefix("http://tracker.test"))
    assert feed.status_code == 200
    text = feed.get_data(as_text=True).replace("\r\n ", "")
    summaries = sorted(re.findall(r"^SUMMARY:(.*?)\r?$", text, re.M))
    assert summaries == ["Border management workshop", "Regional migration meeting"]


def test_the_reminder_form_follows_the_organisation(client: FlaskClient, directory: Directory) -> None:
    body = client.get(f"/organisations/{directory.iom.slug}").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/subscriptions".*?</form>', body, re.S)
    assert form is not None
    assert f'<input type="hidden" name="org" value="{directory.iom.id}">' in form.group(0)
    assert "each event of <strong>International Organization for Migration (IOM)</strong>" in form.group(0)
    answer = client.post(
        "/subscriptions",
        data={"org": str(directory.iom.id), "email": "reader@example.org", "lead": "1440", "timezone": "Europe/Skopje"},
    )
    assert answer.status_code == 303


def test_event_pages_link_organisations_and_tags_to_their_views(client: FlaskClient, directory: Directory) -> None:
    body = client.get(f"/events/{directory.upcoming}").get_data(as_text=True)
    assert f'<a href="/organisations/{directory.iom.slug}">International Organization for Migration (IOM)</a>' in body
    assert f'<a href="/organisations/{directory.ministry.slug}">' in body
    assert 'href="/?tag=migration"' in body
    assert 'href="/?tag=western+balkans"' in body
    listed = client.get("/?tag=western+balkans").get_data(as_text=True)
    assert "Regional migration meeting" in listed and "Border management workshop" not in listed
