"""Login throttling and revocable sessions (issue 8, defects 7 and 8), on real servers and the real CLI.

The throttle is the documented policy: 5 failed logins per account and 30 per client address in a 15-minute
window, counted in the database, so two server processes on one database share one limit. A refused login is a
429 with ``Retry-After``, even with the right password, until the window has passed. A session ends on logout
(on every device), when ``tracker create-user`` resets the password and when the account is deactivated.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from datetime import timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import NOW, TEST_PASSWORD, add_user, login
from tracker.models import RateCounter, User

TRACKER = Path(sys.executable).with_name("tracker")
GUNICORN = Path(sys.executable).with_name("gunicorn")
SECRET = "test-secret-key-0123456789"
EDITOR = "editor@example.org"

# The documented policy (README), written out here rather than read from the code under test.
ACCOUNT_LIMIT = 5
CLIENT_LIMIT = 30
WINDOW = timedelta(minutes=15)


# --- real servers -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """One client of one server: its own cookie jar, no redirects followed, every status returned."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, Message, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read().decode()

    def login(self, email: str, password: str) -> tuple[int, Message, str]:
        status, _headers, page = self.request("/login")
        assert status == 200, page
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token, "the login form carries a CSRF token"
        return self.request("/login", {"csrf_token": token.group(1), "email": email, "password": password})


def _environment(database_url: str, instance: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    env.update(
        TRACKER_DATABASE_URL=database_url,
        TRACKER_SECRET_KEY=SECRET,
        TRACKER_BASE_URL="http://tracker.test",
        TRACKER_INSTANCE_PATH=str(instance),
    )
    return env


def _wait_until_listening(process: subprocess.Popen[str], port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None:
                raise AssertionError(f"server exited with {process.returncode}: {process.stdout.read()}") from None
            if time.monotonic() > deadline:
                raise AssertionError(f"no server on port {port} after {seconds} s") from None
            time.sleep(0.05)


@pytest.fixture
def servers(app: Flask, database_url: str, tmp_path: Path) -> Iterator[list[str]]:
    """Two server processes on the test database: two ``tracker serve`` on SQLite; ``tracker serve`` and a
    two-worker gunicorn on PostgreSQL (the scale-out deployment)."""
    commands: list[list[str]] = []
    ports = [free_port(), free_port()]
    commands.append([str(TRACKER), "serve", "--no-scheduler", "--threads", "4", "--port", str(ports[0])])
    if database_url.startswith("postgresql"):
        commands.append([str(GUNICORN), "-w", "2", "-b", f"127.0.0.1:{ports[1]}", "tracker:create_app()"])
    else:
        commands.append([str(TRACKER), "serve", "--no-scheduler", "--threads", "4", "--port", str(ports[1])])
    started: list[subprocess.Popen[str]] = []
    try:
        for number, command in enumerate(commands):
            env = _environment(database_url, tmp_path / f"instance-{number}")
            process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            started.append(process)
        for process, port in zip(started, ports, strict=True):
            _wait_until_listening(process, port)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def test_failures_spread_over_two_server_processes_meet_one_limit(servers: list[str], db_session: Session) -> None:
    add_user(db_session, EDITOR)
    add_user(db_session, "second@example.org")
    first, second = (Browser(base) for base in servers)
    browsers = [first, second]

    for attempt in range(1, ACCOUNT_LIMIT):
        status, _headers, page = browsers[attempt % 2].login(EDITOR, "a wrong password")
        assert status == 400, f"failure {attempt}: {page}"
        assert "Wrong e-mail address or password" in page
    status, headers, page = browsers[ACCOUNT_LIMIT % 2].login(EDITOR, "a wrong password")
    assert status == 429, "the failure that fills the account's budget locks it, whichever process counted"
    assert "Too many failed logins for this account" in page

    for browser in browsers:  # the right password is refused too while the window lasts, on both processes
        status, headers, page = browser.login(EDITOR, TEST_PASSWORD)
        assert status == 429, page
        retry_after = int(headers["Retry-After"])
        assert 0 < retry_after <= WINDOW.total_seconds()
        assert "Too many failed logins for this account" in page
        assert re.search(r"try again in \d+ minutes?", page), page
        assert browser.request("/edit/events/new")[0] == 302, "not logged in"

    # Per client address: unknown accounts count too, spread over both processes.
    for attempt in range(ACCOUNT_LIMIT + 1, CLIENT_LIMIT):
        status, _headers, page = browsers[attempt % 2].login(f"nobody{attempt}@example.org", "a wrong password")
        assert status == 400, f"failure {attempt}: {page}"
    status, headers, page = browsers[CLIENT_LIMIT % 2].login("nobody@example.org", "a wrong password")
    assert status == 429 and "Too many failed logins from this address" in page
    for browser in browsers:
        status, headers, page = browser.login("second@example.org", TEST_PASSWORD)
        assert status == 429 and int(headers["Retry-After"]) > 0
        assert "Too many failed logins from this address" in page

    db_session.rollback()
    counters = {row.key: row.count for row in db_session.exec(select(RateCounter)).scalars()}
    assert counters["login:account:editor@example.org"] == ACCOUNT_LIMIT
    assert counters["login:client:127.0.0.1"] == CLIENT_LIMIT


# --- in-process: the window ends, the same answer for unknown accounts, proxies --------------------------


def _login(client: FlaskClient, email: str, password: str, **kwargs: Any) -> Any:
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def test_a_correct_password_works_again_once_the_window_has_passed(client: FlaskClient, editor: User) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        answers = [_login(client, EDITOR, "a wrong password").status_code for _ in range(ACCOUNT_LIMIT)]
        assert answers == [400] * (ACCOUNT_LIMIT - 1) + [429]
        refused = _login(client, EDITOR, TEST_PASSWORD)
        assert refused.status_code == 429 and refused.headers["Retry-After"] == str(int(WINDOW.total_seconds()))
        assert "try again in 15 minutes" in refused.get_data(as_text=True)

        traveller.move_to(NOW + WINDOW - timedelta(seconds=1))
        refused = _login(client, EDITOR, TEST_PASSWORD)
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
        assert "try again in 1 minute" in refused.get_data(as_text=True)

        traveller.move_to(NOW + WINDOW)
        assert _login(client, EDITOR, TEST_PASSWORD).status_code == 302
        assert client.get("/edit/events/new").status_code == 200


def test_a_successful_login_forgets_the_accounts_failures(client: FlaskClient, editor: User) -> None:
    with time_machine.travel(NOW, tick=False):
        for _ in range(ACCOUNT_LIMIT - 1):
            assert _login(client, EDITOR, "a wrong password").status_code == 400
        assert _login(client, EDITOR, TEST_PASSWORD).status_code == 302
        client.post("/logout")
        for _ in range(ACCOUNT_LIMIT - 1):
            assert _login(client, EDITOR, "a wrong password").status_code == 400


def test_an_unknown_account_gets_the_same_answers_as_a_known_one(app: Flask, editor: User) -> None:
    def answers(email: str, address: str) -> list[tuple[int, str | None, str]]:
        client = app.test_client()
        seen = []
        for _ in range(ACCOUNT_LIMIT + 1):
            response = _login(client, email, "a wrong password", environ_base={"REMOTE_ADDR": address})
            page = response.get_data(as_text=True).replace(email, "EMAIL")
            page = re.sub(r'name="csrf_token" value="[^"]*"', "", page)  # differs per session by design
            seen.append((response.status_code, response.headers.get("Retry-After"), page))
        return seen

    with time_machine.travel(NOW, tick=False):
        assert answers(EDITOR, "192.0.2.1") == answers("nobody@example.org", "192.0.2.2")


def test_the_client_address_comes_from_x_forwarded_for_only_behind_a_configured_proxy(
    app_factory: Callable[..., Flask], editor: User, db_session: Session
) -> None:
    def client_keys(built: Flask) -> set[str]:
        client = built.test_client()
        headers = {"X-Forwarded-For": "203.0.113.9"}
        _login(client, "nobody@example.org", "wrong", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.5"})
        db_session.rollback()
        keys = set(db_session.exec(select(RateCounter.key)).scalars())
        db_session.execute(RateCounter.__table__.delete())  # type: ignore[attr-defined]
        db_session.commit()
        return {key for key in keys if key.startswith("login:client:")}

    assert client_keys(app_factory()) == {"login:client:10.0.0.5"}, "a forged header is ignored by default"
    assert client_keys(app_factory(TRUSTED_PROXIES=1)) == {"login:client:203.0.113.9"}


def test_ipv6_clients_are_counted_per_64_network(client: FlaskClient, editor: User, db_session: Session) -> None:
    """One IPv6 host controls a whole /64; counting single addresses would give it 2**64 budgets."""
    _login(client, "nobody@example.org", "wrong", environ_base={"REMOTE_ADDR": "2001:db8:1:2:aaaa::1"})
    _login(client, "nobody@example.org", "wrong", environ_base={"REMOTE_ADDR": "2001:db8:1:2:bbbb::7"})
    counters = {row.key: row.count for row in db_session.exec(select(RateCounter)).scalars()}
    assert counters["login:client:2001:db8:1:2::/64"] == 2


def test_hostile_login_input_is_a_plain_refusal(client: FlaskClient, editor: User) -> None:
    """NUL cannot be stored in PostgreSQL text; such an address names no account and is counted per address."""
    for body in (b"email=editor%00@example.org&password=x%00", b"email=%ff%fe&password=%ff", b"email=" + b"a" * 5000):
        response = client.post("/login", data=body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400, response.status_code
        assert "Wrong e-mail address or password" in response.get_data(as_text=True)


# --- sessions end on logout, password reset and deactivation ------------------------------------------------


def _captured_session(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _opens_the_editor(app: Flask, cookie: str) -> bool:
    """Replay a captured cookie from a fresh client, as an attacker who copied it would."""
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    response = replay.get("/edit/events/new")
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")
        return False
    assert response.status_code == 200, response.status_code
    return True


def test_logout_ends_every_session_of_the_user(app: Flask, editor_client: FlaskClient) -> None:
    captured = _captured_session(editor_client)
    other_device = app.test_client()
    login(other_device)
    other_cookie = _captured_session(other_device)
    assert _opens_the_editor(app, captured) and _opens_the_editor(app, other_cookie)

    response = editor_client.post("/logout", follow_redirects=True)
    assert "every device" in response.get_data(as_text=True)
    assert not _opens_the_editor(app, captured), "the cookie captured before logout is void"
    assert not _opens_the_editor(app, other_cookie), "the other device's session ended too"
    assert other_device.get("/edit/events/new").status_code == 302

    login(editor_client)  # a new login works and makes a valid session
    assert _opens_the_editor(app, _captured_session(editor_client))


def _run_cli(args: list[str], database_url: str, instance: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = _environment(database_url, instance)
    return subprocess.run([str(TRACKER), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120)


def test_a_password_reset_by_create_user_ends_earlier_sessions(
    app: Flask, editor_client: FlaskClient, database_url: str, tmp_path: Path
) -> None:
    captured = _captured_session(editor_client)
    assert _opens_the_editor(app, captured)
    locked = [_login(app.test_client(), EDITOR, "a wrong password").status_code for _ in range(ACCOUNT_LIMIT)]
    assert locked[-1] == 429
    result = _run_cli(["create-user", EDITOR, "--password-stdin"], database_url, tmp_path, "a new long password\n")
    assert result.returncode == 0, result.stderr
    assert not _opens_the_editor(app, captured)
    assert editor_client.get("/edit/events/new").status_code == 302
    login(editor_client, EDITOR, "a new long password")  # the reset also lifted the account's lock
    assert _opens_the_editor(app, _captured_session(editor_client))


def test_deactivating_an_account_ends_its_sessions_and_refuses_login(
    app: Flask, editor_client: FlaskClient, database_url: str, tmp_path: Path, db_session: Session
) -> None:
    captured = _captured_session(editor_client)
    result = _run_cli(["deactivate-user", "Editor@Example.org"], database_url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Deactivated editor@example.org" in result.stdout
    assert not _opens_the_editor(app, captured)
    assert _login(app.test_client(), EDITOR, TEST_PASSWORD).status_code == 400

    unknown = _run_cli(["deactivate-user", "nobody@example.org"], database_url, tmp_path)
    assert unknown.returncode != 0 and "no account" in unknown.stderr

    result = _run_cli(["create-user", EDITOR, "--password-stdin"], database_url, tmp_path, "a new long password\n")
    assert result.returncode == 0, result.stderr  # create-user reactivates
    client = app.test_client()
    login(client, EDITOR, "a new long password")
    assert not _opens_the_editor(app, captured), "reactivation does not revive an old session"
    assert _opens_the_editor(app, _captured_session(client))


def test_a_session_without_an_epoch_is_void(app: Flask, editor: User) -> None:
    """Cookies signed before sessions carried an epoch (or forged without one) open nothing."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["user_id"] = editor.id
    assert client.get("/edit/events/new").status_code == 302
