"""FullCalendar 7 (from npm, ``node_modules``, never a CDN) in Debian's Chromium reads our ``/api/events``.

The page is another site's: a static HTML file served from a temporary folder on its own loopback port, so
the browser fetches the API across origins (our CORS header), exactly as a page embedding our calendar would.
It loads FullCalendar's global bundle with the classic theme and the Temporal polyfill, shows November 2022
as a month grid with the API as its JSON event source, and the Skopje conference must be drawn over the cells
of 15 and 16 November (read from the DOM by their ``data-date``), linking to our event page.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.browser.conftest import Seeded, screenshot
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.browser
NODE_MODULES = PROJECT_ROOT / "node_modules"
SKOPJE_TITLE = "Ministerial Conference on Sustainable Migration Management in the Western Balkans"
BUNDLES = {
    "temporal.js": NODE_MODULES / "temporal-polyfill" / "global.js",
    "fullcalendar.js": NODE_MODULES / "fullcalendar" / "all" / "global.js",
    "classic.js": NODE_MODULES / "fullcalendar" / "themes" / "classic" / "global.js",
    "skeleton.css": NODE_MODULES / "fullcalendar" / "skeleton.css",
    "theme.css": NODE_MODULES / "fullcalendar" / "themes" / "classic" / "theme.css",
    "palette.css": NODE_MODULES / "fullcalendar" / "themes" / "classic" / "palette.css",
}
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Partner site</title>
<link rel="stylesheet" href="skeleton.css"><link rel="stylesheet" href="theme.css">
<link rel="stylesheet" href="palette.css">
<script src="temporal.js"></script><script src="fullcalendar.js"></script><script src="classic.js"></script>
</head><body><div id="calendar"></div>
<script>
  window.fetchErrors = [];
  const calendar = new FullCalendar.Calendar(document.getElementById("calendar"), {
    initialView: "dayGridMonth",
    initialDate: "2022-11-01",
    timeZone: "Europe/Skopje",
    events: "API/api/events",
    eventSourceFailure: (error) => window.fetchErrors.push(String(error)),
  });
  calendar.render();
</script></body></html>
"""


@pytest.fixture
def partner_site(tmp_path: Path, live_server: str) -> Iterator[str]:
    """A static site on another port whose page shows our API through FullCalendar."""
    for name, source in BUNDLES.items():
        assert source.exists(), f"{source} is missing: run npm ci (make test does)"
        shutil.copyfile(source, tmp_path / name)
    (tmp_path / "index.html").write_text(PAGE.replace("API", live_server), encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="partner-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/index.html"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not drawn"
    return box


def test_fullcalendar_draws_the_skopje_conference_on_15_and_16_november(
    app: Flask, desktop: Any, partner_site: str, seeded: Seeded
) -> None:
    page = desktop
    api_calls: list[str] = []
    page.on("request", lambda request: api_calls.append(request.url) if "/api/events" in request.url else None)
    page.goto(partner_site)
    event = page.get_by_text(SKOPJE_TITLE, exact=True).first
    event.wait_for()
    assert page.evaluate("window.fetchErrors") == []
    # FullCalendar asked for the six weeks it shows, in the calendar's zone, with an exclusive end.
    [call] = api_calls
    assert "start=2022-10-" in call and "end=2022-12-" in call and "timeZone=Europe%2FSkopje" in call
    bar = event.bounding_box()
    assert bar is not None
    centre = bar["y"] + bar["height"] / 2
    covered = []
    for day in ("2022-11-14", "2022-11-15", "2022-11-16", "2022-11-17"):
        cell = _box(page, f'[data-date="{day}"]')
        inside_row = cell["y"] <= centre <= cell["y"] + cell["height"]
        cell_centre = cell["x"] + cell["width"] / 2
        if inside_row and bar["x"] <= cell_centre <= bar["x"] + bar["width"]:
            covered.append(day)
    assert covered == ["2022-11-15", "2022-11-16"]
    link = page.locator(f"a[href='{app.config['BASE_URL']}/events/{seeded.skopje}']")  # the app's own address
    assert link.count() >= 1 and SKOPJE_TITLE in link.first.inner_text()
    # The other conference of the month is there too (28–29 November), and nothing of 2026.
    assert page.get_by_text("Salzburg Forum Ministerial Conference", exact=True).count() >= 1
    assert page.get_by_text("Justice and Home Affairs").count() == 0
    screenshot(page, "fullcalendar-november-2022")
