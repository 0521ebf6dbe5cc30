"""What one VEVENT says, as plain values: ``EventData`` and the texts built from it (summary, place, description).

Both the writer (``tracker.ical.writer``) and the reference writer of the tests use these, so the two can
differ only in how the values are written, never in what they say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

from tracker.countries import country_name
from tracker.event_texts import localized
from tracker.formatting import role_heading
from tracker.i18n import DEFAULT_LANGUAGE, N_, current_language, gettext
from tracker.ical.text import clean_text, clean_uri
from tracker.models import Event, EventKind, EventStatus, OrganisationRole, Visibility
from tracker.organisation_names import local_label, local_short
from tracker.timezones import get_zone

#: Zone names that are UTC itself: their times are written with a trailing Z and need no VTIMEZONE.
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"})


@dataclass(frozen=True, slots=True)
class EventData:
    """Everything one VEVENT shows, as plain values: from a loaded ``Event`` (``from_event``) or from column
    rows (``tracker.services.feeds``), so that serializing thousands of events needs no ORM objects."""

    id: int
    uid: str
    title: str
    kind: str
    status: str
    all_day: bool
    timezone: str
    start_dt: datetime
    end_dt: datetime
    start_date: date | None
    end_date: date | None
    venue: str
    city: str
    country: str | None
    description: str
    source_url: str | None
    visibility: str
    revision: int
    sequence: int
    created_dt: datetime
    updated_dt: datetime
    deleted_dt: datetime | None
    #: Why the event was cancelled, when the editor said (only shown while it is cancelled).
    cancel_reason: str = ""
    #: A source that is not a web address ("MIA press release, 10 Nov 2022").
    source_citation: str = ""
    #: The language ``title`` and ``description`` are written in, and their translations (JSON, see
    #: ``tracker.event_texts``): a feed in another language shows those (``local_texts``).
    language: str = DEFAULT_LANGUAGE
    translations: str = "{}"
    #: (role, organisation label in the block's language: ``organisation_names.local_label``) in the event's order.
    organisations: tuple[tuple[str, str], ...] = ()
    #: (person label, short name of the person's organisation in the block's language or None), in order.
    people: tuple[tuple[str, str | None], ...] = ()
    #: Tags, sorted.
    tags: tuple[str, ...] = ()

    @classmethod
    def from_event(cls, event: Event) -> EventData:
        """The values of a loaded event (organisation, people and tag links must be loaded); organisations named
        in the current language."""
        links = sorted(event.organisation_links, key=lambda link: link.sort_order)
        return cls(
            **{name: getattr(event, name) for name in EVENT_COLUMNS},
            organisations=tuple((link.role, local_label(link.organisation)) for link in links),
            people=tuple(
                (person.label, local_short(person.organisation) if person.organisation is not None else None)
                for person in event.people
            ),
            tags=tuple(event.tags),
        )


#: The columns of ``event`` that ``EventData`` holds (the rest of it comes from the link tables).
EVENT_COLUMNS = tuple(
    name for name in EventData.__dataclass_fields__ if name not in {"organisations", "people", "tags"}
)


def event_data(event: Event | EventData) -> EventData:
    """``event`` as plain values (a loaded ``Event`` is converted, ``EventData`` passes through)."""
    return event if isinstance(event, EventData) else EventData.from_event(event)


STATUS_MAP = {
    EventStatus.CONFIRMED.value: "CONFIRMED",
    EventStatus.TENTATIVE.value: "TENTATIVE",
    # A postponed event keeps its original dates until a new one is set: shown, but not as a firm booking.
    EventStatus.POSTPONED.value: "TENTATIVE",
    EventStatus.CANCELLED.value: "CANCELLED",
}
#: The English prefixes (reading our own feeds back on import takes them off).
POSTPONED_PREFIX = "Postponed, new date to be announced: "
CANCELLED_PREFIX = "Cancelled: "
#: Prefixes of a summary, translated where written (``%(title)s`` is the event's title).
POSTPONED_SUMMARY = N_("Postponed, new date to be announced: %(title)s")
CANCELLED_SUMMARY = N_("Cancelled: %(title)s")
# The enums' plain values: reading ``.value`` is a descriptor call, and a dozen per event added up.
_CANCELLED = EventStatus.CANCELLED.value
_POSTPONED = EventStatus.POSTPONED.value
_TENTATIVE = EventStatus.TENTATIVE.value
_PUBLIC = Visibility.PUBLIC.value
_ROLES = tuple(role.value for role in OrganisationRole)


def is_utc_zone(zone_name: str) -> bool:
    return zone_name in UTC_NAMES


def is_ambiguous(instant: datetime, zone_name: str) -> bool:
    """True when the instant's wall-clock time occurs twice in the zone (the hour repeated in autumn)."""
    local = instant.astimezone(get_zone(zone_name))
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def needs_utc(event: Event | EventData) -> bool:
    """Timed events are written in UTC when their zone is UTC, or when a wall time is ambiguous: RFC 5545
    says such a time means its first occurrence, but ical.js takes the second, so only UTC is read alike."""
    if is_utc_zone(event.timezone):
        return True
    return is_ambiguous(event.start_dt, event.timezone) or is_ambiguous(event.end_dt, event.timezone)


def utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)


def event_url(base_url: str, event_id: int) -> str:
    return _event_url_prefix(base_url) + str(int(event_id))


@lru_cache(maxsize=64)
def _event_url_prefix(base_url: str) -> str:
    """The cleaned URL of the event pages up to the id (digits need no cleaning), made once per site."""
    return clean_uri(f"{base_url.rstrip('/')}/events/")


def is_cancelled(event: Event | EventData) -> bool:
    """Cancelled or deleted: published as STATUS:CANCELLED so that subscribed calendars drop it."""
    return event.deleted_dt is not None or event.status == _CANCELLED


def is_transparent(event: EventData) -> bool:
    """Cancelled and postponed events do not block time in a calendar (TRANSP:TRANSPARENT)."""
    return is_cancelled(event) or event.status == _POSTPONED


def ical_status(event: EventData) -> str:
    return "CANCELLED" if is_cancelled(event) else STATUS_MAP.get(event.status, "CONFIRMED")


def ical_class(event: EventData) -> str:
    return "PUBLIC" if event.visibility == _PUBLIC else "PRIVATE"


def event_categories(event: EventData) -> list[str]:
    """The kind's label, then the tags (empty ones left out)."""
    categories = [gettext(EventKind(event.kind).label)] + [clean_text(tag) for tag in event.tags]
    return [category for category in categories if category]


def local_texts(event: EventData) -> tuple[str, str, str, str]:
    """(title, the title's language, description, the description's language) a reader of the current language
    gets: ``tracker.event_texts.localized``, the one rule (their language's text, else the event's own; a
    translation without a description shows the event's, in the event's language)."""
    text = localized(event)
    return text.title, text.language, text.description, text.description_language


def event_summary(event: EventData) -> str:
    """The title in the current language (see ``local_texts``), prefixed when cancelled or postponed."""
    title = clean_text(local_texts(event)[0])
    if is_cancelled(event):
        return gettext(CANCELLED_SUMMARY, title=title)
    if event.status == _POSTPONED:
        return gettext(POSTPONED_SUMMARY, title=title)
    return title


def text_languages(event: EventData) -> tuple[str, str]:
    """The RFC 5545 ``LANGUAGE`` of SUMMARY and of DESCRIPTION: the languages of the texts written (the event's
    own when the reader's language has none); a description with no text of the event's is the facts alone,
    written in the current language."""
    _title, title_language, description, description_language = local_texts(event)
    return title_language, description_language if description.strip() else current_language()


def event_location(event: EventData) -> str:
    country = country_name(event.country) if event.country else ""
    parts = (clean_text(event.venue), clean_text(event.city), country)
    return ", ".join(part for part in parts if part)


def _status_note(event: EventData) -> str:
    """The first paragraph of a description when the event is not simply confirmed."""
    if event.deleted_dt is not None:
        return gettext("This event has been removed from the calendar.")
    if event.status == _CANCELLED:
        reason = clean_text(event.cancel_reason or "")
        if reason:
            return gettext("This event has been cancelled: %(reason)s", reason=reason)
        return gettext("This event has been cancelled.")
    if event.status == _POSTPONED:
        return gettext("This event has been postponed; a new date will be announced. The dates are those planned.")
    if event.status == _TENTATIVE:
        return gettext("Tentative: the dates are not yet confirmed.")
    return ""


def _facts(event: EventData, base_url: str) -> list[str]:
    """Organisers by role (in ``OrganisationRole`` order), participants, the source and the event page."""
    facts: list[str] = []
    by_role: dict[str, list[str]] = {role: [] for role in _ROLES}
    for role, organisation in event.organisations:
        by_role.setdefault(role, []).append(organisation)
    for role, organisations in by_role.items():
        if organisations:
            names = "; ".join(clean_text(organisation) for organisation in organisations)
            facts.append(gettext("%(label)s: %(names)s", label=role_heading(role, len(organisations)), names=names))
    people = []
    for person, organisation in event.people:
        text = clean_text(person)
        if organisation is not None:
            text += f" ({clean_text(organisation)})"
        people.append(text)
    if people:
        facts.append(gettext("Participants: %(names)s", names="; ".join(people)))
    if event.source_url:
        facts.append(gettext("Source: %(source)s", source=clean_text(event.source_url)))
    elif event.source_citation:
        facts.append(gettext("Source: %(source)s", source=clean_text(event.source_citation)))
    facts.append(gettext("Event page: %(url)s", url=event_url(base_url, event.id)))
    return facts


def event_description(event: EventData, base_url: str) -> str:
    """The status note, the event's text (in the current language, see ``local_texts``), then the facts
    (organisers, participants, source, page)."""
    text = clean_text(local_texts(event)[2], multiline=True)
    blocks = [_status_note(event), text, "\n".join(_facts(event, base_url))]
    return "\n\n".join(block for block in blocks if block)
