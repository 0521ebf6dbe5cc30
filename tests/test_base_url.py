"""Links point where the server really is: ``tracker serve --port N`` without TRACKER_BASE_URL links to port N.

Run as a new user would: a real ``tracker serve`` on a free port, its subscribe box, its feed and the
confirmation mail it writes to ``instance/outbox/`` read as a client reads them. A configured base URL wins.
"""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.parse
import urllib.request
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.load_support import environment, free_port, tracker_serve

pytestmark = pytest.mark.slow


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _get(opener: urllib.request.OpenerDirector, url: str) -> str:
    with opener.open(url, timeout=30) as response:
        return response.read().decode("utf-8")


def _subscribe(opener: urllib.request.OpenerDirector, base: str) -> None:
    page = _get(opener, f"{base}/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "the home page carries the subscribe form"
    form = {"csrf_token": token.group(1), "email": "reader@example.org", "lead": "1440", "timezone": "UTC"}
    with opener.open(f"{base}/subscriptions", data=urllib.parse.urlencode(form).encode(), timeout=30) as response:
        assert response.status == 200  # after the 303 to the "check your mail" page


def _outbox_mail(instance: Path) -> str:
    deadline = time.monotonic() + 60  # the in-process scheduler writes it on its next tick (nudged at once)
    while time.monotonic() < deadline:
        files = sorted((instance / "outbox").glob("*.eml"))
        if files:
            message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
            body = message.get_body(preferencelist=("plain",))
            assert body is not None
            return str(body.get_content())
        time.sleep(0.2)
    raise AssertionError("no confirmation mail was written to instance/outbox/")


def test_without_a_base_url_links_use_the_port_the_server_listens_on(tmp_path: Path) -> None:
    port = free_port()
    instance = tmp_path / "instance"
    env = environment(f"sqlite:///{tmp_path / 'tracker.sqlite3'}", instance, port)
    del env["TRACKER_BASE_URL"]
    env["TRACKER_SCHEDULER_INTERVAL_SECONDS"] = "1"
    log = tmp_path / "serve.log"
    with tracker_serve(env, port, log):
        base = f"http://127.0.0.1:{port}"
        opener = _opener()
        home = _get(opener, f"{base}/")
        feed = _get(opener, f"{base}/calendar.ics")
        _subscribe(opener, base)
        mail = _outbox_mail(instance)
    assert f"webcal://127.0.0.1:{port}/calendar.ics" in home
    assert f"{base}/calendar.ics" in feed.replace("\r\n ", "")  # unfolded SOURCE
    assert re.search(rf"{re.escape(base)}/subscriptions/confirm/\S+", mail), mail
    for text in (home, feed, mail):
        assert "127.0.0.1:5000" not in text
    assert f"TRACKER_BASE_URL is not set: links in feeds and e-mail use {base}" in log.read_text()  # said at start


def test_a_configured_base_url_always_wins(tmp_path: Path) -> None:
    port = free_port()
    env = environment(f"sqlite:///{tmp_path / 'tracker.sqlite3'}", tmp_path / "instance", port)
    env["TRACKER_BASE_URL"] = "https://tracker.example.org"
    with tracker_serve(env, port, tmp_path / "serve.log"):
        home = _get(_opener(), f"http://127.0.0.1:{port}/")
    assert "webcal://tracker.example.org/calendar.ics" in home
    assert f"127.0.0.1:{port}" not in home
