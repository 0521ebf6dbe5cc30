"""Which language a page is in, and how a reader changes it: ``?lang=``, then the switcher's cookie, then the
browser's ``Accept-Language``, then ``TRACKER_DEFAULT_LANGUAGE``.

The oracles are read from the answers with parsers of their own (``html.parser`` for the page's ``<html lang>``,
alternates and switcher, ``http.cookies`` for ``Set-Cookie``, ``urllib.parse`` for links), never from the code
that chooses; the Macedonian words are the translator's, written out here.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session
from werkzeug.test import TestResponse

from tests.conftest import NOW, make_event
from tracker import create_app
from tracker.config import ConfigError
from tracker.filters import KIND_PLURALS, EventFilter
from tracker.models import EventKind, Organisation

BASE = "http://tracker.test"  # the test apps' BASE_URL (tests/conftest.py)
MONTH = "/calendar/2026/11"


class PageLanguage(HTMLParser):
    """``<html lang>``, the ``hreflang`` alternates and the switcher's links of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.alternates: dict[str, str] = {}
        self.switcher: list[dict[str, Any]] = []
        self._in_switcher = False
        self._link: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "link" and values.get("rel") == "alternate" and values.get("hreflang"):
            self.alternates[values["hreflang"] or ""] = values.get("href") or ""
        elif tag == "nav" and "language-switch" in (values.get("class") or "").split():
            self._in_switcher = True
        elif tag == "a" and self._in_switcher:
            self._link = {**values, "text": ""}

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.switcher.append(self._link)
            self._link = None
        elif tag == "nav":
            self._in_switcher = False


def read(response: TestResponse) -> PageLanguage:
    parser = PageLanguage()
    parser.feed(response.get_data(as_text=True))
    parser.close()
    return parser


def lang_of(client: FlaskClient, url: str, **headers: str) -> str | None:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return read(response).lang


def set_cookies(response: TestResponse) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.getlist("Set-Cookie"):
        jar.load(header)
    return jar


def test_the_query_beats_the_cookie_which_beats_the_browser_which_beats_the_default(app_factory: Any) -> None:
    client = app_factory(DEFAULT_LANGUAGE="sq").test_client()
    assert lang_of(client, "/") == "sq"  # nothing asked: the configured default
    assert lang_of(client, "/", **{"Accept-Language": "mk, en;q=0.5"}) == "mk"
    assert lang_of(client, "/", **{"Accept-Language": "de-AT, fr;q=0.8"}) == "sq"  # none offered: the default
    client.set_cookie("lang", "en")
    assert lang_of(client, "/", **{"Accept-Language": "mk"}) == "en"  # the switcher's choice beats the browser's
    assert lang_of(client, "/?lang=mk", **{"Accept-Language": "sq"}) == "mk"  # and ?lang= beats both


def test_a_language_not_offered_is_a_400_that_says_so_in_the_default_language(client: FlaskClient) -> None:
    for raw in ("de", "xx", "mk-MK-extra"):
        response = client.get(f"/?lang={raw}", headers={"Accept-Language": "mk"})
        body = response.get_data(as_text=True)
        assert response.status_code == 400, raw
        assert f"The language “{raw}” is not offered: choose one of en, mk, sq." in body
        assert read(response).lang == "en" and "lang" not in set_cookies(response)
        # the switcher reloads the same address in the language chosen, without repeating the address
        assert [link["href"] for link in read(response).switcher] == ["?lang=en", "?lang=mk", "?lang=sq"]
        assert read(response).alternates == {}
    assert client.get("/?lang=").status_code == 400
    assert client.get(f"{MONTH}?lang=MK").status_code == 200  # any case is the same language


def test_the_switcher_choice_is_remembered_in_a_cookie_for_a_year(client: FlaskClient) -> None:
    first = client.get("/?lang=mk")
    cookie = set_cookies(first)["lang"]
    assert cookie.value == "mk" and int(cookie["max-age"]) == 365 * 24 * 3600
    assert cookie["httponly"] and cookie["samesite"].lower() == "lax"
    assert read(first).lang == "mk" and first.headers["Content-Language"] == "mk"
    assert lang_of(client, MONTH) == "mk"  # no ?lang= now: the cookie
    assert lang_of(client, "/past", **{"Accept-Language": "sq"}) == "mk"
    again = client.get("/?lang=mk")
    assert "lang" not in set_cookies(again), "the same choice again rewrites no cookie"
    assert lang_of(client, "/?lang=sq") == "sq" and lang_of(client, "/") == "sq"


def test_every_page_names_its_language_and_its_alternates_with_absolute_addresses(client: FlaskClient) -> None:
    response = client.get(f"{MONTH}?kind=conference&lang=sq")
    page = read(response)
    assert page.lang == "sq"
    assert set(page.alternates) == {"en", "mk", "sq", "x-default"}
    for hreflang, href in page.alternates.items():
        parts = urlsplit(href)
        assert f"{parts.scheme}://{parts.netloc}" == BASE and parts.path == MONTH, href
        wanted = "en" if hreflang == "x-default" else hreflang  # the default language stands for "any other"
        assert parse_qs(parts.query) == {"kind": ["conference"], "lang": [wanted]}, href


def test_the_switcher_names_each_language_in_itself_and_keeps_the_filters(client: FlaskClient) -> None:
    url = f"{MONTH}?kind=conference&kind=meeting&tz=Asia/Tokyo&lang=mk"
    links = read(client.get(url)).switcher
    assert [(link["lang"], link["hreflang"], link["text"]) for link in links] == [
        ("en", "en", "English"),
        ("mk", "mk", "Македонски"),
        ("sq", "sq", "Shqip"),
    ]
    assert [link.get("aria-current") for link in links] == [None, "true", None]
    for link in links:
        parts = urlsplit(link["href"])
        assert parts.path == MONTH and not parts.netloc  # relative: no JavaScript, no other host
        query = parse_qs(parts.query)
        assert query == {"kind": ["conference", "meeting"], "tz": ["Asia/Tokyo"], "lang": [link["lang"]]}


def test_pages_say_what_their_language_depends_on(client: FlaskClient) -> None:
    for url in ("/", MONTH, "/calendar/2026/week/46", "/past", "/organisations", "/login"):
        response = client.get(url, headers={"Accept-Language": "sq"})
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == "sq", url
        assert {"accept-language", "cookie"} <= {item.lower() for item in response.vary}, url


def test_the_public_feed_ignores_the_cookie_and_the_browser(client: FlaskClient, db_session: Session) -> None:
    make_event(db_session, title="Working meeting in Skopje")
    with time_machine.travel(NOW, tick=False):
        plain = client.get("/calendar.ics")
        client.set_cookie("lang", "mk")
        asked = client.get("/calendar.ics", headers={"Accept-Language": "mk, sq;q=0.9"})
    assert plain.status_code == asked.status_code == 200
    assert asked.get_data() == plain.get_data() and asked.headers["ETag"] == plain.headers["ETag"]
    assert asked.headers["Content-Language"] == "en"
    assert "accept-language" not in {item.lower() for item in asked.vary}
    assert "lang" not in set_cookies(asked)


def test_an_embed_follows_its_address_and_its_visitors_browser_but_no_cookie(client: FlaskClient) -> None:
    client.set_cookie("lang", "mk")  # this site's cookie is not the framing site's visitor's choice
    assert lang_of(client, "/embed/month?month=2026-11") == "en"
    assert lang_of(client, "/embed/agenda", **{"Accept-Language": "sq"}) == "sq"
    chosen = client.get("/embed/month?month=2026-11&lang=sq", headers={"Accept-Language": "mk"})
    assert read(chosen).lang == "sq" and chosen.headers["Content-Language"] == "sq"
    assert "Set-Cookie" not in chosen.headers
    assert {item.lower() for item in chosen.vary} == {"accept-language"}
    # the embedding site's choice stays on the frame's own links (months around, the full calendar)
    links = re.findall(r'href="([^"]*(?:/embed/month|/calendar/2026/11)[^"]*)"', chosen.get_data(as_text=True))
    assert len(links) >= 4 and all(parse_qs(urlsplit(unescape(link)).query)["lang"] == ["sq"] for link in links)
    browser_chosen = client.get("/embed/month?month=2026-11", headers={"Accept-Language": "sq"})
    own_links = re.findall(r'href="([^"]*/embed/month[^"]*)"', browser_chosen.get_data(as_text=True))
    assert own_links and not any("lang=" in link for link in own_links)


def test_the_json_api_answers_in_english_whatever_the_language_asked(client: FlaskClient) -> None:
    response = client.get("/api/events?kind=party&lang=mk", headers={"Accept-Language": "mk"})
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert message.startswith("The filter “kind” is not valid: unknown value 'party'; use one of conference")


def test_the_month_in_macedonian_has_the_catalogues_navigation(client: FlaskClient) -> None:
    body = client.get(MONTH, headers={"Accept-Language": "mk"}).get_data(as_text=True)
    # the translator's words for "Upcoming", "Calendar", "Past events", "Skip to content"
    for word in ("Претстојни", "Календар", "Минати настани", "Прескокни до содржината"):
        assert word in body, word
    assert ">Upcoming<" not in body and "Skip to content" not in body


def test_a_default_language_not_offered_is_a_clear_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        create_app(environ={"TRACKER_INSTANCE_PATH": str(tmp_path), "TRACKER_DEFAULT_LANGUAGE": "de"})
    text = str(caught.value)
    assert text.startswith("TRACKER_DEFAULT_LANGUAGE: ") and "“de”" in text and "en, mk, sq" in text
    app = create_app(environ={"TRACKER_INSTANCE_PATH": str(tmp_path), "TRACKER_DEFAULT_LANGUAGE": " MK "})
    assert app.config["DEFAULT_LANGUAGE"] == "mk"


def test_the_default_language_applies_to_feeds_and_pages_alike(app_factory: Any) -> None:
    app: Flask = app_factory(DEFAULT_LANGUAGE="mk")
    client = app.test_client()
    assert client.get("/calendar.ics").headers["Content-Language"] == "mk"
    assert lang_of(client, "/organisations") == "mk"


def test_a_filter_is_described_by_a_name_in_the_catalogue_for_every_kind_and_status() -> None:
    """``describe`` names kinds and statuses from its own lists (no English "+s" plural): one entry for each."""
    assert set(KIND_PLURALS) == {kind.value for kind in EventKind}
    described = EventFilter(kinds=("conference", "official_visit"), statuses=("cancelled",)).describe()
    assert described == "Conferences, Official visits · Cancelled"


def test_the_switcher_writes_the_filter_as_the_page_reads_it_and_adds_none(
    client: FlaskClient, db_session: Session
) -> None:
    """A typed ``tz=europe/skopje`` is linked in tzdata's spelling, as every other link of the page writes it; a
    page whose filter did not come from its address (an organisation's page) gets no filter parameter."""
    links = read(client.get(f"{MONTH}?tz=europe/skopje&page=1")).switcher
    assert [parse_qs(urlsplit(link["href"]).query) for link in links] == [
        {"tz": ["Europe/Skopje"], "page": ["1"], "lang": [code]} for code in ("en", "mk", "sq")
    ]
    db_session.add(Organisation(name="International Organization for Migration", acronym="IOM"))
    db_session.commit()
    make_event(db_session, title="Meeting of the ministry", organisations=[("IOM", "host")])
    directory = client.get("/organisations").get_data(as_text=True)
    slug = re.search(r'href="/organisations/([^"?]+)"', directory)
    assert slug, directory[-500:]
    page = read(client.get(f"/organisations/{slug.group(1)}"))
    assert [urlsplit(link["href"]).query for link in page.switcher] == ["lang=en", "lang=mk", "lang=sq"]


@pytest.mark.parametrize("path", [MONTH, "/organisations"])
def test_the_switcher_keeps_every_value_of_a_repeated_parameter(client: FlaskClient, path: str) -> None:
    """Parameters the page's filter does not read (or a page with no filter) are linked again as they came."""
    links = read(client.get(f"{path}?ref=a&ref=b&lang=sq")).switcher
    assert [parse_qs(urlsplit(link["href"]).query) for link in links] == [
        {"ref": ["a", "b"], "lang": [code]} for code in ("en", "mk", "sq")
    ]
