"""Table models: what is stored, and nothing else (validation of input lives in ``tracker.validation``).

Instants are stored as UTC (``*_dt`` columns) beside the event's IANA zone; all-day events also keep their
calendar dates, because a conference on 15–16 November is two dates, not two midnights.
"""

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Optional

# SQLModel reads relationship annotations at class creation: no "from __future__ import annotations" here.
from sqlalchemy import JSON, DateTime, Index, String, Text, TypeDecorator, UniqueConstraint, event, select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, Relationship, SQLModel

from tracker.i18n import N_
from tracker.text import slugify


class UTCDateTime(TypeDecorator):
    """Aware datetimes in Python, naive UTC in the database (the same on SQLite and PostgreSQL)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC instant is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQL on SQLite
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uid() -> str:
    """A globally unique, never-changing iCalendar UID."""
    return f"{uuid.uuid4()}@conference-tracker"


#: The enums' labels, in English (the iCalendar feeds, CSV and API write them so); pages translate them where
#: they are shown (``formatting.kind_label`` and friends call ``gettext`` on them).
_KIND_LABELS = {
    "conference": N_("Conference"),
    "official_visit": N_("Official visit"),
    "meeting": N_("Meeting"),
    "other": N_("Other"),
}
_STATUS_LABELS = {
    "tentative": N_("Tentative"),
    "confirmed": N_("Confirmed"),
    "postponed": N_("Postponed"),
    "cancelled": N_("Cancelled"),
}
_VISIBILITY_LABELS = {"public": N_("Public"), "internal": N_("Internal")}
_ORGANISATION_KIND_LABELS = {
    "ministry": N_("Ministry"),
    "government": N_("Government"),
    "international_organisation": N_("International organisation"),
    "eu_institution": N_("EU institution"),
    "eu_agency": N_("EU agency"),
    "ngo": N_("NGO"),
    "other": N_("Other"),
}
_ROLE_LABELS = {
    "host": N_("Host"),
    "co_organiser": N_("Co-organiser"),
    "supporter": N_("Supporter"),
    "participant": N_("Participant"),
}


class EventKind(StrEnum):
    CONFERENCE = "conference"
    OFFICIAL_VISIT = "official_visit"
    MEETING = "meeting"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self.value]


class EventStatus(StrEnum):
    TENTATIVE = "tentative"
    CONFIRMED = "confirmed"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self.value]


class Visibility(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"

    @property
    def label(self) -> str:
        return _VISIBILITY_LABELS[self.value]


class OrganisationKind(StrEnum):
    MINISTRY = "ministry"
    GOVERNMENT = "government"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    EU_INSTITUTION = "eu_institution"
    EU_AGENCY = "eu_agency"
    NGO = "ngo"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _ORGANISATION_KIND_LABELS[self.value]


class OrganisationRole(StrEnum):
    HOST = "host"
    CO_ORGANISER = "co_organiser"
    SUPPORTER = "supporter"
    PARTICIPANT = "participant"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self.value]


class UserRole(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_type=String(254), unique=True, index=True)
    name: str = Field(default="", sa_type=String(200))
    password_hash: str = Field(sa_type=String(200))
    role: str = Field(default=UserRole.EDITOR.value, sa_type=String(20))
    active: bool = Field(default=True)
    created_dt: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: SHA-256 of the private feed token (the token itself is shown once and never stored).
    feed_token_hash: str | None = Field(default=None, sa_type=String(64), unique=True)
    feed_token_created_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Raised by logout, a password change and deactivation; a session cookie holding an older value is void.
    session_epoch: int = Field(default=0, sa_column_kwargs={"server_default": "0"})

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def is_admin(self) -> bool:
        return self.role == UserRole.ADMIN.value


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(200), unique=True)
    #: The address of its public page (``/organisations/<slug>``): from the acronym or name, never reused.
    slug: str = Field(default="", sa_type=String(120), unique=True, index=True, sa_column_kwargs={"server_default": ""})
    acronym: str | None = Field(default=None, sa_type=String(30), index=True)
    kind: str = Field(default=OrganisationKind.OTHER.value, sa_type=String(40))
    country: str | None = Field(default=None, sa_type=String(2))
    website: str | None = Field(default=None, sa_type=String(2000))
    #: Its name and acronym in the other interface languages, as JSON ``{"mk": {"name": …, "acronym": …}}``:
    #: read and written through ``tracker.organisation_names`` (``name`` is the English, stored name).
    translations: str = Field(default="{}", sa_type=Text, sa_column_kwargs={"server_default": "{}"})
    created_dt: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_dt: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    event_links: list["EventOrganisation"] = Relationship(back_populates="organisation")
    people: list["Person"] = Relationship(back_populates="organisation")
    aliases: list["OrganisationAlias"] = Relationship(
        back_populates="organisation", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )

    @property
    def label(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def short(self) -> str:
        return self.acronym or self.name


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(200), index=True)
    position: str = Field(default="", sa_type=String(200))
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", ondelete="SET NULL")
    created_dt: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_dt: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    organisation: Optional["Organisation"] = Relationship(back_populates="people")
    event_links: list["EventPerson"] = Relationship(back_populates="person")
    aliases: list["PersonAlias"] = Relationship(
        back_populates="person", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )

    @property
    def label(self) -> str:
        return f"{self.name}, {self.position}" if self.position else self.name


class Event(SQLModel, table=True):
    __table_args__ = (
        Index("ix_event_start_end", "start_dt", "end_dt"),
        Index("ix_event_end", "end_dt"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, sa_type=String(255), unique=True)
    title: str = Field(sa_type=String(300))
    kind: str = Field(default=EventKind.MEETING.value, sa_type=String(20), index=True)
    status: str = Field(default=EventStatus.CONFIRMED.value, sa_type=String(20))
    all_day: bool = Field(default=False)
    #: IANA zone of the place; all-day events keep one too (their days begin at local midnight there).
    timezone: str = Field(sa_type=String(64))
    #: UTC instants covering the event (for all-day events: local midnights of the first and after-last day).
    start_dt: datetime = Field(sa_type=UTCDateTime)
    end_dt: datetime = Field(sa_type=UTCDateTime)
    #: Calendar dates of all-day events; ``end_date`` is the last day, inclusive.
    start_date: date | None = Field(default=None)
    end_date: date | None = Field(default=None)
    venue: str = Field(default="", sa_type=String(300))
    city: str = Field(default="", sa_type=String(120))
    country: str | None = Field(default=None, sa_type=String(2), index=True)
    description: str = Field(default="", sa_type=Text)
    #: The language ``title`` and ``description`` are written in (en, mk or sq).
    language: str = Field(default="en", sa_type=String(2), sa_column_kwargs={"server_default": "en"})
    #: The same texts in the other languages, as JSON ``{"mk": {"title": …, "description": …}}``: read and written
    #: only through ``tracker.event_texts`` (one rule for which text a reader sees).
    translations: str = Field(default="{}", sa_type=Text, sa_column_kwargs={"server_default": "{}"})
    source_url: str | None = Field(default=None, sa_type=String(2000))
    #: A source that is not a web address ("MIA press release, 10 Nov 2022").
    source_citation: str = Field(default="", sa_type=String(300), sa_column_kwargs={"server_default": ""})
    #: Why the event was cancelled, when the editor said (page, feeds' DESCRIPTION, change notices).
    cancel_reason: str = Field(default="", sa_type=String(500), sa_column_kwargs={"server_default": ""})
    visibility: str = Field(default=Visibility.PUBLIC.value, sa_type=String(10))
    #: Bumped on every saved change; editors' forms carry it to detect concurrent edits.
    revision: int = Field(default=1)
    #: iCalendar SEQUENCE: bumped when time, place or status changes.
    sequence: int = Field(default=0)
    created_dt: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_dt: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    updated_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    #: Deleted events are kept as tombstones so that feeds can announce the cancellation.
    deleted_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)

    organisation_links: list["EventOrganisation"] = Relationship(
        back_populates="event", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    person_links: list["EventPerson"] = Relationship(
        back_populates="event", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    tag_links: list["EventTag"] = Relationship(
        back_populates="event", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    updated_by: Optional["User"] = Relationship(sa_relationship_kwargs={"foreign_keys": "Event.updated_by_id"})

    @property
    def tags(self) -> list[str]:
        return sorted(link.tag for link in self.tag_links)

    def organisations_by_role(self) -> "dict[str, list[Organisation]]":
        """Organisations grouped by role, in the order of ``OrganisationRole``."""
        grouped: dict[str, list[Organisation]] = {role.value: [] for role in OrganisationRole}
        for link in sorted(self.organisation_links, key=lambda link: link.sort_order):
            grouped.setdefault(link.role, []).append(link.organisation)
        return {role: orgs for role, orgs in grouped.items() if orgs}

    @property
    def people(self) -> "list[Person]":
        return [link.person for link in sorted(self.person_links, key=lambda link: link.sort_order)]


class EventOrganisation(SQLModel, table=True):
    __tablename__ = "event_organisation"

    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True, index=True, ondelete="CASCADE")
    role: str = Field(sa_type=String(20), primary_key=True)
    sort_order: int = Field(default=0)

    event: "Event" = Relationship(back_populates="organisation_links")
    organisation: "Organisation" = Relationship(back_populates="event_links")


class EventPerson(SQLModel, table=True):
    __tablename__ = "event_person"

    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", primary_key=True, index=True, ondelete="CASCADE")
    sort_order: int = Field(default=0)

    event: "Event" = Relationship(back_populates="person_links")
    person: "Person" = Relationship(back_populates="event_links")


class EventTag(SQLModel, table=True):
    __tablename__ = "event_tag"

    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(sa_type=String(60), primary_key=True, index=True)

    event: "Event" = Relationship(back_populates="tag_links")


class OrganisationAlias(SQLModel, table=True):
    """Another name an organisation is known by ("MoI CZ", a Cyrillic spelling, the name before a merge)."""

    __tablename__ = "organisation_alias"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    name: str = Field(sa_type=String(200))

    organisation: "Organisation" = Relationship(back_populates="aliases")


class PersonAlias(SQLModel, table=True):
    """Another spelling of a person's name ("Antonio Vitorino", "Антонио Виторино")."""

    __tablename__ = "person_alias"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    name: str = Field(sa_type=String(200))

    person: "Person" = Relationship(back_populates="aliases")


class EventRevision(SQLModel, table=True):
    """One saved change of an event: who, when, and each changed field's old and new value."""

    __tablename__ = "event_revision"
    __table_args__ = (UniqueConstraint("event_id", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    revision: int
    action: str = Field(sa_type=String(20))
    user_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    changed_dt: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)

    user: Optional["User"] = Relationship()


@event.listens_for(OrmSession, "before_flush")
def _give_new_organisations_slugs(session: OrmSession, _context: Any, _instances: Any) -> None:
    """Every new organisation gets a free slug from its acronym or name, however it was created."""
    taken: set[str] = set()
    for organisation in [obj for obj in session.new if isinstance(obj, Organisation) and not obj.slug]:
        base = slugify(organisation.acronym or organisation.name) or "organisation"
        organisation.slug = free_slug(session, base, taken)
        taken.add(organisation.slug)


def free_slug(session: OrmSession, base: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """``base``, or ``base-2``, ``base-3`` … : the first no stored organisation (and none in ``taken``) uses."""
    with session.no_autoflush:
        statement = select(Organisation.slug).where(Organisation.slug.like(f"{base}%"))  # type: ignore[attr-defined]
        used = set(session.execute(statement).scalars()) | taken
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
