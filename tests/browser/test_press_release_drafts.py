"""Issue 11's evidence in Chromium: the shared MIA release pasted on the demo directory gives two drafts with their
evidence highlighted; the conference, one field corrected, is saved through the event form, appears in the month
grid and in ``/calendar.ics`` (clean under the shared icscheck), and no organisation or person is created twice.

Runs the real extractor (``tracker.extraction.drafts``); skipped only while that module is not there yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlmodel import Session

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, new_page, serving
from tests.browser.test_event_form_browser import log_in, serious
from tests.browser.test_press_release_entry import (
    CONFERENCE,
    PRESS_RELEASE,
    counts,
    demo_app,  # noqa: F401 - a fixture used by name
    drop_demo_copies,
    linked,
)
from tests.feeds_support import ICSCHECK, icscheck
from tracker.models import Event

drafts_module = pytest.importorskip("tracker.extraction.drafts", reason="the extractor is not in this tree yet")
if not hasattr(drafts_module, "extract_json"):
    pytest.skip("tracker.extraction.drafts has no extract_json yet", allow_module_level=True)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("editor")]

CORRECTED = CONFERENCE + " (Skopje 2022)"


@pytest.fixture
def first_paste(demo_app: Flask, db_session: Session) -> Iterator[str]:  # noqa: F811 - the imported fixture
    drop_demo_copies(db_session)
    with serving(demo_app) as url:
        yield url


def paste(page: Any, base: str) -> None:
    page.goto(base + "/edit/press-release")
    page.fill("#text", PRESS_RELEASE.read_text(encoding="utf-8"))
    with page.expect_navigation():
        page.get_by_role("button", name="Find events").click()


def words(text: str) -> str:
    return " ".join(text.split())


def card_starting(page: Any, day: str) -> Any:
    """The one draft card whose start date is ``day``."""
    cards = page.locator("article.draft-card").filter(has=page.locator(f"input[name='start_date'][value='{day}']"))
    assert cards.count() == 1, page.locator("main").inner_text()[:2000]
    return cards


def test_pasting_the_release_and_saving_the_conference_puts_it_in_the_calendar_and_feed(
    first_paste: str, browser: Any, db_session: Session
) -> None:
    before = counts(db_session)
    page = new_page(browser, DESKTOP)
    try:
        log_in(page, first_paste)
        paste(page, first_paste)
        assert page.locator("article.draft-card").count() == 2
        visit, conference = card_starting(page, "2022-11-07"), card_starting(page, "2022-11-15")
        assert visit.locator("input[name='city']").input_value() == "Geneva"
        assert conference.locator("input[name='end_date']").input_value() == "2022-11-16"
        assert conference.locator("input[name='city']").input_value() == "Skopje"
        for draft in (visit, conference):
            links = draft.locator("a[href^='#evidence-']")
            assert links.count() >= 1, "every draft shows where it came from"
            target = links.first.get_attribute("href")
            mark = page.locator(f"mark{target}")
            assert mark.count() == 1 and words(mark.inner_text()) in words(links.first.inner_text())
        assert any("Skopje will host" in text for text in page.locator(".pasted-text mark").all_inner_texts())
        assert conference.locator(".match-new").count() == 0, "the organisers exist in the demo directory"
        assert serious(page) == []
        page.screenshot(path=str(SCREENSHOTS / "press-release-drafts-desktop.png"), full_page=True)
        conference.locator("input[name='title']").fill(CORRECTED)
        with page.expect_navigation():
            conference.get_by_role("button", name="Save this event").click()
        assert "/events/" in page.url, page.locator("main").inner_text()[:1500]
        assert page.locator("h1").inner_text() == CORRECTED
        page.goto(first_paste + "/calendar/2022/11")
        assert page.locator(".month-grid").get_by_text(CORRECTED).count() >= 1
        feed = page.request.get(first_paste + "/calendar.ics")
        assert feed.status == 200
        body = feed.body()
    finally:
        page.context.close()
    assert CORRECTED in body.decode("utf-8").replace("\r\n ", "")
    after = counts(db_session)
    assert after == {**before, "Event": before["Event"] + 1}, "one event, and no new organisation or person"
    assert linked(db_session, CORRECTED)[0] == {
        ("Ministry of Interior of the Republic of North Macedonia", "host"),
        ("Ministry of the Interior of the Czech Republic", "co_organiser"),
        ("International Organization for Migration", "supporter"),
    }
    if not ICSCHECK.exists():
        pytest.fail("the shared icscheck tool is missing (../shared/tools/icscheck)")
    [result] = icscheck(body)
    assert result.errors == 0, result.output


@pytest.fixture
def demo_server(demo_app: Flask) -> Iterator[str]:  # noqa: F811 - the imported fixture
    with serving(demo_app) as url:
        yield url


def test_on_a_phone_the_drafts_read_discard_hides_one_and_the_demo_copy_is_offered(
    demo_server: str, browser: Any, db_session: Session
) -> None:
    before = counts(db_session)
    existing = db_session.execute(
        select(Event.id).where(Event.uid == "demo-mia-2022-skopje-ministerial@conference-tracker")
    ).scalar_one()
    page = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        log_in(page, demo_server)
        page.goto(demo_server + "/edit/press-release")
        assert serious(page) == []
        paste(page, demo_server)
        conference = card_starting(page, "2022-11-15")
        notice = conference.locator(".draft-duplicate")
        assert "This looks like" in notice.inner_text()
        assert notice.locator(f"a[href='/events/{existing}']").count() == 1
        assert serious(page) == []
        page.screenshot(path=str(SCREENSHOTS / "press-release-drafts-phone.png"), full_page=True)
        link = conference.locator("a[href^='#evidence-']").first
        target = (link.get_attribute("href") or "")[1:]
        link.click()
        assert page.evaluate("document.activeElement.id") == target, "the sentence is focused"
        visit = card_starting(page, "2022-11-07")
        assert visit.locator(".date-words").first.inner_text() == "Monday 7 November 2022"
        visit.locator("input[name='start_date']").fill("2022-11-08")
        assert visit.locator(".date-words").first.inner_text() == "Tuesday 8 November 2022", "the words follow"
        visit.get_by_role("button", name="Discard").click()
        assert page.locator("article.draft-card").count() == 1
        with page.expect_navigation():
            conference.get_by_role("button", name="Update that event instead").click()
        assert page.locator("form.event-form input[name='revision']").count() == 1
        assert page.locator("#title").input_value() == CONFERENCE
        assert page.locator("#end_date").input_value() == "2022-11-16"
    finally:
        page.context.close()
    assert counts(db_session) == before, "reading, discarding and opening the merged form store nothing"
