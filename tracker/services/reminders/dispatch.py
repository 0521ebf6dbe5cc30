"""Dispatch: claim due rows, re-check them, send them over one SMTP connection per batch, write the outcomes.

Unlike the other services (which flush and leave the commit to their caller), dispatch opens its own
sessions and commits, several times per batch, because the delivery guarantee rests on what other
scheduler processes can see at once:

- the claim is committed before the first mail goes out, so no other process takes the same rows while
  their lease runs; a process killed after claiming leaves rows that become due again when the lease ends;
- each outcome is committed as soon as it is known, guarded by the claim token ("sent" marks in small
  groups, ``claims.OutcomeWriter``): one killed between the server's "250" and that commit makes the next
  run send the mail again, with the same Message-ID (at-least-once), and at most one group is repeated;
- a long transaction spanning the SMTP exchange would hold SQLite's write lock (and PostgreSQL row locks)
  for the whole batch, stalling every editor's save.

Nothing is sent for an event that has started; no new mail is started once half the lease is spent.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from tracker import mail
from tracker.db import write_session
from tracker.models import Outbox, OutboxStatus
from tracker.services.reminders.addresses import suppress
from tracker.services.reminders.claims import OutcomeWriter, claim, failpoint
from tracker.services.reminders.compose import Composer
from tracker.services.reminders.jobs import Job, load_jobs, reasons_to_skip
from tracker.services.reminders.rules import backoff, give_up_reason

log = logging.getLogger(__name__)


@dataclass
class DispatchResult:
    """What one dispatch did, by outcome; ``errors`` says why a batch was cut short."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    suppressed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "claimed": self.claimed,
            "sent": self.sent,
            "retried": self.retried,
            "failed": self.failed,
            "skipped": self.skipped,
            "suppressed": self.suppressed,
        }


def dispatch(
    engine: Engine,
    settings: mail.MailSettings,
    now: datetime,
    *,
    batch_size: int = 100,
    lease: timedelta = timedelta(minutes=2),
    max_batches: int = 1000,
) -> DispatchResult:
    """Claim, re-check, send and mark due rows, batch after batch, until none is due; commits as it goes.

    ``now`` advances with the time spent, so a long run never claims a batch with a lease already over (or
    lets another process take rows it is still sending).
    """
    result = DispatchResult()
    started = time.time()  # the wall clock, as the other processes that read our leases use
    composer = Composer(settings, now)
    writer = OutcomeWriter(engine)
    try:
        for _ in range(max_batches):
            batch_now = now + timedelta(seconds=max(0, int(time.time() - started)))  # whole seconds suffice
            token, ids = claim(engine, batch_now, batch_size, lease)
            if not ids:
                break
            result.claimed += len(ids)
            composer.advance_to(batch_now)
            writer.start(token)
            batch = _Batch(engine, composer, writer, batch_now, result)
            if not batch.send(ids, lease):
                break  # the mail server is unreachable or slow: leave the rest to the next tick (or another process)
    finally:
        writer.close()
    return result


@dataclass
class _Batch:
    """One claimed batch being sent; ``send`` returns False when the rest was given back."""

    engine: Engine
    composer: Composer
    writer: OutcomeWriter
    now: datetime
    result: DispatchResult
    newly_suppressed: set[str] = field(default_factory=set)

    def send(self, ids: list[int], lease: timedelta) -> bool:
        """Send over one connection; False when the rest was given back (server gone or slow, claim lost).

        All messages are built before the first is sent: the GIL would otherwise make a builder thread delay
        the thread waiting for the server's answers. No new mail is started once half the lease is spent, so
        sends and their marks end well before another process may claim the rows.
        """
        deadline = time.time() + lease.total_seconds() / 2
        remaining = self._skip_unwanted(ids)
        built = [self.composer.compose_safely(job) for job in remaining]
        transport = mail.open_transport(self.composer.settings)
        writer = self.writer
        try:
            for position, (job, made) in enumerate(zip(remaining, built, strict=True)):
                if writer.overdue():
                    writer.flush()
                if position and (writer.lost or time.time() >= deadline):
                    self._give_back(remaining[position:])
                    self.result.errors.append(
                        "claim lost" if writer.lost else "batch took half the lease: rest given back"
                    )
                    return False
                if not self._send_one(transport, job, made):
                    self._give_back(remaining[position + 1 :])
                    return False
        finally:
            try:
                writer.flush()
                self.result.sent += writer.sent
            finally:
                transport.close()
        return True

    def _skip_unwanted(self, ids: list[int]) -> list[Job]:
        """Load the claimed rows, mark those no longer wanted skipped; returns the rest."""
        with Session(self.engine, expire_on_commit=False) as session:
            jobs = load_jobs(session, ids, self.writer.token)
            reasons = reasons_to_skip(session, jobs, self.now)
        by_reason: dict[str, list[int]] = defaultdict(list)
        for row_id, reason in reasons.items():
            by_reason[reason].append(row_id)
        for reason, row_ids in by_reason.items():
            self.result.skipped += self.writer.mark(row_ids, status=OutboxStatus.SKIPPED.value, finished_reason=reason)
        failpoint("after_claim")
        return [job for job in jobs if job.row.id not in reasons]

    def _give_back(self, jobs: list[Job]) -> None:
        """Release unsent rows, due at once and without the attempt their claim counted."""
        rest = [job.row.id for job in jobs]
        self.writer.mark(rest, next_attempt_dt=self.now, attempts=Outbox.attempts - 1)  # type: ignore[arg-type]

    def _send_one(self, transport: Any, job: Job, made: tuple[Any, str] | Exception) -> bool:
        """Send one mail and write its outcome; False when the connection is gone (the caller gives back the rest)."""
        row_id, email, result, writer = job.row.id, job.subscription.email, self.result, self.writer
        if email in self.newly_suppressed:
            result.skipped += writer.mark(
                [row_id],  # type: ignore[list-item]
                status=OutboxStatus.SKIPPED.value,
                finished_reason="address suppressed",
            )
            return True
        if isinstance(made, Exception):
            log.error("reminder %s could not be built: %s", row_id, made)
            result.failed += writer.mark(
                [row_id],  # type: ignore[list-item]
                status=OutboxStatus.FAILED.value,
                last_error=str(made)[:2000],
                finished_reason="not built",
            )
            return True
        message, message_id = made
        outcome = transport.send(message, email)
        if outcome.outcome is mail.Outcome.SENT:
            failpoint("after_accept")
            writer.mark_sent(row_id, self.now, message_id, outcome.code)  # type: ignore[arg-type]
            if writer.waiting >= 2:  # accepted mails whose marks wait for the group's commit
                failpoint("after_accept_in_group")
        elif outcome.outcome is mail.Outcome.RETRY:
            self._retry(job, outcome, message_id)
            if outcome.code is None:  # the connection is gone: give the rest of the batch back
                result.errors.append(outcome.answer)
                return False
        else:
            self._fail(job, outcome, message_id)
        return True

    def _retry(self, job: Job, outcome: mail.SendResult, message_id: str) -> None:
        """A temporary failure: try again after the back-off, unless that is too late or too often."""
        row = job.row
        next_attempt = self.now + backoff(row.attempts)
        error = f"{outcome.code} {outcome.answer}" if outcome.code else outcome.answer
        event_start = job.event.start_dt if job.event is not None else None
        reason = give_up_reason(row.kind, row.attempts, next_attempt, event_start)
        details: dict[str, Any] = {"message_id": message_id, "last_error": error, "last_smtp_code": outcome.code}
        if reason is not None:
            self.result.failed += self.writer.mark(
                [row.id],  # type: ignore[list-item]
                status=OutboxStatus.FAILED.value,
                finished_reason=reason,
                **details,
            )
            return
        self.result.retried += self.writer.mark([row.id], next_attempt_dt=next_attempt, **details)  # type: ignore[list-item]

    def _fail(self, job: Job, outcome: mail.SendResult, message_id: str) -> None:
        """A permanent failure; a refused recipient is also suppressed, so nothing more goes to the address."""
        email = job.subscription.email
        recipient_refused = outcome.outcome is mail.Outcome.REFUSED
        if recipient_refused:
            self.newly_suppressed.add(email)
            with write_session(self.engine) as session:
                suppress(session, email, self.now, f"{outcome.code} {outcome.answer}")
                session.commit()
            self.result.suppressed += 1
        self.result.failed += self.writer.mark(
            [job.row.id],  # type: ignore[list-item]
            status=OutboxStatus.FAILED.value,
            message_id=message_id,
            last_error=outcome.answer,
            last_smtp_code=outcome.code,
            finished_reason="recipient refused" if recipient_refused else "refused",
        )
