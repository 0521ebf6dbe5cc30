"""A page on another site frames the calendar in Debian's Chromium: ``/embed/month`` shows in a narrow
``<iframe>`` (as a list, without sideways scrolling) and its event links open a new tab, while the full month
page in the same host page is refused by the browser; with the allowed origins narrowed to another site, the
embed is refused too. The host page is served by a second server on another port, so it is another origin."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.browser.conftest import DESKTOP, PHONE, Seeded, new_page, screenshot, serving
from tests.browser.test_accessibility import run_axe
from tests.conftest import SKOPJE_CONFERENCE

pytestmark = pytest.mark.browser
TITLE = SKOPJE_CONFERENCE["title"]


def _host_site(body: str) -> Iterator[str]:
    """Another site: one page, ``body``, at ``/`` on a port of its own."""

    def application(environ: dict[str, Any], start_response: Any) -> Any:
        Request(environ)
        return Response(body, mimetype="text/html")(environ, start_response)

    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="host-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def _host_page(tracker: str) -> str:
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>A partner's page</title></head><body>
<h1>Our partner's calendar</h1>
<iframe id="embed" name="embed" src="{tracker}/embed/month?month=2022-11" width="320" height="900"></iframe>
<iframe id="full" name="full" src="{tracker}/calendar/2022/11" width="320" height="300"></iframe>
</body></html>"""


def _frame(page: Any, name: str) -> Any:
    return next(frame for frame in page.frames if frame.name == name)


def test_another_site_frames_the_embed_but_not_the_full_page(live_server: str, browser: Any, seeded: Seeded) -> None:
    page = new_page(browser, DESKTOP)
    try:
        for host in _host_site(_host_page(live_server)):
            page.goto(host)
            embed = _frame(page, "embed")
            embed.wait_for_selector(".month-grid")
            assert TITLE in embed.inner_text("body")
            # 320 px wide: the grid reads as a list of days, and nothing scrolls sideways.
            assert embed.evaluate("getComputedStyle(document.querySelector('.month-grid thead')).display") == "none"
            assert embed.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
            # The full page refuses to be framed: its frame never shows the calendar.
            full = _frame(page, "full")
            assert TITLE not in (full.evaluate("document.body ? document.body.innerText : ''") or "")
            screenshot(page, "embed-month-in-partner-page")
            with page.context.expect_page() as opened:
                embed.click(f"a[href='/events/{seeded.skopje}']")
            event_page = opened.value
            event_page.wait_for_load_state()
            assert event_page.url == f"{live_server}/events/{seeded.skopje}"
            assert page.url == host, "the partner's page stays where it was"
    finally:
        page.context.close()


def test_an_embed_is_refused_where_the_origins_do_not_allow_it(app_factory: Any, browser: Any, seeded: Seeded) -> None:
    narrowed = app_factory(EMBED_ALLOWED_ORIGINS="https://partner.example.org")
    page = new_page(browser, DESKTOP)
    try:
        with serving(narrowed) as tracker:
            for host in _host_site(_host_page(tracker)):
                page.goto(host)
                page.wait_for_load_state("load")
                embed = _frame(page, "embed")
                assert TITLE not in (embed.evaluate("document.body ? document.body.innerText : ''") or "")
    finally:
        page.context.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_embeds_have_no_serious_accessibility_violations(
    live_server: str, browser: Any, seeded: Seeded, size: dict[str, int]
) -> None:
    page = new_page(browser, size)
    problems: dict[str, list[str]] = {}
    try:
        for path in ("/embed/month?month=2022-11", "/embed/month", "/embed/agenda", "/embed/agenda?kind=nonsense"):
            page.goto(live_server + path)
            for violation in run_axe(page):
                if violation["impact"] in {"serious", "critical"}:
                    nodes = [node["target"] for node in violation["nodes"][:3]]
                    problems.setdefault(path, []).append(f"{violation['id']}: {violation['help']} {nodes}")
    finally:
        page.context.close()
    assert problems == {}
