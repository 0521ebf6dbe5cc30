"""Benchmark of importing and syncing calendars: the figures of issue 12, printed as ratios measured in one run.

(a) importing a 10,000-event .ics into an empty SQLite database through the real path (``read_calendar`` →
    ``plan_import`` → ``apply_import`` in a ``write_session``, commit) vs ``icalendar.Calendar.from_ical`` of
    the same bytes (target ≤ 3×); the reader alone against the same baseline, for where the time goes
(b) peak Python memory (``tracemalloc``) of that import, in all and per event
(c) a re-sync of the unchanged source through ``sync_source`` — the server answering 304, then the server
    sending no ETag (unchanged body, skipped by its hash) — vs one plain conditional GET of the same URL
    with ``requests`` (target ≤ 2×)

Why these baselines: ``icalendar``'s parse is the least any importer built on it must do with the file, and
one conditional GET is the least any sync must do with the network; the ratios say what our checks, zones,
form validation, revisions and links cost on top. The machine is shared and noisy, so each figure alternates
subject and baseline and compares medians. The file is generated here: Balkan and EU zones (TZID), one event in
twenty all-day, UIDs, LOCATION "venue, city, Country", CATEGORIES, DESCRIPTION, URL, SEQUENCE, LAST-MODIFIED.

An import round needs a fresh database (a second import of the same file would only match), so (a) runs
IMPORT_ROUNDS times, each on a new migrated SQLite file of an app built by ``tracker.create_app``; the reader
and the re-syncs are cheap and run more rounds. /api/events is measured by another script (bench/views.py).

Run from the project root:  .venv/bin/python bench/imports.py [--events 10000] [--rounds 3] [--memory] [--profile]
The run takes about 4 minutes on 2 cores (each 10,000-event import takes about 50 s); --memory traces the first
sync's import with tracemalloc (about 4 minutes more), --profile prints a cProfile of one more import (2 more).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import icalendar  # noqa: E402
import requests  # noqa: E402
from sqlalchemy import Engine, func  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.db import write_session  # noqa: E402
from tracker.ical.reading import ReadLimits, read_calendar  # noqa: E402
from tracker.migrations import upgrade  # noqa: E402
from tracker.models import CalendarSource, Event  # noqa: E402
from tracker.services.fetching import FetchLimits  # noqa: E402
from tracker.services.import_forms import ImportDefaults  # noqa: E402
from tracker.services.imports import apply_import, plan_import  # noqa: E402
from tracker.services.sources import SyncSettings, sync_source  # noqa: E402
from tracker.web.sessions import get_engine  # noqa: E402

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
LIMITS = ReadLimits(window_start=date(2026, 1, 1), window_end=date(2030, 1, 1), max_bytes=50_000_000)
DEFAULTS = ImportDefaults(kind="conference", tags=("imported",), citation="Benchmark feed")
#: A sync's limits, loopback allowed (the feed is served here); more bytes and time than the app's defaults, since
#: the file is larger than 5 MiB and tracemalloc slows the first sync about 4×.
SETTINGS = SyncSettings(
    fetch=FetchLimits(allow_private=True, max_bytes=50_000_000, deadline_seconds=600),
    max_bytes=50_000_000,
    budget_seconds=600,
)
ZONES = ("Europe/Skopje", "Europe/Belgrade", "Europe/Tirane", "Europe/Sofia", "Europe/Brussels", "Europe/Vienna")
PLACES = (
    ("Hotel Continental", "Skopje", "North Macedonia"),
    ("Palace of Serbia", "Belgrade", "Serbia"),
    ("Hotel Tirana International", "Tirana", "Albania"),
    ("National Palace of Culture", "Sofia", "Bulgaria"),
    ("Justus Lipsius building", "Brussels", "Belgium"),
    ("Hofburg", "Vienna", "Austria"),
)
TOPICS = ("border management", "returns", "asylum", "police cooperation", "organised crime", "cyber security")
KINDS = ("Regional conference on", "Bilateral meeting on", "Working visit on", "Expert workshop on")
TARGETS = {"import": 3.0, "resync": 2.0}


# --- the file --------------------------------------------------------------------------------------------


def vevent(number: int) -> str:
    """One realistic VEVENT; every twentieth is an all-day (multi-day for some) event."""
    zone, (venue, city, country) = ZONES[number % len(ZONES)], PLACES[number % len(PLACES)]
    day = datetime(2027, 1, 4, 9, 0) + timedelta(days=number // 12, hours=number % 12 % 8, minutes=number % 4 * 15)
    title = f"{KINDS[number % len(KINDS)]} {TOPICS[number // 4 % len(TOPICS)]} ({number})"
    if number % 20 == 0:
        last = day.date() + timedelta(days=1 + number % 3)
        when = f"DTSTART;VALUE=DATE:{day:%Y%m%d}\r\nDTEND;VALUE=DATE:{last:%Y%m%d}\r\n"
    else:
        end = day + timedelta(hours=1 + number % 3)
        when = f"DTSTART;TZID={zone}:{day:%Y%m%dT%H%M%S}\r\nDTEND;TZID={zone}:{end:%Y%m%dT%H%M%S}\r\n"
    return (
        f"BEGIN:VEVENT\r\nUID:event-{number}@partner.example\r\nDTSTAMP:20261201T080000Z\r\n"
        f"LAST-MODIFIED:20261130T120000Z\r\nSEQUENCE:{number % 3}\r\nSTATUS:CONFIRMED\r\n"
        f"SUMMARY:{title}\r\n{when}LOCATION:{venue}\\, {city}\\, {country}\r\n"
        f"CATEGORIES:{TOPICS[number % len(TOPICS)].title()},Western Balkans\r\n"
        f"DESCRIPTION:Ministers and senior officials meet on {TOPICS[number // 4 % len(TOPICS)]}.\\n"
        f"Programme and accreditation on the organiser's site.\r\n"
        f"URL:https://partner.example/events/{number}\r\nEND:VEVENT\r\n"
    )


def feed(events: int) -> bytes:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Partner ministry//Events//EN\r\nX-WR-CALNAME:Partner\r\n"
    return (head + "".join(vevent(number) for number in range(events)) + "END:VCALENDAR\r\n").encode()


# --- apps, databases and the server ---------------------------------------------------------------------


@contextmanager
def fresh_engine() -> Iterator[Engine]:
    """A migrated, empty SQLite database of an app built as in production (so its save listeners are set)."""
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as folder:
        config = {"DATABASE_URL": f"sqlite:///{folder}/tracker.sqlite3", "SECRET_KEY": "bench-secret-0123456789"}
        app = create_app(config, environ={"TRACKER_INSTANCE_PATH": f"{folder}/instance"})
        engine = get_engine(app)
        upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()


class FeedServer:
    """Serves ``body`` on loopback; with ``etag`` set, a matching If-None-Match gets 304."""

    def __init__(self, body: bytes) -> None:
        self.body, self.etag = body, '"v1"'
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                if owner.etag and self.headers.get("If-None-Match") == owner.etag:
                    self.send_response(304)
                    self.send_header("ETag", owner.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("Content-Length", str(len(owner.body)))
                if owner.etag:
                    self.send_header("ETag", owner.etag)
                self.end_headers()
                self.wfile.write(owner.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/partner.ics"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- measuring ------------------------------------------------------------------------------------------


def timed(function: Callable[[], object]) -> float:
    gc.collect()
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def alternate(rounds: int, ours: Callable[[], object], baseline: Callable[[], object]) -> tuple[float, float]:
    """Medians of ``ours`` and ``baseline`` run alternately (which goes first swaps every round)."""
    mine: list[float] = []
    theirs: list[float] = []
    for number in range(rounds):
        pair = [(ours, mine), (baseline, theirs)]
        for function, results in pair if number % 2 == 0 else reversed(pair):
            results.append(timed(function))
    return statistics.median(mine), statistics.median(theirs)


def import_into(engine: Engine, data: bytes) -> dict[str, float]:
    """The import as ``tracker import`` and the upload do it (read, plan, apply, commit): seconds per step."""
    marks = [time.perf_counter()]
    with write_session(engine) as session:
        result = read_calendar(data, LIMITS)
        marks.append(time.perf_counter())
        plan = plan_import(session, result, DEFAULTS, source_id=None, now=NOW)
        assert plan.ok, plan.problems[:5]
        marks.append(time.perf_counter())
        apply_import(session, plan, None, NOW, source_id=None)
        session.commit()
    marks.append(time.perf_counter())
    steps = dict(zip(("read", "plan", "apply"), (later - earlier for earlier, later in pairwise(marks)), strict=True))
    return {**steps, "total": marks[-1] - marks[0]}


def one_import(data: bytes, events: int, *, profile: cProfile.Profile | None = None) -> dict[str, float]:
    """Seconds of one import into a fresh database, by step (the database's creation not counted)."""
    with fresh_engine() as engine:
        gc.collect()
        if profile is not None:
            profile.enable()
        steps = import_into(engine, data)
        if profile is not None:
            profile.disable()
        with Session(engine) as session:
            stored = session.exec(select(func.count()).select_from(Event)).one()
        assert stored == events, f"{stored} events stored, {events} expected"
    return steps


def registered_source(engine: Engine, url: str) -> int:
    with write_session(engine) as session:
        source = CalendarSource(name="Partner ministry", url=url, default_kind="conference", created_dt=NOW)
        session.add(source)
        session.commit()
        assert source.id is not None
        return source.id


def traced_peak(function: Callable[[], object]) -> float:
    """Peak MiB of Python allocations while ``function`` runs (``tracemalloc``, which slows it about 4×)."""
    gc.collect()
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure_sync(data: bytes, rounds: int, memory: bool) -> tuple[list[tuple[str, float, float]], float | None]:
    """The re-sync figures (name, ours, baseline), and the first sync's peak memory when ``memory`` is asked.

    The first sync imports the feed (fetch, read, plan, apply, commit); the re-syncs then fetch it again."""
    server = FeedServer(data)
    try:
        with fresh_engine() as engine:
            source_id = registered_source(engine, server.url)

            def first() -> None:
                if sync_source(engine, source_id, SETTINGS, NOW) != "changed":
                    with Session(engine) as session:
                        source = session.get(CalendarSource, source_id)
                        raise RuntimeError(f"the first sync failed: {source.last_error if source else '?'}")

            peak = traced_peak(first) if memory else (first(), None)[1]
            figures = []
            for name, etag, expected in (
                ("re-sync, 304", '"v1"', "not-modified"),
                ("re-sync, same body", "", "unchanged"),
            ):
                server.etag = etag
                headers = {"If-None-Match": etag} if etag else {}

                def ours(expected: str = expected) -> None:
                    assert sync_source(engine, source_id, SETTINGS, NOW) == expected

                def baseline(headers: dict[str, str] = headers, status: int = 304 if etag else 200) -> None:
                    # A new connection, as a sync an interval later has: requests.get opens a session of its own.
                    answer = requests.get(server.url, headers=headers, timeout=30)
                    answer.raise_for_status()
                    assert answer.status_code == status and len(answer.content) in (0, len(data))

                ours(), baseline()  # warm-up
                figures.append((name, *alternate(rounds, ours, baseline)))
            return figures, peak
    finally:
        server.close()


def print_profile(data: bytes, events: int) -> None:
    profile = cProfile.Profile()
    one_import(data, events, profile=profile)
    print("\nWhere an import's time goes (cProfile, top 15 by cumulative time):")
    pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(15)


def row(name: str, ours: float, baseline: float, target: float | None) -> str:
    ratio = ours / baseline
    verdict = "" if target is None else ("pass" if ratio <= target else "FAIL")
    aim = "" if target is None else f"≤ {target:g}×"
    return f"{name:<32} {ours:>10.4f} {baseline:>10.4f} {ratio:>8.2f}× {aim:>7} {verdict:>5}"


def measure_imports(data: bytes, events: int, rounds: int) -> tuple[list[dict[str, float]], list[float]]:
    """Import rounds (each on a fresh database) alternating with ``icalendar``'s parse of the same bytes."""

    def parse() -> None:
        icalendar.Calendar.from_ical(data)

    parse()  # warm-up
    imports: list[dict[str, float]] = []
    parses: list[float] = []
    for number in range(rounds):
        pair = [lambda: imports.append(one_import(data, events)), lambda: parses.append(timed(parse))]
        for function in pair if number % 2 == 0 else reversed(pair):
            function()
        print(f"  import round {number + 1}: {imports[-1]['total']:.1f} s, icalendar {parses[-1]:.2f} s", flush=True)
    return imports, parses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="import rounds, each on a fresh database")
    parser.add_argument("--resyncs", type=int, default=15, help="rounds of each re-sync figure")
    parser.add_argument("--memory", action="store_true", help="trace the first sync's memory (about 4 min more)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one import")
    arguments = parser.parse_args()
    started = time.perf_counter()
    data = feed(arguments.events)
    print(f"{arguments.events:,} events, {len(data) / 2**20:.1f} MiB of iCalendar; {arguments.rounds} import rounds")
    imports, parses = measure_imports(data, arguments.events, arguments.rounds)
    resyncs, peak = measure_sync(data, arguments.resyncs, arguments.memory)

    parse = statistics.median(parses)
    print(f"\n{'figure':<32} {'median s':>10} {'base s':>10} {'ratio':>9} {'target':>7} {'':>5}")
    total = statistics.median(step["total"] for step in imports)
    print(row(f"import of {arguments.events:,} events", total, parse, TARGETS["import"]))
    for step, words in (("read", "read_calendar"), ("plan", "plan_import"), ("apply", "apply_import + commit")):
        print(row(f"  step: {words}", statistics.median(one[step] for one in imports), parse, None))
    for name, ours, baseline in resyncs:
        print(row(name, ours, baseline, TARGETS["resync"]))
    print("\nbaselines: icalendar.Calendar.from_ical of the same bytes; one conditional GET with requests.get")
    print(f"rounds: {arguments.rounds} imports, each on a fresh database; {arguments.resyncs} of each re-sync")
    if peak is not None:
        per_event = peak * 1024 / arguments.events
        print(f"peak memory of the first sync's import (tracemalloc): {peak:.0f} MiB, {per_event:.1f} KiB per event")
    if arguments.profile:
        print_profile(data, arguments.events)
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
