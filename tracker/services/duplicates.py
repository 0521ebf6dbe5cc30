"""Events an editor may be about to enter twice: a close title, or the same place on overlapping dates.

(First version: the same folded title on overlapping dates; the duplicate-check work refines it.)
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import Event
from tracker.text import romanise


def similar_events(session: Session, event: Event, *, limit: int = 5) -> list[Event]:
    """Live events other than ``event`` that look like the same one, soonest first."""
    statement = (
        select(Event)
        .where(Event.deleted_dt.is_(None), Event.start_dt < event.end_dt, Event.end_dt > event.start_dt)  # type: ignore[union-attr]
        .order_by(Event.start_dt)
    )
    if event.id is not None:
        statement = statement.where(Event.id != event.id)
    title = romanise(event.title)
    return [other for other in session.exec(statement).scalars() if romanise(other.title) == title][:limit]
