"""Benchmark of the iCalendar feeds: the figures of issues 4 and 8, printed as ratios measured in one run.

(a) a 10,000-event feed after one edit vs building it from scratch with ``icalendar``   (target ≤ 5 %)
(b) the first request after a process restart vs a minimal hand-written serializer       (target ≤ 3×)
(b') the first-ever build (no event serialized yet) vs the hand-written serializer      (target ≤ 3×)
(c) gunicorn req/s for an unchanged feed vs a Flask endpoint returning the same bytes
    precomputed (target ≥ 80 %), and the 304 path (target ≥ 100 % of that endpoint)
(d) peak memory while building the 10,000-event feed
(e) memory of one process after 16 distinct ``?q=`` feeds of the 10,000 events, beside the feed cache's budget
(f) the 10,000-event feed is clean for the shared checker and ical.js reads every instant as the database holds it
    (the test suite checks the same on a 1,200-event feed)

Run from the project root:  .venv/bin/python bench/feeds.py [--events 10000] [--seconds 4] [--database-url URL]
(a PostgreSQL URL names the server: the run creates a database of its own there and drops it afterwards).
Fresh processes measure (b), (b'), (d) and (e), so nothing is warm that a restarted server would not have;
(b') and its baseline run --repeats times, alternately, and the medians are compared. The load for (c) comes
from ``wrk`` when installed (apt-get install wrk), else from a small Python thread pool; both are bounded by
--seconds per run (--no-load skips it). The whole run takes about two minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASE_URL = "http://tracker.bench"
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


# --- a minimal, correct hand-written serializer (the baseline of figure b) --------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escape(text: str) -> str:
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character (never cut before a continuation byte)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts, start, limit = [], 0, 75
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74
    parts.append(data[start:])
    return (b"\r\n ".join(parts) + b"\r\n").decode("utf-8")


def _stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def handwritten_feed(session: Any, now: datetime) -> bytes:
    """The same feed (same properties, same events) written by hand from plain rows.

    One function on purpose (71 lines): the baseline is "the simplest serializer one would write", read top to
    bottom; splitting it would add the call overhead it is meant not to have."""
    from sqlalchemy import select

    from tracker import ical
    from tracker.countries import country_name
    from tracker.filters import EventFilter
    from tracker.models import Event, EventOrganisation, EventPerson, EventTag, Organisation, Person
    from tracker.services.feeds import feed_conditions
    from tracker.timezones import get_zone

    conditions = feed_conditions(EventFilter(), False, now)
    events = session.execute(select(Event.__table__).where(*conditions).order_by(Event.start_dt, Event.id)).all()
    ids = select(Event.id).where(*conditions)
    organisations: dict[int, list[tuple[str, str]]] = {}
    for row in session.execute(
        select(EventOrganisation.event_id, EventOrganisation.role, Organisation.name, Organisation.acronym)
        .join(Organisation, Organisation.id == EventOrganisation.organisation_id)
        .where(EventOrganisation.event_id.in_(ids))
        .order_by(EventOrganisation.event_id, EventOrganisation.sort_order)
    ):
        label = f"{row.name} ({row.acronym})" if row.acronym else row.name
        organisations.setdefault(row.event_id, []).append((row.role, label))
    people: dict[int, list[str]] = {}
    for row in session.execute(
        select(EventPerson.event_id, Person.name, Person.position)
        .join(Person, Person.id == EventPerson.person_id)
        .where(EventPerson.event_id.in_(ids))
        .order_by(EventPerson.event_id, EventPerson.sort_order)
    ):
        people.setdefault(row.event_id, []).append(f"{row.name}, {row.position}" if row.position else row.name)
    tags: dict[int, list[str]] = {}
    for row in session.execute(select(EventTag.event_id, EventTag.tag).where(EventTag.event_id.in_(ids))):
        tags.setdefault(row.event_id, []).append(row.tag)

    out: list[str] = [ical.calendar_header("Conference Tracker", site_url=BASE_URL)]
    timed = [(row.timezone, row.start_dt, row.end_dt) for row in events if not row.all_day]
    out.extend(ical.zone_blocks(ical.zone_uses(timed)))
    for row in events:
        page = f"{BASE_URL}/events/{row.id}"
        lines = ["BEGIN:VEVENT", f"UID:{_escape(row.uid)}", f"DTSTAMP:{_stamp(row.updated_dt)}",
                 f"CREATED:{_stamp(row.created_dt)}", f"LAST-MODIFIED:{_stamp(row.updated_dt)}",
                 f"SEQUENCE:{row.sequence}"]  # fmt: skip
        if row.all_day:
            lines += [f"DTSTART;VALUE=DATE:{row.start_date:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{row.end_date + timedelta(days=1):%Y%m%d}"]  # fmt: skip
        else:
            zone = get_zone(row.timezone)
            lines += [f"DTSTART;TZID={row.timezone}:{row.start_dt.astimezone(zone):%Y%m%dT%H%M%S}",
                      f"DTEND;TZID={row.timezone}:{row.end_dt.astimezone(zone):%Y%m%dT%H%M%S}"]  # fmt: skip
        cancelled = row.deleted_dt is not None or row.status == "cancelled"
        lines.append("SUMMARY:" + _escape(("Cancelled: " if cancelled else "") + row.title))
        place = ", ".join(part for part in (row.venue, row.city, country_name(row.country)) if part)
        if place:
            lines.append("LOCATION:" + _escape(place))
        facts = [f"{role.capitalize()}: {label}" for role, label in organisations.get(row.id, [])]
        if row.id in people:
            facts.append("Participants: " + "; ".join(people[row.id]))
        if row.source_url:
            facts.append("Source: " + row.source_url)
        facts.append("Event page: " + page)
        lines.append("DESCRIPTION:" + _escape("\n\n".join(filter(None, [row.description, "\n".join(facts)]))))
        lines.append(f"URL;VALUE=URI:{page}")
        lines.append("CATEGORIES:" + ",".join(_escape(tag) for tag in [row.kind, *sorted(tags.get(row.id, []))]))
        lines.append("STATUS:" + ("CANCELLED" if cancelled else "CONFIRMED"))
        lines.append("CLASS:PUBLIC")
        lines.append("TRANSP:" + ("TRANSPARENT" if cancelled else "OPAQUE"))
        lines.append("END:VEVENT")
        out.extend(_fold(line) for line in lines)
    out.append("END:VCALENDAR\r\n")
    return "".join(out).encode("utf-8")


# --- probes: one measurement in a fresh process -----------------------------------------------------------


def probe(kind: str, database_url: str) -> dict[str, Any]:
    """Time one feed build in this (fresh) process; report its peak memory too.

    ``first`` removes every stored block beforehand (committed before the clock starts): a first-ever build.
    """
    from sqlalchemy import delete
    from sqlmodel import Session

    import tracker.countries
    import tracker.ical
    import tracker.timezones  # noqa: F401 - modules are loaded before the clock starts, for both sides
    from tracker.db import make_engine
    from tracker.filters import EventFilter
    from tracker.models import EventIcs
    from tracker.services import feeds

    engine = make_engine(database_url)
    spec = feeds.public_spec(EventFilter(), "Conference Tracker", f"{BASE_URL}/calendar.ics")
    if kind == "first":
        with Session(engine) as session:
            session.execute(delete(EventIcs))
            session.commit()
    with Session(engine) as session:
        session.connection()  # connect before the clock starts, as a running server would be
        rss_before = _proc_status("VmRSS")
        started = time.perf_counter()
        if kind == "baseline":
            body = handwritten_feed(session, NOW)
            serialized = -1
        else:
            feed = feeds.build_feed(session, spec, BASE_URL, NOW)
            session.commit()
            body, serialized = feed.body, feed.serialized
        seconds = time.perf_counter() - started
    engine.dispose()
    return {
        "kind": kind,
        "seconds": seconds,
        "bytes": len(body),
        "events": body.count(b"BEGIN:VEVENT"),
        "serialized": serialized,
        "rss_before_mb": rss_before,
        "peak_rss_mb": _proc_status("VmHWM"),
    }


#: Sixteen distinct searches that each match (nearly) all of the bench's events: 16 distinct ~6 MB feeds.
SEARCHES = (
    "migration", "talks", "event", "line", "details", "more", "literal", "two", "migration talks", "event talks",
    "line details", "mig", "tal", "even", "detail", "lit",
)  # fmt: skip


def probe_searches(database_url: str) -> dict[str, Any]:
    """Resident memory of a fresh app process before and after 16 distinct ``?q=`` feeds (gzip, as calendar
    clients ask), fetched by 4 threads as waitress would serve them, with what the feed cache holds then."""
    from concurrent.futures import ThreadPoolExecutor

    from tracker import create_app

    folder = Path(tempfile.mkdtemp(prefix="bench-feeds-app-"))
    environ = {"TRACKER_DATABASE_URL": database_url, "TRACKER_BASE_URL": BASE_URL,
               "TRACKER_INSTANCE_PATH": str(folder), "TRACKER_SECRET_KEY": "bench-secret-key-0123456789"}  # fmt: skip
    app = create_app(environ=environ)
    headers = {"Accept-Encoding": "gzip"}

    def fetch(url: str) -> int:
        response = app.test_client().get(url, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        return len(response.data)

    fetch("/calendar.ics")  # warm: imports, connections, zones, the stored blocks' pages
    cache = app.extensions["tracker.feed_cache"]
    cache.clear()
    rss_before = _proc_status("VmRSS")
    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        sizes = list(pool.map(fetch, [f"/calendar.ics?q={urllib.parse.quote(query)}" for query in SEARCHES]))
    seconds = time.perf_counter() - started
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "feeds": len(sizes),
        "gzip_mb": statistics.mean(sizes) / 2**20,
        "seconds_each": seconds / len(sizes) * 4,  # 4 at a time
        "rss_before_mb": rss_before,
        "rss_after_mb": _proc_status("VmRSS"),
        "peak_rss_mb": _proc_status("VmHWM"),
        "cached_feeds": len(cache.items()),
        "cached_mb": cache.total_bytes / 2**20,
        "budget_mb": cache.max_bytes / 2**20,
    }


def _proc_status(field: str, pid: str = "self") -> float:
    """A memory figure of a process from /proc, in MiB."""
    found = re.search(rf"^{field}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    return int(found.group(1)) / 1024 if found else 0.0


def run_probe(kind: str, database_url: str) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, __file__, "--probe", kind, "--database-url", database_url],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- (c): load against gunicorn ---------------------------------------------------------------------------


def _served_feed(app: Any) -> dict[str, tuple[bytes, list[tuple[str, str]]]]:
    """The tracker's own answers for the feed (gzip and identity): the bytes and every header it sends.

    The precomputed endpoints replay exactly these, so that every variant of (c) puts the same bytes and the same
    headers on the wire (header handling costs per header, in Flask and in gunicorn alike).
    """
    body = Path(os.environ["BENCH_FEED_FILE"]).read_bytes()
    zipped = Path(os.environ["BENCH_FEED_FILE"] + ".gz").read_bytes()
    answers = {}
    for variant, headers, expected in (("gzip", {"Accept-Encoding": "gzip"}, zipped), ("identity", {}, body)):
        response = app.test_client().get("/calendar.ics", headers=headers)
        if response.status_code != 200 or response.get_data() != expected:
            raise RuntimeError(f"the served {variant} feed is not the bytes the benchmark compares with")
        kept = [(name, value) for name, value in response.headers if name not in ("Content-Length", "Content-Type")]
        answers[variant] = (expected, kept)
    return answers


def _precomputed_view(answers: dict[str, tuple[bytes, list[tuple[str, str]]]]) -> Any:
    from flask import Response, request

    def precomputed() -> Response:
        """The feed's bytes and headers as recorded: no parsing, no lookup, no building."""
        body, headers = answers["gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else "identity"]
        return Response(body, headers=headers, content_type="text/calendar; charset=utf-8")

    return precomputed


def bench_app() -> Any:
    """One WSGI app for every load run, so that all runs share a server and can be interleaved: the tracker
    app, plus ``/precomputed.ics`` in it (same request machinery: sessions, CSRF, security headers) and a bare
    Flask app under ``/bare``; both return the feed's bytes and headers precomputed and do nothing else."""
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    from tracker import create_app

    app = create_app()
    answers: dict[str, tuple[bytes, list[tuple[str, str]]]] = {}
    app.add_url_rule("/precomputed.ics", "bench_precomputed", _precomputed_view(answers))  # before any request
    bare = Flask(__name__)
    bare.add_url_rule("/calendar.ics", "feed", _precomputed_view(answers))
    answers.update(_served_feed(app))  # also builds this worker's copy of the feed
    return DispatcherMiddleware(app, {"/bare": bare})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int) -> Iterator[str]:
    port = _free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers), "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT / "bench"), "--pythonpath", str(ROOT),
        "--log-level", "warning", "--timeout", "120", app,
    ]  # fmt: skip
    process = subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/calendar.ics"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=30).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.2)
        for _ in range(workers * 4):  # every worker builds its copy before the clock starts
            urllib.request.urlopen(urllib.request.Request(url, headers={"Accept-Encoding": "gzip"}), timeout=60).read()
        yield url
    finally:
        worker_peaks = _worker_peak_rss(process.pid)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        gunicorn.last_worker_peaks = worker_peaks  # type: ignore[attr-defined]


def _worker_peak_rss(master: int) -> list[float]:
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if re.search(rf"^PPid:\s+{master}$", status.read_text(), re.M):
                peaks.append(_proc_status("VmHWM", status.parent.name))
        except OSError:
            continue
    return peaks


def load(url: str, seconds: float, headers: dict[str, str]) -> float:
    """Requests per second over ``seconds`` (wrk if installed, else 4 Python threads)."""
    wrk = shutil.which("wrk")
    if wrk:
        command = [wrk, "-t2", "-c8", f"-d{max(1, round(seconds))}s", "--latency", url]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
        found = re.search(r"Requests/sec:\s+([\d.]+)", output)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        if found is None or errors:
            raise RuntimeError(output)
        return float(found.group(1))
    count = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        nonlocal count
        while time.monotonic() < stop:
            request = urllib.request.Request(url, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
            except urllib.error.HTTPError as error:
                if error.code != 304:
                    raise
            with lock:
                count += 1

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count / seconds


# --- the run ----------------------------------------------------------------------------------------------


def prepare(database_url: str, events: int) -> None:
    from sqlmodel import Session

    from tests.feeds_support import bulk_events
    from tracker.db import make_engine
    from tracker.migrations import upgrade
    from tracker.services.demo import load_demo

    engine = make_engine(database_url)
    upgrade(engine)
    with Session(engine) as session:
        load_demo(session, NOW)
        session.commit()
        bulk_events(session, events - 17, NOW, prefix="bench")
    engine.dispose()


def figure_a(database_url: str, repeats: int = 3) -> tuple[float, float, float, int]:
    """Median seconds of (full build, full build with icalendar, feed after one edit), and events serialized
    after the edit. The icalendar build swaps in ``tests.ical_reference.reference_vevent`` for ``ical.write_vevent``."""
    from sqlalchemy import delete, select
    from sqlmodel import Session

    from tests.ical_reference import reference_vevent
    from tracker import ical
    from tracker.db import make_engine
    from tracker.filters import EventFilter
    from tracker.models import Event, EventIcs
    from tracker.services import feeds
    from tracker.services.events import event_input_from, load_event, update_event
    from tracker.validation import EventInput

    engine = make_engine(database_url)
    spec = feeds.public_spec(EventFilter(), "Conference Tracker", f"{BASE_URL}/calendar.ics")
    cache = feeds.FeedCache()
    full, reference, edit, serialized = [], [], [], 0
    with Session(engine, expire_on_commit=False) as session:
        feeds.get_feed(session, cache, spec, BASE_URL, NOW)
        session.commit()
        public = select(Event.id).where(
            Event.uid.like("bench-%"), Event.visibility == "public", Event.status == "confirmed"
        )
        target = session.execute(public.limit(1)).scalar_one()
        for number in range(repeats):
            for serializer, seconds in ((ical.write_vevent, full), (reference_vevent, reference)):
                session.execute(delete(EventIcs))  # from scratch: no stored block (rolled back below)
                fast, ical.write_vevent = ical.write_vevent, serializer
                try:
                    started = time.perf_counter()
                    feeds.build_feed(session, spec, BASE_URL, NOW)
                    seconds.append(time.perf_counter() - started)
                finally:
                    ical.write_vevent = fast
                session.rollback()

            values = event_input_from(load_event(session, target))
            values["title"] = f"Edited title {number}"
            update_event(session, target, EventInput.from_form(values), None, None, NOW + timedelta(minutes=number))
            session.commit()
            started = time.perf_counter()
            feed = feeds.get_feed(session, cache, spec, BASE_URL, NOW)
            session.commit()
            edit.append(time.perf_counter() - started)
            serialized = feed.serialized
    engine.dispose()
    return statistics.median(full), statistics.median(reference), statistics.median(edit), serialized


def figure_f(database_url: str) -> tuple[int, int, int, str]:
    """(events in the feed, checker findings, instants ical.js reads differently, the first findings)."""
    from sqlalchemy import select
    from sqlmodel import Session

    from tests.feeds_support import expected_instants, icaljs_events, icscheck
    from tracker.db import make_engine
    from tracker.filters import EventFilter
    from tracker.models import Event
    from tracker.services import feeds

    engine = make_engine(database_url)
    spec = feeds.public_spec(EventFilter(), "Conference Tracker", f"{BASE_URL}/calendar.ics")
    with Session(engine) as session:
        feed = feeds.build_feed(session, spec, BASE_URL, NOW)
        included = session.exec(select(Event).where(*feeds.feed_conditions(EventFilter(), False, NOW))).scalars()  # type: ignore[call-overload]
        expected = {event.uid: expected_instants(event) for event in included}
        session.rollback()
    engine.dispose()
    [result] = icscheck(feed.body, fast=True)
    seen = icaljs_events(feed.body)
    wrong = sum(seen.get(uid) != instants for uid, instants in expected.items()) + len(set(seen) - set(expected))
    findings = result.errors + result.warnings + abs(result.events - len(expected))
    return len(expected), findings, wrong, result.output[:2000]


def figure_c(database_url: str, seconds: float, workers: int, folder: Path, rounds: int) -> dict[str, float]:
    """Requests per second of each variant: the best of ``rounds`` interleaved runs."""
    from sqlmodel import Session

    from tracker.db import make_engine
    from tracker.filters import EventFilter
    from tracker.services import feeds

    engine = make_engine(database_url)
    spec = feeds.public_spec(EventFilter(), "Conference Tracker", f"{BASE_URL}/calendar.ics")
    with Session(engine) as session:
        feed = feeds.build_feed(session, spec, BASE_URL, NOW)
        session.commit()
    engine.dispose()
    feed_file = folder / "feed.ics"
    feed_file.write_bytes(feed.body)
    Path(f"{feed_file}.gz").write_bytes(feed.gzipped())
    app_env = {
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_BASE_URL": BASE_URL,
        "TRACKER_INSTANCE_PATH": str(folder / "instance"),
        "TRACKER_SECRET_KEY": "bench-secret-key-0123456789",
    }
    figures: dict[str, float] = {}
    gzip_headers = {"Accept-Encoding": "gzip"}
    with gunicorn("feeds:bench_app()", {**app_env, "BENCH_FEED_FILE": str(feed_file)}, workers) as url:
        served = urllib.request.urlopen(urllib.request.Request(url, headers=gzip_headers), timeout=60)
        etag = served.headers["ETag"]
        served.read()
        base = url.removesuffix("/calendar.ics")
        runs = {
            "feed_gzip": (url, gzip_headers),
            "same_app_gzip": (f"{base}/precomputed.ics", gzip_headers),
            "bare_gzip": (f"{base}/bare/calendar.ics", gzip_headers),
            "feed_identity": (url, {}),
            "same_app_identity": (f"{base}/precomputed.ics", {}),
            "bare_identity": (f"{base}/bare/calendar.ics", {}),
            "feed_304": (url, {**gzip_headers, "If-None-Match": etag}),
        }
        results: dict[str, list[float]] = {name: [] for name in runs}
        names = list(runs)
        for number in range(rounds):  # interleaved, so that load from elsewhere hits every variant alike,
            for name in names[number % len(names) :] + names[: number % len(names)]:  # each round from another
                target, headers = runs[name]
                results[name].append(load(target, seconds, headers))
        figures.update({name: max(values) for name, values in results.items()})
        figures["rounds"] = results  # type: ignore[assignment]
    figures["worker_peak_rss_mb"] = max(gunicorn.last_worker_peaks or [0.0])  # type: ignore[attr-defined]
    figures["gzip_bytes"] = len(feed.gzipped())
    figures["bytes"] = len(feed.body)
    return figures


def _paired(figures: dict[str, Any], ours: str, theirs: str) -> float:
    """The median over rounds of one variant's req/s divided by another's in the same round."""
    rounds = figures["rounds"]
    return statistics.median(mine / other for mine, other in zip(rounds[ours], rounds[theirs], strict=True))


def print_load(figures: dict[str, Any], args: argparse.Namespace) -> None:
    """Figure (c)."""
    loader = "wrk -t2 -c8" if shutil.which("wrk") else "4 Python threads"
    print(f"(c) gunicorn, {args.workers} sync workers, best of {args.rounds} interleaved "
          f"{args.seconds:.0f}-s runs, load: {loader}")  # fmt: skip
    print("    precomputed = the feed's bytes and headers replayed; ratios: best run / best run "
          "[median of the per-round ratios]")  # fmt: skip
    for variant in ("gzip", "identity"):
        ours, same, bare = (figures[f"{name}_{variant}"] for name in ("feed", "same_app", "bare"))
        print(f"    {variant:8}: feed {ours:7.1f} req/s; precomputed: in the tracker app {same:7.1f} req/s -> "
              f"{ours / same:.0%} [{_paired(figures, f'feed_{variant}', f'same_app_{variant}'):.0%}], "
              f"in a bare Flask app {bare:7.1f} req/s -> {ours / bare:.0%} "
              f"[{_paired(figures, f'feed_{variant}', f'bare_{variant}'):.0%}]   (target >= 80 %)")  # fmt: skip
    ratio_304 = figures["feed_304"] / figures["same_app_gzip"]
    print(f"    304     : {figures['feed_304']:7.1f} req/s -> {ratio_304:.0%} "
          f"[{_paired(figures, 'feed_304', 'same_app_gzip'):.0%}] of the precomputed gzip answer in the tracker "
          f"app, {figures['feed_304'] / figures['bare_gzip']:.0%} [{_paired(figures, 'feed_304', 'bare_gzip'):.0%}]"
          " of the bare Flask app   (target >= 100 %)")  # fmt: skip


def main() -> None:
    """Prepare the data, run every figure, print them (a straight script, long because it prints seven figures)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each load run for (c)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of load runs for (c)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3, help="fresh-process runs of (b') and its baseline")
    parser.add_argument("--no-load", action="store_true", help="skip (c), the gunicorn load runs")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--probe", choices=("first", "restart", "baseline", "searches"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe == "searches":
        print(json.dumps(probe_searches(args.database_url)))
        return
    if args.probe:
        print(json.dumps(probe(args.probe, args.database_url)))
        return

    folder = Path(tempfile.mkdtemp(prefix="bench-feeds-"))
    scratch = ExitStack()
    database_url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    if database_url.startswith("postgresql"):  # a database of its own on that server, dropped afterwards
        from tracker.db import scratch_postgresql_database

        database_url = scratch.enter_context(scratch_postgresql_database(database_url, "tracker_bench_feeds"))
    try:
        started = time.perf_counter()
        prepare(database_url, args.events)
        backend = database_url.split(":")[0]
        print(f"data: {args.events} events ({backend}), prepared in {time.perf_counter() - started:.1f} s")

        firsts, baselines = [], []
        for _ in range(args.repeats):  # alternately, so that load from elsewhere hits both alike
            firsts.append(run_probe("first", database_url))  # no stored block: every event serialized
            baselines.append(run_probe("baseline", database_url))  # minimal hand-written serializer
        first = min(firsts, key=lambda result: result["seconds"])
        baseline = min(baselines, key=lambda result: result["seconds"])
        first_s = statistics.median(result["seconds"] for result in firsts)
        baseline_s = statistics.median(result["seconds"] for result in baselines)
        restart = run_probe("restart", database_url)  # a new process; blocks are in the database
        searches = run_probe("searches", database_url)  # a new app process; 16 distinct ?q= feeds
        full, reference, edit, serialized = figure_a(database_url)
        checked, findings, wrong, output = figure_f(database_url)
        if not args.no_load:
            figures = figure_c(database_url, args.seconds, args.workers, folder, args.rounds)

        print(f"feed: {restart['events']} VEVENTs, {restart['bytes'] / 2**20:.2f} MiB"
              + ("" if args.no_load else f" ({figures['gzip_bytes'] / 2**20:.2f} MiB gzip)"))  # fmt: skip
        print()
        print("(a) one edit vs a full build with icalendar")
        print(f"    full build (icalendar, no stored block): {reference * 1000:8.1f} ms")
        print(f"    full build (ours, no stored block):      {full * 1000:8.1f} ms")
        print(f"    feed after one edit ({serialized} serialized):   {edit * 1000:8.1f} ms")
        print(f"    ratio: {edit / reference:.1%} of the icalendar build   (target <= 5 %); "
              f"{edit / full:.1%} of our full build")  # fmt: skip
        print("(b) first request after a restart vs a minimal hand-written serializer (fresh processes)")
        print(f"    hand-written serializer (median of {args.repeats}):  {baseline_s * 1000:8.1f} ms")
        restart_ms = restart["seconds"] * 1000
        print(f"    after restart ({restart['serialized']} serialized, stored blocks): {restart_ms:8.1f} ms")
        print(f"    ratio: {restart['seconds'] / baseline_s:.2f}x   (target <= 3x)")
        print("(b') first-ever build, no event serialized yet, vs the hand-written serializer (fresh processes)")
        print(f"    first-ever build, {first['serialized']} events serialized and stored (median of {args.repeats}): "
              f"{first_s * 1000:8.1f} ms")  # fmt: skip
        runs = [", ".join(f"{result['seconds'] * 1000:.0f}" for result in results) for results in (firsts, baselines)]
        print(f"    ratio: {first_s / baseline_s:.2f}x   (target <= 3x)   [runs: {runs[0]} ms vs {runs[1]} ms]")
        if args.no_load:
            print("(c) skipped (--no-load)")
        else:
            print_load(figures, args)
        print("(d) peak memory, 10,000-event feed (resident set of a fresh process: before the build -> peak)")
        for probe_result, label in ((first, "first-ever build"), (restart, "after restart"),
                                    (baseline, "hand-written serializer")):  # fmt: skip
            print(f"    {label:24}: {probe_result['rss_before_mb']:6.1f} MiB -> {probe_result['peak_rss_mb']:6.1f} MiB "
                  f"(+{probe_result['peak_rss_mb'] - probe_result['rss_before_mb']:.1f} MiB)")  # fmt: skip
        if not args.no_load:
            print(f"    gunicorn worker after all load runs: peak RSS {figures['worker_peak_rss_mb']:.1f} MiB")
        grown = searches["rss_after_mb"] - searches["rss_before_mb"]
        print(f"(e) one app process, {searches['feeds']} distinct ?q= feeds of all events ({searches['gzip_mb']:.2f} "
              f"MiB gzip each, 4 at a time, {searches['seconds_each']:.2f} s each)")  # fmt: skip
        print(f"    resident set: {searches['rss_before_mb']:.1f} MiB -> {searches['rss_after_mb']:.1f} MiB "
              f"(+{grown:.1f} MiB; peak {searches['peak_rss_mb']:.1f} MiB)")  # fmt: skip
        print(f"    feed cache: {searches['cached_feeds']} feeds, {searches['cached_mb']:.1f} MiB of a "
              f"{searches['budget_mb']:.0f} MiB budget (FEED_CACHE_MAX_BYTES); "
              f"growth {grown / searches['budget_mb']:.2f}x the budget")  # fmt: skip
        print(f"(f) the {checked}-event feed: {findings} checker findings, {wrong} instants read differently by ical.js"
              "   (target: 0 and 0)" + (f"\n{output}" if findings else ""))  # fmt: skip
        print(f"total {time.perf_counter() - started:.0f} s")
    finally:
        scratch.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
