"""The public directory and the month grid in a real browser (Debian's Chromium): long titles in the month grid
are readable whole on touch screens (phone at 375 px and a tablet at 820 px), printing a month leaves no
reminder or subscribe block behind, and the directory pages pass axe-core. Screenshots in
test-artifacts/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.browser.conftest import AXE, DESKTOP, PHONE, Seeded, new_page, screenshot
from tests.browser.test_accessibility import run_axe
from tests.conftest import make_event
from tracker.models import Organisation

pytestmark = pytest.mark.browser
TABLET = {"width": 820, "height": 1180}
LONG_TITLE = "Joint ministerial meeting of the Western Balkans interior ministers on readmission and return"

#: Every single-day title link of the grid whose text is cut (wider or taller than its box shows).
CUT_TITLES = """() => [...document.querySelectorAll('.month-grid li.ev:not(.multi) a')]
    .filter(a => a.scrollWidth > a.clientWidth + 1 || a.scrollHeight > a.clientHeight + 1)
    .map(a => a.textContent.trim())"""


@pytest.fixture
def long_title(db_session: Session, seeded: Seeded) -> None:
    make_event(db_session, title=LONG_TITLE, start_date="2026-11-19", start_time="09:00", end_time="13:00")


@pytest.mark.usefixtures("long_title")
@pytest.mark.parametrize("size", [PHONE, TABLET], ids=["phone-375", "tablet-820"])
def test_month_grid_titles_are_readable_whole_on_touch_screens(
    live_server: str, browser: Any, size: dict[str, int]
) -> None:
    page = new_page(browser, size, is_mobile=True, has_touch=True)
    try:
        page.goto(f"{live_server}/calendar/2026/11")
        item = page.locator("li.ev", has_text="Joint ministerial meeting")
        assert item.count() == 1
        assert item.inner_text().endswith("on readmission and return")
        assert page.evaluate(CUT_TITLES) == []
        box, cell = item.bounding_box(), page.locator("td.day", has=item).bounding_box()
        assert box["x"] >= cell["x"] - 1 and box["x"] + box["width"] <= cell["x"] + cell["width"] + 1
        screenshot(page, f"month-long-title-{size['width']}")
    finally:
        page.context.close()


def test_a_multi_day_bar_opens_to_its_full_title_on_focus(live_server: str, browser: Any) -> None:
    page = new_page(browser, TABLET, is_mobile=True, has_touch=True)
    try:
        page.goto(f"{live_server}/calendar/2026/11")
        bar = page.locator("li.ev.bar a", has_text="Justice and Home Affairs")
        bar.focus()
        assert bar.evaluate("a => a.scrollWidth <= a.clientWidth + 1 && a.scrollHeight <= a.clientHeight + 1")
    finally:
        page.context.close()


@pytest.mark.parametrize("path", ["/calendar/2026/11", "/", "/past"])
def test_printing_leaves_no_reminder_or_subscribe_block(live_server: str, desktop: Any, path: str) -> None:
    page = desktop
    page.goto(live_server + path)
    assert page.locator("#remind-heading").is_visible()
    page.emulate_media(media="print")
    for selector in ("#remind-heading", ".remind", ".subscribe", "form"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("h1").is_visible()


def test_printing_an_event_page_leaves_no_reminder_block(live_server: str, desktop: Any, seeded: Seeded) -> None:
    page = desktop
    page.goto(f"{live_server}/events/{seeded.summit}")
    page.emulate_media(media="print")
    assert not page.get_by_text("E-mail reminders").is_visible()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_directory_pages_have_no_serious_accessibility_violations(
    live_server: str, browser: Any, db_session: Session, size: dict[str, int]
) -> None:
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run scripts/install-test-deps.sh (make test does)")
    slug = db_session.execute(select(Organisation.slug).where(Organisation.name == "IOM")).scalar_one()
    page = new_page(browser, size)
    problems: dict[str, list[str]] = {}
    try:
        for name, path in (("organisations", "/organisations"), ("organisation-page", f"/organisations/{slug}")):
            page.goto(live_server + path)
            assert page.locator("h1").is_visible()
            for violation in run_axe(page):
                if violation["impact"] in {"serious", "critical"}:
                    nodes = [node["target"] for node in violation["nodes"][:3]]
                    problems.setdefault(path, []).append(f"{violation['id']}: {violation['help']} {nodes}")
            screenshot(page, f"{name}-{size['width']}")
    finally:
        page.context.close()
    assert problems == {}
