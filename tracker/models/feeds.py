"""Tables of the iCalendar feeds: serialized VEVENT blocks per event revision, and the feeds' generation.

``EventIcs`` keeps each event's VEVENT text for (event, site, revision, format), so that a feed is a join of
stored blocks and survives restarts; only changed events are serialized again.

``FeedState`` holds one counter that goes up in every transaction that changes events or the directory
entries they show (organisations, people). A process that has a feed in memory compares one integer per
request instead of re-reading thousands of rows. The counter is maintained here, by session events, so that
every writer (services, CLI, imports) keeps it right without having to remember it. Commits made in this
process also move ``local_commits``, so that caches here need not wait for their next look at the counter.
"""

import hashlib
from typing import Any
from weakref import WeakSet

from sqlalchemy import Engine, Text, delete, event, inspect, literal, select
from sqlalchemy import String as SAString
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session
from sqlmodel import Field, SQLModel

from tracker.dialects import dialect_insert
from tracker.models.core import Event, EventOrganisation, EventPerson, EventTag, Organisation, Person

FEED_STATE_ID = 1


def site_key(base_url: str) -> str:
    """Short stable key of a base URL (blocks contain absolute links, so each site has its own)."""
    return hashlib.sha256(base_url.encode("utf-8")).hexdigest()[:32]


class EventIcs(SQLModel, table=True):
    """The serialized VEVENT of one event revision for one site (base URL)."""

    __tablename__ = "event_ics"

    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    site: str = Field(sa_type=SAString(32), primary_key=True)
    revision: int
    #: ``tracker.ical.FORMAT_VERSION`` the block was written with; another version means "rebuild".
    format: int
    block: str = Field(sa_type=Text)


class FeedState(SQLModel, table=True):
    """One row: a counter bumped by every transaction that may change what a feed contains."""

    __tablename__ = "feed_state"

    id: int = Field(default=FEED_STATE_ID, primary_key=True)
    generation: int = Field(default=0)


# --- keeping the counter and the cached blocks right ----------------------------------------------------

_WATCHED = (Event, EventOrganisation, EventPerson, EventTag, Organisation, Person)
_WATCHED_TABLES = frozenset(model.__tablename__ for model in _WATCHED)  # type: ignore[attr-defined]
_DIRTY_KEY = "tracker.feeds.changed"
_BUMPED_KEY = "tracker.feeds.bumped"
#: Commits in this process that bumped the generation; caches here re-read the counter when it moves.
local_commits = 0
_ready_engines: "WeakSet[Engine]" = WeakSet()


def _tables_ready(connection: Connection) -> bool:
    """True once migration 0003 has run (databases half-way through their migrations have no feed tables)."""
    engine = connection.engine
    if engine in _ready_engines:
        return True
    if inspect(connection).has_table(FeedState.__tablename__):
        _ready_engines.add(engine)
        return True
    return False


def bump_generation(connection: Connection) -> None:
    """Add one to the feeds' generation (creating the row if a test emptied the table)."""
    table = FeedState.__table__  # type: ignore[attr-defined]
    statement = dialect_insert(connection)(table).values(id=FEED_STATE_ID, generation=1)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.id], set_={"generation": table.c.generation + literal(1)}
    )
    connection.execute(statement)


def read_generation(connection: Connection | Session) -> int:
    table = FeedState.__table__  # type: ignore[attr-defined]
    value = connection.execute(select(table.c.generation).where(table.c.id == FEED_STATE_ID)).scalar()
    return int(value or 0)


def forget_blocks(connection: Connection, organisation_ids: set[int], person_ids: set[int]) -> None:
    """Drop cached blocks of events that show these organisations or people (their names are in the text)."""
    table = EventIcs.__table__  # type: ignore[attr-defined]
    if organisation_ids:
        linked = select(EventOrganisation.event_id).where(EventOrganisation.organisation_id.in_(organisation_ids))
        connection.execute(delete(table).where(table.c.event_id.in_(linked)))
    if person_ids:
        linked = select(EventPerson.event_id).where(EventPerson.person_id.in_(person_ids))
        connection.execute(delete(table).where(table.c.event_id.in_(linked)))


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Note changes that feeds must see; drop blocks that show a renamed or deleted organisation or person."""
    organisation_ids: set[int] = set()
    person_ids: set[int] = set()
    changed = False
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, _WATCHED):
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        changed = True
        if obj not in session.new and isinstance(obj, Organisation) and obj.id is not None:
            organisation_ids.add(obj.id)
            person_ids.update(
                session.connection().execute(select(Person.id).where(Person.organisation_id == obj.id)).scalars()
            )
        elif obj not in session.new and isinstance(obj, Person) and obj.id is not None:
            person_ids.add(obj.id)
    if not changed:
        return
    connection = session.connection()
    if not _tables_ready(connection):
        return
    session.info[_DIRTY_KEY] = True
    forget_blocks(connection, organisation_ids, person_ids)


@event.listens_for(Session, "do_orm_execute")
def _on_orm_execute(state: ORMExecuteState) -> None:
    """ORM bulk UPDATE/DELETE/INSERT statements on watched tables count as changes too."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and getattr(table, "name", None) in _WATCHED_TABLES:
        state.session.info[_DIRTY_KEY] = True


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    """Bump the generation last, just before commit, so that the row lock is held for the shortest time
    and is always taken after any event rows (no lock-order deadlocks between editors)."""
    session.flush()  # pending changes set the flag in before_flush
    if session.info.pop(_DIRTY_KEY, None):
        connection = session.connection()
        if _tables_ready(connection):
            bump_generation(connection)
            session.info[_BUMPED_KEY] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """Let this process's feed caches know at once (other processes re-read the counter within seconds)."""
    global local_commits
    if session.info.pop(_BUMPED_KEY, None):
        local_commits += 1


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_DIRTY_KEY, None)
    session.info.pop(_BUMPED_KEY, None)
