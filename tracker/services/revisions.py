"""The revision history of events: the old and new value of every field a save changed, and who saved it.

``tracker.services.events`` takes a snapshot before and after each change and records the difference here;
the editor's history page lists the records.
"""

from __future__ import annotations

from datetime import date, datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlmodel import Session

from tracker.event_texts import translations_of
from tracker.models import Event, EventRevision, User

#: Fields recorded in the revision history.
TRACKED_FIELDS = (
    "title", "kind", "status", "visibility", "all_day", "timezone", "start_dt", "end_dt", "start_date",
    "end_date", "venue", "city", "country", "description", "source_url", "source_citation", "cancel_reason", "tags",
    "organisations", "people", "language", "translations",
)  # fmt: skip
#: Organisation and person links in the order the editor gave them.
by_order = attrgetter("sort_order")


def snapshot(event: Event) -> dict[str, Any]:
    """JSON-ready values of the tracked fields."""
    values: dict[str, Any] = {}
    for name in TRACKED_FIELDS:
        if name == "tags":
            value: Any = sorted(link.tag for link in event.tag_links)
        elif name == "organisations":
            value = [[link.organisation.name, link.role] for link in sorted(event.organisation_links, key=by_order)]
        elif name == "people":
            value = [link.person.name for link in sorted(event.person_links, key=by_order)]
        elif name == "translations":
            value = translations_of(event)  # {"mk": {"title": …, "description": …}}, as the form and the API give it
        else:
            value = getattr(event, name)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        values[name] = value
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``[old, new]`` for each field whose value differs."""
    return {name: [before.get(name), after[name]] for name in after if before.get(name) != after[name]}


def record(
    session: Session, event: Event, action: str, changes: dict[str, list[Any]], user: User | None, now: datetime
) -> None:
    """Write the revision ``event`` is at now."""
    session.add(
        EventRevision(
            event_id=event.id,  # type: ignore[arg-type]
            revision=event.revision,
            action=action,
            user_id=user.id if user else None,
            changed_dt=now,
            changes=changes,
        )
    )


def history(session: Session, event_id: int) -> list[EventRevision]:
    """Every revision of an event, latest first."""
    statement = (
        select(EventRevision)
        .where(EventRevision.event_id == event_id)
        .options(selectinload(EventRevision.user))
        .order_by(EventRevision.revision.desc())
    )
    return list(session.exec(statement).scalars())


#: Fields that say when an event happens: a revision changing one of them moved the event.
TIME_FIELDS = frozenset({"all_day", "timezone", "start_dt", "end_dt", "start_date", "end_date"})
#: Revisions read back when looking for the latest move (an event's history is short; this bounds the odd one).
MOVE_LOOKBACK = 500


def last_move(session: Session, event_id: int) -> dict[str, list[Any]] | None:
    """The changes of the latest edit that moved the event (changed a time field), None if it never moved."""
    statement = (
        select(EventRevision.changes)
        .where(EventRevision.event_id == event_id, EventRevision.action == "updated")
        .order_by(EventRevision.revision.desc())
        .limit(MOVE_LOOKBACK)
    )
    for changes in session.exec(statement).scalars():  # type: ignore[call-overload]
        if changes and TIME_FIELDS & changes.keys():
            return dict(changes)
    return None
