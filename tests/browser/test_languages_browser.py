"""The month, event, subscribe and editor pages in Macedonian and Albanian, in Chromium at 1280 and 375 px.

Each page is reached the way a reader reaches it (the switcher's link, then ordinary navigation with the
remembered cookie), must say its language in ``<html lang>``, show the seeded Macedonian or Albanian text, not
scroll sideways (nothing overflows the viewport), and pass axe-core with no serious or critical violation.
Screenshots land in test-artifacts/screenshots/ (``lang-<page>-<language>-<width>.png``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import Session

from tests.browser.conftest import AXE, DESKTOP, PHONE, Seeded, new_page, screenshot
from tests.browser.test_accessibility import run_axe
from tests.conftest import TEST_PASSWORD, add_user
from tracker.models import Event

pytestmark = pytest.mark.browser

#: The Skopje conference's title in each language, as an editor would enter it (the test's own data).
TITLES = {
    "mk": "Министерска конференција за одржливо управување со миграциите на Западен Балкан",
    "sq": "Konferenca Ministrore për Menaxhimin e Qëndrueshëm të Migracionit në Ballkanin Perëndimor",
}
#: November's name in each language, as CLDR writes it in a month heading (the issue's own words).
NOVEMBER = {"mk": "ноември", "sq": "nëntor"}
SIZES = [DESKTOP, PHONE]


def translate_skopje(session: Session, seeded: Seeded) -> None:
    event = session.get(Event, seeded.skopje)
    assert event is not None
    event.translations = json.dumps(
        {language: {"title": title, "description": ""} for language, title in TITLES.items()}
    )
    session.add(event)
    session.commit()


def check_page(page: Any, language: str, name: str, width: int, problems: dict[str, list[str]]) -> None:
    """Language, overflow and axe-core on the page as it stands; then its screenshot."""
    key = f"{name}-{language}-{width}"
    if page.evaluate("document.documentElement.lang") != language:
        problems.setdefault(key, []).append("html lang is " + page.evaluate("document.documentElement.lang"))
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        problems.setdefault(key, []).append(f"the page scrolls sideways by {overflow} px")
    for violation in run_axe(page):
        if violation["impact"] in {"serious", "critical"}:
            targets = [node["target"] for node in violation["nodes"][:3]]
            problems.setdefault(key, []).append(f"{violation['id']}: {violation['help']} {targets}")
    screenshot(page, f"lang-{key}")


@pytest.mark.parametrize("language", ["mk", "sq"])
def test_pages_in_each_language_render_without_overflow_or_accessibility_problems(
    live_server: str, browser: Any, seeded: Seeded, db_session: Session, language: str
) -> None:
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run scripts/install-test-deps.sh (make test does)")
    translate_skopje(db_session, seeded)
    add_user(db_session)
    problems: dict[str, list[str]] = {}
    for size in SIZES:
        page = new_page(browser, size)
        try:
            page.goto(live_server + "/calendar/2022/11")
            page.click(f"a[hreflang='{language}']")  # the switcher; the cookie remembers the choice
            heading = page.inner_text("h1")
            assert NOVEMBER[language] in heading.lower(), heading
            check_page(page, language, "month", size["width"], problems)

            page.click("details.subscribe summary")
            check_page(page, language, "subscribe", size["width"], problems)

            page.goto(f"{live_server}/events/{seeded.skopje}")
            assert TITLES[language] in page.inner_text("h1")
            check_page(page, language, "event", size["width"], problems)

            page.goto(live_server + "/login")
            page.fill("#email", "editor@example.org")
            page.fill("#password", TEST_PASSWORD)
            page.click("main button[type=submit]")
            page.goto(f"{live_server}/edit/events/{seeded.skopje}")
            check_page(page, language, "editor", size["width"], problems)
        finally:
            page.context.close()
    assert problems == {}
