"""The event form in Chromium: the zone proposed while typing the place, dates in words, rows added in the page,
the end following a moved start, and no serious accessibility violation on the form and its questions."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import AXE, DESKTOP, PHONE, SCREENSHOTS, Seeded, new_page
from tests.browser.test_accessibility import run_axe
from tests.conftest import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("editor")]


def log_in(page: Any, live_server: str) -> None:
    page.goto(live_server + "/login")
    page.fill("#email", "editor@example.org")
    page.fill("#password", TEST_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(live_server + "/")


def serious(page: Any) -> list[str]:
    return [
        f"{violation['id']}: {[node['target'] for node in violation['nodes'][:3]]}"
        for violation in run_axe(page)
        if violation["impact"] in {"serious", "critical"}
    ]


def test_typing_the_place_proposes_the_zone_and_dates_read_in_words(live_server: str, browser: Any) -> None:
    page = new_page(browser, DESKTOP)
    try:
        log_in(page, live_server)
        page.goto(live_server + "/edit/events/new")
        page.fill("#city", "Skopje")
        page.select_option("#country", "MK")
        assert page.input_value("#timezone") == "Europe/Skopje"
        page.fill("#city", "Geneva")
        page.select_option("#country", "CH")
        assert page.input_value("#timezone") == "Europe/Zurich", "a proposal is replaced by the next one"
        page.fill("#timezone", "Europe/Vienna")
        page.fill("#city", "Tirana")
        page.select_option("#country", "AL")
        assert page.input_value("#timezone") == "Europe/Vienna", "a zone the editor chose stays"
        page.fill("#start_date", "2022-11-15")
        assert page.text_content("#start_date-words") == "Tuesday 15 November 2022"
        rows = page.locator("input[name='org_name[]']").count()
        page.click("button.add-rows")
        assert page.locator("input[name='org_name[]']").count() == rows + 1
        assert page.url.endswith("/edit/events/new"), "no round trip"
        page.fill("#title", "x" * 305)
        assert "5 more than the 300 allowed" in page.text_content("#title-count")
    finally:
        page.context.close()


def test_changing_the_start_moves_the_end_in_the_page(live_server: str, browser: Any, seeded: Seeded) -> None:
    page = new_page(browser, DESKTOP)
    try:
        log_in(page, live_server)
        page.goto(f"{live_server}/edit/events/{seeded.late_evening}")
        assert (page.input_value("#start_time"), page.input_value("#end_time")) == ("23:00", "23:45")
        page.fill("#start_time", "23:30")
        page.dispatch_event("#start_time", "change")
        assert (page.input_value("#end_date"), page.input_value("#end_time")) == ("2026-11-11", "00:15")
        assert page.text_content("#end_date-words") == "Wednesday 11 November 2026"
    finally:
        page.context.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_form_and_its_questions_have_no_serious_accessibility_violations(
    live_server: str, browser: Any, seeded: Seeded, size: dict[str, int]
) -> None:
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run scripts/install-test-deps.sh (make test does)")
    page = new_page(browser, size)
    name = "desktop" if size == DESKTOP else "phone"
    try:
        log_in(page, live_server)
        page.goto(f"{live_server}/edit/events/new?copy={seeded.skopje}")
        problems = {"form": serious(page)}
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"event-form-{name}.png"), full_page=True)
        page.click("p.actions button[name=save]")
        assert page.locator(".save-warnings").count() == 1, "re-entering the Skopje conference asks first"
        problems["questions"] = serious(page)
        page.screenshot(path=str(SCREENSHOTS / f"event-form-questions-{name}.png"), full_page=True)
    finally:
        page.context.close()
    assert problems == {"form": [], "questions": []}
