"""One event read from another calendar → the editor form's values, so imports pass the editor's own checks.

The reader (``tracker.ical.reading``) gives what the file says; this module says how that becomes one of our
events: the source's defaults (kind, visibility, tags, host organisation) filled in, text cut to what the form
allows (an import cannot ask the file to shorten its title), all-day ends made inclusive, and times given as
wall times in the event's own zone, as the form takes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from tracker.countries import country_code
from tracker.i18n import gettext as _
from tracker.ical.event import CANCELLED_PREFIX, POSTPONED_PREFIX
from tracker.ical.reading import ReadEvent
from tracker.lookup import find_organisation
from tracker.models import EventKind, EventStatus, Organisation, OrganisationRole, Visibility
from tracker.text import clip
from tracker.timezones import all_day_bounds
from tracker.validation import MAX_TAGS, SHORT_MAX, TAG_MAX, TEXT_MAX, TITLE_MAX, InputError, single_line

#: An event read without a title is still an event; the form requires one.
UNTITLED = "(untitled event)"


@dataclass(frozen=True)
class ImportDefaults:
    """What every event of one import or source gets that the file does not say."""

    kind: str = "meeting"
    visibility: str = "public"
    tags: tuple[str, ...] = ()
    #: Name of the organisation hosting the source's events ("" for none).
    organisation: str = ""
    #: Where the file came from, kept as the events' source when they have no URL of their own.
    citation: str = ""


def defaults_values(form: Any) -> dict[str, Any]:
    """Kind, visibility, tags and host organisation typed for an import or a source, checked.

    Raises ``InputError`` with one message per field; the organisation's name is checked against the
    directory by ``known_organisation``, so a typo does not create an organisation.
    """
    errors: dict[str, str] = {}
    kind = str(form.get("default_kind", EventKind.MEETING.value))
    visibility = str(form.get("default_visibility", Visibility.PUBLIC.value))
    if kind not in {item.value for item in EventKind}:
        errors["default_kind"] = _("Choose a kind from the list.")
    if visibility not in {item.value for item in Visibility}:
        errors["default_visibility"] = _("Choose public or internal.")
    values: dict[str, Any] = {"default_kind": kind, "default_visibility": visibility}
    try:
        tags = [
            single_line(tag, TAG_MAX, "A tag").lower().lstrip("#")
            for tag in str(form.get("default_tags", "")).split(",")
        ]
        values["default_tags"] = ", ".join(dict.fromkeys(tag for tag in tags if tag))[:500]
    except ValueError as exc:
        errors["default_tags"] = str(exc)
    try:
        values["organisation"] = single_line(str(form.get("organisation", "")), SHORT_MAX, "The organisation")
    except ValueError as exc:
        errors["organisation"] = str(exc)
    if errors:
        raise InputError(errors)
    return values


def known_organisation(session: Session, name: str) -> Organisation | None:
    """The directory's organisation ``name`` names; ``InputError`` when it names none."""
    if not name:
        return None
    organisation = find_organisation(session, name)
    if organisation is None:
        message = _("No organisation is called “%(name)s”; add it to the directory first.", name=name)
        raise InputError({"organisation": message})
    return organisation


def import_defaults(values: dict[str, Any], organisation: Organisation | None, citation: str) -> ImportDefaults:
    tags = tuple(tag.strip() for tag in values["default_tags"].split(",") if tag.strip())
    return ImportDefaults(
        kind=values["default_kind"],
        visibility=values["default_visibility"],
        tags=tags,
        organisation=organisation.name if organisation else "",
        citation=citation,
    )


def one_line(text: str) -> str:
    return " ".join(text.split())


def kind_and_categories(read: ReadEvent, default_kind: str) -> tuple[str, tuple[str, ...]]:
    """A first category naming one of our kinds ("Conference", "Official visit": our feeds put the kind there)
    gives the kind and is not a tag; otherwise the source's default kind."""
    labels = {kind.label.casefold(): kind.value for kind in EventKind}
    if read.categories and (kind := labels.get(one_line(read.categories[0]).casefold())):
        return kind, read.categories[1:]
    return default_kind, read.categories


def _tags(categories: tuple[str, ...], defaults: ImportDefaults) -> list[str]:
    """Categories then the source's tags, each cut to the tag limit, at most ``MAX_TAGS``."""
    tags: list[str] = []
    for tag in (*categories, *defaults.tags):
        tag = clip(one_line(tag).replace(",", " ").lower().lstrip("#").strip(), TAG_MAX)
        if tag and tag not in tags:
            tags.append(tag)
    return tags[:MAX_TAGS]


def title_and_status(read: ReadEvent) -> tuple[str, str]:
    """The title and our status: the prefixes our own feeds put before a title for calendars that show no
    status ("Cancelled: …", "Postponed, new date to be announced: …" on a TENTATIVE event) come off again."""
    title, status = one_line(read.title), read.status
    if status not in {item.value for item in EventStatus}:
        status = EventStatus.CONFIRMED.value
    if status == EventStatus.CANCELLED.value and title.startswith(CANCELLED_PREFIX):
        title = title.removeprefix(CANCELLED_PREFIX)
    elif status == EventStatus.TENTATIVE.value and title.startswith(POSTPONED_PREFIX):
        title, status = title.removeprefix(POSTPONED_PREFIX), EventStatus.POSTPONED.value
    return title, status


def _times(read: ReadEvent) -> dict[str, str]:
    """Start and end as the form takes them: days (inclusive end) or wall times in the event's zone."""
    if read.all_day:
        assert isinstance(read.start, date) and isinstance(read.end, date)
        last_day = max(read.start, read.end - timedelta(days=1))
        return {"start_date": read.start.isoformat(), "end_date": last_day.isoformat(), "all_day": "on"}
    assert isinstance(read.start, datetime) and isinstance(read.end, datetime)
    start, end = read.start.replace(second=0, microsecond=0), read.end.replace(second=0, microsecond=0)
    if end <= start:  # shorter than a minute: the form counts in minutes
        end = start + timedelta(hours=1)
    return {
        "start_date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_date": end.date().isoformat(),
        "end_time": end.strftime("%H:%M"),
        "all_day": "",
    }


def place_parts(location: str) -> tuple[str, str, str]:
    """(venue, city, country code) of a LOCATION such as "Hotel Aleksandar Palace, Skopje, North Macedonia".

    Only a last part that names a country is taken apart (our own feeds write "venue, city, country"); any other
    location stays whole as the venue.
    """
    parts = [part.strip() for part in one_line(location).split(",") if part.strip()]
    code = country_code(parts[-1]) if len(parts) >= 2 else None
    if code is None:
        return one_line(location), "", ""
    city = parts[-2]
    return ", ".join(parts[:-2]), city, code


def form_values(read: ReadEvent, defaults: ImportDefaults) -> dict[str, Any]:
    """The editor form's values for ``read`` (validated afterwards by ``EventInput``, like a typed form)."""
    venue, city, country = place_parts(read.location)
    title, status = title_and_status(read)
    kind, categories = kind_and_categories(read, defaults.kind)
    values: dict[str, Any] = {
        "title": clip(title, TITLE_MAX) or UNTITLED,
        "kind": kind,
        "status": status,
        "visibility": defaults.visibility,
        # An all-day event names no zone in iCalendar: the form proposes one from the city and country.
        "timezone": "" if read.all_day and read.timezone in {"", "UTC"} else read.timezone,
        "venue": clip(venue, SHORT_MAX),
        "city": clip(city, SHORT_MAX),
        "country": country,
        "description": clip(read.description.strip(), TEXT_MAX),
        "source_url": read.url or "",
        "source_citation": "" if read.url else clip(defaults.citation.strip(), 300),
        "tags": _tags(categories, defaults),
        "organisations": [(defaults.organisation, OrganisationRole.HOST.value)] if defaults.organisation else [],
        "people": [],
    }
    values.update(_times(read))
    return values


def start_key(read: ReadEvent) -> str:
    """The source's start as ``ImportedEvent.source_start`` keeps it: "YYYYMMDD" or UTC "YYYYMMDDTHHMMSSZ"."""
    if read.all_day:
        assert isinstance(read.start, date)
        return read.start.strftime("%Y%m%d")
    assert isinstance(read.start, datetime)
    return read.start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def title_key(title: str) -> str:
    """A title compared across syncs: case and spacing do not matter."""
    return one_line(title).casefold()


def instants(read: ReadEvent) -> tuple[datetime, datetime]:
    """The UTC span ``read`` covers, as events store it (all-day: the zone's midnights)."""
    if read.all_day:
        assert isinstance(read.start, date) and isinstance(read.end, date)
        last_day = max(read.start, read.end - timedelta(days=1))
        return all_day_bounds(read.start, last_day, read.timezone or "UTC")
    assert isinstance(read.start, datetime) and isinstance(read.end, datetime)
    return read.start.astimezone(UTC), read.end.astimezone(UTC)
