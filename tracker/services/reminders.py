"""Reminders: ``plan`` writes outbox rows, ``dispatch`` claims, re-checks, sends and marks them.

The guarantee lives in the database. Every mail is an ``Outbox`` row with a unique key; ``plan`` is
idempotent and set-based (one statement per distinct filter, never one per subscription or event) and runs
inside the transaction that saves an event (``on_event_change``), so a moved or cancelled event never leaves
stale reminders. ``dispatch`` claims due rows with a lease — PostgreSQL ``FOR UPDATE SKIP LOCKED``, SQLite
``BEGIN IMMEDIATE`` + ``UPDATE … RETURNING`` — so any number of scheduler processes can run. A process killed
after claiming leaves rows that become due again when the lease ends; one killed between the server's "250"
and our commit makes the next run send that mail again, with the same Message-ID (at-least-once). "Sent" marks
are committed in groups (at most ``MARK_GROUP_SIZE`` mails or ``MARK_GROUP_SECONDS``), so one kill repeats at
most the mails of one group, each once. Nothing is sent for an event that has started.

Rules worth knowing:
- a reminder is planned at ``start − lead`` (UTC arithmetic on the stored instant, so daylight-saving changes
  are already in the start); leads already past when the subscription was confirmed are not planned;
- when several reminders for one event are due at once (a late event, a stopped scheduler), only the one with
  the shortest lead is sent;
- reminders follow public events that are confirmed or tentative; postponing, cancelling, deleting or hiding
  an event withdraws them, and a change notice tells followers what changed (old → new).
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Engine,
    Integer,
    Text,
    and_,
    bindparam,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlmodel import Session

from tracker import formatting, mail
from tracker.db import is_sqlite, write_bind, write_session
from tracker.dialects import dialect_insert
from tracker.filters import FilterError, parse_filter
from tracker.ical import single_event_calendar
from tracker.models import (
    Event,
    EventStatus,
    MailAddress,
    Outbox,
    OutboxKind,
    OutboxStatus,
    SchedulerHeartbeat,
    Subscription,
    SubscriptionLead,
    SubscriptionStatus,
    UTCDateTime,
)
from tracker.services import ratelimit, subscriptions
from tracker.services.events import EventChange, on_event_change
from tracker.services.listing import with_details
from tracker.timezones import utc_to_local
from tracker.visibility import PUBLIC, listed_condition, may_see

log = logging.getLogger(__name__)

#: Event statuses that get reminders; the others withdraw them.
REMINDED_STATUSES = (EventStatus.CONFIRMED.value, EventStatus.TENTATIVE.value)
#: A notice waits this long, so quick successive edits merge into one mail ("within minutes").
NOTICE_DELAY = timedelta(minutes=2)
#: Fields whose change is announced, grouped by what the notice calls them.
NOTICE_FIELDS = {
    "when": ("all_day", "timezone", "start_dt", "end_dt", "start_date", "end_date"),
    "where": ("venue", "city", "country"),
    "status": ("status", "deleted_dt"),
}
MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)
#: "Sent" marks are group-committed: at most this many accepted mails wait for their commit …
MARK_GROUP_SIZE = 32
#: … and none longer than this (seconds) once the next mail is due, so a kill repeats little and a mark is
#: never late enough to meet the end of the lease.
MARK_GROUP_SECONDS = 0.05


# ------------------------------------------------------------------------------------------ SQL helpers


class minus_minutes(FunctionElement):
    """``instant − minutes`` in SQL, giving the same stored form as ``UTCDateTime`` on each backend."""

    type = UTCDateTime()
    inherit_cache = True
    name = "minus_minutes"


@compiles(minus_minutes, "postgresql")
def _minus_minutes_pg(element: minus_minutes, compiler: Any, **kw: Any) -> str:
    instant, minutes = list(element.clauses)
    return f"({compiler.process(instant, **kw)} - make_interval(mins => {compiler.process(minutes, **kw)}))"


@compiles(minus_minutes, "sqlite")
def _minus_minutes_sqlite(element: minus_minutes, compiler: Any, **kw: Any) -> str:
    instant, minutes = list(element.clauses)
    # SQLAlchemy stores "YYYY-MM-DD HH:MM:SS.ffffff"; %f gives "SS.SSS", so three zeros complete it.
    return (
        f"strftime('%Y-%m-%d %H:%M:%f000', {compiler.process(instant, **kw)}, "
        f"'-' || {compiler.process(minutes, **kw)} || ' minutes')"
    )


def _event_qualifies(now: datetime) -> ColumnElement[bool]:
    """Events that get reminders: live, public (subscribers are anonymous), confirmed or tentative, not yet started."""
    return and_(
        listed_condition(PUBLIC),
        Event.status.in_(REMINDED_STATUSES),
        Event.start_dt > now,
    )


# -------------------------------------------------------------------------------------------------- plan


@dataclass
class PlanResult:
    inserted: int = 0
    retimed: int = 0
    withdrawn: int = 0
    statements: int = 0

    def add(self, other: PlanResult) -> None:
        self.inserted += other.inserted
        self.retimed += other.retimed
        self.withdrawn += other.withdrawn
        self.statements += other.statements


def plan(
    session: Session,
    now: datetime,
    *,
    event_ids: Sequence[int] | None = None,
    subscription_ids: Sequence[int] | None = None,
) -> PlanResult:
    """Bring pending reminder rows in line with events and subscriptions; idempotent and set-based.

    Restricted to some events or subscriptions when given (the change listener and confirmation use that).
    Statements: withdraw, re-time, one for event subscriptions, and one select plus two per distinct filter.
    """
    result = PlanResult()
    scope: list[ColumnElement[bool]] = [Outbox.kind == OutboxKind.REMINDER.value]
    if event_ids is not None:
        scope.append(Outbox.event_id.in_(event_ids))
    if subscription_ids is not None:
        scope.append(Outbox.subscription_id.in_(subscription_ids))
    not_leased = or_(Outbox.lease_until.is_(None), Outbox.lease_until < now)
    pending = and_(Outbox.status == OutboxStatus.PENDING.value, not_leased, *scope)

    # 1. Withdraw what no longer qualifies: ended subscriptions, removed leads, events gone, hidden or started.
    withdrawn = session.connection().execute(
        delete(Outbox)
        .where(
            pending,
            or_(
                Outbox.subscription_id.in_(
                    select(Subscription.id).where(Subscription.status != SubscriptionStatus.ACTIVE.value)
                ),
                ~exists().where(
                    SubscriptionLead.subscription_id == Outbox.subscription_id,
                    SubscriptionLead.minutes == Outbox.lead_minutes,
                ),
                ~Outbox.event_id.in_(select(Event.id).where(_event_qualifies(now))),
            ),
        )
        .execution_options(synchronize_session=False)
    )
    result.withdrawn += withdrawn.rowcount  # type: ignore[attr-defined]

    # 2. Re-time pending rows of moved events (not yet tried; rows in back-off keep their schedule).
    new_due = (
        select(minus_minutes(Event.start_dt, Outbox.lead_minutes)).where(Event.id == Outbox.event_id).scalar_subquery()
    )
    retimed = session.connection().execute(
        update(Outbox)
        .where(pending, Outbox.attempts == 0, Outbox.due_dt != new_due)
        .values(due_dt=new_due, next_attempt_dt=new_due)
        .execution_options(synchronize_session=False)
    )
    result.retimed += retimed.rowcount  # type: ignore[attr-defined]
    result.statements += 2

    # 3. Insert what is missing: first subscriptions to one event, then one statement per distinct filter.
    active = [Subscription.status == SubscriptionStatus.ACTIVE.value]
    if subscription_ids is not None:
        active.append(Subscription.id.in_(subscription_ids))
    event_scope = [Event.id.in_(event_ids)] if event_ids is not None else []
    result.inserted += _insert_missing(
        session, now, [*active, Subscription.event_id.is_not(None)], [Event.id == Subscription.event_id, *event_scope]
    )
    result.statements += 1

    groups = session.execute(
        select(Subscription.filter_key, func.min(Subscription.id))
        .where(*active, Subscription.event_id.is_(None), Subscription.filter_key.is_not(None))
        .group_by(Subscription.filter_key)
    ).all()
    result.statements += 1
    for key, example_id in groups:
        example = session.get(Subscription, example_id)
        assert example is not None and example.filter is not None
        try:
            conditions = parse_filter(example.filter, session, include_internal=PUBLIC).conditions()
        except FilterError as exc:  # e.g. an organisation deleted since: the filter matches nothing now
            log.warning("subscription filter %s no longer valid: %s", key, exc)
            conditions = [literal(False)]
        in_group = [*active, Subscription.filter_key == key]
        # Events that stopped matching the filter (e.g. another kind now) lose their pending reminders.
        gone = session.connection().execute(
            delete(Outbox)
            .where(
                pending,
                Outbox.subscription_id.in_(select(Subscription.id).where(*in_group)),
                ~Outbox.event_id.in_(select(Event.id).where(*conditions)),
            )
            .execution_options(synchronize_session=False)
        )
        result.withdrawn += gone.rowcount  # type: ignore[attr-defined]
        result.inserted += _insert_missing(session, now, in_group, [*conditions, *event_scope])
        result.statements += 2
    return result


def _insert_missing(
    session: Session,
    now: datetime,
    subscription_conditions: Iterable[ColumnElement[bool]],
    event_conditions: Iterable[ColumnElement[bool]],
) -> int:
    """INSERT … SELECT the reminder rows of (subscription × lead × matching event) that do not exist yet."""
    due = minus_minutes(Event.start_dt, SubscriptionLead.minutes)
    existing = (
        select(Outbox.id)
        .where(
            Outbox.subscription_id == Subscription.id,
            Outbox.event_id == Event.id,
            Outbox.kind == OutboxKind.REMINDER.value,
            Outbox.lead_minutes == SubscriptionLead.minutes,
            Outbox.revision == 0,
        )
        .exists()
    )
    rows = (
        select(
            literal(OutboxKind.REMINDER.value),
            Subscription.id,
            Event.id,
            SubscriptionLead.minutes,
            literal(0),
            due,
            literal(OutboxStatus.PENDING.value),
            due,
            literal(0),
            literal(now, UTCDateTime()),
            literal(""),
        )
        .select_from(Subscription)
        .join(SubscriptionLead, SubscriptionLead.subscription_id == Subscription.id)
        .join(Event, and_(true(), *event_conditions))
        .where(*subscription_conditions, _event_qualifies(now), due >= Subscription.confirmed_dt, ~existing)
    )
    return _insert_outbox_rows(session, rows)


#: Outbox columns filled by the planning INSERT … SELECT statements, in the order of their SELECT lists.
_PLANNED_COLUMNS = (
    "kind",
    "subscription_id",
    "event_id",
    "lead_minutes",
    "revision",
    "due_dt",
    "status",
    "next_attempt_dt",
    "attempts",
    "created_dt",
    "finished_reason",
)


def _insert_outbox_rows(session: Session, rows: Any, *extra_columns: str) -> int:
    """INSERT the selected rows into the outbox, skipping keys already planned; returns how many were new."""
    columns = [*_PLANNED_COLUMNS, *extra_columns]
    statement = dialect_insert(session)(Outbox).from_select(columns, rows).on_conflict_do_nothing()
    statement = statement.execution_options(preserve_rowcount=True)
    return session.connection().execute(statement).rowcount  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------------------------- notices


def _notice_changes(change: EventChange) -> dict[str, list[Any]]:
    fields = {name for names in NOTICE_FIELDS.values() for name in names}
    return {name: values for name, values in change.changes.items() if name in fields}


def queue_notices(session: Session, change: EventChange) -> int:
    """Queue (or merge into a waiting) notice for everyone following an event whose date, place or status changed.

    Followers are active subscriptions to the event itself and those with reminders planned for it. Only
    events that were or became confirmed are announced, and never once they have started.
    """
    event = change.event
    changes = _notice_changes(change)
    if change.action not in {"updated", "deleted"} or not changes:
        return 0
    if not may_see(event, include_internal=PUBLIC):  # followers are anonymous: nothing of a hidden event
        return 0
    old_status = change.changes.get("status", [event.status])[0]
    if EventStatus.CONFIRMED.value not in {old_status, event.status}:
        return 0
    old_start = change.changes.get("start_dt", [None])[0]
    starts = [event.start_dt] + ([datetime.fromisoformat(old_start)] if old_start else [])
    if min(starts) <= change.now:
        return 0
    # Merge into notices still waiting: keep the first old value and the latest new one.
    waiting = session.execute(
        select(Outbox.id, Outbox.changes, Outbox.subscription_id).where(
            Outbox.event_id == event.id,
            Outbox.kind == OutboxKind.NOTICE.value,
            Outbox.status == OutboxStatus.PENDING.value,
            Outbox.attempts == 0,
        )
    ).all()
    by_content: dict[str, tuple[dict[str, list[Any]], list[int]]] = {}
    merged_into = {subscription_id for _, _, subscription_id in waiting}
    for row_id, stored, _ in waiting:
        key = repr(sorted((stored or {}).items()))
        by_content.setdefault(key, (stored or {}, []))[1].append(row_id)
    for stored, ids in by_content.values():
        merged = {name: list(values) for name, values in stored.items()}
        for name, (old, new) in changes.items():
            merged[name] = [merged[name][0] if name in merged else old, new]
        merged = {name: values for name, values in merged.items() if values[0] != values[1]}
        if merged:
            session.execute(
                update(Outbox)
                .where(Outbox.id.in_(ids))
                .values(changes=merged)
                .execution_options(synchronize_session=False)
            )
        else:  # changed back: nothing to announce
            session.connection().execute(delete(Outbox).where(Outbox.id.in_(ids)))
    due = change.now + NOTICE_DELAY
    followers = select(
        literal(OutboxKind.NOTICE.value),
        Subscription.id,
        literal(event.id),
        literal(0),
        literal(event.revision),
        literal(due, UTCDateTime()),
        literal(OutboxStatus.PENDING.value),
        literal(due, UTCDateTime()),
        literal(0),
        literal(change.now, UTCDateTime()),
        literal(""),
        literal(changes, JSON()),
    ).where(
        Subscription.status == SubscriptionStatus.ACTIVE.value,
        or_(
            Subscription.event_id == event.id,
            exists().where(
                Outbox.subscription_id == Subscription.id,
                Outbox.event_id == event.id,
                Outbox.kind == OutboxKind.REMINDER.value,
            ),
        ),
        ~exists().where(
            Outbox.subscription_id == Subscription.id,
            Outbox.event_id == event.id,
            Outbox.kind == OutboxKind.NOTICE.value,
            Outbox.status == OutboxStatus.PENDING.value,
        ),
        Subscription.id.not_in(merged_into),  # their waiting notice took this change (or was withdrawn with it)
    )
    return _insert_outbox_rows(session, followers, "changes")


@on_event_change
def _on_event_change(session: Session, change: EventChange) -> None:
    """Inside the saving transaction: announce the change, then re-plan this event's reminders."""
    if change.event.id is None:
        return
    queue_notices(session, change)
    plan(session, change.now, event_ids=[change.event.id])


# --------------------------------------------------------------------------------------------- dispatch


@dataclass
class DispatchResult:
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


def failpoint(name: str) -> None:
    """Test hook: with ``TRACKER_FAILPOINT=name`` the process announces the point and waits to be killed.

    The guarantee tests SIGKILL a real scheduler at each step of dispatch; this makes "at each step" exact.
    """
    if os.environ.get("TRACKER_FAILPOINT") != name:
        return
    folder = Path(os.environ.get("TRACKER_FAILPOINT_DIR", "."))
    (folder / f"{name}.{os.getpid()}").write_text(str(os.getpid()))
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        time.sleep(0.05)
    raise SystemExit(f"failpoint {name}: not killed within 10 minutes")


def claim(engine: Engine, now: datetime, limit: int, lease: timedelta) -> tuple[str, list[int]]:
    """Take up to ``limit`` due rows for ``lease``; returns the claim token and the row ids."""
    token = secrets.token_hex(16)
    due = select(Outbox.id).where(Outbox.status == OutboxStatus.PENDING.value, Outbox.next_attempt_dt <= now)
    due = due.order_by(Outbox.next_attempt_dt).limit(limit)
    if not is_sqlite(engine):
        due = due.with_for_update(skip_locked=True)
    statement = (
        update(Outbox)
        .where(Outbox.id.in_(due.scalar_subquery()))
        .values(
            claim_token=token,
            lease_until=now + lease,
            next_attempt_dt=now + lease,
            attempts=Outbox.attempts + 1,
        )
        .returning(Outbox.id)
        .execution_options(synchronize_session=False)
    )
    with write_session(engine) as session:
        ids = [row[0] for row in session.connection().execute(statement)]
        session.commit()
    return token, sorted(ids)


@dataclass
class _Job:
    row: _Row | Outbox
    subscription: _Recipient | Subscription
    event: Event | None


@dataclass(slots=True)
class _Row:
    """The columns of a claimed outbox row that dispatch reads (plain values: ORM objects cost more than SMTP)."""

    id: int
    kind: str
    subscription_id: int
    event_id: int | None
    lead_minutes: int
    revision: int
    attempts: int
    changes: dict[str, Any] | None


@dataclass(slots=True)
class _Recipient:
    """The columns of a subscription that dispatch reads; ``filter`` is read once per filter, not per row."""

    id: int
    email: str
    status: str
    filter_key: str | None
    label: str
    timezone: str
    token_nonce: str
    confirm_expires_dt: datetime | None
    lead_minutes: list[int]


def _backoff(attempts: int) -> timedelta:
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


_SENT_VALUES = {
    "status": OutboxStatus.SENT.value,
    "last_error": None,
    "finished_reason": "",
    "claim_token": None,
    "lease_until": None,
}
#: SQLite: one UPDATE per row through ``executemany`` (a loop in C, cheap).
_MARK_SENT = (
    update(Outbox)
    .where(Outbox.id == bindparam("row_id"), Outbox.claim_token == bindparam("token"))
    .values(
        sent_dt=bindparam("sent_dt", type_=UTCDateTime()),
        message_id=bindparam("message_id"),
        last_smtp_code=bindparam("code"),
        **_SENT_VALUES,
    )
)
#: PostgreSQL: one statement for the group, ids and Message-IDs passed as two arrays (``unnest``); a
#: pipelined ``executemany`` costs about half as much again per row.
_MARKS = (
    func.unnest(
        bindparam("row_ids", type_=postgresql.ARRAY(Integer)), bindparam("message_ids", type_=postgresql.ARRAY(Text))
    )
    .table_valued("row_id", "message_id")
    .render_derived(name="marks")
)
_MARK_SENT_PG = (
    update(Outbox)
    .where(Outbox.id == _MARKS.c.row_id, Outbox.claim_token == bindparam("token"))
    .values(
        sent_dt=bindparam("sent_dt", type_=UTCDateTime()),
        message_id=_MARKS.c.message_id,
        last_smtp_code=bindparam("code"),
        **_SENT_VALUES,
    )
)


class _Marker:
    """Writes the outcome of claimed rows, guarded by the claim token of the batch being sent.

    "Sent" marks are group-committed on one connection kept for the whole dispatch: each is queued after
    the server's 250 and written with the others (one UPDATE, one commit) when ``MARK_GROUP_SIZE`` are
    waiting, when the oldest has waited ``MARK_GROUP_SECONDS``, and before the batch returns. The first
    mark of a batch is committed alone, so its row count confirms the claim is still ours before the
    rest is sent. A crash between a 250 and the commit of its group makes the next run resend that group's
    mails, each once and with its own (stable) Message-ID. (One commit per mail took about half as long as
    the SMTP exchange itself on PostgreSQL.)
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = not is_sqlite(engine)
        self._connection: Connection | None = None
        self._waiting: list[tuple[int, str, int | None]] = []
        self._sent_dt: datetime | None = None
        self.start("")

    def start(self, token: str) -> None:
        """Begin marking the batch claimed with ``token``."""
        assert not self._waiting, "marks of the previous batch were not flushed"
        self.token = token
        self._oldest = 0.0
        self._commits = 0
        self.sent = 0  # rows marked sent (claim token still ours)
        self.lost = False  # some row's claim was no longer ours: another process took it after our lease

    def mark_sent(self, row_id: int, now: datetime, message_id: str, code: int | None) -> None:
        if self._waiting and (now, code) != (self._sent_dt, self._waiting[0][2]):
            self.flush()  # a group shares its sent_dt and SMTP code
        if not self._waiting:
            self._oldest = time.monotonic()
            self._sent_dt = now
        self._waiting.append((row_id, message_id, code))
        if self._commits == 0 or len(self._waiting) >= MARK_GROUP_SIZE or self.overdue():
            self.flush()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def overdue(self) -> bool:
        return bool(self._waiting) and time.monotonic() - self._oldest >= MARK_GROUP_SECONDS

    def _connect(self) -> Connection:
        if self._connection is None:
            self._connection = write_bind(self.engine).connect()
            if self.postgres:
                # Losing the last commits in a database crash only means a resend with the same Message-ID.
                self._connection.execute(text("SET synchronous_commit = off"))
                self._connection.commit()
        return self._connection

    def flush(self) -> None:
        """Commit the waiting "sent" marks; the end of the window in which a crash causes their resend."""
        if not self._waiting:
            return
        connection = self._connect()
        waiting, self._waiting = self._waiting, []
        code = waiting[0][2]
        if self.postgres:
            result = connection.execute(
                _MARK_SENT_PG,
                {
                    "row_ids": [row_id for row_id, _, _ in waiting],
                    "message_ids": [message_id for _, message_id, _ in waiting],
                    "token": self.token,
                    "sent_dt": self._sent_dt,
                    "code": code,
                },
            )
        else:
            result = connection.execute(
                _MARK_SENT,
                [
                    {
                        "row_id": row_id,
                        "token": self.token,
                        "sent_dt": self._sent_dt,
                        "message_id": message_id,
                        "code": code,
                    }
                    for row_id, message_id, _ in waiting
                ],
            )
        connection.commit()
        self._commits += 1
        self.sent += result.rowcount
        if result.rowcount != len(waiting):
            self.lost = True
            log.warning(
                "%d of %d sent reminders were claimed by another process", len(waiting) - result.rowcount, len(waiting)
            )
        failpoint("after_mark")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.rollback()  # nothing is pending unless a flush failed
            if self.postgres:
                self._connection.execute(text("RESET synchronous_commit"))
                self._connection.commit()
            self._connection.close()
            self._connection = None

    def mark(self, ids: Sequence[int], **values: Any) -> int:
        if not ids:
            return 0
        values.setdefault("claim_token", None)
        values.setdefault("lease_until", None)
        with write_bind(self.engine).begin() as connection:
            result = connection.execute(
                update(Outbox).where(Outbox.id.in_(ids), Outbox.claim_token == self.token).values(**values)
            )
        return result.rowcount


def dispatch(
    engine: Engine,
    settings: mail.MailSettings,
    now: datetime,
    *,
    batch_size: int = 100,
    lease: timedelta = timedelta(minutes=2),
    max_batches: int = 1000,
) -> DispatchResult:
    """Claim, re-check, send and mark due rows, batch after batch, until none is due.

    ``now`` advances with the time spent, so a long run never claims a batch with a lease already over (or
    lets another process take rows it is still sending).
    """
    result = DispatchResult()
    started = time.time()  # the wall clock, as the other processes that read our leases use
    composer = _Composer(settings, now)
    marker = _Marker(engine)
    try:
        for _ in range(max_batches):
            batch_now = now + timedelta(seconds=max(0, int(time.time() - started)))  # whole seconds suffice
            token, ids = claim(engine, batch_now, batch_size, lease)
            if not ids:
                break
            result.claimed += len(ids)
            composer.at(batch_now)
            marker.start(token)
            if not _send_batch(engine, composer, marker, batch_now, ids, result, lease):
                break  # the mail server is unreachable or slow: leave the rest to the next tick (or another process)
    finally:
        marker.close()
    return result


_ROW_COLUMNS = (
    Outbox.id,
    Outbox.kind,
    Outbox.subscription_id,
    Outbox.event_id,
    Outbox.lead_minutes,
    Outbox.revision,
    Outbox.attempts,
    Outbox.changes,
)
_RECIPIENT_COLUMNS = (
    Subscription.id,
    Subscription.email,
    Subscription.status,
    Subscription.filter_key,
    Subscription.label,
    Subscription.timezone,
    Subscription.token_nonce,
    Subscription.confirm_expires_dt,
)


def _load_jobs(session: Session, ids: Sequence[int], token: str) -> list[_Job]:
    """The claimed rows still ours, with their subscriptions (plain values) and events (one object each)."""
    rows = session.execute(
        select(*_ROW_COLUMNS, *_RECIPIENT_COLUMNS)
        .join(Subscription, Subscription.id == Outbox.subscription_id)
        .where(Outbox.id.in_(ids), Outbox.claim_token == token)
        .order_by(Outbox.id)
    ).all()
    leads: dict[int, list[int]] = defaultdict(list)
    for subscription_id, minutes in session.execute(
        select(SubscriptionLead.subscription_id, SubscriptionLead.minutes).where(
            SubscriptionLead.subscription_id.in_({row[2] for row in rows})
        )
    ):
        leads[subscription_id].append(minutes)
    event_ids = {row[3] for row in rows if row[3] is not None}
    events = {
        event.id: event
        for event in session.execute(with_details(select(Event).where(Event.id.in_(event_ids)))).scalars()
    }
    width = len(_ROW_COLUMNS)
    jobs = []
    for values in rows:
        row = _Row(*values[:width])
        recipient = _Recipient(*values[width:], lead_minutes=sorted(leads[row.subscription_id], reverse=True))
        jobs.append(_Job(row, recipient, events.get(row.event_id)))
    return jobs


def _reasons_to_skip(session: Session, jobs: list[_Job], now: datetime) -> dict[int, str]:
    """Re-check each claimed row: is it still wanted now? Returns row id → reason for those that are not."""
    reasons: dict[int, str] = {}
    emails = {job.subscription.email for job in jobs}
    suppressed = set(
        session.execute(
            select(MailAddress.email).where(MailAddress.email.in_(emails), MailAddress.suppressed_dt.is_not(None))
        ).scalars()
    )
    reminders = [job for job in jobs if job.row.kind == OutboxKind.REMINDER.value]
    shortest_due: dict[tuple[int, int], int] = {}
    if reminders:
        pairs = {(job.row.subscription_id, job.row.event_id) for job in reminders}
        for sub_id, event_id, lead in session.execute(
            select(Outbox.subscription_id, Outbox.event_id, Outbox.lead_minutes).where(
                Outbox.kind == OutboxKind.REMINDER.value,
                Outbox.subscription_id.in_({pair[0] for pair in pairs}),
                Outbox.event_id.in_({pair[1] for pair in pairs}),
                Outbox.due_dt <= now,
                Outbox.status.in_([OutboxStatus.PENDING.value, OutboxStatus.SENT.value]),
            )
        ):
            key = (sub_id, event_id)
            shortest_due[key] = min(lead, shortest_due.get(key, lead))
    filter_matches: dict[str, set[int]] = {}
    for job in reminders:
        subscription = job.subscription
        if subscription.filter_key and subscription.filter_key not in filter_matches:
            stored = session.execute(select(Subscription.filter).where(Subscription.id == subscription.id)).scalar()
            try:
                parsed = parse_filter(stored, session, include_internal=PUBLIC) if stored else None
                conditions = parsed.conditions() if parsed else [literal(False)]
            except FilterError:
                conditions = [literal(False)]
            event_ids = {
                other.row.event_id for other in reminders if other.subscription.filter_key == subscription.filter_key
            }
            filter_matches[subscription.filter_key] = set(
                session.execute(select(Event.id).where(Event.id.in_(event_ids), *conditions)).scalars()
            )
    for job in jobs:
        row, subscription, event = job.row, job.subscription, job.event
        if subscription.email in suppressed:
            reasons[row.id] = "address suppressed"  # type: ignore[index]
        elif row.kind == OutboxKind.CONFIRMATION.value:
            if subscription.status != SubscriptionStatus.PENDING.value:
                reasons[row.id] = "no longer pending"  # type: ignore[index]
            elif subscription.confirm_expires_dt is None or subscription.confirm_expires_dt <= now:
                reasons[row.id] = "confirmation expired"  # type: ignore[index]
        elif subscription.status != SubscriptionStatus.ACTIVE.value:
            reasons[row.id] = "unsubscribed"  # type: ignore[index]
        elif event is None or event.start_dt <= now:
            reasons[row.id] = "event started"  # type: ignore[index]
        elif not may_see(event, include_internal=PUBLIC):  # reminders and notices alike
            reasons[row.id] = "event not public"  # type: ignore[index]
        elif row.kind == OutboxKind.REMINDER.value:
            if event.deleted_dt is not None or event.status not in REMINDED_STATUSES:
                reasons[row.id] = "event cancelled"  # type: ignore[index]
            elif subscription.filter_key and event.id not in filter_matches.get(subscription.filter_key, set()):
                reasons[row.id] = "no longer matches"  # type: ignore[index]
            elif shortest_due.get((row.subscription_id, row.event_id), row.lead_minutes) < row.lead_minutes:  # type: ignore[arg-type]
                reasons[row.id] = "superseded"  # type: ignore[index]
    return reasons


def _send_batch(
    engine: Engine,
    composer: _Composer,
    marker: _Marker,
    now: datetime,
    ids: list[int],
    result: DispatchResult,
    lease: timedelta = timedelta(minutes=2),
) -> bool:
    """Send one claimed batch over one connection; False when the rest was given back (server gone or slow).

    All messages are built before the first is sent: the GIL would otherwise make a builder thread delay the
    thread waiting for the server's answers. No new mail is started once half the lease is spent, so sends
    and their marks end well before another process may claim the rows.
    """
    deadline = time.time() + lease.total_seconds() / 2
    with Session(engine, expire_on_commit=False) as session:
        jobs = _load_jobs(session, ids, marker.token)
        reasons = _reasons_to_skip(session, jobs, now)
    by_reason: dict[str, list[int]] = defaultdict(list)
    for row_id, reason in reasons.items():
        by_reason[reason].append(row_id)
    for reason, row_ids in by_reason.items():
        result.skipped += marker.mark(row_ids, status=OutboxStatus.SKIPPED.value, finished_reason=reason)
    failpoint("after_claim")
    remaining = [job for job in jobs if job.row.id not in reasons]
    built = [composer.compose_safely(job) for job in remaining]
    transport = mail.open_transport(composer.settings)
    newly_suppressed: set[str] = set()
    try:
        for position, (job, made) in enumerate(zip(remaining, built, strict=True)):
            row, email = job.row, job.subscription.email
            if marker.overdue():
                marker.flush()
            if position and (marker.lost or time.time() >= deadline):
                rest = [other.row.id for other in remaining[position:]]
                marker.mark(rest, next_attempt_dt=now, attempts=Outbox.attempts - 1)  # type: ignore[arg-type]
                result.errors.append("claim lost" if marker.lost else "batch took half the lease: rest given back")
                return False
            if email in newly_suppressed:
                result.skipped += marker.mark(
                    [row.id], status=OutboxStatus.SKIPPED.value, finished_reason="address suppressed"
                )  # type: ignore[list-item]
                continue
            if isinstance(made, Exception):
                exc = made
                log.error("reminder %s could not be built: %s", row.id, exc)
                result.failed += marker.mark(
                    [row.id], status=OutboxStatus.FAILED.value, last_error=str(exc)[:2000], finished_reason="not built"
                )  # type: ignore[list-item]
                continue
            message, message_id = made
            outcome = transport.send(message, email)
            if outcome.outcome is mail.Outcome.SENT:
                failpoint("after_accept")
                marker.mark_sent(row.id, now, message_id, outcome.code)  # type: ignore[arg-type]
                if marker.waiting >= 2:  # accepted mails whose marks wait for the group's commit
                    failpoint("after_accept_in_group")
            elif outcome.outcome is mail.Outcome.RETRY:
                _retry(marker, job, now, outcome, message_id, result)
                if outcome.code is None:  # the connection is gone: give the rest of the batch back
                    rest = [other.row.id for other in remaining[position + 1 :]]
                    marker.mark(rest, next_attempt_dt=now, attempts=Outbox.attempts - 1)  # type: ignore[arg-type]
                    result.errors.append(outcome.answer)
                    return False
            else:  # permanent: a refused recipient is also suppressed
                recipient_refused = outcome.outcome is mail.Outcome.REFUSED
                if recipient_refused:
                    newly_suppressed.add(email)
                    _suppress(engine, email, now, f"{outcome.code} {outcome.answer}")
                    result.suppressed += 1
                result.failed += marker.mark(
                    [row.id],  # type: ignore[list-item]
                    status=OutboxStatus.FAILED.value,
                    message_id=message_id,
                    last_error=outcome.answer,
                    last_smtp_code=outcome.code,
                    finished_reason="recipient refused" if recipient_refused else "refused",
                )
    finally:
        try:
            marker.flush()
            result.sent += marker.sent
        finally:
            transport.close()
    return True


def _retry(
    marker: _Marker, job: _Job, now: datetime, outcome: mail.SendResult, message_id: str, result: DispatchResult
) -> None:
    row = job.row
    next_attempt = now + _backoff(row.attempts)
    error = f"{outcome.code} {outcome.answer}" if outcome.code else outcome.answer
    too_late = (
        job.event is not None and job.row.kind != OutboxKind.CONFIRMATION.value and next_attempt >= job.event.start_dt
    )
    if row.attempts >= MAX_ATTEMPTS or too_late:
        result.failed += marker.mark(
            [row.id],  # type: ignore[list-item]
            status=OutboxStatus.FAILED.value,
            message_id=message_id,
            last_error=error,
            last_smtp_code=outcome.code,
            finished_reason="event started" if too_late else "too many attempts",
        )
        return
    result.retried += marker.mark(
        [row.id],  # type: ignore[list-item]
        next_attempt_dt=next_attempt,
        message_id=message_id,
        last_error=error,
        last_smtp_code=outcome.code,
    )


def _suppress(engine: Engine, email: str, now: datetime, reason: str) -> None:
    """Stop mailing an address that the server refused permanently; its queued mails are skipped."""
    with write_session(engine) as session:
        subscriptions._ensure_address(session, email)
        session.execute(
            update(MailAddress)
            .where(MailAddress.email == email)
            .values(suppressed_dt=now, suppressed_reason=reason[:2000])
            .execution_options(synchronize_session=False)
        )
        session.commit()


# ----------------------------------------------------------------------------------------------- messages


def relative_time(start: datetime, now: datetime, all_day: bool, first_day: date | None, zone: str) -> str:
    """``tomorrow``, ``in 3 days``, ``in 2 hours``: how far off the event is, as a subject line says it."""
    if all_day and first_day is not None:
        days = (first_day - utc_to_local(now, zone).date()).days
    else:
        seconds = (start - now).total_seconds()
        if seconds < 3600:
            minutes = max(1, round(seconds / 60))
            return f"in {minutes} minute{'s' if minutes != 1 else ''}"
        hours = round(seconds / 3600)
        if hours < 24:
            return f"in {hours} hour{'s' if hours != 1 else ''}"
        days = (utc_to_local(start, zone).date() - utc_to_local(now, zone).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def _snapshot_before(event: Event, changes: dict[str, list[Any]]) -> Event:
    """A detached copy of the event with the old values of ``changes`` (stored as ISO strings)."""
    old = Event(
        id=event.id,
        title=event.title,
        timezone=event.timezone,
        all_day=event.all_day,
        start_dt=event.start_dt,
        end_dt=event.end_dt,
        start_date=event.start_date,
        end_date=event.end_date,
        venue=event.venue,
        city=event.city,
        country=event.country,
        status=event.status,
    )
    for name, (before, _after) in changes.items():
        if name in {"start_dt", "end_dt"} and before:
            setattr(old, name, datetime.fromisoformat(before))
        elif name in {"start_date", "end_date"}:
            setattr(old, name, date.fromisoformat(before) if before else None)
        elif name == "deleted_dt":
            continue
        elif name in {"all_day", "timezone", "venue", "city", "country", "status"}:
            setattr(old, name, before)
    return old


class _Composer:
    """Builds the mails of one batch; what recipients share is made once.

    The event's ``.ics`` is made once per event revision, and the encoded body and subject once per
    (template, event revision, zone, label, leads, changes) with a random stand-in for the personal token,
    so a message costs two HMACs, a byte replace and its headers (``mail.SharedBody``).
    """

    #: Distinct shared bodies kept (each about three times the size of a message).
    SHARED_KEPT = 1000

    def __init__(self, settings: mail.MailSettings, now: datetime) -> None:
        self.settings = settings
        self.now = now
        self._ics: dict[tuple[int, int], bytes] = {}
        self._placeholder = secrets.token_hex(16)
        self._relative: dict[tuple[Any, ...], str] = {}
        self._shared: dict[tuple[Any, ...], tuple[str, mail.SharedBody]] = {}

    def at(self, now: datetime) -> None:
        """Move to the next batch's instant: bodies stay valid unless their "tomorrow" / "in 2 hours" changes."""
        if now != self.now:
            self.now = now
            self._relative.clear()
        if len(self._shared) > self.SHARED_KEPT:
            self._shared.clear()
        if len(self._ics) > self.SHARED_KEPT:
            self._ics.clear()

    def ics(self, event: Event) -> bytes:
        key = (event.id or 0, event.revision)
        if key not in self._ics:
            self._ics[key] = single_event_calendar(event, self.settings.base_url, self.settings.calendar_name)
        return self._ics[key]

    def when(self, event: Event, zone: str) -> dict[str, str]:
        """The event's time in the subscriber's zone, with its own local time beside it."""
        if event.all_day and event.start_date and event.end_date:
            text = formatting.format_date_range(event.start_date, event.end_date)
            return {"yours": text, "local": "", "zone": zone}
        yours = formatting.format_instant_range(event.start_dt, event.end_dt, zone)
        local = formatting.format_instant_range(event.start_dt, event.end_dt, event.timezone)
        return {"yours": yours, "local": local if zone != event.timezone else "", "zone": zone}

    def compose_safely(self, job: _Job) -> tuple[Any, str] | Exception:
        try:
            return self.compose(job)
        except (mail.MailError, ValueError) as exc:
            return exc

    def compose(self, job: _Job) -> tuple[Any, str]:
        row, subscription, event = job.row, job.subscription, job.event
        settings = self.settings
        key = f"{row.kind}:{row.subscription_id}:{row.event_id or 0}:{row.lead_minutes}:{row.revision}"
        message_id = settings.message_id(key)
        personal = subscriptions.manage_token(settings.secret_key, subscription)
        leads = ", ".join(subscriptions.lead_label(minutes) for minutes in subscription.lead_minutes)
        if row.kind == OutboxKind.CONFIRMATION.value:
            confirm = subscriptions.confirm_token(settings.secret_key, subscription)
            context: dict[str, Any] = {
                "calendar_name": settings.calendar_name,
                "subscription": subscription,
                "manage_url": settings.link(f"/subscriptions/{personal}"),
                "unsubscribe_url": settings.link(f"/unsubscribe/{personal}"),
                "leads": leads,
                "confirm_url": settings.link(f"/subscriptions/confirm/{confirm}"),
                "expires": subscription.confirm_expires_dt,
            }
            message = mail.build_message(
                settings,
                to=subscription.email,
                subject=f"Confirm your reminders: {subscription.label}",
                template="confirm",
                context=context,
                message_id=message_id,
                date=self.now,
            )
            return message, message_id
        assert event is not None
        zone = subscription.timezone
        relative_key = (event.id, event.revision, zone)
        relative = self._relative.get(relative_key)
        if relative is None:
            relative = relative_time(event.start_dt, self.now, event.all_day, event.start_date, zone)
            self._relative[relative_key] = relative
        shared_key = (row.kind, event.id, event.revision, zone, relative, subscription.label, leads, repr(row.changes))
        if shared_key not in self._shared:
            self._shared[shared_key] = self._shared_part(row, subscription, event, leads, relative)
        subject, body = self._shared[shared_key]
        message = mail.build_message(
            settings,
            to=subscription.email,
            subject=subject,
            template="",
            context={},
            message_id=message_id,
            date=self.now,
            unsubscribe_url=settings.link(f"/unsubscribe/{personal}"),
            encoded_body=body.personal(personal),
        )
        return message, message_id

    def _shared_part(
        self, row: _Row | Outbox, subscription: _Recipient | Subscription, event: Event, leads: str, relative: str
    ) -> tuple[str, mail.SharedBody]:
        """Subject and encoded body of a reminder or notice, with the stand-in where the personal token goes."""
        settings = self.settings
        token = self._placeholder
        context: dict[str, Any] = {
            "calendar_name": settings.calendar_name,
            "subscription": subscription,
            "manage_url": settings.link(f"/subscriptions/{token}"),
            "unsubscribe_url": settings.link(f"/unsubscribe/{token}"),
            "leads": leads,
            "event": event,
            "event_url": settings.link(f"/events/{event.id}"),
            "when": self.when(event, subscription.timezone),
            "place": formatting.event_place(event),
            "relative": relative,
        }
        if row.kind == OutboxKind.REMINDER.value:
            subject = f"{event.title} — {relative}" + (f", {event.city}" if event.city else "")
            template = "reminder"
        else:
            changes = row.changes or {}
            before = _snapshot_before(event, changes)
            lines = []
            if any(name in changes for name in NOTICE_FIELDS["when"]):
                old_when = self.when(before, subscription.timezone)["yours"]
                lines.append(("Date", old_when, context["when"]["yours"]))
            if any(name in changes for name in NOTICE_FIELDS["where"]):
                lines.append(("Place", formatting.event_place(before) or "—", context["place"] or "—"))
            if "deleted_dt" in changes:
                lines.append(
                    ("Status", formatting.status_label(before.status), "Cancelled (removed from the calendar)")
                )
            elif "status" in changes:
                lines.append(("Status", formatting.status_label(before.status), formatting.status_label(event.status)))
            context.update(changes=lines)
            cancelled = "deleted_dt" in changes or event.status == EventStatus.CANCELLED.value
            prefix = "Cancelled" if cancelled else "Postponed" if event.status == "postponed" else "Changed"
            subject = f"{prefix}: {event.title} — " + ", ".join(label.lower() for label, _, _ in lines)
            template = "notice"
        text, html = mail.render_bodies(template, context)
        return subject, mail.SharedBody.encode(text, html, self.ics(event), token)


# -------------------------------------------------------------------------------------------------- tick


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
    beat(engine, name, now, summary)
    return summary


def beat(engine: Engine, name: str, now: datetime, summary: dict[str, Any]) -> None:
    with write_session(engine) as session:
        statement = dialect_insert(session)(SchedulerHeartbeat).values(
            name=name[:200], last_tick_dt=now, last_result=summary
        )
        statement = statement.on_conflict_do_update(
            index_elements=["name"], set_={"last_tick_dt": now, "last_result": summary}
        )
        session.execute(statement)
        session.commit()


# ----------------------------------------------------------------------------------------------- reports


@dataclass
class Overview:
    last_ticks: list[SchedulerHeartbeat]
    counts: dict[str, int]
    suppressed: int
    failures: list[tuple[Outbox, Subscription]]
    next_due: datetime | None


def overview(session: Session, now: datetime, *, failures: int = 50) -> Overview:
    """What the admin page shows: last ticks, counts by status, suppressed addresses, recent failures."""
    counts = {status.value: 0 for status in OutboxStatus}
    for status, count in session.execute(select(Outbox.status, func.count()).group_by(Outbox.status)):
        counts[status] = count
    counts["retrying"] = session.execute(
        select(func.count())
        .select_from(Outbox)
        .where(Outbox.status == OutboxStatus.PENDING.value, Outbox.attempts > 0, Outbox.last_error.is_not(None))
    ).scalar_one()
    suppressed = session.execute(
        select(func.count()).select_from(MailAddress).where(MailAddress.suppressed_dt.is_not(None))
    ).scalar_one()
    recent = session.execute(
        select(Outbox, Subscription)
        .join(Subscription, Subscription.id == Outbox.subscription_id)
        .where(Outbox.last_error.is_not(None))
        .order_by(Outbox.next_attempt_dt.desc(), Outbox.id.desc())
        .limit(failures)
    ).all()
    ticks = list(session.execute(select(SchedulerHeartbeat).order_by(SchedulerHeartbeat.last_tick_dt.desc())).scalars())
    next_due = session.execute(
        select(func.min(Outbox.next_attempt_dt)).where(Outbox.status == OutboxStatus.PENDING.value)
    ).scalar_one()
    return Overview(ticks, counts, suppressed, [(row, sub) for row, sub in recent], next_due)
