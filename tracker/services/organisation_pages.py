"""The public directory of organisations: who they are and which of their events the reader may see, by role.

An organisation exists for the public only through a live, public event it takes part in
(``visibility.organisation_condition``): one used only by internal events is neither listed nor found by its
slug, so its page answers exactly like a slug that does not exist. Editors see the whole directory.
Lists are bounded (``ROLE_LIMIT`` events per role and period); the page links to the filtered agenda and
archive for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, distinct, func, select
from sqlmodel import Session

from tracker.i18n import gettext
from tracker.models import Event, EventOrganisation, Organisation, OrganisationRole
from tracker.services.listing import LIST_COLUMNS, ListedEvent, listed_events
from tracker.visibility import listed_condition, organisation_condition

#: Events shown per role in each of "upcoming" and "past" on an organisation's page.
ROLE_LIMIT = 20
#: Longest slug looked up (the column holds 120 characters); longer ones are simply not found.
MAX_SLUG_LENGTH = 120


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """One line of the directory: the organisation and how many events the reader sees of it."""

    organisation: Organisation
    upcoming: int
    total: int


@dataclass(slots=True)
class RoleEvents:
    """The events of one role in one period: the first ``ROLE_LIMIT`` and how many there are in all."""

    role: str
    events: list[ListedEvent]
    count: int

    @property
    def label(self) -> str:
        return gettext(OrganisationRole(self.role).label)

    @property
    def more(self) -> int:
        return self.count - len(self.events)


@dataclass(slots=True)
class OrganisationEvents:
    """An organisation's upcoming and past events the reader may see, grouped by role in role order."""

    upcoming: list[RoleEvents] = field(default_factory=list)
    past: list[RoleEvents] = field(default_factory=list)


def directory(session: Session, now: datetime, *, include_internal: bool) -> list[DirectoryEntry]:
    """Every organisation the audience may know of, by name, with its counts of listed events.

    The public sees only organisations with at least one live public event (an inner join on the listed
    events); editors see every organisation, unused ones with zero counts (an outer join).
    """
    listed = and_(Event.id == EventOrganisation.event_id, listed_condition(include_internal))
    upcoming = func.count(distinct(case((Event.end_dt > now, Event.id))))
    total = func.count(distinct(Event.id))
    statement = (
        select(Organisation, upcoming, total)
        .outerjoin(EventOrganisation, EventOrganisation.organisation_id == Organisation.id)
        .outerjoin(Event, listed)
        .group_by(Organisation.id)
        .order_by(func.lower(Organisation.name), Organisation.id)
    )
    if not include_internal:
        statement = statement.having(total > 0)
    return [DirectoryEntry(org, up or 0, all_ or 0) for org, up, all_ in session.execute(statement).all()]


def by_slug(session: Session, slug: str, *, include_internal: bool) -> Organisation | None:
    """The organisation with this slug if the audience may know of it — else None, as for an unknown slug."""
    if not slug or len(slug) > MAX_SLUG_LENGTH:
        return None
    statement = select(Organisation).where(Organisation.slug == slug, organisation_condition(include_internal))
    return session.execute(statement).scalar_one_or_none()


def events_of(session: Session, organisation_id: int, now: datetime, *, include_internal: bool) -> OrganisationEvents:
    """Its listed events by period and role: upcoming soonest first, past latest first, ``ROLE_LIMIT`` each."""
    counts: dict[tuple[bool, str], int] = {}
    is_upcoming = Event.end_dt > now
    for upcoming, role, count in session.execute(
        select(is_upcoming, EventOrganisation.role, func.count())
        .join(Event, Event.id == EventOrganisation.event_id)
        .where(EventOrganisation.organisation_id == organisation_id, listed_condition(include_internal))
        .group_by(is_upcoming, EventOrganisation.role)
    ).all():
        counts[(bool(upcoming), role)] = count
    result = OrganisationEvents()
    for role in OrganisationRole:
        for upcoming, groups in ((True, result.upcoming), (False, result.past)):
            count = counts.get((upcoming, role.value), 0)
            if count:
                events = _role_events(session, organisation_id, role.value, now, upcoming, include_internal)
                groups.append(RoleEvents(role.value, events, count))
    return result


def _role_events(
    session: Session, organisation_id: int, role: str, now: datetime, upcoming: bool, include_internal: bool
) -> list[ListedEvent]:
    period = Event.end_dt > now if upcoming else Event.end_dt <= now
    order = (Event.start_dt, Event.id) if upcoming else (Event.start_dt.desc(), Event.id.desc())
    statement = (
        select(*LIST_COLUMNS)
        .join(EventOrganisation, EventOrganisation.event_id == Event.id)
        .where(
            EventOrganisation.organisation_id == organisation_id,
            EventOrganisation.role == role,
            period,
            listed_condition(include_internal),
        )
        .order_by(*order)
        .limit(ROLE_LIMIT)
    )
    return listed_events(session, statement, {})
