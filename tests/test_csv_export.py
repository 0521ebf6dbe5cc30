"""``/events.csv``: read back with the standard library's ``csv`` module and compared with rows typed here."""

from __future__ import annotations

import csv
import io
from typing import Any

import time_machine
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, login, make_event
from tracker.filters import EventFilter
from tracker.services.csv_export import MAX_ROWS, export_events

HEADER = [
    "title", "kind", "status", "start", "end", "all_day", "time_zone", "venue", "city", "country", "organisers",
    "tags", "url",
]  # fmt: skip


def _rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark first (Excel)"
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline="")))


def _download(client: FlaskClient, url: str) -> list[list[str]]:
    with time_machine.travel(NOW, tick=False):
        response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="events.csv"'
    return _rows(response.get_data())


def test_rows_of_the_skopje_conference_and_a_timed_meeting(client: FlaskClient, db_session: Session) -> None:
    conference = make_event(db_session, **SKOPJE_CONFERENCE)
    meeting = make_event(
        db_session, title="Working meeting on readmission", venue="Government building", tags="readmission",
        organisations=[("International Organization for Migration", "host")],
    )  # fmt: skip
    rows = _download(client, "/events.csv?past=1")
    assert rows == [
        HEADER,
        [
            "Ministerial Conference on Sustainable Migration Management in the Western Balkans", "conference",
            "confirmed", "2022-11-15", "2022-11-16", "yes", "Europe/Skopje", "", "Skopje", "MK",
            "Host: Ministry of Interior of the Republic of North Macedonia; "
            "Co-organiser: Ministry of the Interior of the Czech Republic; Supporter: IOM",
            "migration, western balkans", f"http://tracker.test/events/{conference.id}",
        ],
        [
            "Working meeting on readmission", "meeting", "confirmed", "2026-11-10T10:00:00+01:00",
            "2026-11-10T12:00:00+01:00", "no", "Europe/Skopje", "Government building", "Skopje", "MK",
            "Host: International Organization for Migration", "readmission",
            f"http://tracker.test/events/{meeting.id}",
        ],
    ]  # fmt: skip
    # Without past=1: upcoming only (the conference was in 2022); the filter applies as on the agenda.
    assert [row[0] for row in _download(client, "/events.csv")] == ["title", "Working meeting on readmission"]
    assert [row[0] for row in _download(client, "/events.csv?past=1&kind=conference")] == [
        "title",
        SKOPJE_CONFERENCE["title"],
    ]
    assert len(_download(client, "/events.csv?past=1&country=RS")) == 1


def test_internal_events_only_for_editors(client: FlaskClient, db_session: Session, editor: Any) -> None:
    make_event(db_session, title="Announced meeting")
    make_event(db_session, title="Unannounced visit", visibility="internal", start_date="2026-11-11")
    anonymous = [row[0] for row in _download(client, "/events.csv?past=1")]
    assert anonymous == ["title", "Announced meeting"]
    with time_machine.travel(NOW, tick=False):
        login(client, editor.email)
        response = client.get("/events.csv")
    assert [row[0] for row in _rows(response.get_data())] == ["title", "Announced meeting", "Unannounced visit"]
    assert "no-store" in response.headers["Cache-Control"]


def test_cells_a_spreadsheet_would_run_get_an_apostrophe(client: FlaskClient, db_session: Session) -> None:
    make_event(db_session, title='=HYPERLINK("http://evil.example","click")', venue="+381 11 123", city="@Skopje")
    make_event(db_session, title="-2+3 budget talks", start_date="2026-11-11", venue="Hall - east wing")
    rows = _download(client, "/events.csv")
    assert [row[0] for row in rows[1:]] == ['\'=HYPERLINK("http://evil.example","click")', "'-2+3 budget talks"]
    assert rows[1][7:9] == ["'+381 11 123", "'@Skopje"]
    assert rows[2][7] == "Hall - east wing", "a dash inside a cell is left alone"


def test_a_bad_past_value_is_a_400(client: FlaskClient) -> None:
    response = client.get("/events.csv?past=yes")
    assert response.status_code == 400
    assert "past must be 1" in response.get_data(as_text=True)
    assert client.get("/events.csv?kind=nonsense").status_code == 400


def test_an_export_stops_at_its_limit_and_says_so(db_session: Session) -> None:
    for day in ("2026-11-10", "2026-11-11", "2026-11-12"):
        make_event(db_session, title=f"Meeting of {day}", start_date=day)

    def export(limit: int) -> Any:
        return export_events(
            db_session, EventFilter(), NOW, include_internal=False, include_past=True,
            event_url=lambda event_id: f"https://x.test/events/{event_id}", limit=limit,
        )  # fmt: skip

    cut = export(2)
    rows = _rows(cut.body)
    assert cut.truncated and cut.rows == 2
    assert [row[0] for row in rows] == [
        "title",
        "Meeting of 2026-11-10",
        "Meeting of 2026-11-11",
        "Only the first 2 events are listed; narrow the filter to export the rest.",
    ]
    whole = export(3)
    assert not whole.truncated and len(_rows(whole.body)) == 4
    assert MAX_ROWS == 10_000


def test_an_empty_export_is_the_header_alone(client: FlaskClient) -> None:
    response = client.get("/events.csv")
    assert _rows(response.get_data()) == [HEADER]
    assert "X-Truncated" not in response.headers
