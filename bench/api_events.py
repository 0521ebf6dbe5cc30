"""Benchmark of ``/api/events`` for one month of 100,000 events, against the month page's query alone.

Prints, per database:
  * the plan of the API's window query (it must use the (start_dt, end_dt) index);
  * an ``/api/events`` request for the six weeks FullCalendar shows around June 2014 (Flask, routing, strict
    parameters, filter, the window query, organisations and tags, JSON, ETag) against the month page's grid
    query for the same weeks alone (``calendar_queries.grid_rows``): target ≤ 2×;
  * for reference, the API's two queries and serialisation without the request around them.
Both sides are warmed up and alternate (``bench/views.py``'s ``paired_median_times``); each figure is the median.
The events are the ones ``bench/views.py`` seeds (bulk inserts): ~290 a month, 20 % all-day, 5 % internal.

Run:  .venv/bin/python bench/api_events.py [--events 100000] [--runs 25] [--pg postgresql+psycopg://root@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, text
from sqlmodel import Session

from bench.views import NOW, generate, paired_median_times, plan, timed
from tracker import create_app
from tracker.db import scratch_postgresql_database
from tracker.filters import parse_filter
from tracker.migrations import upgrade
from tracker.models import Event, EventOrganisation, EventTag, Organisation
from tracker.services import api_events
from tracker.services.api_params import Page, parse_window
from tracker.services.calendar_queries import grid_rows, window
from tracker.web.sessions import get_engine

TARGET = 2.0
#: The six weeks FullCalendar's month view asks for in June 2014 (Sunday 25 May to Sunday 6 July, exclusive).
FIRST_SHOWN, END_SHOWN = date(2014, 5, 25), date(2014, 7, 6)


def load(engine: Engine, count: int) -> float:
    """Bulk-insert ``bench/views.py``'s events, 40 organisations (every 10th event has a host) and tags (every
    5th event has two); returns the seconds it took."""
    started = time.perf_counter()
    with engine.begin() as connection:
        organisations = [
            {
                "name": f"Organisation {n}",
                "slug": f"organisation-{n}",
                "acronym": f"ORG{n}",
                "kind": "ministry",
                "created_dt": NOW,
                "updated_dt": NOW,
            }
            for n in range(40)
        ]
        connection.execute(Organisation.__table__.insert(), organisations)  # type: ignore[attr-defined]
    rows = list(generate(count))
    with engine.begin() as connection:
        for first in range(0, count, 5000):
            connection.execute(Event.__table__.insert(), rows[first : first + 5000])  # type: ignore[attr-defined]
        links = [
            {"event_id": event_id, "organisation_id": 1 + event_id % 40, "role": "host", "sort_order": 0}
            for event_id in range(1, count + 1, 10)
        ]
        connection.execute(EventOrganisation.__table__.insert(), links)  # type: ignore[attr-defined]
        tags = [
            {"event_id": event_id, "tag": tag}
            for event_id in range(1, count + 1, 5)
            for tag in ("migration", "borders")
        ]
        connection.execute(EventTag.__table__.insert(), tags)  # type: ignore[attr-defined]
        connection.execute(text("ANALYZE"))
    return time.perf_counter() - started


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
    print(f"    loaded in {seconds:.1f} s ({count / seconds:,.0f} events/s)")
    path = f"/api/events?start={FIRST_SHOWN.isoformat()}&end={END_SHOWN.isoformat()}&limit=1000"
    client = app.test_client()
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    shown = len(response.get_json())
    with Session(engine) as session:
        empty = parse_filter({}, session)
        api_window = parse_window({"start": FIRST_SHOWN.isoformat(), "end": END_SHOWN.isoformat()}, NOW)
        grid_start, grid_end = window(FIRST_SHOWN, END_SHOWN - timedelta(days=1), None)  # what the month page asks
        statement = api_events.window_statement(empty, False, session.get_bind().dialect.name)
        parameters = {
            "window_start": api_window.start,
            "window_end": api_window.end,
            "first_day": api_window.first_day,
            "end_day": api_window.end_day,
            "outer_start": api_window.start - api_events.DAY_SLACK,
            "outer_end": api_window.end + api_events.DAY_SLACK,
            "page_limit": 1001,
            "page_offset": 0,
        }
        print("    plan, the API's window query:")
        print(plan(session, statement, parameters))
        grid_count = len(grid_rows(session, empty, grid_start, grid_end, include_internal=False))

        def month_query() -> Any:
            return grid_rows(session, empty, grid_start, grid_end, include_internal=False)

        def cold_request() -> None:
            answers.clear()  # as after any change to the data: the answer is built again
            client.get(path)

        def service() -> Any:
            return api_events.window_events(session, empty, api_window, Page(1000, 0), "", include_internal=False)

        answers = app.extensions["tracker.api_answers"]
        etag = client.get(path).headers["ETag"]
        warm, warm_grid = paired_median_times(timed(lambda: client.get(path)), timed(month_query), runs)
        cold, cold_grid = paired_median_times(timed(cold_request), timed(month_query), runs)
        revalidated, revalidated_grid = paired_median_times(
            timed(lambda: client.get(path, headers={"If-None-Match": etag})), timed(month_query), runs
        )
        alone, alone_grid = paired_median_times(timed(service), timed(month_query), runs)
    size = len(response.data)
    print(
        f"    /api/events for the six weeks of June 2014: {shown} events, {size / 1024:.0f} KB of JSON; the month "
        f"page's query alone: {grid_count} rows"
    )
    for label, (api_side, grid_side) in {
        "first request after a change (answer built: queries, items, JSON)": (cold, cold_grid),
        "request, data unchanged (the answer from memory)": (warm, warm_grid),
        "revalidation (If-None-Match → 304)": (revalidated, revalidated_grid),
        "the API's queries and items alone, no request, no JSON": (alone, alone_grid),
    }.items():
        print(
            f"    {label}: {api_side[0] * 1000:.2f} ms against {grid_side[0] * 1000:.2f} ms, ratio "
            f"{api_side[0] / grid_side[0]:.2f}× (CPU {api_side[1] / grid_side[1]:.2f}×; target ≤ {TARGET}×)"
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--pg", default=os.environ.get("TRACKER_TEST_DATABASE_URL", ""))
    arguments = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="tracker-bench-sqlite-")
    bench_backend("SQLite", f"sqlite:///{folder}/bench.sqlite3", arguments.events, arguments.runs)
    if arguments.pg:
        with scratch_postgresql_database(arguments.pg, "tracker_bench") as url:
            bench_backend("PostgreSQL", url, arguments.events, arguments.runs)


if __name__ == "__main__":
    main()
