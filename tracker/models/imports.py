"""Tables of events brought in from other calendars: the sources an editor registers, and each imported event's link.

``CalendarSource`` is one external feed (an organisation's public calendar, a partner's webcal URL) with the
defaults its events get and what its last fetch did (HTTP validators, body hash, counts, errors, back-off).

``ImportedEvent`` ties one of our events to the source event it came from (source, UID, RECURRENCE-ID), and
remembers what the source said when it was last applied (SEQUENCE, LAST-MODIFIED, start and title) and which
of our revisions that produced. A later revision means an editor changed the event here; a source change on
top of that is a conflict the editor resolves (``pending_input`` holds what the source wants meanwhile).
``tracker.services.imports`` and ``tracker.services.sources`` are the only code that writes these tables.
"""

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from tracker.models.core import EventKind, UTCDateTime, Visibility, utcnow


class CalendarSource(SQLModel, table=True):
    """An external iCalendar feed the scheduler re-reads on an interval."""

    __tablename__ = "calendar_source"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(200))
    #: http(s) address; ``webcal://`` is stored as ``https://``.
    url: str = Field(sa_type=String(2000))
    default_kind: str = Field(default=EventKind.MEETING.value, sa_type=String(20))
    default_visibility: str = Field(default=Visibility.PUBLIC.value, sa_type=String(10))
    #: Comma-separated tags added to every event of the source.
    default_tags: str = Field(default="", sa_type=String(500))
    #: The organisation that hosts the source's events, if the editor named one.
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", ondelete="SET NULL")
    interval_minutes: int = Field(default=60)
    active: bool = Field(default=True)
    created_dt: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")

    #: HTTP validators of the last answer, sent back as If-None-Match / If-Modified-Since.
    etag: str = Field(default="", sa_type=String(300))
    last_modified_header: str = Field(default="", sa_type=String(100))
    #: SHA-256 of the last body applied; an unchanged body is not parsed again.
    body_hash: str = Field(default="", sa_type=String(64))

    last_fetch_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_success_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: "changed", "unchanged", "not-modified" or "error".
    last_result: str = Field(default="", sa_type=String(20))
    last_error: str = Field(default="", sa_type=Text)
    #: Counts of the last applied fetch: created, updated, cancelled, unchanged, conflicts (JSON object).
    last_counts: str = Field(default="", sa_type=Text)
    #: Source events the last sync left out as possible duplicates of events here (JSON list), for the editor.
    flagged: str = Field(default="", sa_type=Text)
    #: Keys ("UID|RECURRENCE-ID") of flagged events the editor wants created anyway on the next sync (JSON list).
    create_keys: str = Field(default="", sa_type=Text)
    #: Consecutive failed fetches; the next fetch waits longer after each (back-off).
    failures: int = Field(default=0)
    next_fetch_dt: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)


class ImportedEvent(SQLModel, table=True):
    """Which source event one of our events came from, and what the source said when it was last applied."""

    __tablename__ = "imported_event"
    __table_args__ = (Index("ix_imported_event_source_uid", "source_id", "uid", "recurrence_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", unique=True)
    #: None for a one-off file import (matched again by UID on the next import of a file).
    source_id: int | None = Field(default=None, foreign_key="calendar_source.id", ondelete="SET NULL")
    uid: str = Field(sa_type=String(500))
    #: RECURRENCE-ID of an occurrence as UTC "YYYYMMDDTHHMMSSZ" or a date "YYYYMMDD"; "" for a single event.
    recurrence_id: str = Field(default="", sa_type=String(40))
    sequence: int = Field(default=0)
    last_modified_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: The source's start (UTC instant or date, as ``recurrence_id``) and title, to find an event whose UID changed.
    source_start: str = Field(default="", sa_type=String(40))
    source_title: str = Field(default="", sa_type=String(300))
    #: Our event's revision right after the source was last applied; a higher revision is a local edit.
    imported_revision: int = Field(default=1)
    #: The source's newer version (EventInput form values, JSON) waiting for the editor when it met a local edit.
    pending_input: str = Field(default="", sa_type=Text)
    pending_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_seen_dt: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
