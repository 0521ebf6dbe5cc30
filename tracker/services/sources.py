"""Calendar sources kept in sync: registering a feed, and one sync of it (fetch → read → plan → apply).

A sync never holds the database's write lock while it waits for the network: the source row is read, the feed
fetched (conditional GET with the stored ETag / Last-Modified, ``tracker.services.fetching``), and only then is
a write transaction opened. An unchanged answer (304, or a body with the stored SHA-256) reads nothing.
A failing fetch or a bad file changes no event; the source records the error and waits longer before the next
try (``backoff``), and the admin page lists it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, update
from sqlmodel import Session, select

from tracker import phrases
from tracker.db import write_session
from tracker.i18n import N_
from tracker.i18n import gettext as _
from tracker.ical.reading import ReadLimits, read_calendar
from tracker.models import CalendarSource, Organisation
from tracker.parsing import IntegerError, parse_int
from tracker.phrases import said
from tracker.phrases import said_plural as ngettext
from tracker.services import source_flags
from tracker.services.fetching import FetchError, FetchLimits, fetch, source_url
from tracker.services.import_forms import ImportDefaults, defaults_values, import_defaults, known_organisation
from tracker.services.imports import apply_import, plan_import
from tracker.validation import InputError, single_line

MIN_INTERVAL, MAX_INTERVAL = 15, 7 * 24 * 60
#: The longest a failing source waits between tries.
MAX_BACKOFF = timedelta(hours=24)
#: Repeating events are expanded from this long ago to this far ahead.
WINDOW_PAST, WINDOW_AHEAD = timedelta(days=31), timedelta(days=2 * 366)
ERROR_MAX = 2000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncSettings:
    """Limits of one sync, from the app's configuration."""

    fetch: FetchLimits
    max_bytes: int = 5 * 1024 * 1024
    max_events: int = 20_000
    budget_seconds: float = 20.0

    @classmethod
    def from_config(cls, config: Any) -> SyncSettings:
        return cls(
            fetch=FetchLimits(
                max_bytes=int(config["IMPORT_MAX_BYTES"]),
                deadline_seconds=float(config["SOURCE_FETCH_SECONDS"]),
                allow_private=bool(config["SOURCE_ALLOW_PRIVATE_ADDRESSES"]),
            ),
            max_bytes=int(config["IMPORT_MAX_BYTES"]),
            max_events=int(config["IMPORT_MAX_EVENTS"]),
            budget_seconds=float(config["IMPORT_BUDGET_SECONDS"]),
        )

    def read_limits(self, today: date) -> ReadLimits:
        return ReadLimits(
            window_start=today - WINDOW_PAST,
            window_end=today + WINDOW_AHEAD,
            max_bytes=self.max_bytes,
            max_occurrences=self.max_events,
            # A daily series over the whole window (about 760 days) still fits; more is refused.
            max_per_series=1000,
            budget_seconds=self.budget_seconds,
        )


def source_values(form: Any) -> dict[str, Any]:
    """A source form's values checked (name, URL, interval and the import defaults), or ``InputError``."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    try:
        values.update(defaults_values(form))
    except InputError as exc:
        errors.update(exc.errors)
    try:
        values["name"] = single_line(str(form.get("name", "")), 200, "The name")
        if not values["name"]:
            errors["name"] = _("Enter a name for the source.")
    except ValueError as exc:
        errors["name"] = str(exc)
    try:
        values["url"] = source_url(str(form.get("url", "")))
    except ValueError as exc:
        errors["url"] = str(exc)
    try:
        values["interval_minutes"] = parse_int(
            form.get("interval_minutes", "60"), name="interval_minutes", minimum=MIN_INTERVAL, maximum=MAX_INTERVAL
        )
    except IntegerError:
        errors["interval_minutes"] = _(
            "Enter whole minutes from %(least)d to %(most)d.", least=MIN_INTERVAL, most=MAX_INTERVAL
        )
    if errors:
        raise InputError(errors)
    return values


def save_source(
    session: Session, values: dict[str, Any], user_id: int | None, now: datetime, source: CalendarSource | None = None
) -> CalendarSource:
    """Store a new source (or the changes to ``source``); its first fetch is due at once.

    The organisation must be one the directory knows (``tracker.lookup``), so a typo does not create one.
    """
    organisation = known_organisation(session, values["organisation"])
    if source is None:
        source = CalendarSource(name=values["name"], url=values["url"], created_dt=now, created_by_id=user_id)
    for name in ("name", "url", "default_kind", "default_visibility", "default_tags", "interval_minutes"):
        setattr(source, name, values[name])
    source.organisation_id = organisation.id if organisation else None
    source.next_fetch_dt = now
    session.add(source)
    session.flush()
    return source


def defaults_of(session: Session, source: CalendarSource) -> ImportDefaults:
    organisation = session.get(Organisation, source.organisation_id) if source.organisation_id else None
    values = {name: getattr(source, name) for name in ("default_kind", "default_visibility", "default_tags")}
    return import_defaults(values, organisation, f"Calendar source “{source.name}”")


def backoff(interval_minutes: int, failures: int) -> timedelta:
    """Wait after ``failures`` consecutive failures: the interval, doubled per failure, at most a day."""
    if failures <= 0:
        return timedelta(minutes=interval_minutes)
    return min(timedelta(minutes=interval_minutes) * (2 ** min(failures, 16)), MAX_BACKOFF)


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _report(problems: list[str]) -> list[str]:
    """The problems of a refused feed, the first 20 of them, for the source page."""
    more = len(problems) - 20
    return problems[:20] + ([ngettext("… and %(num)d more.", "… and %(num)d more.", more)] if more > 0 else [])


def error_lines(source: CalendarSource) -> list[str]:
    """The source's last error, one message a line, in the current language (stored by ``phrases.dump``)."""
    return phrases.load(source.last_error)


def _finish(source: CalendarSource, now: datetime, result: str, *, errors: tuple[str, ...] = ()) -> None:
    source.last_fetch_dt, source.last_result = now, result
    source.last_error = phrases.dump(list(errors), ERROR_MAX)
    source.failures = source.failures + 1 if result == "error" else 0
    if result != "error":
        source.last_success_dt = now
    source.next_fetch_dt = now + backoff(source.interval_minutes, source.failures)


def sync_source(engine: Engine, source_id: int, settings: SyncSettings, now: datetime) -> str:
    """Fetch and apply one source; returns the result ("changed", "unchanged", "not-modified", "error")."""
    with Session(engine) as session:
        source = session.get(CalendarSource, source_id)
        if source is None:
            raise LookupError(f"No calendar source {source_id}.")
        url, etag, modified, known_hash = source.url, source.etag, source.last_modified_header, source.body_hash
    try:
        answer = fetch(url, etag=etag, last_modified=modified, limits=settings.fetch)
    except FetchError as exc:
        return _record(engine, source_id, now, "error", errors=(exc.said,))
    if answer.status == 304:
        return _record(engine, source_id, now, "not-modified")
    digest = body_hash(answer.body)
    if digest == known_hash:
        return _record(engine, source_id, now, "unchanged", answer=answer)
    result = read_calendar(answer.body, settings.read_limits(now.date()))
    with write_session(engine) as session:
        source = session.get(CalendarSource, source_id)
        assert source is not None
        plan = plan_import(session, result, defaults_of(session, source), source_id=source_id, now=now)
        if not plan.ok:
            session.rollback()
            return _record(engine, source_id, now, "error", errors=tuple(_report(plan.problems)))
        wanted = source_flags.wanted_keys(source)
        counts = apply_import(session, plan, None, now, source_id=source_id, create_duplicates=wanted)
        source = session.get(CalendarSource, source_id)
        assert source is not None
        source_flags.remember(source, plan, wanted & {change.key for change in plan.changes})
        source.etag, source.last_modified_header, source.body_hash = answer.etag, answer.last_modified, digest
        source.last_counts = json.dumps(counts, sort_keys=True)
        _finish(source, now, "changed")
        session.commit()
    return "changed"


def _record(
    engine: Engine, source_id: int, now: datetime, result: str, *, errors: tuple[str, ...] = (), answer: Any = None
) -> str:
    """Store the outcome of a sync that changed no event."""
    with write_session(engine) as session:
        source = session.get(CalendarSource, source_id)
        if source is None:
            return result
        if answer is not None:
            source.etag, source.last_modified_header = answer.etag, answer.last_modified
        _finish(source, now, result, errors=errors)
        session.commit()
    return result


def due_sources(session: Session, now: datetime) -> list[int]:
    """Active sources whose next fetch is due (never fetched ones first)."""
    statement = (
        select(CalendarSource.id)
        .where(
            CalendarSource.active.is_(True),  # type: ignore[attr-defined]
            or_(CalendarSource.next_fetch_dt.is_(None), CalendarSource.next_fetch_dt <= now),  # type: ignore[union-attr,operator]
        )
        .order_by(CalendarSource.next_fetch_dt, CalendarSource.id)
    )
    return [source_id for source_id in session.exec(statement).all() if source_id is not None]


def sync_due_sources(engine: Engine, settings: SyncSettings, now: datetime) -> dict[int, str]:
    """One scheduler pass: every due source once; one source's failure does not stop the others."""
    with Session(engine) as session:
        due = due_sources(session, now)
    results: dict[int, str] = {}
    for source_id in due:
        if not _claim(engine, source_id, now):
            continue  # another scheduler took it
        try:
            results[source_id] = sync_source(engine, source_id, settings, now)
        except Exception as exc:  # a defect here must not leave the source retried on every tick
            log.exception("sync of calendar source %s failed", source_id)
            error = said(N_("Internal error: %(error)s"), error=type(exc).__name__)
            results[source_id] = _record(engine, source_id, now, "error", errors=(error,))
    return results


#: How long a claimed source is left to the scheduler that claimed it before another may try.
CLAIM = timedelta(minutes=10)


def _claim(engine: Engine, source_id: int, now: datetime) -> bool:
    """Move a due source's next fetch past the claim period, if it is still due; True when this call did."""
    statement = (
        update(CalendarSource)
        .where(
            CalendarSource.id == source_id,
            or_(CalendarSource.next_fetch_dt.is_(None), CalendarSource.next_fetch_dt <= now),  # type: ignore[union-attr,operator]
        )
        .values(next_fetch_dt=now + CLAIM)
    )
    with write_session(engine) as session:
        claimed = session.execute(statement).rowcount == 1  # type: ignore[attr-defined]
        session.commit()
    return claimed


def failing_sources(session: Session) -> list[CalendarSource]:
    """Sources whose last fetch failed, for the admin page."""
    statement = select(CalendarSource).where(CalendarSource.failures > 0).order_by(CalendarSource.name)
    return list(session.exec(statement).all())


def all_sources_statement() -> Any:
    """Every source, by name (the sources page)."""
    return select(CalendarSource).order_by(CalendarSource.name, CalendarSource.id)


def delete_source(session: Session, source: CalendarSource) -> None:
    """Stop syncing ``source``; its events stay (their links lose the source and are no longer matched)."""
    session.delete(source)
    session.flush()
