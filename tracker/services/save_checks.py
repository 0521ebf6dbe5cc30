"""What an editor is asked before an event is stored: close names, events it may duplicate, participants' clashes.

The checks run in the saving transaction, after the input is on the event and flushed (so the new organisations
and people, the event's instants and its links are what the queries see). When they find anything the editor has
not settled, the caller rolls the transaction back and shows the questions: nothing is stored until then.

* A name that would create an organisation or person but is close to existing ones asks "use … / create new";
  the answer comes back as a ``NameChoice`` (``apply_choices`` puts the existing name in the row).
* Similar events and clashes are shown with a fingerprint; saving anyway means sending that fingerprint back
  (``Warnings.settled_by``), so a form that changed into different warnings is checked again.

The warnings are plain values (ids, labels, readable times), because the rollback expires the rows they came from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from tracker.formatting import event_place, event_when
from tracker.models import Event, Organisation, Person
from tracker.parsing import optional_id
from tracker.services import clashes, directory, duplicates
from tracker.services.events import EventChange
from tracker.validation import single_line

ORGANISATION, PERSON = "organisation", "person"
#: Changes of an edited event that make it worth comparing with other events again.
_DUPLICATE_FIELDS = frozenset({"title", "start_dt", "end_dt", "start_date", "end_date", "venue", "city", "country"})
_CLASH_FIELDS = frozenset({"start_dt", "end_dt", "start_date", "end_date", "timezone", "people"})


@dataclass(frozen=True)
class NameQuestion:
    """``typed`` would create a new ``kind``; ``choices`` are (id, label) of the existing entries it is close to."""

    kind: str
    typed: str
    choices: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class NameChoice:
    """The editor's answer to a ``NameQuestion``: an existing id, or ``NEW``."""

    kind: str
    typed: str
    choice: str

    NEW = "new"


@dataclass(frozen=True)
class OtherEvent:
    """An event shown in a warning: enough to name it and link to it."""

    id: int
    title: str
    when: str
    place: str
    reason: str = ""


@dataclass(frozen=True)
class ClashWarning:
    person: str
    other: OtherEvent


@dataclass
class Warnings:
    names: list[NameQuestion] = field(default_factory=list)
    similar: list[OtherEvent] = field(default_factory=list)
    clashes: list[ClashWarning] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """A digest of the similar events and clashes shown: what "save anyway" must send back."""
        shown = {
            "similar": sorted(other.id for other in self.similar),
            "clashes": sorted([clash.person, clash.other.id] for clash in self.clashes),
        }
        return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:32]

    def settled_by(self, confirmation: str) -> bool:
        """Whether the editor has nothing left to answer: no name question, and these warnings confirmed."""
        if self.names:
            return False
        return not (self.similar or self.clashes) or confirmation == self.fingerprint


def _other(event: Event, reason: str = "") -> OtherEvent:
    return OtherEvent(event.id or 0, event.title, event_when(event), event_place(event), reason)


def similar(session: Session, event: Event) -> list[OtherEvent]:
    """``duplicates.similar_events``, read whether it answers events or (event, reason) objects."""
    found: list[Any] = list(duplicates.similar_events(session, event))
    return [_other(getattr(item, "event", item), str(getattr(item, "reason", "") or "")) for item in found]


def _name_questions(session: Session, change: EventChange, accepted: set[tuple[str, str]]) -> list[NameQuestion]:
    questions: list[NameQuestion] = []
    new_org_ids = [organisation.id for organisation in change.created_organisations if organisation.id]
    for organisation in change.created_organisations:
        if (ORGANISATION, organisation.name) in accepted:
            continue
        close = directory.close_organisations(session, organisation.name, exclude_ids=new_org_ids)
        if close:
            choices = tuple((match.id or 0, match.label) for match in close)
            questions.append(NameQuestion(ORGANISATION, organisation.name, choices))
    new_person_ids = [person.id for person in change.created_people if person.id]
    for person in change.created_people:
        if (PERSON, person.name) in accepted:
            continue
        close_people = directory.close_people(session, person.name, exclude_ids=new_person_ids)
        if close_people:
            choices = tuple((match.id or 0, match.label) for match in close_people)
            questions.append(NameQuestion(PERSON, person.name, choices))
    return questions


def review(session: Session, change: EventChange, *, accepted: Iterable[tuple[str, str]] = ()) -> Warnings:
    """Everything the editor should see before ``change`` is kept; ``accepted`` are (kind, name) meant as new."""
    if change.action == "updated" and not change.changes:
        return Warnings()
    created = change.action == "created"
    warnings = Warnings(names=_name_questions(session, change, set(accepted)))
    if created or _DUPLICATE_FIELDS & change.changes.keys():
        warnings.similar = similar(session, change.event)
    if created or _CLASH_FIELDS & change.changes.keys():
        warnings.clashes = [
            ClashWarning(clash.person.name, _other(clash.other))
            for clash in clashes.participant_clashes(session, change.event)
        ]
    return warnings


def _normal(text: str) -> str:
    try:
        return single_line(text, 1000)
    except ValueError:
        return text


def apply_choices(
    session: Session, organisations: list[tuple[str, str]], people: list[str], choices: Iterable[NameChoice]
) -> tuple[list[tuple[str, str]], list[str], set[tuple[str, str]]]:
    """Rows with each "use existing" answer put in place of the typed name, and the (kind, name) meant as new."""
    accepted: set[tuple[str, str]] = set()
    for answer in choices:
        if answer.choice == NameChoice.NEW:
            accepted.add((answer.kind, answer.typed))
            continue
        model = Organisation if answer.kind == ORGANISATION else Person
        chosen = optional_id(answer.choice)
        existing = session.get(model, chosen) if chosen is not None else None
        if existing is None:
            continue  # gone meanwhile: the question comes back
        if answer.kind == ORGANISATION:
            organisations = [
                (existing.name if _normal(name) == answer.typed else name, role) for name, role in organisations
            ]
        else:
            people = [existing.name if _normal(row.split(",", 1)[0]) == answer.typed else row for row in people]
    return organisations, people, accepted
