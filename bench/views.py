"""Benchmark of the calendar pages on 100,000 events, on SQLite and (when reachable) PostgreSQL.

Prints, per database:
  * the query plans of the month, agenda, longest-event and search queries (they must use indexes);
  * the month query with its lower bound on start_dt against the same query without it (the index at work);
  * a month page request (Flask, routing, filter, queries, grid, template, headers) against the template
    render of the same page alone: the ratio is the database + Python overhead, target ≤ 1.3×;
  * the same for the agenda (home) page (target ≤ 1.5×) and a search (target ≤ 2×);
  * the month page in mk and in sq against the same page in en (half the events translated; target ≤ 1.1×).
Figures are ratios measured in the same run, printed, never asserted. Fairness: both sides render the same
template from the same data (checked: the render gives the page the request returned), both are warmed up
first, and their repetitions alternate (request, render, render, request, …) so that a busy machine slows
both alike; each side's figure is the median of its repetitions.

Run:  .venv/bin/python bench/views.py [--events 100000] [--runs 25] [--pg postgresql+psycopg://root@127.0.0.1:5432/test]
PostgreSQL: a fresh database is created on that server (default: $TRACKER_TEST_DATABASE_URL) and dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import render_template
from sqlalchemy import Engine, select, text
from sqlmodel import Session

from tracker import create_app, fulltext
from tracker.db import scratch_postgresql_database
from tracker.filters import parse_filter
from tracker.migrations import upgrade
from tracker.models import Event, EventOrganisation, Organisation
from tracker.services import agenda, calendar, search
from tracker.services.calendar_queries import GRID_COLUMNS, grid_statement, longest_duration, upcoming_statement, window
from tracker.timezones import all_day_bounds, local_to_utc
from tracker.views.calendar import page_context
from tracker.web.sessions import get_engine

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2028, 12, 31)  # ~290 events a month at 100,000
MONTH = (2014, 6)
#: Page request / template render, per page (issue 9).
TARGETS = {"month page": 1.3, "agenda page": 1.5, "search page": 2.0}
NOW = datetime(2014, 6, 10, 9, 0, tzinfo=UTC)
ZONES = ["Europe/Skopje", "Europe/Brussels", "Europe/Vienna", "Europe/Warsaw", "America/New_York", "Asia/Tokyo"]
CITIES = ["Skopje", "Ohrid", "Bitola", "Brussels", "Vienna", "Geneva", "Warsaw", "Скопје", "Zürich", "Praha"]
WORDS = [
    "ministerial", "conference", "migration", "border", "security", "regional", "forum", "meeting", "visit",
    "seminar", "trafficking", "asylum", "cooperation", "western", "balkans", "interior", "justice", "police",
]  # fmt: skip


def generate(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Plausible events: mostly timed meetings of 1–4 hours, some all-day conferences of 1–4 days."""
    rng = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).days
    for number in range(count):
        zone = rng.choice(ZONES)
        day = FIRST_DAY + timedelta(days=rng.randrange(span))
        all_day = rng.random() < 0.2
        if all_day:
            last = day + timedelta(days=rng.randrange(4))
            start, end = all_day_bounds(day, last, zone)
            first_date, last_date = day, last
        else:
            start = local_to_utc(day, datetime.min.time().replace(hour=rng.randrange(7, 20)), zone)
            end = start + timedelta(minutes=30 * rng.randrange(2, 9))
            first_date = last_date = None
        words = rng.sample(WORDS, 4)
        translated = number % 2 == 0  # half the events carry Macedonian and Albanian titles, as the demo does
        yield {
            "uid": f"bench-{number}@bench", "title": " ".join(words).capitalize(),
            "kind": rng.choice(["conference", "meeting", "official_visit", "other"]),
            "status": rng.choices(["confirmed", "tentative", "postponed", "cancelled"], [85, 8, 3, 4])[0],
            "all_day": all_day, "timezone": zone, "start_dt": start, "end_dt": end, "start_date": first_date,
            "end_date": last_date, "venue": "", "city": rng.choice(CITIES), "country": "MK",
            "description": " ".join(rng.choices(WORDS, k=25)), "language": "en",
            "translations": json.dumps({"mk": {"title": f"Средба {number}", "description": ""},
                                        "sq": {"title": f"Takim {number}", "description": ""}}) if translated else "{}",
            "visibility": "public" if rng.random() < 0.95 else "internal", "revision": 1, "sequence": 0,
            "created_dt": start, "updated_dt": start,
        }  # fmt: skip


def load(engine: Engine, count: int) -> float:
    started = time.perf_counter()
    with engine.begin() as connection:
        organisations = [{"name": f"Organisation {n}", "slug": f"organisation-{n}", "acronym": f"ORG{n}",
                          "kind": "ministry", "created_dt": NOW, "updated_dt": NOW} for n in range(40)]  # fmt: skip
        connection.execute(Organisation.__table__.insert(), organisations)  # type: ignore[attr-defined]
    batch: list[dict[str, Any]] = []
    for row in generate(count):
        batch.append(row)
        if len(batch) == 5000:
            with engine.begin() as connection:
                connection.execute(Event.__table__.insert(), batch)  # type: ignore[attr-defined]
            batch = []
    if batch:
        with engine.begin() as connection:
            connection.execute(Event.__table__.insert(), batch)  # type: ignore[attr-defined]
    with engine.begin() as connection:  # every 10th event gets a host organisation
        links = [{"event_id": event_id, "organisation_id": 1 + event_id % 40, "role": "host", "sort_order": 0}
                 for event_id in range(1, count + 1, 10)]  # fmt: skip
        connection.execute(EventOrganisation.__table__.insert(), links)  # type: ignore[attr-defined]
        connection.execute(text("ANALYZE"))
    return time.perf_counter() - started


#: Wall-clock and CPU seconds (this process's CPU: on SQLite that includes the database, on PostgreSQL the
#: server's work is not in it); on a busy machine the CPU figure is the steadier one.
Timing = tuple[float, float]


def timed(function: Callable[[], Any]) -> Callable[[], Timing]:
    """``function`` as a callable that returns how long the call took (wall, CPU)."""

    def run() -> Timing:
        started, cpu = time.perf_counter(), time.process_time()
        function()
        return time.perf_counter() - started, time.process_time() - cpu

    return run


def paired_median_times(first: Callable[[], Timing], second: Callable[[], Timing], runs: int) -> tuple[Timing, Timing]:
    """Medians of ``runs`` timings of each (callables return their own duration), taken alternately and in
    alternating order, so that load on the machine falls on both alike; both are warmed up first."""
    first(), second()
    samples: tuple[list[Timing], list[Timing]] = ([], [])
    for run in range(runs):
        order = ((0, first), (1, second)) if run % 2 == 0 else ((1, second), (0, first))
        for side, function in order:
            samples[side].append(function())

    def medians(side: list[Timing]) -> Timing:
        return statistics.median(wall for wall, _cpu in side), statistics.median(cpu for _wall, cpu in side)

    return medians(samples[0]), medians(samples[1])


def comparable(html: str) -> str:
    """The page without its per-session CSRF tokens."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', html)


def plan(session: Session, statement: Any, parameters: dict[str, Any] | None = None) -> str:
    bind = session.get_bind()
    compiled = statement.compile(bind)
    prefix = "EXPLAIN QUERY PLAN " if bind.dialect.name == "sqlite" else "EXPLAIN "
    values = compiled.construct_params(parameters or {}, escape_names=False)
    processed = {name: compiled.binds[name].type._cached_bind_processor(bind.dialect) for name in values}
    values = {name: (processed[name](value) if processed[name] else value) for name, value in values.items()}
    sql = str(compiled)
    if bind.dialect.name == "postgresql":  # psycopg renders named parameters itself
        rows = session.connection().exec_driver_sql(prefix + sql, values).all()
    else:
        ordered = tuple(values[name] for name in compiled.positiontup)  # type: ignore[union-attr]
        rows = session.connection().exec_driver_sql(prefix + sql, ordered).all()
    lines = [" ".join(str(part) for part in row[-1:]) for row in rows]
    return "\n".join("      " + line for line in lines)


def report_plans(session: Session) -> None:
    """The plans of the statements the pages run (the cached statement objects themselves)."""
    empty = parse_filter({}, session)
    first, last = date(*MONTH, 1) - timedelta(days=7), date(*MONTH, 28) + timedelta(days=14)
    start, end = window(first, last, None)
    dialect = session.get_bind().dialect.name
    month = grid_statement(empty, False, dialect)
    upcoming = upcoming_statement(empty, False, dialect)
    searched = search._ranked_statement(empty, False, dialect)
    query = {"fts5_query": fulltext.fts5_query("skopje trafficking"), "tsquery": fulltext.tsquery("skopje trafficking")}
    print(f"    longest event: {longest_duration(session)}")
    print("    plan, month query (start_dt < end AND end_dt > start AND start_dt >= start - longest, one query):")
    print(plan(session, month, {"window_start": start, "window_end": end}))
    print("    plan, agenda query (end_dt > now AND start_dt >= now - longest ORDER BY start_dt LIMIT 51):")
    print(plan(session, upcoming, {"now": NOW, "page_limit": 51, "page_offset": 0}))
    print("    plan, search ranking with other filters (q=skopje trafficking, ids and ranks of one page):")
    print(plan(session, searched, {**query, "page_limit": 51, "page_offset": 0}))
    candidates = getattr(search, "_candidates_statement", None)
    if candidates is not None:
        print("    plan, search ranking without (the index's best matches alone):")
        print(plan(session, candidates(dialect), {**query, "candidate_limit": 102}))


def bench_backend(name: str, url: str, count: int, runs: int) -> None:
    print(f"\n== {name}: {count:,} events")
    instance = tempfile.mkdtemp(prefix="tracker-bench-")
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench-secret-key-0123456789", "TESTING": False},
        environ={"TRACKER_INSTANCE_PATH": instance},
    )
    engine = get_engine(app)
    upgrade(engine)
    seconds = load(engine, count)
    print(f"    loaded in {seconds:.1f} s ({count / seconds:,.0f} events/s, search index kept by triggers)")
    with Session(engine) as session:
        report_plans(session)
        empty = parse_filter({}, session)
        start, end = window(date(*MONTH, 1) - timedelta(days=7), date(*MONTH, 28) + timedelta(days=14), None)
        bounded = grid_statement(empty, False, session.get_bind().dialect.name)
        unbounded = empty.apply(select(*GRID_COLUMNS)).where(Event.start_dt < end, Event.end_dt > start)
        window_parameters = {"window_start": start, "window_end": end}
        with_bound, without = paired_median_times(
            timed(lambda: session.exec(bounded, params=window_parameters).all()),  # type: ignore[call-overload]
            timed(lambda: session.exec(unbounded).all()),  # type: ignore[call-overload]
            runs,
        )
        print(f"    month query: {with_bound[0] * 1000:.2f} ms with the lower bound, {without[0] * 1000:.2f} ms "
              f"without ({without[0] / with_bound[0]:.1f}× slower without)")  # fmt: skip

    client = app.test_client()
    pages = {
        "month page": f"/calendar/{MONTH[0]}/{MONTH[1]}",
        "agenda page": "/",
        "search page": "/?q=skopje+trafficking",
    }
    import time_machine

    with time_machine.travel(NOW, tick=True):
        for label, path in pages.items():
            response = client.get(path)
            assert response.status_code == 200, response.status_code
            render = render_only(app, path)
            same = comparable(render()[0]) == comparable(response.get_data(as_text=True))
            (request_time, request_cpu), (render_time, render_cpu) = paired_median_times(
                timed(lambda path=path: client.get(path)), lambda render=render: render()[1], runs
            )
            size = len(response.data)
            if not same:
                print(f"    NOTE: the render of {path} is not the page the request returned: the ratio is not fair")
            print(f"    {label} ({path}, {size / 1024:.0f} KB): request {request_time * 1000:.1f} ms, "
                  f"template render {render_time * 1000:.1f} ms, ratio {request_time / render_time:.2f}× "
                  f"(target ≤ {TARGETS[label]}×){'; same HTML on both sides' if same else ''}")  # fmt: skip
            print(f"      CPU time: request {request_cpu * 1000:.1f} ms, template render {render_cpu * 1000:.1f} ms, "
                  f"ratio {request_cpu / render_cpu:.2f}×")  # fmt: skip
        compare_languages(client, f"/calendar/{MONTH[0]}/{MONTH[1]}", runs)
        with app.app_context(), Session(engine) as session:
            view = calendar.month_view(session, parse_filter({}, session), *MONTH, NOW, include_internal=False)
            shown = sum(len(day.items) for week in view.weeks for day in week.days)
            print(f"    month grid: {view.event_count} events in the month, {shown} day entries drawn")
    engine.dispose()


def compare_languages(client: Any, path: str, runs: int) -> None:
    """The month page in Macedonian and in Albanian against the same page in English (target ≤ 1.1×): the same
    events, half of them translated; only the language differs (``?lang=``)."""
    english = client.get(f"{path}?lang=en")
    assert english.status_code == 200 and 'lang="en"' in english.get_data(as_text=True)[:100]
    for language in ("mk", "sq"):
        page = client.get(f"{path}?lang={language}")
        assert page.status_code == 200 and f'lang="{language}"' in page.get_data(as_text=True)[:100]
        (local_time, local_cpu), (english_time, english_cpu) = paired_median_times(
            timed(lambda language=language: client.get(f"{path}?lang={language}")),
            timed(lambda: client.get(f"{path}?lang=en")),
            runs,
        )
        print(
            f"    month page in {language} against en: {local_time * 1000:.1f} ms vs {english_time * 1000:.1f} ms, "
            f"ratio {local_time / english_time:.2f}× (CPU {local_cpu / english_cpu:.2f}×; target ≤ 1.1×)"
        )


def render_only(app: Any, path: str) -> Callable[[], tuple[str, Timing]]:
    """Render the page's template from a context built once (what the request adds is the rest)."""
    from flask import g

    context_holder: dict[str, Any] = {}

    def build() -> tuple[str, dict[str, Any]]:
        from tracker.web.sessions import get_session

        session = get_session()
        if path.startswith("/calendar/"):
            event_filter = parse_filter({}, session)
            view = calendar.month_view(session, event_filter, *MONTH, NOW, include_internal=False)
            return "calendar_month.html", {"month": view, "today": NOW.date(), **page_context(event_filter, "month")}
        if "q=" in path:
            event_filter = parse_filter({"q": "skopje trafficking"}, session)
            hits = search.search_events(session, event_filter, include_internal=False, limit=51)
            return "agenda/search.html", {"hits": hits[:50], "has_more": len(hits) > 50, "page": 1, "now": NOW,
                                          **page_context(event_filter, "agenda")}  # fmt: skip
        event_filter = parse_filter({}, session)
        events = agenda.agenda(session, event_filter, NOW, include_internal=False, limit=51)
        return "agenda/upcoming.html", {"days": agenda.group_by_day(events[:50], None, NOW.date()),
                                        "has_more": True, "page": 1, "today": NOW.date(),
                                        **page_context(event_filter, "agenda")}  # fmt: skip

    def render() -> tuple[str, Timing]:
        """The page and the seconds (wall, CPU) ``render_template`` took (setting up the request context is
        not timed: the request side pays for its own context, this side times the template render alone)."""
        with app.test_request_context(path):
            g.user = None
            if "context" not in context_holder:
                context_holder["context"] = build()
            template, context = context_holder["context"]
            started, cpu = time.perf_counter(), time.process_time()
            html = render_template(template, **context)
            return html, (time.perf_counter() - started, time.process_time() - cpu)

    return render


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=25, help="timed repetitions per figure (medians)")
    parser.add_argument("--pg", default=os.environ.get("TRACKER_TEST_DATABASE_URL", ""), help="PostgreSQL server URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as folder:
        bench_backend("SQLite", f"sqlite:///{folder}/bench.sqlite3", args.events, args.runs)
    if args.pg:
        with scratch_postgresql_database(args.pg, "tracker_bench") as url:
            bench_backend("PostgreSQL", url, args.events, args.runs)
    else:
        print("\n(PostgreSQL skipped: give --pg or set TRACKER_TEST_DATABASE_URL)")


if __name__ == "__main__":
    main()
