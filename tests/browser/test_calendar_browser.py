"""The calendar in a real browser (Debian's Chromium): months, filters, search, time zones, an event page,
at desktop (1280 px) and phone (375 px) widths; screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import Seeded, screenshot

pytestmark = pytest.mark.browser
SKOPJE_TITLE = "Ministerial Conference on Sustainable Migration Management in the Western Balkans"


def no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"page is {width}px wide in a {viewport}px viewport"


def cell(page: Any, iso_day: str) -> Any:
    """The month-grid cell of a day (located by its link to the week view)."""
    return page.locator("td.day").filter(has=page.locator(f"a.day-number[href$='#d{iso_day}']"))


def test_month_navigation_and_multi_day_bars_on_desktop(live_server: str, desktop: Any) -> None:
    page = desktop
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Month").click()
    page.wait_for_url(re.compile(r"/calendar/2026/11"))
    assert page.locator("h1").inner_text() == "November 2026"
    assert page.locator("td.today").count() == 1
    assert page.locator("td.today .day-short").inner_text() == "2"

    # The three-day forum is one bar starting on Wednesday 4th, three cells wide, and listed on each day.
    bar = cell(page, "2026-11-04").locator("li.ev.bar")
    assert "Justice and Home Affairs" in bar.inner_text()
    assert "span-3" in bar.get_attribute("class")
    bar_box, day_box = bar.bounding_box(), cell(page, "2026-11-04").bounding_box()
    assert bar_box["width"] > 2.5 * day_box["width"]
    for day in ("2026-11-05", "2026-11-06"):
        assert cell(page, day).locator("li.ev.cont").count() == 1
    # Status is visible: cancelled struck through, tentative and postponed flagged in words.
    cancelled = cell(page, "2026-11-12").locator("li.status-cancelled")
    assert "Cancelled" in cancelled.inner_text()
    assert cancelled.locator(".title").evaluate("e => getComputedStyle(e).textDecorationLine") == "line-through"
    assert "Tentative" in cell(page, "2026-11-17").locator("li.status-tentative").first.inner_text()
    assert "Postponed" in cell(page, "2026-11-20").inner_text()
    # The 30 Nov – 2 Dec hearing crosses into December: its bar continues in the next row.
    assert "to-after" in cell(page, "2026-11-30").locator("li.ev.bar").get_attribute("class")
    screenshot(page, "month-desktop")

    page.get_by_role("link", name=re.compile("December 2026")).click()
    assert page.locator("h1").inner_text() == "December 2026"
    assert "from-before" in cell(page, "2026-12-01").locator("li.ev").first.get_attribute("class")
    page.get_by_role("link", name="Today").click()
    assert page.locator("h1").inner_text() == "November 2026"
    page.get_by_role("link", name="Week", exact=True).click()
    assert page.locator("h1").inner_text() == "Week 45, 2\u2009–\u20098 Nov 2026"
    assert page.locator(".week-day").count() == 7
    screenshot(page, "week-desktop")
    page.get_by_role("link", name="Month", exact=True).click()
    page.get_by_role("link", name=re.compile("October 2026")).click()
    assert page.locator("h1").inner_text() == "October 2026"

    page.get_by_label("Go to month").fill("2022-11")
    page.get_by_role("button", name="Go").click()
    assert page.locator("h1").inner_text() == "November 2022"
    page.get_by_role("link", name=re.compile("Sustainable Migration")).first.click()
    assert page.locator("h1").inner_text() == SKOPJE_TITLE


def test_month_and_week_on_a_phone(live_server: str, phone: Any) -> None:
    page = phone
    page.goto(f"{live_server}/calendar/2026/11")
    no_horizontal_scroll(page)
    # On a phone the grid is a list of the days that have events, with their full dates.
    assert page.locator("thead").is_hidden()
    assert cell(page, "2026-11-07").is_hidden()  # no events that day
    forum_day = cell(page, "2026-11-05")
    assert forum_day.locator(".day-long").inner_text() == "Thursday, 5 November 2026"
    assert "Justice and Home Affairs" in forum_day.inner_text()
    screenshot(page, "month-phone")
    page.locator("a.day-number[href$='#d2026-11-03']").click()
    page.wait_for_url(re.compile(r"/calendar/2026/week/45"))
    no_horizontal_scroll(page)
    assert "10:00–12:30" in page.locator("#d2026-11-03").inner_text()
    screenshot(page, "week-phone")


def test_filters_apply_combine_and_clear(live_server: str, desktop: Any) -> None:
    page = desktop
    page.goto(f"{live_server}/")
    assert page.get_by_text("Border management talks").count() == 1
    page.get_by_text("Filters and time zone").click()
    page.get_by_label("Conference").check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"kind=conference"))
    titles = page.locator(".event-item h3").all_inner_texts()
    assert titles and all("Conference" in t or "Forum" in t or "seminar" in t for t in titles), titles
    assert page.get_by_text("Border management talks").count() == 0
    # A second filter narrows further; both show as removable chips; the URL can be shared.
    page.get_by_label("Country").select_option("MK")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"country=MK"))
    assert page.locator(".active-filters li").count() == 2
    assert "Strasbourg" not in page.locator("main").inner_text()
    shared = page.url
    page.goto(shared)
    assert page.locator(".active-filters li").count() == 2
    page.locator(".active-filters a", has_text="Conference").click()
    assert page.locator(".active-filters li").count() == 1
    assert page.get_by_text("Border management talks").count() == 0  # in RS, still filtered out by country
    page.get_by_role("link", name="Clear filters").click()
    assert page.locator(".active-filters").count() == 0
    assert page.get_by_text("Border management talks").count() == 1
    # The filter follows the viewer across views.
    page.get_by_text("Filters and time zone").click()
    page.get_by_label("Cancelled").check()
    page.get_by_role("button", name="Apply").click()
    page.get_by_role("link", name="Month").click()
    assert page.locator("li.ev").count() == 1
    assert "Frontex" in page.locator("li.ev").inner_text()


def test_an_unknown_filter_value_is_a_clear_400(live_server: str, desktop: Any) -> None:
    response = desktop.goto(f"{live_server}/calendar/2026/11?country=XX")
    assert response.status == 400
    assert "country" in desktop.locator(".error-message").inner_text()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_one_search_finds_the_skopje_conference(live_server: str, size: str, request: pytest.FixtureRequest) -> None:
    page = request.getfixturevalue(size)
    page.goto(f"{live_server}/")
    screenshot(page, f"agenda-{size}")
    if size == "phone":
        no_horizontal_scroll(page)
    page.get_by_label("Search events").fill("skopje conference")
    page.get_by_label("Search events").press("Enter")
    first = page.locator("ol.results > li").first
    assert SKOPJE_TITLE in first.locator("h2").inner_text()
    assert first.locator("mark").count() >= 2  # "Conference" and "Skopje" highlighted
    assert "Past" in first.inner_text()
    screenshot(page, f"search-{size}")
    first.locator("h2 a").click()
    assert page.locator("h1").inner_text() == SKOPJE_TITLE
    assert "15\u2009–\u200916 Nov 2022" in page.locator(".facts").inner_text()
    if size == "phone":
        no_horizontal_scroll(page)
    screenshot(page, f"event-{size}")


def test_cyrillic_search_finds_latin_and_cyrillic_text(live_server: str, desktop: Any) -> None:
    page = desktop
    page.goto(f"{live_server}/?q=Скопје")
    titles = page.locator("ol.results h2").all_inner_texts()
    assert "Средба со амбасадорите во Скопје" in titles
    assert "Border management talks Skopje–Belgrade" in titles


def test_three_clicks_from_the_home_page_to_the_skopje_conference(live_server: str, phone: Any) -> None:
    page = phone
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Past events").first.click()  # 1
    page.get_by_role("link", name="2022", exact=True).click()  # 2
    no_horizontal_scroll(page)
    screenshot(page, "past-phone")
    page.get_by_role("link", name=SKOPJE_TITLE).click()  # 3
    assert page.locator("h1").inner_text() == SKOPJE_TITLE


def test_switching_the_time_zone_moves_timed_events_but_not_all_day_ones(
    live_server: str, desktop: Any, seeded: Seeded
) -> None:
    page = desktop
    page.goto(f"{live_server}/calendar/2026/11")
    assert "Late call" in cell(page, "2026-11-10").inner_text()
    assert "23:00" in cell(page, "2026-11-10").inner_text()
    page.get_by_text("Filters and time zone").click()
    page.get_by_label("Show times in").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"tz=Asia%2FTokyo"))
    # 23:00 in Skopje is 07:00 the next morning in Tokyo; the all-day forum stays on 4–6 November.
    assert "Late call" not in cell(page, "2026-11-10").inner_text()
    assert "07:00" in cell(page, "2026-11-11").inner_text()
    assert "Justice and Home Affairs" in cell(page, "2026-11-04").inner_text()
    assert "Asia/Tokyo" in page.locator(".zone-note").inner_text()
    # Remembered: a plain link elsewhere still shows Tokyo times.
    page.goto(f"{live_server}/events/{seeded.late_evening}")
    assert "Your time" in page.locator(".facts").inner_text()
    assert "07:00" in page.locator(".viewer-time").inner_text()
    page.goto(f"{live_server}/calendar/2026/11")
    assert "07:00" in cell(page, "2026-11-11").inner_text()
    # And forgotten again on request.
    page.get_by_label("Show times in").select_option("")
    page.get_by_role("button", name="Apply").click()
    assert "23:00" in cell(page, "2026-11-10").inner_text()


def test_use_my_time_zone_offers_the_browsers_zone(live_server: str, browser: Any) -> None:
    from tests.browser.conftest import DESKTOP, new_page

    page = new_page(browser, DESKTOP, timezone_id="America/New_York")
    try:
        page.goto(f"{live_server}/calendar/2026/11")
        page.get_by_text("Filters and time zone").click()
        button = page.get_by_role("button", name="Use my time zone (America/New_York)")
        button.click()
        page.wait_for_url(re.compile(r"tz=America%2FNew_York"))
        assert "17:00" in cell(page, "2026-11-10").inner_text()  # 23:00 CET is 17:00 EST
    finally:
        page.context.close()


def test_pages_work_without_javascript(live_server: str, browser: Any) -> None:
    from tests.browser.conftest import PHONE, new_page

    page = new_page(browser, PHONE, java_script_enabled=False)
    try:
        page.goto(f"{live_server}/")
        page.get_by_label("Search events").fill("Ohrid")
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_url(re.compile(r"q=Ohrid"))  # the form's GET has navigated (no script waits for us)
        assert page.locator("ol.results > li").count() == 2
        page.get_by_role("link", name="Month").click()
        page.wait_for_url(re.compile(r"/calendar/2026/11"))
        assert page.locator("h1").inner_text().startswith("November 2026")
    finally:
        page.context.close()


def test_keyboard_reaches_and_opens_an_event(live_server: str, desktop: Any) -> None:
    page = desktop
    page.goto(f"{live_server}/calendar/2026/11")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    for _ in range(200):
        page.keyboard.press("Tab")
        text = page.evaluate("document.activeElement.textContent || ''")
        if "Border management talks" in text:
            break
    else:
        pytest.fail("the first event of the month was never focused")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/events/\d+"))
    assert "Border management talks" in page.locator("h1").inner_text()


def test_agenda_prints_without_navigation(live_server: str, desktop: Any) -> None:
    page = desktop
    page.goto(f"{live_server}/")
    page.emulate_media(media="print")
    assert page.locator("form.filters").is_hidden()
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".agenda-day").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
