"""Stored VEVENT blocks (``event_ics``): written once per event revision, found again after a restart.

A GET must not write (``tracker.db``): in a read-only session new blocks wait in the session, and the view
stores them after answering (``take_unsaved_blocks`` and ``save_blocks``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from tracker import ical
from tracker.db import is_read_only, write_session
from tracker.dialects import dialect_insert
from tracker.i18n import DEFAULT_LANGUAGE, DOMAIN, TRANSLATIONS_DIR, current_language
from tracker.models import Event, EventIcs, Organisation, Person, utcnow
from tracker.models.feeds import read_generation, site_key
from tracker.services.feeds.rows import load_event_data

log = logging.getLogger(__name__)

BLOCK_CHUNK = 500
#: A directory change this long before a GET's blocks were serialized may not be in them (see ``save_blocks``).
DIRECTORY_CHANGE_MARGIN = timedelta(minutes=5)
_UNSAVED_KEY = "tracker.feeds.unsaved_blocks"


def latest(*values: datetime | None) -> datetime | None:
    """The latest of the instants given, None when there is none."""
    present = [value for value in values if value is not None]
    return max(present) if present else None


@cache
def _catalogue_stamp(language: str) -> str:
    """A digest of ``language``'s catalogue: blocks hold its words, so a new catalogue makes new blocks."""
    po_path = TRANSLATIONS_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    return hashlib.sha256(po_path.read_bytes()).hexdigest()[:16] if po_path.is_file() else ""


def block_site(base_url: str, language: str | None = None) -> str:
    """The ``event_ics.site`` of the blocks of one site in one language (see ``ical.write_vevent``).

    ``language`` None: the plain feed, in the current language; in English its blocks keep the site's own key
    (``site_key``), as before feeds spoke several languages. Every other variant has a key of its own, which
    also names the catalogue its words came from.
    """
    if language is None and current_language() == DEFAULT_LANGUAGE:
        return site_key(base_url)
    variant = f"lang:{language}" if language else f"plain:{current_language()}"
    spoken = language or current_language()
    return site_key(f"{base_url}\n{variant}\n{_catalogue_stamp(spoken)}")


@dataclass
class UnsavedBlocks:
    """Blocks a read-only (GET) session serialized, to be stored after its answer; see ``save_blocks``."""

    #: The feeds' generation in the snapshot the blocks were serialized from, and when that was.
    generation: int
    since: datetime
    by_site: dict[str, dict[int, tuple[int, str]]] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(len(blocks) for blocks in self.by_site.values())


def store_blocks(session: Session, blocks: dict[int, tuple[int, str]], site: str) -> None:
    """Upsert serialized blocks ({event id: (revision, text)}); never replaces a newer revision's block.

    In a read-only session they are kept in the session instead, for ``take_unsaved_blocks``.
    """
    if not blocks:
        return
    if is_read_only(session):
        unsaved = session.info.get(_UNSAVED_KEY)
        if unsaved is None:
            unsaved = session.info[_UNSAVED_KEY] = UnsavedBlocks(read_generation(session), utcnow())
        unsaved.by_site.setdefault(site, {}).update(blocks)
        return
    table = EventIcs.__table__  # type: ignore[attr-defined]
    # One statement with the rows as parameters (executemany): compiled once and cached. Rows inlined into
    # VALUES were compiled anew for every chunk.
    statement = dialect_insert(session)(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.event_id, table.c.site],
        set_={"revision": statement.excluded.revision, "format": statement.excluded.format,
              "block": statement.excluded.block},
        where=table.c.revision <= statement.excluded.revision,
    )  # fmt: skip
    ids = sorted(blocks)  # one order for every writer: no deadlocks between concurrent fillers
    for start in range(0, len(ids), BLOCK_CHUNK):
        rows = [
            {"event_id": event_id, "site": site, "revision": blocks[event_id][0], "format": ical.FORMAT_VERSION,
             "block": blocks[event_id][1]}
            for event_id in ids[start : start + BLOCK_CHUNK]
        ]  # fmt: skip
        session.execute(statement, rows)


def take_unsaved_blocks(session: Session) -> UnsavedBlocks | None:
    """The blocks this read-only session serialized and could not store, now the caller's to save."""
    return session.info.pop(_UNSAVED_KEY, None)


def save_blocks(engine: Any, unsaved: UnsavedBlocks) -> bool:
    """Store a GET's serialized blocks in a short write transaction of their own; best-effort, never raises.

    A block is keyed by its event's revision, which the upsert respects; but a renamed organisation or person
    changes blocks without a new event revision. So when the feeds' generation moved since the blocks were
    serialized and a directory entry changed in that time, nothing is stored. A busy or failing store is
    logged and dropped: the next build serializes those events again. Returns whether the blocks were stored.
    """
    try:
        with write_session(engine) as session:
            if read_generation(session) != unsaved.generation:
                changed = latest(
                    session.exec(select(func.max(Organisation.updated_dt))).scalar(),  # type: ignore[call-overload]
                    session.exec(select(func.max(Person.updated_dt))).scalar(),  # type: ignore[call-overload]
                )
                if changed is not None and changed >= unsaved.since - DIRECTORY_CHANGE_MARGIN:
                    log.info("not storing %d feed blocks: the directory changed meanwhile", len(unsaved))
                    return False
            for site, blocks in unsaved.by_site.items():
                store_blocks(session, blocks, site)
            session.commit()
            return True
    except Exception:  # after the answer: nothing may reach the client or the server loop
        log.warning("could not store %d feed blocks; the next build serializes them again", len(unsaved), exc_info=True)
        return False


def serialize_events(
    session: Session, event_ids: Sequence[int], base_url: str, language: str | None = None
) -> dict[int, str]:
    """Write these events' VEVENTs (``ical.write_vevent`` on plain rows, in ``language``) and store them;
    returns {id: block}."""
    result: dict[int, str] = {}
    site = block_site(base_url, language)
    for start in range(0, len(event_ids), BLOCK_CHUNK):
        chunk = list(event_ids[start : start + BLOCK_CHUNK])
        events = load_event_data(session, chunk, language)
        blocks = {event.id: (event.revision, ical.write_vevent(event, base_url, language)) for event in events}
        store_blocks(session, blocks, site)
        result.update({event_id: text for event_id, (_revision, text) in blocks.items()})
    return result


def stored_or_new_block(session: Session, event: Event, base_url: str, language: str | None = None) -> str:
    """The stored block of this revision of a loaded event (in ``language``, see ``ical.write_vevent``); written
    and stored when missing (uses the database, unlike ``ical.write_vevent``)."""
    site = block_site(base_url, language)
    stored = session.exec(
        select(EventIcs.block).where(  # type: ignore[call-overload]
            EventIcs.event_id == event.id,
            EventIcs.site == site,
            EventIcs.revision == event.revision,
            EventIcs.format == ical.FORMAT_VERSION,
        )
    ).scalar_one_or_none()
    if stored is not None:
        return stored
    block = ical.write_vevent(event, base_url, language)
    store_blocks(session, {event.id: (event.revision, block)}, site)  # type: ignore[dict-item]
    return block
