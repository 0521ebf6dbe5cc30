"""The guarantees with real processes: several schedulers at once, and a scheduler SIGKILLed at each step of
dispatch. The processes are the real ``tracker scheduler`` / ``tracker send-reminders`` commands on the test
database and the test SMTP server; the test polls for completion with a bounded deadline (no sleeps)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select
from sqlmodel import Session

from tests.conftest import make_event
from tests.reminders.conftest import bulk_subscriptions, rows
from tests.reminders.smtpd import SmtpServer
from tracker.models import Outbox, SchedulerHeartbeat
from tracker.scheduler import run_tick
from tracker.services.reminders.planning import plan

TRACKER = Path(sys.executable).with_name("tracker")
SECRET = "test-secret-key-0123456789"
LEASE_SECONDS = 60


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.05)


def environment(database_url: str, smtp: SmtpServer, instance: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    env.update(
        TRACKER_DATABASE_URL=database_url,
        TRACKER_SECRET_KEY=SECRET,
        TRACKER_BASE_URL="http://tracker.test",
        TRACKER_SMTP_URL=smtp.url,
        TRACKER_MAIL_FROM="reminders@tracker.test",
        TRACKER_INSTANCE_PATH=str(instance),
        TRACKER_SCHEDULER_INTERVAL_SECONDS="1",
        TRACKER_REMINDER_LEASE_SECONDS=str(LEASE_SECONDS),
        **extra,
    )
    return env


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def due_reminders(session: Session, subscribers: int, events: int) -> datetime:
    """``subscribers × events`` reminders, all due now (real time): events in 3 days, a 5-day lead."""
    now = datetime.now(UTC).replace(microsecond=0)
    created = now - timedelta(days=7)
    day = (now + timedelta(days=3)).date().isoformat()
    for number in range(events):
        make_event(
            session, now=created, title=f"Meeting {number}", start_date=day, start_time="10:00", end_time="11:00"
        )
    bulk_subscriptions(session, subscribers, created, {"kind": "meeting"}, (7200,), SECRET)
    plan(session, now)
    session.commit()
    assert len(rows(session, kind="reminder", status="pending")) == subscribers * events
    return now


@pytest.mark.slow
def test_many_schedulers_send_each_of_1000_reminders_exactly_once(
    mail_app: Flask,
    session: Session,
    smtp: SmtpServer,
    database_url: str,
    tmp_path: Path,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    count = 4 if database_url.startswith("postgresql") else 2
    due_reminders(session, subscribers=50, events=20)
    for number in range(count):
        env = environment(database_url, smtp, tmp_path / f"instance-{number}", TRACKER_REMINDER_BATCH_SIZE="20")
        processes.append(
            subprocess.Popen([str(TRACKER), "scheduler"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        )

    def finished() -> bool:
        for process in processes:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        session.rollback()
        pending = session.execute(select(func.count()).select_from(Outbox).where(Outbox.status != "sent")).scalar()
        return pending == 0

    wait_for(finished, 180, "all reminders sent")

    def heartbeats() -> int:
        session.rollback()  # a fresh snapshot each time: SQLite would keep showing the first one read
        return session.execute(select(func.count()).select_from(SchedulerHeartbeat)).scalar() or 0

    wait_for(lambda: heartbeats() == count, 30, "a heartbeat from every scheduler")
    for process in processes:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    received = smtp.received
    assert len(received) == 1000
    assert len({item.message_id for item in received}) == 1000
    assert len({(tuple(item.rcpt_tos), item.message["Subject"]) for item in received}) == 1000


def _run_until_failpoint(
    step: str, database_url: str, smtp: SmtpServer, tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> subprocess.Popen[bytes]:
    env = environment(
        database_url,
        smtp,
        tmp_path / "instance",
        TRACKER_REMINDER_BATCH_SIZE="10",
        TRACKER_FAILPOINT=step,
        TRACKER_FAILPOINT_DIR=str(tmp_path),
    )
    process = subprocess.Popen(
        [str(TRACKER), "send-reminders"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    processes.append(process)
    return process


@pytest.mark.slow
@pytest.mark.parametrize(
    ("step", "duplicates"),
    [
        ("after_claim", 0),  # claimed, nothing sent
        ("during_data", None),  # killed while the server holds the DATA: it may or may not keep the message
        ("after_accept", 1),  # the server answered 250, our commit never happened
        ("after_mark", 0),  # the first mail is recorded as sent
    ],
)
def test_a_killed_scheduler_loses_nothing_and_duplicates_only_with_the_same_message_id(
    step: str,
    duplicates: int | None,
    mail_app: Flask,
    session: Session,
    smtp: SmtpServer,
    database_url: str,
    tmp_path: Path,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    now = due_reminders(session, subscribers=3, events=1)
    if step == "during_data":
        smtp.behaviour.stall_seconds = 1.0
        process = _run_until_failpoint("none", database_url, smtp, tmp_path, processes)
        wait_for(smtp.handler.in_data.is_set, 60, "the first DATA command")
    else:
        process = _run_until_failpoint(step, database_url, smtp, tmp_path, processes)
        wait_for(lambda: any(tmp_path.glob(f"{step}.*")), 60, f"the process to reach {step}")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    if step == "during_data":
        smtp.behaviour.stall_seconds = 0
    else:
        assert len(smtp.received) == (0 if step == "after_claim" else 1)

    with time_machine.travel(now + timedelta(seconds=5), tick=False):  # leases still held: nothing to claim
        assert run_tick(mail_app, full_plan=False)["claimed"] == 0
    with time_machine.travel(now + timedelta(seconds=LEASE_SECONDS + 5), tick=False):
        run_tick(mail_app, full_plan=False)

    received = smtp.received
    ids = [item.message_id for item in received]
    assert len(set(ids)) == 3  # every reminder delivered
    if duplicates is not None:
        assert len(ids) == 3 + duplicates
    assert len(ids) <= 4 and all(ids.count(message_id) <= 2 for message_id in ids)
    if len(ids) == 4:
        assert ids.count(ids[0]) == 2  # the one resend carries the same Message-ID
    assert [row.status for row in rows(session, kind="reminder")] == ["sent"] * 3


@pytest.mark.slow
def test_a_scheduler_killed_before_a_group_commit_resends_that_group_with_the_same_message_ids(
    mail_app: Flask,
    session: Session,
    smtp: SmtpServer,
    database_url: str,
    tmp_path: Path,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    """Marks of sent mails are committed in groups, so one kill may fall between the server's acceptance and our
    commit of several mails: exactly those are sent again, once each and with the same Message-ID; none is lost."""
    now = due_reminders(session, subscribers=5, events=1)
    process = _run_until_failpoint("after_accept_in_group", database_url, smtp, tmp_path, processes)
    wait_for(lambda: any(tmp_path.glob("after_accept_in_group.*")), 60, "two accepted mails awaiting their commit")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    committed = {row.message_id for row in rows(session, kind="reminder", status="sent")}
    accepted_not_committed = [item.message_id for item in smtp.received if item.message_id not in committed]
    assert len(committed) >= 1  # the first mark of a batch is committed alone
    assert len(accepted_not_committed) >= 2  # the kill fell inside a group
    with time_machine.travel(now + timedelta(seconds=5), tick=False):  # leases still held: nothing to claim
        assert run_tick(mail_app, full_plan=False)["claimed"] == 0
    with time_machine.travel(now + timedelta(seconds=LEASE_SECONDS + 5), tick=False):
        run_tick(mail_app, full_plan=False)

    ids = [item.message_id for item in smtp.received]
    assert len(set(ids)) == 5  # every reminder delivered
    resent = [message_id for message_id in set(ids) if ids.count(message_id) == 2]
    assert sorted(resent) == sorted(accepted_not_committed)  # exactly those, with their Message-IDs
    assert len(ids) == 5 + len(accepted_not_committed) and all(ids.count(message_id) <= 2 for message_id in ids)
    assert [row.status for row in rows(session, kind="reminder")] == ["sent"] * 5


@pytest.mark.slow
def test_send_reminders_command_for_cron(
    mail_app: Flask, session: Session, smtp: SmtpServer, database_url: str, tmp_path: Path
) -> None:
    due_reminders(session, subscribers=2, events=2)
    env = environment(database_url, smtp, tmp_path / "instance")
    done = subprocess.run([str(TRACKER), "send-reminders"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "sent: 4" in done.stdout
    assert len(smtp.received) == 4


def test_scheduler_has_one_coalescing_tick_job_and_one_source_sync_job(mail_app: Flask, app_factory: Any) -> None:
    from tracker import scheduler as scheduler_module

    capped = app_factory(SCHEDULER_INTERVAL_SECONDS=300)
    assert scheduler_module.interval_seconds(capped) == 30
    started = scheduler_module.start_in_process(mail_app)
    try:
        jobs = {job.id: job for job in started.get_jobs()}
        assert sorted(jobs) == ["calendar-sources", "reminders-tick"]
        job = jobs["reminders-tick"]
        assert (job.coalesce, job.max_instances) == (True, 1)
        assert job.misfire_grace_time >= 60
        assert job.trigger.interval == timedelta(seconds=30)
        sources = jobs["calendar-sources"]
        assert (sources.coalesce, sources.max_instances) == (True, 1)
        assert sources.trigger.interval == timedelta(seconds=60)
    finally:
        started.shutdown(wait=True)
