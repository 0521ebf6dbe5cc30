"""An editor in Chromium cancels with a reason, deletes after the confirmation page, undoes the delete and reads
the history; axe-core finds no serious or critical violation on any of those pages, at 1280 and 375 px.
Screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlmodel import Session

from tests.browser.conftest import DESKTOP, PHONE, Seeded, new_page, screenshot
from tests.browser.test_accessibility import run_axe
from tests.conftest import TEST_PASSWORD, add_user

pytestmark = pytest.mark.browser


def serious(page: Any) -> list[str]:
    return [
        f"{violation['id']}: {violation['help']} {[node['target'] for node in violation['nodes'][:3]]}"
        for violation in run_axe(page)
        if violation["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_cancel_with_a_reason_delete_undo_and_history(
    live_server: str, browser: Any, seeded: Seeded, db_session: Session, size: dict[str, int]
) -> None:
    add_user(db_session)
    width = size["width"]
    page = new_page(browser, size)
    problems: dict[str, list[str]] = {}
    try:
        page.goto(f"{live_server}/login")
        page.get_by_label("E-mail address").fill("editor@example.org")
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server}/events/{seeded.skopje}")

        page.get_by_label("Status").select_option("cancelled")
        page.get_by_label("Reason for cancelling (optional)").fill("The minister is unavailable")
        page.get_by_role("button", name="Change status").click()
        assert page.get_by_text("This event has been cancelled: The minister is unavailable").is_visible()
        problems["event (editor)"] = serious(page)
        screenshot(page, f"undo-event-cancelled-{width}")

        page.get_by_role("link", name="Delete event…").click()
        assert re.search(r"/edit/events/\d+/delete$", page.url)
        assert page.get_by_text("show it as cancelled").is_visible()
        problems["delete confirmation"] = serious(page)
        screenshot(page, f"undo-delete-confirm-{width}")

        page.get_by_role("button", name="Delete event", exact=True).click()
        assert page.get_by_role("heading", name="This event was deleted").is_visible()
        problems["deleted (410)"] = serious(page)
        screenshot(page, f"undo-deleted-{width}")

        page.get_by_role("button", name="Undo: restore this event").click()
        assert page.get_by_text("Event restored.").is_visible()
        assert page.get_by_role("heading", name=re.compile("Sustainable Migration")).is_visible()

        page.get_by_role("link", name=re.compile(r"History \(revision 4\)")).click()
        for said in ("Restored", "Deleted", "Status: confirmed → cancelled (reason: The minister is unavailable)"):
            assert page.get_by_text(said, exact=True).first.is_visible(), said
        problems["history"] = serious(page)
        screenshot(page, f"undo-history-{width}")
    finally:
        page.context.close()
    assert {name: found for name, found in problems.items() if found} == {}
