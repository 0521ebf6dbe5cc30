"""Reminder benchmark: three figures, each printed as a ratio or count measured in the same run.

1. Dispatch: messages per second of ``reminders.dispatch`` (claim, re-check, build with templates and .ics,
   send, mark) against a bare ``smtplib`` loop over one reused connection sending one of our messages to the
   same aiosmtpd server process (target: ratio >= 0.70). One warm-up batch each, then ROUNDS rounds that
   alternate which side goes first, so load from elsewhere on a shared machine falls on both; the server
   counts messages and bytes of each side.
2. Planning for EVENTS events x SUBSCRIPTIONS filter subscriptions: wall time and number of SQL statements
   of a full ``plan`` (set-based: statements grow with distinct filters, not with events or subscriptions),
   of a repeat (idempotent: inserts nothing), and of the re-plan one edit triggers.
3. Lateness (sent - due) at p50/p99 with a live in-process APScheduler ticking every INTERVAL seconds.

Run: ``.venv/bin/python bench/reminders.py [--database-url URL] [--messages N] [--quick]``. Default database:
a fresh SQLite file in a temporary folder. A PostgreSQL URL must name an empty, migrated-or-new database.
Bounded: about a minute with the defaults on a 2-core machine.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import smtplib
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import event as sa_event
from sqlalchemy import func, insert, select
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker import create_app
from tracker.mail import MailSettings
from tracker.migrations import upgrade
from tracker.models import Event, Outbox, Subscription, SubscriptionLead, utcnow
from tracker.services.reminders.compose import Composer
from tracker.services.reminders.dispatch import dispatch
from tracker.services.reminders.jobs import Job
from tracker.services.reminders.planning import plan
from tracker.services.subscriptions import filter_key, set_token_hashes
from tracker.web.sessions import get_engine

KINDS = ["conference", "meeting", "official_visit", "other"]
COUNTRIES = ["MK", "AL", "RS", "BA", "ME", "XK", "HR", "SI", "BG", "GR"]


class CountingHandler:
    """Accepts everything; counts messages and, when asked, reports when each arrived (for lateness)."""

    def __init__(self, count: Any, size: Any, keep: Any, arrivals: Any) -> None:
        self.count = count
        self.size = size
        self.keep = keep
        self.arrivals = arrivals

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.count.get_lock():
            self.count.value += 1
            self.size.value += len(envelope.content)
        if self.keep.is_set():
            message = message_from_bytes(envelope.content, policy=policy.default)
            self.arrivals.put((str(message["Subject"]), time.time()))
        return "250 OK"


def _serve(port: int, count: Any, size: Any, keep: Any, arrivals: Any, stop: Any) -> None:
    handler = CountingHandler(count, size, keep, arrivals)
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    stop.wait()
    controller.stop()


class Server:
    """aiosmtpd in its own process, as a mail server is: the benchmark's client does not share its GIL."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.port = free_port()
        self._count = context.Value("i", 0)
        self._size = context.Value("q", 0)
        self.keep = context.Event()
        self.arrivals = context.Queue()
        self._stop = context.Event()
        self._process = context.Process(
            target=_serve, args=(self.port, self._count, self._size, self.keep, self.arrivals, self._stop), daemon=True
        )

    def start(self) -> Server:
        self._process.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return self
            time.sleep(0.05)
        raise RuntimeError("the SMTP server did not start")

    def stop(self) -> None:
        self._stop.set()
        self._process.join(timeout=10)

    @property
    def count(self) -> int:
        return self._count.value

    @property
    def size(self) -> int:
        """Bytes of message content received since the last reset."""
        return self._size.value

    def reset(self) -> None:
        with self._count.get_lock():
            self._count.value = 0
            self._size.value = 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_app(database_url: str | None, folder: Path, smtp_url: str, interval: int = 30) -> Any:
    url = database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key-0123456789",
            "BASE_URL": "https://tracker.example.org",
            "SMTP_URL": smtp_url,
            "MAIL_FROM": "reminders@tracker.example.org",
            "SCHEDULER_INTERVAL_SECONDS": interval,
            "REMINDER_BATCH_SIZE": 200,
        },
        environ={"TRACKER_INSTANCE_PATH": str(folder / "instance")},
    )
    upgrade(get_engine(app))
    return app


def clear(engine: Any) -> None:
    from sqlmodel import SQLModel

    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())


def add_events(session: Session, count: int, now: datetime, spread: timedelta) -> list[int]:
    """Events inserted in bulk (the benchmark measures planning, not the editor's service)."""
    step = spread / max(count, 1)
    values = []
    for number in range(count):
        start = (now + timedelta(days=1) + step * number).replace(second=0, microsecond=0)
        values.append(
            {
                "uid": f"bench-{number}@conference-tracker",
                "title": f"Bench event {number}",
                "kind": KINDS[number % len(KINDS)],
                "status": "confirmed",
                "all_day": False,
                "timezone": "Europe/Skopje",
                "start_dt": start,
                "end_dt": start + timedelta(hours=2),
                "venue": "",
                "city": "Skopje",
                "country": COUNTRIES[(number // len(KINDS)) % len(COUNTRIES)],
                "description": "",
                "visibility": "public",
                "revision": 1,
                "sequence": 0,
                "created_dt": now,
                "updated_dt": now,
            }
        )
    session.execute(insert(Event), values)
    session.commit()
    return list(session.execute(select(Event.id).order_by(Event.id)).scalars())


def add_subscriptions(
    session: Session, count: int, now: datetime, filters: list[dict[str, Any]], leads: tuple[int, ...]
) -> None:
    empty: dict[str, Any] = {"kind": [], "status": [], "country": [], "org": [], "tag": [], "q": ""}
    for number in range(count):
        stored = {**empty, **filters[number % len(filters)]}
        subscription = Subscription(
            email=f"person{number}@example.org",
            filter=stored,
            filter_key=filter_key(stored),
            label="bench",
            timezone="Europe/Berlin",
            status="active",
            token_nonce=f"{number:032x}",
            manage_token_hash="",
            created_dt=now,
            confirmed_dt=now,
            leads=[SubscriptionLead(minutes=lead) for lead in leads],
        )
        set_token_hashes(subscription, "bench-secret-key-0123456789")
        subscription.confirm_token_hash = None
        session.add(subscription)
    session.commit()


class StatementCounter:
    def __init__(self, engine: Any) -> None:
        self.count = 0
        sa_event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args: Any) -> None:
        self.count += 1


# ------------------------------------------------------------------------------------------------- 1. dispatch


@dataclass
class DispatchFigures:
    """Messages per second of each side, round by round, and the mean message size each sent."""

    per_round: int
    bare: list[float]
    ours: list[float]
    bare_size: float
    ours_size: float

    @property
    def ratios(self) -> list[float]:
        return [ours / bare for bare, ours in zip(self.bare, self.ours, strict=True)]


def bench_dispatch(app: Any, server: Server, messages: int, rounds: int, batch_size: int = 200) -> DispatchFigures:
    """Both sides alternate in ``rounds`` rounds (bare first in odd rounds, ours first in even ones) after a
    warm-up of one batch each, against the same server process, so load from elsewhere on the machine
    falls on both; the server counts messages and bytes, so equal work is checked, not assumed."""
    engine = get_engine(app)
    clear(engine)
    now = utcnow()
    events_count = 20
    per_round = max(batch_size, messages // rounds // batch_size * batch_size)
    total = per_round * rounds + batch_size  # + one batch of warm-up
    with Session(engine) as session:
        add_events(session, events_count, now, timedelta(hours=1))
        subscribers = -(-total // events_count)
        add_subscriptions(session, subscribers, now - timedelta(days=8), [{"kind": []}], (60 * 24 * 8,))
        plan(session, now)
        session.commit()
        due = session.execute(select(func.count()).select_from(Outbox)).scalar_one()
    assert due >= total, due
    settings = MailSettings.from_config(app.config, app.instance_path)

    # The bare loop sends one of our messages (same size, same server) to the same kind of recipients.
    sample = Composer(settings, now)
    with Session(engine, expire_on_commit=False) as session:
        row, subscription, event_row = session.execute(
            select(Outbox, Subscription, Event)
            .join(Subscription, Subscription.id == Outbox.subscription_id)
            .join(Event, Event.id == Outbox.event_id)
            .limit(1)
        ).one()
        _ = subscription.leads
        message, _message_id = sample.compose(Job(row, subscription, event_row))
    payload = bytes(message)

    def bare(count: int) -> float:
        server.reset()
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", server.port, timeout=30) as client:
            for number in range(count):
                client.sendmail("reminders@tracker.example.org", [f"person{number}@example.org"], payload)
        rate = count / (time.perf_counter() - started)
        assert server.count == count
        return rate

    def ours(count: int) -> float:
        server.reset()
        started = time.perf_counter()
        result = dispatch(engine, settings, now, batch_size=batch_size, max_batches=count // batch_size)
        rate = count / (time.perf_counter() - started)
        assert result.sent == count and server.count == count, (result, server.count)
        return rate

    bare(batch_size)
    ours(batch_size)
    figures = DispatchFigures(per_round, [], [], 0.0, 0.0)
    bare_bytes = ours_bytes = 0
    for number in range(rounds):
        for side in ("bare", "ours") if number % 2 == 0 else ("ours", "bare"):
            if side == "bare":
                figures.bare.append(bare(per_round))
                bare_bytes += server.size
            else:
                figures.ours.append(ours(per_round))
                ours_bytes += server.size
    figures.bare_size = bare_bytes / (per_round * rounds)
    figures.ours_size = ours_bytes / (per_round * rounds)
    return figures


# ------------------------------------------------------------------------------------------------- 2. planning


def bench_planning(app: Any, events: int, subscriptions: int) -> dict[str, Any]:
    engine = get_engine(app)
    clear(engine)
    now = utcnow()
    filters = [{"kind": [kind], "country": [country]} for kind in KINDS for country in COUNTRIES]
    with Session(engine) as session:
        event_ids = add_events(session, events, now, timedelta(days=365))
        add_subscriptions(session, subscriptions, now, filters, (1440,))
    counter = StatementCounter(engine)
    figures: dict[str, Any] = {"distinct filters": len(filters)}
    for label in ("full plan", "repeat (idempotent)"):
        counter.count = 0
        started = time.perf_counter()
        with Session(engine) as session:
            result = plan(session, now)
            session.commit()
        figures[label] = (time.perf_counter() - started, counter.count, result.inserted)
    counter.count = 0
    started = time.perf_counter()
    with Session(engine) as session:
        result = plan(session, now, event_ids=[event_ids[len(event_ids) // 2]])
        session.commit()
    figures["one edited event"] = (time.perf_counter() - started, counter.count, result.inserted)
    with Session(engine) as session:
        figures["rows"] = session.execute(select(func.count()).select_from(Outbox)).scalar_one()
    return figures


# ------------------------------------------------------------------------------------------------- 3. lateness


def bench_lateness(app: Any, server: Server, count: int, window: float) -> list[float]:
    """``count`` reminders falling due one after another over ``window`` seconds; a live scheduler sends them."""
    from tracker import scheduler

    engine = get_engine(app)
    clear(engine)
    now = utcnow()
    dues = [now + timedelta(seconds=3 + window * number / count) for number in range(count)]
    with Session(engine) as session:
        for number, due in enumerate(dues):
            start = due + timedelta(hours=1)
            session.add(
                Event(
                    uid=f"late-{number}@conference-tracker",
                    title=f"Late {number}",
                    timezone="Europe/Skopje",
                    start_dt=start,
                    end_dt=start + timedelta(hours=1),
                    created_dt=now,
                    updated_dt=now,
                )
            )
        session.commit()
        for number, event_id in enumerate(session.execute(select(Event.id).order_by(Event.id)).scalars()):
            subscription = Subscription(
                email=f"late{number}@example.org",
                event_id=event_id,
                label=f"late-{number}",
                timezone="UTC",
                status="active",
                token_nonce=f"{number:032x}",
                manage_token_hash="",
                created_dt=now - timedelta(days=1),
                confirmed_dt=now - timedelta(days=1),
                leads=[SubscriptionLead(minutes=60)],
            )
            set_token_hashes(subscription, "bench-secret-key-0123456789")
            subscription.confirm_token_hash = None
            session.add(subscription)
        session.commit()
        plan(session, now)
        session.commit()
        planned = sorted(row.due_dt.timestamp() for row in session.execute(select(Outbox)).scalars())
    assert len(planned) == count
    server.keep.set()
    running = scheduler.start_in_process(app)
    deadline = time.time() + window + 5 + 3 * scheduler.interval_seconds(app)
    pending = select(func.count()).select_from(Outbox).where(Outbox.status == "pending")
    try:
        while time.time() < deadline:
            with Session(engine) as session:
                if not session.execute(pending).scalar():
                    break
            time.sleep(0.2)
    finally:
        running.shutdown(wait=True)
        server.keep.clear()
    # the arrival at the server is the delivery moment; reminders are due (and arrive) in the same order
    arrivals = sorted(server.arrivals.get(timeout=10)[1] for _ in range(count))
    return [max(0.0, arrival - due) for arrival, due in zip(arrivals, planned, strict=True)]


def _figures(values: list[float], spec: str) -> str:
    return " ".join(format(value, spec) for value in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--subscriptions", type=int, default=2_000)
    parser.add_argument("--interval", type=int, default=2, help="scheduler interval for the lateness figure")
    parser.add_argument("--rounds", type=int, default=10, help="alternating dispatch rounds (bare, ours)")
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes, for a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.messages, args.events, args.subscriptions = 1_000, 500, 200

    server = Server().start()
    port = server.port
    try:
        with tempfile.TemporaryDirectory() as folder:
            app = make_app(args.database_url, Path(folder), f"smtp://127.0.0.1:{port}", interval=args.interval)
            backend = get_engine(app).dialect.name
            print(f"backend: {backend}; aiosmtpd on loopback in its own process")

            dispatched = bench_dispatch(app, server, args.messages, args.rounds)
            sent = dispatched.per_round * args.rounds
            print(f"\n1. dispatch of {sent:,} due reminders in {args.rounds} alternating rounds, after a warm-up")
            print(f"   bare smtplib loop, one reused connection (msg/s): {_figures(dispatched.bare, '8.0f')}")
            print(f"   reminders.dispatch, claim+check+build+send+mark: {_figures(dispatched.ours, '8.0f')}")
            print(f"   mean message size: bare {dispatched.bare_size:,.0f} B, ours {dispatched.ours_size:,.0f} B")
            ratios = dispatched.ratios
            print(f"   ratio per round: {_figures(ratios, '.2f')}")
            print(f"   ratio: median {statistics.median(ratios):.2f}, worst {min(ratios):.2f}  (target >= 0.70)")

            figures = bench_planning(app, args.events, args.subscriptions)
            print(
                f"\n2. planning {args.events:,} events x {args.subscriptions:,} subscriptions "
                f"({figures['distinct filters']} distinct filters, {figures['rows']:,} reminder rows)"
            )
            for label in ("full plan", "repeat (idempotent)", "one edited event"):
                seconds, statements, inserted = figures[label]
                print(f"   {label:22s} {seconds * 1000:9.0f} ms  {statements:4d} SQL statements  {inserted:7,} new")
            naive = args.events * args.subscriptions
            print(
                f"   statements vs a per-(event, subscription) loop: {figures['full plan'][1]} vs {naive:,} "
                f"(ratio {figures['full plan'][1] / naive:.6f})"
            )

            lateness = bench_lateness(app, server, 200, 10.0)
            quantiles = statistics.quantiles(lateness, n=100)
            print(f"\n3. lateness with a live scheduler ticking every {args.interval} s (200 reminders over 10 s)")
            p50, p99 = quantiles[49], quantiles[98]
            print(
                f"   p50 {p50:.2f} s   p99 {p99:.2f} s   (as a share of the interval: p50 {p50 / args.interval:.2f}, "
                f"p99 {p99 / args.interval:.2f})"
            )
            get_engine(app).dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
