"""Who may see an event: the one rule behind every answer to a client — page, error page, feed, mail, API.

An event marked internal must stay unseen by anyone who is not logged in, until an editor makes it public:
a ministry marks a visit internal because it must not be known before it is announced. So every path that
lists events, loads one by id, names organisations or tags, or mails subscribers asks this module, in SQL
(``visibility_condition``, for queries) or in Python (``may_see``, for an event already loaded).

Two audiences exist: the public (anonymous readers, and every e-mail subscriber, who never logs in) and
editors (logged in, or holding a private feed token). ``include_internal`` says which one is asking.
Deleted events are a separate question (``live_condition``): feeds keep their tombstones for a while, the
event page answers 410 for them, listings leave them out — but a deleted internal event is never shown to
the public in any of these forms.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, select, true
from sqlalchemy.orm import aliased
from sqlmodel import Session

from tracker.models import Event, EventOrganisation, EventPerson, EventTag, Organisation, Person, Visibility

#: The audience of anonymous readers and of every mail to a subscriber.
PUBLIC = False
#: The audience of logged-in editors and private feeds.
EDITORS = True


def visibility_condition(include_internal: bool) -> ColumnElement[bool]:
    """SQL: events this audience may see at all (deleted or not)."""
    return true() if include_internal else Event.visibility == Visibility.PUBLIC.value


def live_condition() -> ColumnElement[bool]:
    """SQL: events that have not been deleted."""
    return Event.deleted_dt.is_(None)


def listed_condition(include_internal: bool) -> ColumnElement[bool]:
    """SQL: events this audience sees in listings: live and visible."""
    return and_(live_condition(), visibility_condition(include_internal))


def may_see(event: Event, *, include_internal: bool) -> bool:
    """Python twin of ``visibility_condition`` for an event already loaded (deleted or not)."""
    return include_internal or event.visibility == Visibility.PUBLIC.value


def load_visible_event(
    session: Session, event_id: int | None, *, include_internal: bool, include_deleted: bool = False
) -> Event | None:
    """The event with this id if this audience may see it, else None — the same None for a missing id."""
    if event_id is None:
        return None
    event = session.get(Event, event_id)
    if event is None or not may_see(event, include_internal=include_internal):
        return None
    if event.deleted_dt is not None and not include_deleted:
        return None
    return event


def organisation_condition(include_internal: bool) -> ColumnElement[bool]:
    """SQL on ``Organisation``: those this audience may learn of.

    Editors see the whole directory; the public knows an organisation only through a live, public event it
    takes part in, so one used only by internal events is never named to it. (A correlated sub-query: the
    index on ``event_organisation.organisation_id`` answers it at the first visible event; ``LIMIT 1`` keeps
    PostgreSQL from hashing every event instead.)
    """
    if include_internal:
        return true()
    first_use = (
        select(EventOrganisation.event_id)
        .join(Event, Event.id == EventOrganisation.event_id)
        .where(EventOrganisation.organisation_id == Organisation.id, listed_condition(include_internal))
        .limit(1)
        .scalar_subquery()
    )
    return first_use.is_not(None)


def person_condition(include_internal: bool) -> ColumnElement[bool]:
    """SQL on ``Person``: those this audience may learn of — the rule of ``organisation_condition``, for people.

    The public knows a person only through a live, public event they take part in.
    """
    if include_internal:
        return true()
    first_use = (
        select(EventPerson.event_id)
        .join(Event, Event.id == EventPerson.event_id)
        .where(EventPerson.person_id == Person.id, listed_condition(include_internal))
        .limit(1)
        .scalar_subquery()
    )
    return first_use.is_not(None)


def known_tags(include_internal: bool) -> Select[tuple[str]]:
    """Tags this audience may learn of: those of live events it sees.

    Each distinct tag (from the tag index) is kept if one visible event uses it, found by a correlated sub-query
    that stops at the first (``LIMIT 1``): cheap however many events share a tag.
    """
    values = select(EventTag.tag).distinct().subquery("tag_values")
    uses = aliased(EventTag)
    first_use = (
        select(uses.event_id)
        .join(Event, Event.id == uses.event_id)
        .where(uses.tag == values.c.tag, listed_condition(include_internal))
        .limit(1)
        .scalar_subquery()
    )
    return select(values.c.tag.label("tag")).where(first_use.is_not(None))
