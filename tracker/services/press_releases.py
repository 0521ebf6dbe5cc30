"""A pasted press release as draft events for the editor to check: nothing here stores anything.

The extractor (``tracker.extraction.drafts.extract_json``) proposes drafts from the text alone; this module adds
what only the database knows — which organisations and people already exist (``tracker.lookup``, the rule the
editor's form uses), which existing events look like each draft (``tracker.services.duplicates``) — and where each
piece of evidence sits in the text, so the page can highlight it. ``form_data`` writes a draft in the event form's
own fields, so saving goes through the editor's one save path (validation, name questions, duplicate warnings).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from babel.numbers import format_decimal
from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from tracker.extraction.drafts import extract_json as extract
from tracker.extraction.organisations import KnownOrganisation
from tracker.i18n import current_locale
from tracker.i18n import gettext as _
from tracker.lookup import find_organisation, find_person
from tracker.models import Event, EventKind, EventStatus, OrganisationRole
from tracker.services.duplicates import SimilarEvent, similar_events
from tracker.timezones import all_day_bounds, local_to_utc
from tracker.validation import CITATION_MAX, TEXT_MAX
from tracker.zone_guess import propose_zone

#: The longest paste read, in characters (a long release has 5,000 words, some 35,000 characters).
MAX_TEXT = 100_000
#: At most this many drafts are shown for one paste (a wire digest could announce dozens).
MAX_DRAFTS = 20
#: "Skopje, 10 November 2022 (MIA) –": a place, a date with a year, an optional agency, then a dash.
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<line>[^\n,–—]{2,60},[^\n–—]{4,60}?\d{4}\.?(?:[ \t]*\([^)\n]{1,40}\))?)[ \t]*[–—-]\s"
)
#: The form's fields of an event's time, taken together from a draft merged into an existing event.
TIME_FIELDS = ("all_day", "start_date", "start_time", "end_date", "end_time", "timezone")


class PasteError(ValueError):
    """A paste that is not read: the message says why, ``status`` is the HTTP answer (400 or 413)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Evidence:
    """The sentence a field came from, and the number of its highlight in the text (None: not found in it)."""

    field: str
    sentence: str
    mark: int | None
    span: tuple[int, int] | None


@dataclass(frozen=True)
class OrganisationMatch:
    """An organisation as the release names it, and the existing one that name finds (None: it would be new)."""

    name: str
    acronym: str | None
    role: str
    existing_id: int | None = None
    existing_name: str | None = None

    @property
    def form_name(self) -> str:
        """The stored name when it exists, so the editor's lookup links it without asking."""
        return self.existing_name or self.name


@dataclass(frozen=True)
class PersonMatch:
    """A person as the release names them, and the existing one the name finds."""

    name: str
    position: str | None
    existing_id: int | None = None
    existing_name: str | None = None

    @property
    def form_name(self) -> str:
        """The stored name, or "Name, position" (the form's way of adding someone new)."""
        if self.existing_name:
            return self.existing_name
        return f"{self.name}, {self.position}" if self.position else self.name


@dataclass(frozen=True)
class ReviewedDraft:
    """One draft of the extractor with what the database and the text say about it."""

    number: int
    draft: dict[str, Any]
    organisations: list[OrganisationMatch]
    people: list[PersonMatch]
    similar: list[SimilarEvent]
    evidence: dict[str, Evidence]
    source: str
    description: str = ""
    notes: list[str] = field(default_factory=list)


def extract_json(text: str, *, dateline: date | None = None, known: Sequence[KnownOrganisation] = ()) -> dict[str, Any]:
    """The extractor's drafts, the directory's organisations recognised in the text (the one place tests replace)."""
    return extract(text, dateline=dateline, known=known)


def check_text(text: str) -> str:
    """The paste to read, or PasteError: empty, or longer than ``MAX_TEXT`` characters (answered 413)."""
    if len(text) > MAX_TEXT:
        locale = current_locale()
        message = _(
            "The text has %(size)s characters; at most %(limit)s are read at once. "
            "Paste one release at a time, or only the part that announces the events.",
            size=format_decimal(len(text), locale=locale),
            limit=format_decimal(MAX_TEXT, locale=locale),
        )
        raise PasteError(message, 413)
    if not text.strip():
        raise PasteError(_("Paste the text of a press release first."))
    return text


def review_drafts(
    session: Session, text: str, *, dateline: date | None = None, known: Sequence[KnownOrganisation] = ()
) -> list[ReviewedDraft]:
    """The drafts the text proposes, matched against the directory and the calendar; nothing is added to ``session``.

    The extractor runs first, before any query: it reads only the text.
    """
    check_text(text)
    drafts = list(extract_json(text, dateline=dateline, known=known).get("drafts", []))[:MAX_DRAFTS]
    marks = _marks(text, drafts)
    source = source_citation(text)
    reviewed = []
    for number, draft in enumerate(drafts, start=1):
        evidence = {
            name: Evidence(name, sentence, *marks.get(sentence, (None, None)))
            for name, sentence in (draft.get("evidence") or {}).items()
            if isinstance(sentence, str) and sentence.strip()
        }
        reviewed.append(
            ReviewedDraft(
                number=number,
                draft=draft,
                organisations=[_organisation(session, item) for item in draft.get("organisations") or []],
                people=[_person(session, item) for item in draft.get("people") or []],
                similar=_similar(session, draft),
                evidence=evidence,
                source=source,
                description=_description(evidence),
            )
        )
    return reviewed


def _organisation(session: Session, item: dict[str, Any]) -> OrganisationMatch:
    name, acronym = str(item.get("name") or "").strip(), (item.get("acronym") or None)
    role = item.get("role") if item.get("role") in set(OrganisationRole) else OrganisationRole.PARTICIPANT.value
    found = (find_organisation(session, acronym) if acronym else None) or find_organisation(session, name or "")
    if found is None:
        return OrganisationMatch(name or str(acronym or ""), acronym, role)
    return OrganisationMatch(name or found.name, acronym, role, found.id, found.name)


def _person(session: Session, item: dict[str, Any]) -> PersonMatch:
    name, position = str(item.get("name") or "").strip(), item.get("position") or None
    found = find_person(session, name) if name else None
    if found is None:
        return PersonMatch(name, position)
    return PersonMatch(name, position, found.id, found.name)


def _marks(text: str, drafts: list[dict[str, Any]]) -> dict[str, tuple[int, tuple[int, int]]]:
    """Each evidence sentence's highlight: its number (in the order of the text) and span.

    A sentence inside or across one already highlighted shares that highlight, so marks never nest.
    """
    spans: dict[str, tuple[int, int]] = {}
    for draft in drafts:
        for sentence in (draft.get("evidence") or {}).values():
            if isinstance(sentence, str) and sentence.strip() and sentence not in spans:
                start = text.find(sentence)
                if start >= 0:
                    spans[sentence] = (start, start + len(sentence))
    accepted: list[tuple[int, int]] = []
    for span in sorted(set(spans.values()), key=lambda item: (item[0], -item[1])):
        if not accepted or span[0] >= accepted[-1][1]:
            accepted.append(span)
    found: dict[str, tuple[int, tuple[int, int]]] = {}
    for sentence, (start, end) in spans.items():
        number = next(index for index, (first, last) in enumerate(accepted, 1) if start < last and end > first)
        found[sentence] = (number, accepted[number - 1])
    return found


def highlighted(text: str, drafts: list[ReviewedDraft]) -> list[tuple[str, int | None]]:
    """The text in pieces, each with the number of its highlight (None: plain text between highlights)."""
    marks = sorted({(item.span, item.mark) for draft in drafts for item in draft.evidence.values() if item.span})
    pieces: list[tuple[str, int | None]] = []
    position = 0
    for (start, end), number in marks:
        if start > position:
            pieces.append((text[position:start], None))
        pieces.append((text[start:end], number))
        position = end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def source_citation(text: str) -> str:
    """The release's dateline as a citation ("Press release, Skopje, 10 November 2022 (MIA)"), else "Press release"."""
    match = _DATELINE.search(text[:5000])
    if match is None:
        return "Press release"
    return f"Press release, {' '.join(match.group('line').split())}"[:CITATION_MAX]


def _description(evidence: dict[str, Evidence]) -> str:
    """The evidence sentences, each once and none that is part of another, in the order of the text (missing last)."""
    sentences = {item.sentence: item for item in evidence.values()}
    unique = [
        item for text, item in sentences.items() if not any(text in other for other in sentences if other != text)
    ]
    ordered = sorted(unique, key=lambda item: item.span[0] if item.span else len(item.sentence) + 10**9)
    text = "\n\n".join(" ".join(item.sentence.split()) for item in ordered)
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def _split(value: Any) -> tuple[str, str]:
    """An ISO date or date-time of the contract as the form's (date, "HH:MM" or "")."""
    text = str(value or "").strip()
    if "T" not in text:
        return text[:10], ""
    day, wall = text.split("T", 1)
    return day, wall[:5]


def _zone(draft: dict[str, Any]) -> str:
    city, country = str(draft.get("city") or ""), str(draft.get("country") or "")
    return str(draft.get("timezone") or "") or propose_zone(city, country) or ""


def _similar(session: Session, draft: dict[str, Any]) -> list[SimilarEvent]:
    """Existing events that look like the draft, judged on a transient event (never added to the session)."""
    start_day, start_time = _split(draft.get("start"))
    end_day, end_time = _split(draft.get("end") or draft.get("start"))
    try:
        first, last = date.fromisoformat(start_day), date.fromisoformat(end_day or start_day)
        zone = _zone(draft) or "UTC"
        if start_time:
            start_dt = local_to_utc(first, datetime.strptime(start_time, "%H:%M").time(), zone)
            end_dt = local_to_utc(last, datetime.strptime(end_time, "%H:%M").time(), zone) if end_time else None
            end_dt = end_dt if end_dt and end_dt > start_dt else start_dt + timedelta(hours=1)
        else:
            start_dt, end_dt = all_day_bounds(first, max(first, last), zone)
    except ValueError:
        return []  # no usable dates: the form will say so; nothing to compare
    probe = Event(
        title=str(draft.get("title") or ""),
        timezone=zone,
        start_dt=start_dt,
        end_dt=end_dt,
        city=str(draft.get("city") or ""),
        country=draft.get("country") or None,
    )
    return similar_events(session, probe)


def form_data(reviewed: ReviewedDraft) -> MultiDict[str, str]:
    """The draft in the event form's fields (``tracker.views.editor_form``), as the browser would post them."""
    draft = reviewed.draft
    start_day, start_time = _split(draft.get("start"))
    end_day, end_time = _split(draft.get("end") or draft.get("start"))
    kind = draft.get("kind") if draft.get("kind") in set(EventKind) else EventKind.OTHER.value
    data: MultiDict[str, str] = MultiDict({
        "title": str(draft.get("title") or ""),
        "kind": kind,
        "status": EventStatus.CONFIRMED.value,
        "visibility": "public",
        "all_day": "" if start_time else "on",
        "start_date": start_day,
        "start_time": start_time,
        "end_date": end_day,
        "end_time": end_time,
        "timezone": _zone(draft),
        "venue": "",
        "city": str(draft.get("city") or ""),
        "country": str(draft.get("country") or ""),
        "description": reviewed.description,
        "source": reviewed.source,
        "tags": "",
    })  # fmt: skip
    for organisation in reviewed.organisations:
        data.add("org_name[]", organisation.form_name)
        data.add("org_role[]", organisation.role)
    for person in reviewed.people:
        data.add("person_name[]", person.form_name)
    return data


def merge_values(stored: dict[str, Any], draft: dict[str, Any]) -> dict[str, Any]:
    """An existing event's form values with the draft's over them, for the edit form (nothing is saved by merging).

    The draft's dates and times replace the event's as a whole (when it has a start date); its title, kind, city
    and country replace the event's when given; its organisations and people are added to the event's. The event
    keeps its description, source, venue, status, visibility and tags unless it has none.
    """
    merged = dict(stored)
    if str(draft.get("start_date") or "").strip():
        merged.update({name: draft.get(name, "") for name in TIME_FIELDS})
    for name in ("title", "kind", "city", "country"):
        if str(draft.get(name) or "").strip() and not (name == "kind" and draft[name] == EventKind.OTHER.value):
            merged[name] = draft[name]
    known = {name.lower() for name, _role in stored.get("organisations", [])}
    merged["organisations"] = list(stored.get("organisations", [])) + [
        (name, role) for name, role in draft.get("organisations", []) if name.lower() not in known
    ]
    people = {name.split(",", 1)[0].strip().lower() for name in stored.get("people", [])}
    merged["people"] = list(stored.get("people", [])) + [
        name for name in draft.get("people", []) if name.split(",", 1)[0].strip().lower() not in people
    ]
    for name in ("description", "source_url", "source_citation", "venue"):
        if not str(stored.get(name) or "").strip() and str(draft.get(name) or "").strip():
            merged[name] = draft[name]
    return merged
