"""schema.org Event JSON-LD on event pages: read back from the served HTML, compared with values typed here."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session

from tests.conftest import SKOPJE_CONFERENCE, make_event


class _JsonLdScripts(HTMLParser):
    """Collects the text of every ``<script type="application/ld+json">`` as a browser would split it."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs
        if self._inside:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts[-1] += data


def _json_ld(client: FlaskClient, event_id: int) -> list[Any]:
    response = client.get(f"/events/{event_id}")
    assert response.status_code == 200
    parser = _JsonLdScripts()
    parser.feed(response.get_data(as_text=True))
    return [json.loads(text) for text in parser.scripts]


def test_all_day_conference_reads_as_dates_with_its_organisers(client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session, **SKOPJE_CONFERENCE, description="Two days on migration.")
    [data] = _json_ld(client, event.id)
    assert data == {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Ministerial Conference on Sustainable Migration Management in the Western Balkans",
        "inLanguage": "en",
        "startDate": "2022-11-15",
        "endDate": "2022-11-16",
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": f"http://tracker.test/events/{event.id}",
        "location": {
            "@type": "Place",
            "name": "Skopje",
            "address": {"@type": "PostalAddress", "addressLocality": "Skopje", "addressCountry": "MK"},
        },
        "organizer": [
            {"@type": "Organization", "name": "Ministry of Interior of the Republic of North Macedonia"},
            {"@type": "Organization", "name": "Ministry of the Interior of the Czech Republic"},
        ],
        "description": "Two days on migration.",
    }


def test_timed_event_in_its_own_zone_and_cancelled(client: FlaskClient, db_session: Session) -> None:
    event = make_event(
        db_session,
        title="Working visit",
        timezone="Europe/Zurich",
        start_date="2022-11-07",
        start_time="10:00",
        end_time="11:30",
        city="Geneva",
        country="CH",
        venue="Palais des Nations",
        status="cancelled",
    )
    [data] = _json_ld(client, event.id)
    assert (data["startDate"], data["endDate"]) == ("2022-11-07T10:00:00+01:00", "2022-11-07T11:30:00+01:00")
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["location"]["name"] == "Palais des Nations"
    assert "organizer" not in data


def test_a_title_cannot_close_the_script(client: FlaskClient, db_session: Session) -> None:
    title = 'Talks </script ><script>alert(1)</script> <!-- & "more"'
    event = make_event(db_session, title=title)
    body = client.get(f"/events/{event.id}").get_data(as_text=True)
    json_ld_part = body.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in json_ld_part and ">" not in json_ld_part  # nothing a browser's script parser reacts to
    [data] = _json_ld(client, event.id)
    assert data["name"] == title


def test_internal_event_page_and_its_json_ld_stay_hidden(client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session, title="Closed consultations", visibility="internal")
    response = client.get(f"/events/{event.id}")
    assert response.status_code == 404
    assert "Closed consultations" not in response.get_data(as_text=True)


def test_postponed_and_tentative_statuses(client: FlaskClient, db_session: Session) -> None:
    postponed = make_event(db_session, title="Postponed talks", status="postponed")
    tentative = make_event(db_session, title="Tentative talks", status="tentative", start_date="2026-11-11")
    assert _json_ld(client, postponed.id)[0]["eventStatus"] == "https://schema.org/EventPostponed"
    assert _json_ld(client, tentative.id)[0]["eventStatus"] == "https://schema.org/EventScheduled"
