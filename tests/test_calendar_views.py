"""The calendar pages over HTTP (Flask test client): views, navigation, filters, search, remembered zone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, make_event
from tracker.models import Organisation
from tracker.web.page_filter import ZONE_COOKIE


@pytest.fixture(autouse=True)
def _at_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def events(db_session: Session) -> dict[str, int]:
    skopje = make_event(db_session, **SKOPJE_CONFERENCE)
    late = make_event(db_session, title="Late call", start_date="2026-11-10", start_time="23:00", end_time="23:45")
    forum = make_event(db_session, title="Ohrid forum", kind="conference", all_day="on", start_date="2026-11-04",
                       end_date="2026-11-06", city="Ohrid", organisations=[("IOM", "supporter")])  # fmt: skip
    make_event(db_session, title="Cancelled briefing", status="cancelled", start_date="2026-11-12")
    make_event(db_session, title="Tentative seminar", status="tentative", start_date="2026-11-17")
    make_event(db_session, title="Internal coordination", visibility="internal", start_date="2026-11-18")
    return {"skopje": skopje.id, "late": late.id, "forum": forum.id}


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[-800:]
    return response.get_data(as_text=True)


def test_month_page_draws_the_grid_with_statuses_links_and_partials(client: FlaskClient, events: dict) -> None:
    html = page(client, "/calendar/2026/11")
    assert "<h1>November 2026</h1>" in html
    assert html.count('<td class="day') == 42
    assert 'aria-current="date"' in html  # today
    assert f'href="/events/{events["forum"]}"' in html
    assert re.search(r'class="ev kind-conference status-confirmed multi bar span-3 to-after"', html)
    assert "status-cancelled" in html and "Cancelled</span>" in html
    assert "Tentative</span>" in html
    assert "Internal coordination" not in html  # public visitors see public events only
    assert "Subscribe to this calendar" in html  # the feeds partial got event_filter
    assert 'href="/calendar/2026/10"' in html and 'href="/calendar/2026/12"' in html


def test_calendar_entry_points_redirect_to_today_keeping_the_filter(client: FlaskClient, events: dict) -> None:
    response = client.get("/calendar/?kind=conference")
    assert response.status_code == 302 and response.headers["Location"] == "/calendar/2026/11?kind=conference"
    response = client.get("/calendar/week")
    assert response.headers["Location"] == "/calendar/2026/week/45"
    response = client.get("/calendar/?month=2022-11&tz=Asia/Tokyo")
    assert response.headers["Location"] == "/calendar/2022/11?tz=Asia/Tokyo"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/calendar/2026/13", "There is no month 13"),
        ("/calendar/2026/0", "There is no month 0"),
        ("/calendar/1066/10", "1900 to 2200"),
        ("/calendar/2026/week/54", "2026 has weeks 1 to 53"),
        ("/calendar/?month=November", "Give the month as YYYY-MM"),
        ("/calendar/2026/11?kind=party", "unknown value &#39;party&#39;"),
        ("/calendar/2026/11?country=XX", "unknown country"),
        ("/calendar/2026/11?org=NOPE", "no organisation with acronym, name or id"),
        ("/calendar/2026/11?tz=Mars/Olympus", "unknown time zone"),
        ("/?status=maybe", "The filter “status” is not valid"),
        ("/?page=0", "page number"),
        ("/past?year=20x6", "The year must be"),
        ("/?q=" + "x" * 201, "at most 200 characters"),
    ],
)
def test_bad_input_gets_a_400_with_a_message(client: FlaskClient, events: dict, url: str, message: str) -> None:
    assert message in page(client, url, status=400)


def test_week_page_lists_each_day_with_times(client: FlaskClient, events: dict) -> None:
    html = page(client, "/calendar/2026/week/46")
    assert "Week 46, 9\u2009–\u200915 Nov 2026" in html
    assert 'id="d2026-11-10"' in html
    assert "23:00–23:45 CET" in html
    html = page(client, "/calendar/2026/week/46?tz=Asia/Tokyo")
    assert "07:00–07:45 JST" in html


def test_home_page_is_the_agenda_grouped_by_day(client: FlaskClient, events: dict) -> None:
    html = page(client, "/")
    assert "<h1>Upcoming events" in html
    assert "Tomorrow ·" not in html  # nothing on 3 November
    assert "Wednesday, 4 November 2026" in html
    assert html.index("Ohrid forum") < html.index("Late call") < html.index("Tentative seminar")
    assert SKOPJE_CONFERENCE["title"] not in html  # past
    assert "Subscribe to this calendar" in html


def test_archive_lists_past_events_by_month_with_year_links(client: FlaskClient, events: dict) -> None:
    html = page(client, "/past")
    assert SKOPJE_CONFERENCE["title"] in html and "November 2022" in html
    assert 'href="/past?year=2022"' in html
    assert SKOPJE_CONFERENCE["title"] in page(client, "/past?year=2022")
    assert SKOPJE_CONFERENCE["title"] not in page(client, "/past?year=2023")


def test_search_on_the_home_page_is_ranked_and_highlighted_across_past_and_future(
    client: FlaskClient, events: dict
) -> None:
    html = page(client, "/?q=skopje+conference")
    assert "Search results" in html and "best match first" in html
    assert "<mark>Conference</mark>" in html and "<mark>Skopje</mark>" in html
    assert '<span class="badge past">Past</span>' in html
    html = page(client, "/?q=Скопје")  # Cyrillic query, Latin text
    assert SKOPJE_CONFERENCE["title"] in html
    html = page(client, "/?q=IOM")  # an organisation's name
    assert "Ohrid forum" in html and SKOPJE_CONFERENCE["title"] in html
    assert "No events match" in page(client, "/?q=zzzzqqq")
    # The search is one of the filters: it narrows the month grid too.
    month = page(client, "/calendar/2026/11?q=ohrid")
    assert "<mark>Ohrid</mark> forum" in month and "Late call" not in month


def test_filters_combine_in_every_view_and_can_be_removed_one_by_one(
    client: FlaskClient, events: dict, db_session: Session
) -> None:
    html = page(client, "/calendar/2026/11?kind=conference&status=confirmed")
    assert "Ohrid forum" in html and "Late call" not in html and "Cancelled briefing" not in html
    assert '<ul class="active-filters"' in html
    assert 'href="/calendar/2026/11?status=confirmed"' in html  # remove "Conference"
    assert 'href="/calendar/2026/11?kind=conference"' in html  # remove "Confirmed"
    iom = db_session.exec(select(Organisation).where(Organisation.name == "IOM")).scalar_one()
    by_org = page(client, f"/?org={iom.id}")
    assert "Ohrid forum" in by_org and "Late call" not in by_org
    assert "IOM <span aria-hidden" in by_org  # the chip names the organisation


def test_the_chosen_zone_is_remembered_and_can_be_forgotten(client: FlaskClient, events: dict) -> None:
    response = client.get("/calendar/2026/11?tz=Asia/Tokyo")
    assert f"{ZONE_COOKIE}=Asia/Tokyo" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    html = page(client, "/calendar/2026/11")  # no tz in the URL: the cookie applies
    assert "Times are shown in <strong>Asia/Tokyo</strong>" in html
    assert "tz=Asia/Tokyo" in html  # and links carry it, so the page can be shared as seen
    assert "Your time: " in page(client, f"/events/{events['late']}")
    response = client.get("/calendar/2026/11?tz=")
    assert f"{ZONE_COOKIE}=;" in response.headers["Set-Cookie"]
    assert "each event's own time zone" in page(client, "/calendar/2026/11")


def test_a_broken_zone_cookie_is_ignored(client: FlaskClient, events: dict) -> None:
    client.set_cookie(ZONE_COOKIE, "Not/AZone")
    assert "each event's own time zone" in page(client, "/calendar/2026/11")


def test_logged_in_editors_see_internal_events(editor_client: FlaskClient, events: dict) -> None:
    assert "Internal coordination" in page(editor_client, "/calendar/2026/11")
    assert "Internal coordination" in page(editor_client, "/")


def test_pages_need_no_external_resources(client: FlaskClient, events: dict) -> None:
    for url in ("/", "/calendar/2026/11", "/calendar/2026/week/45", "/past", "/?q=skopje"):
        html = page(client, url)
        # (the hreflang alternates are absolute by rule, and load nothing)
        assert not re.search(r'src="(https?:)?//|<link(?![^>]*rel="alternate")[^>]*href="(https?:)?//', html), url
        assert "<script>" not in html and " style=" not in html


def test_the_filter_bar_follows_changes_to_what_the_public_may_see(client: FlaskClient, db_session: Session) -> None:
    """The bar's organisations and tags are remembered between changes; a change shows on the next page."""
    from tracker.services.events import event_input_from, load_event, update_event
    from tracker.validation import EventInput

    def bar() -> str:
        return page(client, "/").split('<form class="filters"', 1)[1].split("</form>", 1)[0]

    assert "protocol-only" not in bar()
    event = make_event(
        db_session,
        tags="protocol-only",
        organisations=[("Office of Protocol Services", "host")],
        start_date="2026-11-20",
    )
    assert "protocol-only" in bar() and "Office of Protocol Services" in bar()
    values = event_input_from(load_event(db_session, event.id))
    values["visibility"] = "internal"
    update_event(db_session, event.id, EventInput.from_form(values), None, None, NOW)
    db_session.commit()
    assert "protocol-only" not in bar() and "Office of Protocol Services" not in bar()


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_REFERENCE = re.compile(r"\{%-?\s*(include|import|extends|from)\s+\"([^\"]+)\"([^%]*)%\}")


def test_every_partial_a_template_names_exists_and_none_is_optional() -> None:
    """``ignore missing`` would turn a deleted or misnamed partial into a silently shorter page."""
    references = [
        (path.relative_to(TEMPLATES), name, rest)
        for path in TEMPLATES.rglob("*.html")
        for _kind, name, rest in TEMPLATE_REFERENCE.findall(path.read_text(encoding="utf-8"))
    ]
    assert len(references) > 20  # the pattern does find them
    assert [(str(path), name) for path, name, rest in references if "ignore missing" in rest] == []
    assert [(str(path), name) for path, name, _rest in references if not (TEMPLATES / name).is_file()] == []


@pytest.mark.parametrize(
    ("url", "markers"),
    [
        ("/", ('class="subscribe"', 'class="remind"', 'class="event-item')),
        ("/?q=skopje", ('class="subscribe"', 'class="remind"', '<ol class="results event-list"')),
        ("/calendar/2026/11", ('class="subscribe"', 'class="remind"', 'class="month-grid"')),
        ("/calendar/2026/week/45", ('class="subscribe"', 'class="remind"', 'class="week-days"')),
        ("/past", ('class="subscribe"', 'class="remind"')),
        ("/events/{forum}", ('class="ics-download"', 'class="remind"')),
    ],
)
def test_every_page_renders_its_partials(client: FlaskClient, events: dict, url: str, markers: tuple[str, ...]) -> None:
    html = page(client, url.format(**events))
    for marker in markers:
        assert marker in html, (url, marker)


def test_search_results_are_event_items_with_highlights_badges_and_snippets(
    client: FlaskClient, db_session: Session
) -> None:
    """The results list reuses the agenda's event item, with what only a search result shows."""
    make_event(db_session, title="Skopje border seminar", start_date="2026-10-01", city="Bitola",
               description="A long day on border cooperation in Skopje.", organisations=[("IOM", "host")])  # fmt: skip
    make_event(db_session, title="Ohrid meeting", start_date="2026-11-20", status="tentative", city="Skopje")
    html = page(client, "/?q=skopje")
    items = re.findall(r'<li class="event-item status-(\w+)">\s*<h2><a href="/events/\d+">(.*?)</a></h2>(.*?)</li>',
                       html, re.DOTALL)  # fmt: skip
    assert [(status, title) for status, title, _rest in items] == [
        ("confirmed", "<mark>Skopje</mark> border seminar"),  # the title weighs most
        ("tentative", "Ohrid meeting"),
    ]
    seminar, meeting = items[0][2], items[1][2]
    assert '<span class="badge past">Past</span>' in seminar and "badge past" not in meeting
    assert '<p class="snippet">A long day on border cooperation in <mark>Skopje</mark>.</p>' in seminar
    assert re.search(r'<p class="orgs">\s*Host: IOM\s*</p>', seminar)
    assert '<p class="where"><mark>Skopje</mark>, North Macedonia</p>' in meeting
    assert "Tentative</span>" in meeting
