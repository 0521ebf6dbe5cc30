"""A real load on a real server, for ``tests/test_concurrency.py`` and ``bench/load.py``.

Editors log in with the CSRF token of the login form, open an event's edit form, read every field (the hidden
``revision`` too) and save it back with a description of their own, in a loop; calendar pollers send the
conditional GETs that calendar clients send (``If-None-Match`` with the last ETag, gzip accepted). The servers
are the real ones: ``tracker serve`` (waitress + SQLite) and gunicorn + PostgreSQL. Plain ``http.client``, one
keep-alive connection per client thread; every request is bounded by a socket timeout and every loop by a
deadline.
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BIN = Path(sys.executable).parent
TRACKER = BIN / "tracker"
GUNICORN = BIN / "gunicorn"
SECRET = "load-test-secret-key-0123456789"
PASSWORD = "load test password 1"
REQUEST_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(database_url: str, instance: Path, port: int, **extra: str) -> dict[str, str]:
    """The server's environment: only our settings (nothing inherited from the caller's TRACKER_*)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    env.update(
        TRACKER_DATABASE_URL=database_url,
        TRACKER_INSTANCE_PATH=str(instance),
        TRACKER_SECRET_KEY=SECRET,
        TRACKER_BASE_URL=f"http://127.0.0.1:{port}",
        **extra,
    )
    return env


def run_command(args: list[str], env: dict[str, str], stdin: str = "") -> str:
    result = subprocess.run([str(TRACKER), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"tracker {' '.join(args)} failed: {result.stderr[-3000:]}")
    return result.stdout


# --- data ---------------------------------------------------------------------------------------------------


def prepare_database(database_url: str, background_events: int = 300) -> list[int]:
    """Migrate, add ``background_events`` varied events (the feed's bulk) and two events the editors edit."""
    from sqlmodel import Session

    from tests.feeds_support import bulk_events
    from tracker.db import make_engine
    from tracker.migrations import upgrade
    from tracker.services.events import create_event
    from tracker.validation import EventInput

    now = datetime.now(UTC).replace(microsecond=0)
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with Session(engine) as session:
            bulk_events(session, background_events, now, prefix="load")
            targets = []
            for number in range(2):
                values = {
                    "title": f"Load target {number}",
                    "kind": "meeting",
                    "status": "confirmed",
                    "visibility": "public",
                    "timezone": "Europe/Skopje",
                    "start_date": (now + timedelta(days=10 + number)).date().isoformat(),
                    "start_time": "10:00",
                    "end_time": "12:00",
                    "city": "Skopje",
                    "country": "MK",
                    "description": "initial",
                }
                targets.append(create_event(session, EventInput.from_form(values), None, now).event)
            session.commit()
            return [event.id for event in targets]
    finally:
        engine.dispose()


def create_editor(env: dict[str, str], email: str) -> None:
    run_command(["create-user", email, "--role", "editor", "--password-stdin"], env, stdin=f"{PASSWORD}\n")


# --- servers ------------------------------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[str]
    host: str
    port: int
    log: Path
    #: When the server said it was listening (tracker serve) or first answered (gunicorn), time.monotonic().
    ready_at: float = 0.0

    def errors_logged(self) -> str:
        """The server's error lines (exception names and messages, not the long SQL parameters)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        lines = [line[:300] for line in text.splitlines() if "Error" in line or "Traceback" in line or "locked" in line]
        return "\n".join(lines[-40:])


def _stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


@contextmanager
def tracker_serve(env: dict[str, str], port: int, log: Path, threads: int = 8) -> Iterator[Server]:
    """``tracker serve`` (waitress, in-process scheduler), yielded the moment it says it is listening."""
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [str(TRACKER), "serve", "--port", str(port), "--threads", str(threads)],
            env=env, stdout=subprocess.PIPE, stderr=log_file, text=True,
        )  # fmt: skip
        ready = threading.Event()

        def watch() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                if "is running at" in line:
                    ready.set()

        threading.Thread(target=watch, daemon=True).start()
        try:
            if not ready.wait(90):
                raise RuntimeError(f"tracker serve did not start: {log.read_text()[-3000:]}")
            yield Server(process, "127.0.0.1", port, log, time.monotonic())
        finally:
            _stop(process)


@contextmanager
def gunicorn_serve(env: dict[str, str], port: int, log: Path, workers: int = 2, threads: int = 4) -> Iterator[Server]:
    """gunicorn serving ``tracker:create_app()`` after ``tracker db upgrade``, plus one ``tracker scheduler``."""
    run_command(["db", "upgrade"], env)
    with log.open("w") as log_file:
        command = [
            str(GUNICORN), "--workers", str(workers), "--threads", str(threads), "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning", "--timeout", "120", "tracker:create_app()",
        ]  # fmt: skip
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log_file, text=True)
        scheduler = subprocess.Popen(
            [str(TRACKER), "scheduler"], env=env, stdout=subprocess.DEVNULL, stderr=log_file, text=True
        )
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=5):
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"gunicorn did not start: {log.read_text()[-3000:]}") from None
                    time.sleep(0.1)
            yield Server(process, "127.0.0.1", port, log, time.monotonic())
        finally:
            _stop(scheduler)
            _stop(process)


# --- HTTP clients -----------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Client:
    """One browser or calendar client: a keep-alive connection and its cookies."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self._connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, fields: Any = None, headers: dict[str, str] | None = None) -> Answer:
        all_headers = dict(headers or {})
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self._connection is None:
            self._connection = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
        started = time.perf_counter()
        try:
            self._connection.request(method, path, body=body, headers=all_headers)
            response = self._connection.getresponse()
            data = response.read()
        except Exception:
            self.close()
            raise
        seconds = time.perf_counter() - started
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.close()
        return Answer(response.status, response.headers, data, seconds)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class _Forms(HTMLParser):
    """Every form of a page with the fields a browser would send (checked boxes, selected options)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append([])
        elif not self.forms:
            return
        elif tag == "input" and values.get("name"):
            kind = values.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in values:
                return
            if kind not in {"submit", "button", "image", "reset", "file"}:
                self.forms[-1].append((values["name"], values.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = values.get("name"), None, False
        elif tag == "option" and self._select:
            if self._select_first is None:
                self._select_first = values.get("value", "")
            if "selected" in values and not self._select_chosen:
                self._select_chosen = True
                self.forms[-1].append((self._select, values.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = values.get("name"), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.forms[-1].append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.forms[-1].append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)


def form_with(html: str, field_name: str) -> list[tuple[str, str]]:
    """The fields of the page's form that has ``field_name``."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if any(name == field_name for name, _ in form):
            return form
    raise AssertionError(f"no form with {field_name!r} on the page: {html[:500]}")


def log_in(client: Client, email: str) -> Answer:
    """Log in as a browser does: the form's CSRF token, then the POST (302 on success)."""
    client.cookies.clear()
    page = client.request("GET", "/login")
    token = dict(form_with(page.text, "password"))["csrf_token"]
    return client.request("POST", "/login", {"csrf_token": token, "email": email, "password": PASSWORD, "next": ""})


# --- the load -------------------------------------------------------------------------------------------------


@dataclass
class Save:
    editor: str
    event_id: int
    marker: str
    revision_seen: int
    status: int


@dataclass
class Tally:
    """Everything the clients saw, kept under one lock."""

    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    poll_latencies: list[float] = field(default_factory=list)
    saves: list[Save] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # answers >= 500, transport errors, unexpected answers
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, answer: Answer, path: str, expected: set[int]) -> None:
        with self.lock:
            self.statuses[(kind, answer.status)] += 1
            self.latencies.append(answer.seconds)
            if kind == "poll":
                self.poll_latencies.append(answer.seconds)
            if answer.status not in expected:
                self.failures.append(f"{kind} {path}: {answer.status}")

    def broken(self, kind: str, path: str, error: BaseException) -> None:
        with self.lock:
            self.statuses[(kind, -1)] += 1
            self.failures.append(f"{kind} {path}: {type(error).__name__}: {error}")

    def count(self, kind: str | None = None, status: int | None = None) -> int:
        return sum(
            number
            for (seen_kind, seen_status), number in self.statuses.items()
            if (kind is None or seen_kind == kind) and (status is None or seen_status == status)
        )

    def errors(self) -> int:
        """Answers >= 500 and requests that got no answer at all."""
        return sum(number for (_, status), number in self.statuses.items() if status >= 500 or status < 0)


def editor_loop(
    server: Server, email: str, event_ids: list[int], deadline: float, tally: Tally, relogin_every: int = 10
) -> None:
    """Open an edit form, save it with a description of our own; log in again every ``relogin_every`` saves."""
    client = Client(server.host, server.port)
    rng = random.Random(email)
    number = 0
    try:
        while time.monotonic() < deadline:
            if number % relogin_every == 0:
                try:
                    tally.note("login", log_in(client, email), "/login", {302})
                except Exception as error:  # counted: the test fails on any
                    tally.broken("login", "/login", error)
                    continue
            number += 1
            event_id = rng.choice(event_ids)
            path = f"/edit/events/{event_id}"
            try:
                page = client.request("GET", path)
                tally.note("edit-form", page, path, {200})
                if page.status != 200:
                    continue
                fields = [(name, value) for name, value in form_with(page.text, "revision") if name != "description"]
                marker = f"{email.split('@')[0]}-{number}"
                fields.append(("description", f"Saved by {marker}"))
                seen = int(dict(fields)["revision"])
                answer = client.request("POST", path, fields)
            except Exception as error:
                tally.broken("save", path, error)
                continue
            tally.note("save", answer, path, {302, 409})
            with tally.lock:
                tally.saves.append(Save(email, event_id, marker, seen, answer.status))
    finally:
        client.close()


def poller_loop(server: Server, paths: list[str], deadline: float, tally: Tally, pause: float = 0.0) -> None:
    """A calendar client: conditional GETs with the last ETag it got, gzip accepted."""
    client = Client(server.host, server.port)
    etags: dict[str, str] = {}
    position = 0
    try:
        while time.monotonic() < deadline:
            path = paths[position % len(paths)]
            position += 1
            headers = {"Accept-Encoding": "gzip"}
            if path in etags:
                headers["If-None-Match"] = etags[path]
            try:
                answer = client.request("GET", path, headers=headers)
            except Exception as error:
                tally.broken("poll", path, error)
                continue
            tally.note("poll", answer, path, {200, 304})
            if answer.status == 200 and answer.headers.get("ETag"):
                etags[path] = answer.headers["ETag"]
            if pause:
                time.sleep(pause)
    finally:
        client.close()


def poll_paths(event_ids: list[int], number: int) -> list[str]:
    """What poller ``number`` polls: most poll the whole feed, some a filtered feed or one event's .ics."""
    if number % 10 == 0:
        return [f"/events/{event_ids[number % len(event_ids)]}.ics"]
    if number % 10 == 1:
        return ["/calendar.ics?kind=meeting"]
    return ["/calendar.ics"]


def warm_up(server: Server, paths: list[str], rounds: int = 8) -> None:
    """Build each feed in every worker before the clock starts (the first build of a fresh process is slow)."""
    for _ in range(rounds):
        for path in paths:
            client = Client(server.host, server.port)  # a new connection each time: gunicorn spreads them
            client.request("GET", path, headers={"Accept-Encoding": "gzip"})
            client.close()


def run_load(
    server: Server,
    editors: list[str],
    event_ids: list[int],
    *,
    pollers: int,
    seconds: float,
    pause: float = 0.0,
    on_start: Callable[[], None] | None = None,
) -> tuple[Tally, float]:
    """Editors and pollers against ``server`` for ``seconds``; returns what they saw and the seconds it took."""
    warm_up(server, sorted({path for number in range(pollers) for path in poll_paths(event_ids, number)}))
    tally = Tally()
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(target=editor_loop, args=(server, email, event_ids, deadline, tally), daemon=True)
        for email in editors
    ] + [
        threading.Thread(
            target=poller_loop, args=(server, poll_paths(event_ids, number), deadline, tally, pause), daemon=True
        )
        for number in range(pollers)
    ]
    for thread in threads:
        thread.start()
    if on_start is not None:
        on_start()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT + 30)
    return tally, time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(tally: Tally, elapsed: float) -> dict[str, float]:
    polls = tally.count("poll")
    return {
        "requests": sum(tally.statuses.values()),
        "req_per_s": sum(tally.statuses.values()) / elapsed,
        "p50_ms": statistics.median(tally.latencies) * 1000 if tally.latencies else 0.0,
        "p99_ms": percentile(tally.latencies, 0.99) * 1000,
        "share_304": tally.count("poll", 304) / polls if polls else 0.0,
        "saves": tally.count("save", 302),
        "conflicts": tally.count("save", 409),
        "errors": tally.errors(),
    }
