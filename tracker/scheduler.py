"""Runs the reminder ``tick`` (plan + dispatch) with APScheduler 3.11.

One job, an interval of at most 30 s, ``coalesce=True`` (missed runs collapse into one), ``max_instances=1``
(a slow tick is never overlapped by the next) and a generous ``misfire_grace_time`` (a tick that starts late
still runs). The job store is in memory and belongs to this one scheduler: APScheduler job stores must never be
shared. Where the scheduler runs:

- ``tracker scheduler``: a dedicated process (``BlockingScheduler``); run as many as you like — claims live in
  the database, so a second scheduler is harmless;
- ``tracker serve``: one in-process ``BackgroundScheduler`` for the embedded default (``start_in_process``);
- gunicorn workers never start one (``create_app`` does not), otherwise every worker would tick;
- ``tracker send-reminders``: one tick, for cron.

A second job syncs the calendar sources that are due (``tracker.services.sources``) once a minute; each due
source is claimed in the database first, so two schedulers never sync the same source at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from tracker.mail import MailSettings
from tracker.models import utcnow
from tracker.services.reminders.tick import tick
from tracker.services.sources import SyncSettings, sync_due_sources
from tracker.web.sessions import get_engine

log = logging.getLogger(__name__)

MAX_INTERVAL_SECONDS = 30
JOB_ID = "reminders-tick"
SOURCES_JOB_ID = "calendar-sources"
SOURCES_INTERVAL_SECONDS = 60
_in_process: BackgroundScheduler | None = None


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def interval_seconds(app: Flask) -> int:
    """The configured interval, capped at 30 s so that reminders and notices are never late by more."""
    return max(1, min(int(app.config["SCHEDULER_INTERVAL_SECONDS"]), MAX_INTERVAL_SECONDS))


#: A full re-plan is only a safety net (event saves and confirmations plan at once), so it runs this often.
FULL_PLAN_EVERY = timedelta(minutes=10)
_last_full_plan: dict[int, Any] = {}


def run_tick(app: Flask, *, full_plan: bool = True) -> dict[str, Any]:
    """One tick with the app's settings; what the job, ``tracker send-reminders`` and tests call."""
    settings = MailSettings.from_config(app.config, app.instance_path)
    summary = tick(
        get_engine(app),
        settings,
        utcnow(),
        name=process_name(),
        batch_size=int(app.config["REMINDER_BATCH_SIZE"]),
        lease=timedelta(seconds=int(app.config["REMINDER_LEASE_SECONDS"])),
        full_plan=full_plan,
    )
    if any(summary.get(key) for key in ("claimed", "planned", "withdrawn")):
        log.info("reminder tick: %s", summary)
    return summary


def _scheduled_tick(app: Flask) -> None:
    """The job: a full re-plan every ``FULL_PLAN_EVERY``, dispatch every time; a failure waits for the next."""
    now = utcnow()
    last = _last_full_plan.get(id(app))
    full_plan = last is None or now - last >= FULL_PLAN_EVERY
    if full_plan:
        _last_full_plan[id(app)] = now
    try:
        run_tick(app, full_plan=full_plan)
    except Exception:  # a failing tick must not stop the scheduler; the next one retries
        log.exception("reminder tick failed")


def run_source_sync(app: Flask) -> dict[int, str]:
    """Sync every due calendar source once (the job; tests call it too)."""
    return sync_due_sources(get_engine(app), SyncSettings.from_config(app.config), utcnow())


def _scheduled_sources(app: Flask) -> None:
    try:
        results = run_source_sync(app)
    except Exception:  # the next run retries
        log.exception("calendar source sync failed")
        return
    if results:
        log.info("calendar sources synced: %s", results)


def configure(scheduler: BaseScheduler, app: Flask) -> BaseScheduler:
    scheduler.add_job(
        _scheduled_sources,
        "interval",
        args=[app],
        id=SOURCES_JOB_ID,
        seconds=SOURCES_INTERVAL_SECONDS,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=SOURCES_INTERVAL_SECONDS * 10,
        replace_existing=True,
    )
    interval = interval_seconds(app)
    scheduler.add_job(
        _scheduled_tick,
        "interval",
        args=[app],
        id=JOB_ID,
        seconds=interval,
        next_run_time=utcnow(),  # the first tick at once, not one interval after start
        coalesce=True,
        max_instances=1,
        misfire_grace_time=max(60, interval * 10),
        replace_existing=True,
    )
    return scheduler


#: Where ``start_in_process`` leaves ``nudge`` for the views (absent when no scheduler runs in this process).
NUDGE_EXTENSION = "tracker.nudge_scheduler"


def start_in_process(app: Flask) -> BackgroundScheduler:
    """Start the embedded scheduler (``tracker serve``) and return it; the caller shuts it down."""
    global _in_process
    scheduler = configure(BackgroundScheduler(timezone="UTC", daemon=True), app)
    scheduler.start()
    _in_process = scheduler
    app.extensions[NUDGE_EXTENSION] = nudge  # the subscribe view wakes the tick through it, without importing us
    log.info("reminder scheduler running in this process every %s s", interval_seconds(app))
    return scheduler  # type: ignore[return-value]


def run_blocking(app: Flask) -> None:
    """The dedicated ``tracker scheduler`` process: tick until interrupted."""
    scheduler = configure(BlockingScheduler(timezone="UTC"), app)
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()


def nudge() -> None:
    """Run the in-process tick now (after a subscription, so the confirmation mail is not 30 s late)."""
    scheduler = _in_process
    if scheduler is None or not scheduler.running:
        return
    job = scheduler.get_job(JOB_ID)
    if job is not None:
        job.modify(next_run_time=utcnow())
