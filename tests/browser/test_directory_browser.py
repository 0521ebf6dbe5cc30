"""The directory in a real browser: suggestions refresh as the editor types (``static/suggest.js``), and the
organisation, merge and delete pages have no serious axe-core violations at desktop and phone widths."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlmodel import Session

from tests.browser.conftest import AXE, DESKTOP, PHONE, Seeded, new_page, screenshot
from tests.browser.test_accessibility import run_axe
from tests.conftest import TEST_PASSWORD
from tracker.models import Organisation, User

pytestmark = pytest.mark.browser

CZECH = "Ministry of the Interior of the Czech Republic"


def log_in(page: Any, live_server: str, user: User) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def datalist_values(page: Any, datalist_id: str) -> list[str]:
    return page.eval_on_selector_all(f"#{datalist_id} option", "options => options.map(o => o.value)")


def test_typing_refreshes_the_organisation_suggestions(
    live_server: str, browser: Any, seeded: Seeded, editor: User
) -> None:
    page = new_page(browser, DESKTOP)
    try:
        log_in(page, live_server, editor)
        page.goto(f"{live_server}/edit/people")
        served = datalist_values(page, "organisation-names")
        assert CZECH in served and "IOM" in served and len(served) >= 5  # every organisation, without JavaScript
        page.get_by_label("Organisation").press_sequentially("ministry of interior of the czech rep", delay=10)
        expect(page.locator("#organisation-names option")).to_have_count(1, timeout=10_000)
        assert datalist_values(page, "organisation-names") == [CZECH]
        page.get_by_label("Organisation").fill("")
        page.get_by_label("Organisation").press_sequentially("i")  # one letter: the list the page was served with
        expect(page.locator("#organisation-names option")).to_have_count(len(served), timeout=10_000)
    finally:
        page.context.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_directory_pages_have_no_serious_accessibility_violations(
    live_server: str, browser: Any, seeded: Seeded, editor: User, db_session: Session, size: dict[str, int]
) -> None:
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run scripts/install-test-deps.sh (make test does)")
    db_session.add(Organisation(name="Ministry of Interior of the Czech Republic (duplicate)"))
    db_session.commit()
    ids = dict(db_session.execute(select(Organisation.name, Organisation.id)).all())
    loser, survivor = ids["Ministry of Interior of the Czech Republic (duplicate)"], ids[CZECH]
    page = new_page(browser, size)
    width = "desktop" if size == DESKTOP else "phone"
    problems: dict[str, list[str]] = {}
    try:
        log_in(page, live_server, editor)
        for name, path in (
            ("organisation", f"/edit/organisations/{loser}"),
            ("people", "/edit/people"),
            ("merge", f"/edit/organisations/{loser}/merge?into={survivor}"),
            ("delete", f"/edit/organisations/{loser}/delete"),
        ):
            page.goto(live_server + path)
            screenshot(page, f"directory-{name}-{width}")
            for violation in run_axe(page):
                if violation["impact"] in {"serious", "critical"}:
                    nodes = [node["target"] for node in violation["nodes"][:3]]
                    problems.setdefault(path, []).append(f"{violation['id']}: {violation['help']} {nodes}")
    finally:
        page.context.close()
    assert problems == {}
