"""Bringing events read from another calendar into ours: a plan first (the preview), then applying it.

``plan_import`` decides, for each event the reader returned, what would happen, without writing anything:

* **matched** by (source, UID, RECURRENCE-ID) through ``ImportedEvent``; for a source, an unknown UID then looks
  for a link of the same source whose event the read no longer has, with the same start and title (Outlook's
  published feeds and Google's recurring events change UIDs);
* a matched event is **updated** when what the source says differs from the event and nobody edited it here; an
  event edited here is a **conflict** when the source changed it too (SEQUENCE or LAST-MODIFIED newer), kept
  as it is otherwise; an event deleted here is **skipped** (the import does not bring it back);
* an unknown event is **created** (a cancelled one as cancelled: the office wants to know), or **flagged** as a
  possible duplicate of an existing event (``tracker.services.duplicates``) and created only when the editor
  says so;
* for a source, a linked event the source **dropped** and that is not over yet is cancelled.

``apply_import`` carries the plan out through the editor's own services (``create_event``, ``update_event``),
so revisions, feeds' SEQUENCE, reminders and change notices follow as for a typed change. Each event's form
values pass ``EventInput``; a file with any event the form would refuse is refused as a whole.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from tracker.i18n import N_
from tracker.i18n import gettext as _
from tracker.ical.reading import ReadEvent, ReadResult
from tracker.models import Event, EventStatus, ImportedEvent, User
from tracker.phrases import said
from tracker.services import batches, duplicates
from tracker.services.events import create_event, event_input_from, set_status, update_event
from tracker.services.import_forms import ImportDefaults, form_values, instants, start_key, title_key
from tracker.services.import_words import CANCEL, CONFLICT, CREATE, DUPLICATE, SKIP, UNCHANGED, UPDATE, all_day_when
from tracker.validation import EventInput, InputError

#: The cancellation reason stored on an event the source dropped (data, kept in English like any typed reason).
DROPPED_REASON = N_("Removed from the source calendar.")


@dataclass
class PlannedChange:
    """What importing one source event would do."""

    action: str
    title: str
    #: The start, language-neutral: "2022-11-15 10:00 Europe/Skopje", or the day of an all-day event.
    when: str
    #: Our event it concerns (None for a new one).
    event_id: int | None = None
    read: ReadEvent | None = None
    data: EventInput | None = None
    link_id: int | None = None
    #: Why, in people's words ("Changed in the source.", "Edited here and changed in the source.").
    note: str = ""
    #: Possible duplicates (id, title) of a new event.
    similar: tuple[tuple[int, str], ...] = ()
    all_day: bool = False

    @property
    def shown_when(self) -> str:
        return all_day_when(self.when) if self.all_day else self.when

    @property
    def key(self) -> str:
        """Identifies the source event in forms (the editor's "create anyway" choices)."""
        return f"{self.read.uid}|{self.read.recurrence_id}" if self.read else f"event:{self.event_id}"


@dataclass
class ImportPlan:
    changes: list[PlannedChange] = field(default_factory=list)
    #: Events the form would refuse: "Line 30, “Title”: The title …". Any of them refuses the file.
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        return dict(Counter(change.action for change in self.changes))


def _when(read: ReadEvent) -> str:
    """The source event's start for the preview, in its own zone (an all-day event's: its day)."""
    if read.all_day:
        return read.start.isoformat()
    return f"{read.start.strftime('%Y-%m-%d %H:%M')} {read.timezone}"


def _links(session: Session, source_id: int | None) -> list[ImportedEvent]:
    condition = (
        ImportedEvent.source_id.is_(None)  # type: ignore[union-attr]
        if source_id is None
        else ImportedEvent.source_id == source_id
    )
    return list(session.exec(select(ImportedEvent).where(condition)).all())


def _validated(read: ReadEvent, defaults: ImportDefaults, plan: ImportPlan) -> EventInput | None:
    """The event's form input, or None with the form's messages added to the plan's problems."""
    try:
        return EventInput.from_form(form_values(read, defaults))
    except InputError as exc:
        messages = "; ".join(exc.errors.values())
        plan.problems.append(
            said(
                N_("Line %(line)d, “%(title)s”: %(messages)s"),
                line=read.line,
                title=read.title or read.uid,
                messages=messages,
            )
        )
        return None


def _comparable(data: EventInput) -> dict[str, Any]:
    """What decides "changed": the form's values, tags in any order."""
    values = data.model_dump()
    values["tags"] = sorted(values["tags"])
    return values


def _source_newer(read: ReadEvent, link: ImportedEvent) -> bool:
    if read.sequence > link.sequence:
        return True
    return read.last_modified is not None and (
        link.last_modified_dt is None or read.last_modified > link.last_modified_dt
    )


def _plan_matched(session: Session, change: PlannedChange, link: ImportedEvent, data: EventInput) -> None:
    """Update, conflict, skip or unchanged for a source event we already have."""
    event = session.get(Event, link.event_id)
    assert change.read is not None
    if event is None or event.deleted_dt is not None:
        change.action, change.note = SKIP, _("Deleted here; the import does not bring it back.")
        return
    current = EventInput.from_form(event_input_from(event))
    differs = _comparable(current) != _comparable(data)
    edited_here = event.revision != link.imported_revision
    if not differs:
        change.action = UNCHANGED
    elif not edited_here:
        change.action, change.note = UPDATE, _("Changed in the source.")
    elif _source_newer(change.read, link):
        change.action, change.note = CONFLICT, _("Edited here and changed in the source: the editor chooses.")
    else:
        change.action, change.note = UNCHANGED, _("Edited here; the source has not changed since.")


#: Existing events loaded at once to judge an import's new events; with more the import asks per event.
CANDIDATES_AT_ONCE = 50_000


def _candidates(session: Session, result: ReadResult) -> duplicates.LoadedCandidates | None:
    """The live events over the whole file's span, loaded once (None: too many, ask per event)."""
    if not result.events:
        return None
    spans = [instants(read) for read in result.events]
    earliest, latest = min(start for start, _ in spans), max(end for _, end in spans)
    return duplicates.LoadedCandidates.load(session, earliest, latest, CANDIDATES_AT_ONCE)


def _similar(
    session: Session,
    loaded: duplicates.LoadedCandidates | None,
    read: ReadEvent,
    data: EventInput,
    same_series: set[int],
) -> tuple[tuple[int, str], ...]:
    """Existing events the new one may duplicate (the editor's desk rule), never on a DB write.

    Other occurrences of the same series (``same_series``: events linked to the read's UID) are not duplicates:
    a daily series' next occurrence is meant to look like the one before.
    """
    start_dt, end_dt = instants(read)
    probe = Event(
        title=data.title,
        timezone=data.timezone,
        start_dt=start_dt,
        end_dt=end_dt,
        venue=data.venue,
        city=data.city,
        country=data.country,
    )
    found = loaded.similar(probe) if loaded is not None else duplicates.similar_events(session, probe)
    return tuple((similar.event.id, similar.event.title) for similar in found if similar.event.id not in same_series)  # type: ignore[misc]


def plan_import(
    session: Session, result: ReadResult, defaults: ImportDefaults, *, source_id: int | None, now: datetime
) -> ImportPlan:
    """What importing ``result`` would do (see the module docstring); writes nothing."""
    plan = ImportPlan(problems=[problem.message for problem in result.problems])
    if not result.ok:
        return plan
    links = _links(session, source_id)
    loaded = _candidates(session, result)
    by_key = {(link.uid, link.recurrence_id): link for link in links}
    series: dict[str, set[int]] = {}
    for link in links:
        series.setdefault(link.uid, set()).add(link.event_id)
    seen_keys = {(read.uid, read.recurrence_id) for read in result.events}
    orphans = {
        (link.source_start, title_key(link.source_title)): link
        for link in links
        if (link.uid, link.recurrence_id) not in seen_keys
    }
    for read in result.events:
        data = _validated(read, defaults, plan)
        if data is None:
            continue
        change = PlannedChange(
            action=CREATE, title=data.title, when=_when(read), read=read, data=data, all_day=read.all_day
        )
        link = by_key.get((read.uid, read.recurrence_id))
        if link is None and source_id is not None:
            link = orphans.pop((start_key(read), title_key(read.title)), None)
        if link is not None:
            change.event_id, change.link_id = link.event_id, link.id
            _plan_matched(session, change, link, data)
        elif similar := _similar(session, loaded, read, data, series.get(read.uid, set())):
            change.action, change.similar = DUPLICATE, similar
            change.note = _("May be an event we already have.")
        plan.changes.append(change)
    if source_id is not None:
        plan.changes.extend(_dropped(session, list(orphans.values()), now))
    return plan


def _dropped(session: Session, links: list[ImportedEvent], now: datetime) -> list[PlannedChange]:
    """Linked events the source no longer has: cancelled unless over, deleted or cancelled already."""
    dropped: list[PlannedChange] = []
    for link in links:
        event = session.get(Event, link.event_id)
        if event is None or event.deleted_dt is not None or event.end_dt <= now:
            continue
        if event.status == EventStatus.CANCELLED.value:
            continue
        when = event.start_dt.strftime("%Y-%m-%d %H:%M UTC")
        dropped.append(
            PlannedChange(
                action=CANCEL,
                title=event.title,
                when=when,
                event_id=event.id,
                link_id=link.id,
                note=_(DROPPED_REASON),
            )
        )
    return dropped


def _record_link(
    session: Session, change: PlannedChange, event: Event, source_id: int | None, now: datetime, *, produced: bool
) -> None:
    """Remember what the source said (its UID may have changed, its start and title are the fallback match).

    ``produced``: the event now is what the source says (created or updated from it), so the revision it has is
    the one the source produced, and a conflict waiting for the editor is settled.
    """
    assert change.read is not None
    read = change.read
    link = session.get(ImportedEvent, change.link_id) if change.link_id else None
    if link is None:
        link = ImportedEvent(event_id=event.id, source_id=source_id)  # type: ignore[arg-type]
    link.uid, link.recurrence_id = read.uid, read.recurrence_id
    link.sequence, link.last_modified_dt = read.sequence, read.last_modified
    link.source_start, link.source_title, link.last_seen_dt = start_key(read), read.title[:300], now
    if produced:
        link.imported_revision = event.revision
        link.pending_input, link.pending_dt = "", None
    session.add(link)


def _hold_conflict(session: Session, change: PlannedChange, now: datetime) -> None:
    """Keep the source's newer version beside the locally edited event, for the editor to choose."""
    link = session.get(ImportedEvent, change.link_id)
    assert link is not None and change.read is not None and change.data is not None
    link.pending_input = json.dumps(change.data.model_dump(mode="json"))
    link.pending_dt = now
    link.sequence, link.last_modified_dt, link.last_seen_dt = change.read.sequence, change.read.last_modified, now
    session.add(link)


def apply_import(
    session: Session,
    plan: ImportPlan,
    user: User | None,
    now: datetime,
    *,
    source_id: int | None,
    create_duplicates: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Carry out ``plan`` in the caller's write transaction; returns what was done, by action.

    A flagged possible duplicate is created only if its key is in ``create_duplicates`` (the editor said so).
    """
    if not plan.ok:
        raise ValueError("A plan with problems cannot be applied.")
    done: Counter[str] = Counter()
    with batches.batch(session):  # reminders are planned once for all the changed events
        _apply_changes(session, plan, user, now, source_id, create_duplicates, done)
    session.flush()
    return dict(done)


def _apply_changes(
    session: Session,
    plan: ImportPlan,
    user: User | None,
    now: datetime,
    source_id: int | None,
    create_duplicates: frozenset[str],
    done: Counter[str],
) -> None:
    """Each planned change through the event services (``apply_import`` runs this as one batch)."""
    for change in plan.changes:
        action = change.action
        if action == DUPLICATE and change.key in create_duplicates:
            action = CREATE
        if action == CREATE:
            assert change.data is not None
            event = create_event(session, change.data, user, now).event
            _record_link(session, change, event, source_id, now, produced=True)
        elif action == UPDATE:
            assert change.data is not None and change.event_id is not None
            event = update_event(session, change.event_id, change.data, None, user, now, in_batch=True).event
            _record_link(session, change, event, source_id, now, produced=True)
        elif action == CONFLICT:
            _hold_conflict(session, change, now)
        elif action == CANCEL:
            assert change.event_id is not None
            event = set_status(
                session, change.event_id, EventStatus.CANCELLED.value, None, user, now, reason=DROPPED_REASON
            ).event
            link = session.get(ImportedEvent, change.link_id)
            if link is not None:
                link.imported_revision = event.revision
        elif action == UNCHANGED and change.event_id is not None:
            event = session.get(Event, change.event_id)
            if event is not None:
                _record_link(session, change, event, source_id, now, produced=False)
        done[action] += 1


def pending_conflicts(session: Session, source_id: int | None) -> list[ImportedEvent]:
    """Links of one source (None: of file imports) holding a version that met a local edit, oldest first."""
    statement = select(ImportedEvent).where(ImportedEvent.pending_input != "")
    if source_id is None:
        statement = statement.where(ImportedEvent.source_id.is_(None))  # type: ignore[union-attr]
    else:
        statement = statement.where(ImportedEvent.source_id == source_id)
    return list(session.exec(statement.order_by(ImportedEvent.pending_dt)).all())  # type: ignore[arg-type]


def pending_input(link: ImportedEvent) -> EventInput:
    """The source's version held by a conflict, as form input."""
    return EventInput.model_validate(json.loads(link.pending_input))


def conflicts_shown(session: Session, source_id: int | None) -> list[tuple[ImportedEvent, Event | None, EventInput]]:
    """(link, our event, the source's version) of each waiting conflict, for the source or import page."""
    return [
        (link, session.get(Event, link.event_id), pending_input(link)) for link in pending_conflicts(session, source_id)
    ]


def resolve_conflict(session: Session, link_id: int, take_source: bool, user: User | None, now: datetime) -> None:
    """The editor's choice: the source's version replaces the local edit, or the local edit stays.

    Keeping the local edit leaves the event marked as edited here, so only a newer source change asks again.
    """
    link = session.get(ImportedEvent, link_id)
    if link is None or not link.pending_input:
        raise LookupError("There is no conflict to resolve for this event.")
    if take_source:
        event = update_event(session, link.event_id, pending_input(link), None, user, now, in_batch=True).event
        link.imported_revision = event.revision
    link.pending_input, link.pending_dt = "", None
    session.add(link)
    session.flush()
