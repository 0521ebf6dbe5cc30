"""One scheduler tick (plan as a safety net, dispatch, heartbeat), as the scheduler and ``send-reminders`` run it.

Like dispatch, a tick opens its own sessions and commits: it is the top of the background path, with no
request or caller around it to commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from tracker import mail
from tracker.db import write_session
from tracker.dialects import dialect_insert
from tracker.models import SchedulerHeartbeat
from tracker.services import ratelimit
from tracker.services.reminders.dispatch import dispatch
from tracker.services.reminders.planning import PlanResult, plan


def tick(
    engine: Engine,
    settings: mail.MailSettings,
    now: datetime,
    *,
    name: str,
    batch_size: int = 100,
    lease: timedelta = timedelta(minutes=2),
    full_plan: bool = True,
) -> dict[str, Any]:
    """One scheduler tick: plan (safety net for changes made outside the services), dispatch, heartbeat."""
    planned = PlanResult()
    if full_plan:
        with write_session(engine) as session:
            planned = plan(session, now)
            ratelimit.forget_ended_windows(session, now)  # housekeeping rides on the safety-net plan
            session.commit()
    sent = dispatch(engine, settings, now, batch_size=batch_size, lease=lease)
    summary = {"planned": planned.inserted, "withdrawn": planned.withdrawn, **sent.as_dict()}
    if sent.errors:
        summary["error"] = sent.errors[-1][:500]
    record_heartbeat(engine, name, now, summary)
    return summary


def record_heartbeat(engine: Engine, name: str, now: datetime, summary: dict[str, Any]) -> None:
    """Store this process's last tick and its summary (one row per process name) for the admin page."""
    with write_session(engine) as session:
        statement = dialect_insert(session)(SchedulerHeartbeat).values(
            name=name[:200], last_tick_dt=now, last_result=summary
        )
        statement = statement.on_conflict_do_update(
            index_elements=["name"], set_={"last_tick_dt": now, "last_result": summary}
        )
        session.execute(statement)
        session.commit()
