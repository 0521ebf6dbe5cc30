"""axe-core (from the npm registry, loaded from node_modules, never a CDN) finds no serious or critical
violations on the main pages, at desktop and phone widths."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import AXE, DESKTOP, PHONE, Seeded, new_page

pytestmark = pytest.mark.browser


def run_axe(page: Any) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}}))"
    )
    return json.loads(result)["violations"]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_main_pages_have_no_serious_accessibility_violations(
    live_server: str, browser: Any, seeded: Seeded, size: dict[str, int]
) -> None:
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run scripts/install-test-deps.sh (make test does)")
    page = new_page(browser, size)
    problems: dict[str, list[str]] = {}
    try:
        for path in (
            "/",
            "/?q=skopje",
            "/calendar/2026/11",
            "/calendar/2026/11?tz=Asia/Tokyo&kind=conference",
            "/calendar/2026/week/45",
            "/past",
            f"/events/{seeded.skopje}",
            f"/events/{seeded.late_evening}",
        ):
            page.goto(live_server + path)
            for violation in run_axe(page):
                if violation["impact"] in {"serious", "critical"}:
                    nodes = [node["target"] for node in violation["nodes"][:3]]
                    problems.setdefault(path, []).append(f"{violation['id']}: {violation['help']} {nodes}")
    finally:
        page.context.close()
    assert problems == {}
