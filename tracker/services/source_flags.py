"""Source events a sync left out as possible duplicates, and the editor's answer: link or create anyway.

A sync cannot ask, so a new source event that looks like an event we already have (``tracker.services.
duplicates``) is not created; it is listed on the source page with the events it may be. The editor either
**links** it to one of them (it is the same event: later syncs keep that event and the source together, and
because the editor entered it, a source change waits as a conflict rather than overwriting it) or has it
**created anyway** on the next sync. Either answer makes the next sync read the feed again, even unchanged.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from tracker.i18n import gettext as _
from tracker.models import CalendarSource, Event, ImportedEvent
from tracker.services.import_forms import start_key
from tracker.services.import_words import DUPLICATE, all_day_when
from tracker.services.imports import ImportPlan

#: Flagged events kept per source for the page (the rest are counted only).
MAX_FLAGGED = 100
#: ``imported_revision`` of a link the editor made: never a revision, so the event counts as edited here.
LINKED_BY_EDITOR = -1


class FlagError(ValueError):
    """An answer that cannot be carried out, in people's words."""


def flagged_of(source: CalendarSource) -> list[dict[str, Any]]:
    return json.loads(source.flagged) if source.flagged else []


#: How entries stored before "all_day" was kept ended an all-day event's start.
_OLD_ALL_DAY = " (all day)"


def flagged_shown(source: CalendarSource) -> list[dict[str, Any]]:
    """The flagged events for the source page, each with ``shown_when`` in the current language."""
    entries = flagged_of(source)
    for entry in entries:
        when = str(entry.get("when", ""))
        if entry.get("all_day") or when.endswith(_OLD_ALL_DAY):
            entry["shown_when"] = all_day_when(when.removesuffix(_OLD_ALL_DAY))
        else:
            entry["shown_when"] = when
    return entries


def wanted_keys(source: CalendarSource) -> frozenset[str]:
    """Flagged events the editor wants created on this sync."""
    return frozenset(json.loads(source.create_keys)) if source.create_keys else frozenset()


def remember(source: CalendarSource, plan: ImportPlan, created: frozenset[str]) -> None:
    """After a sync: what it left out for the editor; wishes it carried out are done with."""
    flagged = []
    for change in plan.changes:
        if change.action != DUPLICATE or change.key in created or change.read is None:
            continue
        read = change.read
        flagged.append(
            {
                "key": change.key,
                "title": change.title,
                "when": change.when,
                "all_day": change.all_day,
                "similar": [list(item) for item in change.similar],
                "uid": read.uid,
                "recurrence_id": read.recurrence_id,
                "sequence": read.sequence,
                "last_modified": read.last_modified.isoformat() if read.last_modified else None,
                "start": start_key(read),
                "source_title": read.title[:300],
            }
        )
    source.flagged = json.dumps(flagged[:MAX_FLAGGED]) if flagged else ""
    source.create_keys = json.dumps(sorted(wanted_keys(source) - created)) if wanted_keys(source) - created else ""


def _read_again(source: CalendarSource, now: datetime) -> None:
    source.etag = source.last_modified_header = source.body_hash = ""
    source.next_fetch_dt = now


def _entry(source: CalendarSource, key: str) -> dict[str, Any]:
    for entry in flagged_of(source):
        if entry["key"] == key:
            return entry
    raise FlagError(_("That event is no longer waiting for an answer; the source may have changed."))


def create_anyway(source: CalendarSource, key: str, now: datetime) -> None:
    """The editor says the flagged event is a different one: the next sync creates it."""
    _entry(source, key)
    source.create_keys = json.dumps(sorted(wanted_keys(source) | {key}))
    _read_again(source, now)


def link_to(session: Session, source: CalendarSource, key: str, event_id: int, now: datetime) -> Event:
    """The editor says the flagged event is ``event_id``: link them; the event counts as edited here."""
    entry = _entry(source, key)
    if event_id not in {similar[0] for similar in entry["similar"]}:
        raise FlagError(_("Choose one of the events shown."))
    event = session.get(Event, event_id)
    if event is None or event.deleted_dt is not None:
        raise FlagError(_("That event is gone."))
    if session.exec(select(ImportedEvent.id).where(ImportedEvent.event_id == event_id)).first() is not None:
        raise FlagError(_("“%(title)s” is already kept in sync with another source event.", title=event.title))
    modified = datetime.fromisoformat(entry["last_modified"]) if entry["last_modified"] else None
    session.add(
        ImportedEvent(
            event_id=event_id,
            source_id=source.id,
            uid=entry["uid"],
            recurrence_id=entry["recurrence_id"],
            sequence=entry["sequence"],
            last_modified_dt=modified,
            source_start=entry["start"],
            source_title=entry["source_title"],
            imported_revision=LINKED_BY_EDITOR,
            last_seen_dt=now,
        )
    )
    source.flagged = json.dumps([item for item in flagged_of(source) if item["key"] != key]) or ""
    _read_again(source, now)
    return event
