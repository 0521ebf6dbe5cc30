"""Load on the two deployments: calendar pollers with conditional GETs plus editors saving in a loop.

For each deployment (``tracker serve`` = waitress + SQLite with the scheduler in-process; gunicorn + PostgreSQL
with a ``tracker scheduler`` beside it) a fresh database gets a few hundred varied events and three editor
accounts; then, for --seconds, --pollers calendar clients poll ``/calendar.ics`` (some a filtered feed or one
event's ``.ics``) with ``If-None-Match`` and gzip, while --editors editors open an edit form and save it (two
events, so they also collide: 409). Prints one row per deployment: requests per second, median and 99th
percentile latency, the share of polls answered 304, saves and conflicts, and errors (answers ≥ 500 or no
answer; must be 0).

Run from the project root:
    .venv/bin/python bench/load.py [--seconds 15] [--pollers 200] [--editors 3] [--pg postgresql+psycopg://…]
The client threads run on the same machine as the server, so req/s is a figure of this machine, not a limit.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import load_support as load  # noqa: E402
from tracker.db import scratch_postgresql_database  # noqa: E402


def run_deployment(name: str, database_url: str, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    event_ids = load.prepare_database(database_url, background_events=args.events)
    port = load.free_port()
    env = load.environment(database_url, folder / "instance", port)
    editors = [f"editor{number}@example.org" for number in range(args.editors)]
    for email in editors:
        load.create_editor(env, email)
    log = folder / "server.log"
    server: AbstractContextManager[load.Server]
    if database_url.startswith("sqlite"):
        server = load.tracker_serve(env, port, log, threads=args.threads)
    else:
        server = load.gunicorn_serve(env, port, log, workers=args.workers, threads=args.threads)
    with server as running:
        tally, elapsed = load.run_load(
            running, editors, event_ids, pollers=args.pollers, seconds=args.seconds, pause=args.pause
        )
        logged = running.errors_logged()
    figures = load.summary(tally, elapsed)
    figures["deployment"] = name
    if tally.failures:
        print(f"  {name}: {len(tally.failures)} failures, e.g. {sorted(set(tally.failures))[:5]}", file=sys.stderr)
    if logged:
        print(f"  {name}: server log:\n{logged}", file=sys.stderr)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--pollers", type=int, default=200)
    parser.add_argument("--editors", type=int, default=3)
    parser.add_argument("--events", type=int, default=300, help="events in the feed besides the two edited ones")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds each poller waits between requests")
    parser.add_argument("--threads", type=int, default=8, help="server threads (waitress; per gunicorn worker: 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--pg",
        default=os.environ.get("TRACKER_TEST_DATABASE_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"),
        help="a PostgreSQL server (a scratch database is created and dropped there); empty: SQLite only",
    )
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="tracker-load-") as scratch:
        folder = Path(scratch)
        (folder / "sqlite").mkdir()
        rows.append(
            run_deployment(
                "waitress + SQLite", f"sqlite:///{folder / 'sqlite' / 'load.sqlite3'}", folder / "sqlite", args
            )
        )
        if args.pg:
            (folder / "pg").mkdir()
            with scratch_postgresql_database(args.pg, "tracker_load") as url:
                gunicorn_args = argparse.Namespace(**{**vars(args), "threads": 4})
                name = f"gunicorn ({args.workers}×4 threads) + PostgreSQL"
                rows.append(run_deployment(name, url, folder / "pg", gunicorn_args))

    print(f"\n{args.pollers} pollers + {args.editors} editors, {args.seconds:g} s each, {args.events + 2} events")
    header = (
        f"{'deployment':<38} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'304':>6} {'saves':>6} {'409':>5} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['deployment']:<38} {row['req_per_s']:>7.0f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
            f"{row['share_304']:>6.0%} {row['saves']:>6} {row['conflicts']:>5} {row['errors']:>6}"
        )
    if any(row["errors"] for row in rows):
        raise SystemExit("errors: the load must see none")


if __name__ == "__main__":
    main()
