"""The embeddable views (``/embed/month``, ``/embed/agenda``): framing allowed there only, for the configured
sites; no chrome, no forms, no scripts, links out in a new tab; the public's events only, whoever asks; no
cookie. Headers and links are read back from the answers with the standard library's HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, login, make_event
from tracker import create_app
from tracker.config import ConfigError

SECRET = "Zqxsealed"
SKOPJE_TITLE = SKOPJE_CONFERENCE["title"]


class _Page(HTMLParser):
    """The tags of a page that matter to an embed: links, forms, scripts, and whether the site's header is there."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self.tags: list[str] = []
        self.classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        self.classes += (values.get("class") or "").split()
        if tag == "a":
            self.links.append(values)


def _page(client: FlaskClient, url: str) -> tuple[Any, _Page]:
    response = client.get(url)
    parser = _Page()
    parser.feed(response.get_data(as_text=True))
    return response, parser


def _frame_ancestors(response: Any) -> str:
    policy = response.headers["Content-Security-Policy"]
    [directive] = [part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors")]
    return directive.removeprefix("frame-ancestors").strip()


def test_embedded_month_is_bare_and_opens_events_in_a_new_tab(client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session, **SKOPJE_CONFERENCE)
    response, page = _page(client, "/embed/month?month=2022-11")
    assert response.status_code == 200
    assert SKOPJE_TITLE in response.get_data(as_text=True)
    assert "November 2022" in response.get_data(as_text=True)
    assert not {"form", "script", "input", "button", "iframe"} & set(page.tags)
    assert "site-header" not in page.classes
    hrefs = [link["href"] or "" for link in page.links]
    assert not any("/login" in href or "/edit/" in href for href in hrefs)
    to_event = [link for link in page.links if link["href"] == f"/events/{event.id}"]
    assert to_event, "the conference links to its page"
    for link in to_event:
        assert link["target"] == "_blank" and "noopener" in (link["rel"] or "")
    # Month navigation stays inside the frame, with the filter.
    assert "/embed/month?month=2022-12" in hrefs and "/embed/month?month=2022-10" in hrefs


def test_embedded_agenda_lists_upcoming_events_with_the_filter(client: FlaskClient, db_session: Session) -> None:
    meeting = make_event(db_session, title="Working meeting on border management")
    make_event(db_session, title="Regional conference on asylum", kind="conference", start_date="2026-11-20")
    with time_machine.travel(NOW, tick=False):
        response, page = _page(client, "/embed/agenda?kind=meeting&tz=Asia/Tokyo")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Working meeting on border management" in text and "Regional conference on asylum" not in text
    assert "Asia/Tokyo" in text  # the zone note: times shown in the zone the query names
    assert not {"form", "script"} & set(page.tags)
    [link] = [link for link in page.links if link["href"] == f"/events/{meeting.id}"]
    assert link["target"] == "_blank" and link["rel"] == "noopener"


def test_only_embed_answers_may_be_framed(client: FlaskClient, db_session: Session) -> None:
    event = make_event(db_session, **SKOPJE_CONFERENCE)
    for url in ("/embed/month?month=2022-11", "/embed/agenda", "/embed/agenda?kind=nonsense"):
        response = client.get(url)
        assert _frame_ancestors(response) == "*", url  # the documented default: any site
        assert "X-Frame-Options" not in response.headers, url
    for url in ("/", "/calendar/2022/11", f"/events/{event.id}", "/past", "/login", "/events.csv", "/embed/nope"):
        response = client.get(url)
        assert _frame_ancestors(response) == "'none'", url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_a_bad_filter_in_a_frame_is_a_bare_400(client: FlaskClient) -> None:
    response, page = _page(client, "/embed/month?kind=nonsense")
    assert response.status_code == 400
    assert "kind" in response.get_data(as_text=True)
    assert "site-header" not in page.classes and "form" not in page.tags
    assert client.get("/embed/month?month=2022-13").status_code == 400


def test_allowed_origins_come_from_the_configuration(app_factory: Any) -> None:
    app = app_factory(EMBED_ALLOWED_ORIGINS="https://example.org, https://News.Example.com:8443")
    response = app.test_client().get("/embed/agenda")
    assert _frame_ancestors(response) == "https://example.org https://news.example.com:8443"
    assert _frame_ancestors(app.test_client().get("/")) == "'none'"
    closed = app_factory(EMBED_ALLOWED_ORIGINS="none")
    assert _frame_ancestors(closed.test_client().get("/embed/month")) == "'none'"


def test_allowed_origins_from_the_environment(database_url: str, tmp_path: Path) -> None:
    environ = {
        "TRACKER_INSTANCE_PATH": str(tmp_path),
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_EMBED_ALLOWED_ORIGINS": "https://*.gov.mk https://mia.gov.mk",
    }
    app = create_app({"TESTING": True}, environ=environ)
    assert _frame_ancestors(app.test_client().get("/embed/agenda")) == "https://*.gov.mk https://mia.gov.mk"


@pytest.mark.parametrize(
    "value",
    [
        "example.org",
        "https://example.org/calendar",
        "ftp://example.org",
        "https://example.org?x=1",
        "https://user@example.org",
        "'self'",
        "* https://example.org",
        "https://exa mple.org",
        "https://example.org:99999",
        "https://bücher.example",
        "",
    ],
)
def test_a_bad_origin_stops_start_up_with_its_name(tmp_path: Path, value: str) -> None:
    environ = {"TRACKER_INSTANCE_PATH": str(tmp_path), "TRACKER_EMBED_ALLOWED_ORIGINS": value}
    with pytest.raises(ConfigError, match=r"^TRACKER_EMBED_ALLOWED_ORIGINS: "):
        create_app(None, environ=environ)


def test_a_list_of_origins_in_instance_config(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "config.py").write_text(
        'MAIL_FROM = "a@b.org"\nEMBED_ALLOWED_ORIGINS = ["https://a.example", "http://b.example:8080/"]\n'
    )
    environ = {"TRACKER_INSTANCE_PATH": str(tmp_path), "TRACKER_DATABASE_URL": database_url}
    app = create_app({"TESTING": True}, environ=environ)
    assert _frame_ancestors(app.test_client().get("/embed/month")) == "https://a.example http://b.example:8080"


def test_a_bad_origin_in_instance_config_names_the_setting(tmp_path: Path) -> None:
    (tmp_path / "config.py").write_text(
        'MAIL_FROM = "a@b.org"\nEMBED_ALLOWED_ORIGINS = ["https://example.org", "example.net"]\n'
    )
    with pytest.raises(ConfigError, match=r"^EMBED_ALLOWED_ORIGINS: .*example\.net"):
        create_app(None, environ={"TRACKER_INSTANCE_PATH": str(tmp_path)})


def _internal_event(session: Session) -> Any:
    return make_event(
        session, title=f"Visit {SECRET} of the minister", visibility="internal", start_date="2026-11-12",
        organisations=[(f"{SECRET} Directorate", "host")], tags=SECRET.lower(),
    )  # fmt: skip


def test_embeds_show_no_internal_event_even_to_a_logged_in_editor(
    app: Flask, client: FlaskClient, db_session: Session, editor: Any
) -> None:
    _internal_event(db_session)
    make_event(db_session, title="Public working meeting", start_date="2026-11-11")
    with time_machine.travel(NOW, tick=False):
        login(client, editor.email)
        assert SECRET in client.get("/calendar/2026/11").get_data(as_text=True), "the editor sees it elsewhere"
        for url in ("/embed/month?month=2026-11", "/embed/agenda", f"/embed/agenda?q={SECRET}"):
            text = client.get(url).get_data(as_text=True)
            assert "Public working meeting" in text or "q=" in url, url
            assert SECRET not in text.replace(f"q={SECRET}", "").replace(f"“{SECRET}”", ""), url
        # A tag only internal events carry finds nothing; an organisation only they name is unknown (400).
        tagged = client.get(f"/embed/agenda?tag={SECRET.lower()}").get_data(as_text=True)
        assert "Visit" not in tagged and "No upcoming events" in tagged
        assert client.get(f"/embed/month?org={SECRET}+Directorate").status_code == 400


def test_embeds_set_no_cookie(app: Flask, client: FlaskClient, editor: Any) -> None:
    # Anonymous: a chosen zone is remembered by the full pages, never by an embed.
    assert "Set-Cookie" in client.get("/?tz=Europe/Skopje").headers, "the full page remembers the zone"
    client.delete_cookie("tracker_tz")
    for url in ("/embed/agenda?tz=Asia/Tokyo", "/embed/month?tz=Asia/Tokyo", "/embed/month?kind=bad"):
        response = client.get(url)
        assert "Set-Cookie" not in response.headers, url
    # Logged in: the full pages refresh the session cookie; embeds leave it alone (and do not vary on it).
    login(client, editor.email)
    assert "Set-Cookie" in client.get("/").headers
    for url in ("/embed/agenda", "/embed/month", "/embed/month?month=1800-01"):
        response = client.get(url)
        assert "Set-Cookie" not in response.headers, url
        assert "Cookie" not in response.headers.get("Vary", ""), url


def test_the_remembered_zone_does_not_follow_into_a_frame(client: FlaskClient) -> None:
    client.set_cookie("tracker_tz", "Asia/Tokyo")
    assert "Asia/Tokyo" in client.get("/").get_data(as_text=True)
    assert "Asia/Tokyo" not in client.get("/embed/agenda").get_data(as_text=True)


def test_agenda_and_month_pages_offer_the_embed_code_and_the_csv(client: FlaskClient) -> None:
    for url in ("/?kind=conference", "/calendar/2022/11?kind=conference"):
        response, page = _page(client, url)
        text = response.get_data(as_text=True)
        assert "&lt;iframe src=&#34;http://tracker.test/embed/month?kind=conference&#34;" in text, url
        assert "&lt;iframe src=&#34;http://tracker.test/embed/agenda?kind=conference&#34;" in text, url
        hrefs = {link["href"] for link in page.links}
        assert {"/events.csv?kind=conference", "/events.csv?past=1&kind=conference"} <= hrefs, url
