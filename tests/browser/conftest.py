"""A live server (the real app in a thread, on the test database) and Debian's Chromium through Playwright.

Time is frozen-but-ticking at ``NOW`` (2 November 2026) with time-machine, for the server thread too, so
"today" and "upcoming" are the same on every run. Browsers are never downloaded: ``/usr/bin/chromium``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlmodel import Session
from werkzeug.serving import make_server

from tests.conftest import NOW, PROJECT_ROOT, SKOPJE_CONFERENCE, make_event

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

pytestmark = pytest.mark.browser


@dataclass
class Seeded:
    skopje: int
    late_evening: int
    summit: int


def seed(session: Session) -> Seeded:
    """A small, realistic calendar around NOW, plus the Skopje conference of November 2022."""
    skopje = make_event(session, **SKOPJE_CONFERENCE)
    make_event(
        session,
        title="Salzburg Forum Ministerial Conference",
        kind="conference",
        all_day="on",
        start_date="2022-11-28",
        end_date="2022-11-29",
        timezone="Europe/Vienna",
        city="Vienna",
        country="AT",
        organisations=[("BMI", "host")],
    )
    summit = make_event(
        session,
        title="EU–Western Balkans Ministerial Forum on Justice and Home Affairs",
        kind="conference",
        all_day="on",
        start_date="2026-11-04",
        end_date="2026-11-06",
        timezone="Europe/Skopje",
        city="Ohrid",
        country="MK",
        organisations=[("European Commission", "co_organiser"), ("IOM", "supporter")],
    )
    make_event(
        session,
        title="Border management talks Skopje–Belgrade",
        kind="meeting",
        start_date="2026-11-03",
        start_time="10:00",
        end_time="12:30",
        city="Belgrade",
        country="RS",
        timezone="Europe/Belgrade",
    )
    late = make_event(
        session,
        title="Late call with the Tokyo liaison office",
        kind="meeting",
        start_date="2026-11-10",
        start_time="23:00",
        end_time="23:45",
        city="Skopje",
        country="MK",
    )
    make_event(
        session,
        title="Frontex briefing on the Western Balkans route",
        kind="meeting",
        status="cancelled",
        start_date="2026-11-12",
        start_time="09:00",
        end_time="10:00",
        city="Warsaw",
        country="PL",
        timezone="Europe/Warsaw",
    )
    make_event(
        session,
        title="OSCE regional seminar on trafficking in human beings",
        kind="conference",
        status="tentative",
        all_day="on",
        start_date="2026-11-17",
        end_date="2026-11-18",
        city="Ohrid",
    )
    make_event(
        session,
        title="Official visit of the Czech Interior Minister to Skopje",
        kind="official_visit",
        status="postponed",
        start_date="2026-11-20",
        start_time="11:00",
        end_time="15:00",
        city="Skopje",
    )
    make_event(
        session,
        title="Средба со амбасадорите во Скопје",
        kind="meeting",
        start_date="2026-11-24",
        start_time="13:00",
        end_time="14:00",
        city="Скопје",
        country="MK",
    )
    make_event(
        session,
        title="Council of Europe committee on migration: hearing",
        kind="meeting",
        all_day="on",
        start_date="2026-11-30",
        end_date="2026-12-02",
        timezone="Europe/Paris",
        city="Strasbourg",
        country="FR",
    )
    return Seeded(skopje=skopje.id, late_evening=late.id, summit=summit.id)


@pytest.fixture
def seeded(db_session: Session) -> Seeded:
    return seed(db_session)


@pytest.fixture
def live_server(app: Flask, seeded: Seeded) -> Iterator[str]:
    """The real app served over HTTP on 127.0.0.1 (a free port), with the clock at NOW, on the seeded data."""
    with serving(app) as url:
        yield url


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve ``app`` over HTTP on 127.0.0.1 (a free port) with the clock at NOW; yields its base URL."""
    with time_machine.travel(NOW, tick=True):
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run scripts/install-test-deps.sh (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


def new_page(browser: Any, size: dict[str, int], **options: Any) -> Any:
    context = browser.new_context(
        viewport=size, locale="en-GB", timezone_id=options.pop("timezone_id", "UTC"), **options
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    page = new_page(browser, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    page = new_page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield page
    page.context.close()


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
