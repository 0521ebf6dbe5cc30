"""Revisions in people's words: what each saved change did, said in the event's own terms and zone.

A revision stores ``{field: [old, new]}`` with instants as UTC ISO strings and links as lists
(``tracker.services.revisions``). Editors reading the history want "Start moved from Tue 15 Nov 2022 to
Wed 16 Nov 2022" and "Co-organiser added: IOM", not column names, UTC strings or Python lists; readers of the
event page want to know that a date was moved ("Moved from 15–16 November 2022"). Pure functions: no
database, no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tracker.countries import country_name
from tracker.formatting import event_when, format_date_range, format_instant_range
from tracker.models import Event, EventKind, OrganisationRole
from tracker.services.revisions import TIME_FIELDS
from tracker.timezones import utc_to_local, zone_abbreviation

Changes = dict[str, list[Any]]

#: What a revision's action is called in the history.
ACTION_LABELS = {"created": "Created", "updated": "Changed", "deleted": "Deleted", "restored": "Restored"}
#: Plain words for text fields: (what it is called, whether its values are quoted; None: not repeated at all).
TEXT_FIELDS: dict[str, tuple[str, bool | None]] = {
    "title": ("Title", True),
    "venue": ("Venue", True),
    "city": ("City", False),
    "source_url": ("Source link", False),
    "source_citation": ("Source", True),
    "description": ("Description", None),
}
ARROW = "\u2192"


@dataclass(frozen=True)
class HistoryEntry:
    """One revision as the history page shows it."""

    revision: int
    action: str
    when: str
    who: str
    sentences: list[str]


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


def short_date(day: date) -> str:
    """``Tue 15 Nov 2022``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def local_instant(instant: datetime, zone: str) -> str:
    """``Tue 15 Nov 2022 10:00`` in ``zone``."""
    local = utc_to_local(instant, zone)
    return f"{short_date(local.date())} {local:%H:%M}"


def changed_at(instant: datetime, zone: str) -> str:
    """When a revision was saved, in the event's zone with its abbreviation: ``Wed 16 Nov 2022 10:05 CET``."""
    return f"{local_instant(instant, zone)} {zone_abbreviation(instant, zone)}"


def _as_date(value: Any) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _as_instant(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _side(changes: Changes, name: str, index: int, current: Any = None) -> Any:
    """The old (index 0) or new (1) value of a field in this revision; ``current`` when it did not change."""
    return changes[name][index] if name in changes else current


@dataclass(frozen=True)
class _Point:
    """A start or an end as the editor entered it: a local day (all-day events) or a local wall time."""

    day: date
    time: str = ""  # "10:00", empty for all-day events
    zone: str = ""

    def text(self, *, with_zone: bool, other: _Point | None = None) -> str:
        """This point in words; only the time when ``other`` (the old point) is a time on the same day."""
        if self.time and other is not None and other.time and other.day == self.day and other.zone == self.zone:
            return self.time
        text = short_date(self.day) + (f" {self.time}" if self.time else "")
        return f"{text} ({self.zone})" if with_zone and self.time else text


def _point(changes: Changes, which: str, index: int, zone: str, all_day: bool) -> _Point | None:
    """The start or end (``which``) before (0) or after (1) this revision, None when the revision does not say;
    ``zone`` and ``all_day`` are the event's after the revision."""
    side_zone = _side(changes, "timezone", index, zone) or zone
    if _side(changes, "all_day", index, all_day):
        day = _as_date(_side(changes, f"{which}_date", index))
        return _Point(day) if day else None
    instant = _as_instant(_side(changes, f"{which}_dt", index))
    if instant is None:
        return None
    local = utc_to_local(instant, side_zone)
    return _Point(local.date(), f"{local:%H:%M}", side_zone)


def time_sentences(changes: Changes, zone: str, all_day: bool) -> list[str]:
    """The kind of event, its zone, then where its start and its end moved (each in its own zone); ``zone``
    and ``all_day`` are the event's after the revision."""
    sentences: list[str] = []
    if "all_day" in changes:
        sentences.append("Changed to an all-day event" if changes["all_day"][1] else "Changed to a timed event")
    zone_changed = "timezone" in changes and changes["timezone"][0] != changes["timezone"][1]
    if zone_changed:
        old_zone, new_zone = changes["timezone"]
        sentences.append(f"Time zone changed from {old_zone or 'none'} to {new_zone}")
    for which, label in (("start", "Start"), ("end", "End")):
        old, new = _point(changes, which, 0, zone, all_day), _point(changes, which, 1, zone, all_day)
        if old is None or new is None or old == new:
            continue
        verb = "changed" if "all_day" in changes else "moved"  # from a day to a time (or back) is no move
        before, after = old.text(with_zone=zone_changed), new.text(with_zone=zone_changed, other=old)
        sentences.append(f"{label} {verb} from {before} to {after}")
    return sentences


def status_sentences(changes: Changes) -> list[str]:
    """``Status: confirmed → cancelled (reason: …)``; a reason given or changed on its own."""
    reason = _side(changes, "cancel_reason", 1, "") or ""
    if "status" in changes:
        old, new = changes["status"]
        text = f"Status: {old or 'none'} {ARROW} {new}"
        return [text + (f" (reason: {reason})" if new == "cancelled" and reason else "")]
    if "cancel_reason" in changes:
        return [f"Reason for the cancellation: {reason}" if reason else "Reason for the cancellation removed"]
    return []


def _text_sentence(label: str, old: Any, new: Any, quote: bool | None) -> str:
    """``Venue changed from “A” to “B”``; values in quotes (``quote``), bare (False) or left out (None)."""
    if quote is None:
        return f"{label} added" if not old else f"{label} removed" if not new else f"{label} changed"
    old_text, new_text = (f"“{old}”", f"“{new}”") if quote else (old, new)
    if not old:
        return f"{label} set to {new_text}"
    if not new:
        return f"{label} removed (was {old_text})"
    return f"{label} changed from {old_text} to {new_text}"


def _country(code: Any) -> str:
    return country_name(code) if code else ""


def _kind(value: Any) -> str:
    try:
        return EventKind(value).label
    except ValueError:
        return str(value)


def field_sentences(changes: Changes) -> list[str]:
    """Title, place (venue, city, country), kind, visibility, description and source, in that order."""
    sentences = []

    def text(name: str) -> None:
        if name in changes:
            label, quote = TEXT_FIELDS[name]
            sentences.append(_text_sentence(label, *changes[name], quote))

    for name in ("title", "venue", "city"):
        text(name)
    if "country" in changes:
        sentences.append(_text_sentence("Country", *map(_country, changes["country"]), False))
    if "kind" in changes:
        old, new = changes["kind"]
        sentences.append(f"Kind changed from {_kind(old)} to {_kind(new)}")
    if "visibility" in changes:
        internal = changes["visibility"][1] == "internal"
        sentences.append("Made internal (editors only)" if internal else "Made public")
    for name in ("description", "source_url", "source_citation"):
        text(name)
    return sentences


def _role(role: str) -> str:
    if role == OrganisationRole.PARTICIPANT.value:
        return "Participating organisation"
    try:
        return OrganisationRole(role).label
    except ValueError:
        return role.replace("_", " ").capitalize()


def organisation_sentences(old: Iterable[Any] | None, new: Iterable[Any] | None) -> list[str]:
    """``Co-organiser added: …``, ``Host removed: …``, a changed role, or a new order."""
    before = [(str(name), str(role)) for name, role in old or []]
    after = [(str(name), str(role)) for name, role in new or []]
    added = [pair for pair in after if pair not in before]
    removed = [pair for pair in before if pair not in after]
    sentences = []
    for name in [name for name, _ in added if [n for n, _ in removed].count(name) == 1]:
        if [n for n, _ in added].count(name) != 1:
            continue
        (old_role,) = [role for n, role in removed if n == name]
        (new_role,) = [role for n, role in added if n == name]
        sentences.append(f"Role of {name} changed from {_role(old_role)} to {_role(new_role)}")
        added.remove((name, new_role))
        removed.remove((name, old_role))
    sentences += [f"{_role(role)} added: {name}" for name, role in added]
    sentences += [f"{_role(role)} removed: {name}" for name, role in removed]
    if not sentences and before != after:
        sentences.append("Organisations put in a new order")
    return sentences


def people_sentences(old: Iterable[Any] | None, new: Iterable[Any] | None) -> list[str]:
    before, after = [str(name) for name in old or []], [str(name) for name in new or []]
    sentences = [f"Participant added: {name}" for name in after if name not in before]
    sentences += [f"Participant removed: {name}" for name in before if name not in after]
    if not sentences and before != after:
        sentences.append("Participants put in a new order")
    return sentences


def tag_sentences(old: Iterable[Any] | None, new: Iterable[Any] | None) -> list[str]:
    before, after = set(old or []), set(new or [])
    sentences = []
    for verb, tags in (("added", sorted(after - before)), ("removed", sorted(before - after))):
        if tags:
            sentences.append(f"Tag{'s' if len(tags) > 1 else ''} {verb}: {', '.join(tags)}")
    return sentences


#: Fields the functions above speak of; any other is named in plain words by ``_other_sentences``.
_KNOWN = frozenset(
    {*TIME_FIELDS, *TEXT_FIELDS, "status", "cancel_reason", "country", "kind", "visibility", "organisations"}
    | {"people", "tags", "deleted_dt"}
)


def _other_sentences(changes: Changes) -> list[str]:
    return [f"{name.replace('_', ' ').capitalize()} changed" for name in changes if name not in _KNOWN]


def describe(action: str, changes: Changes, zone: str, all_day: bool) -> list[str]:
    """The sentences of one revision; ``zone`` and ``all_day`` are the event's right after it (times before a
    change of zone read in the old zone)."""
    if action in {"created", "deleted", "restored"}:
        return [action_label(action)]
    sentences = field_sentences({k: v for k, v in changes.items() if k == "title"})
    sentences += status_sentences(changes)
    sentences += time_sentences(changes, zone, all_day)
    sentences += field_sentences({k: v for k, v in changes.items() if k != "title"})
    if "organisations" in changes:
        sentences += organisation_sentences(*changes["organisations"])
    if "people" in changes:
        sentences += people_sentences(*changes["people"])
    if "tags" in changes:
        sentences += tag_sentences(*changes["tags"])
    return sentences + _other_sentences(changes)


def history_entries(event: Event, revisions: Iterable[Any]) -> list[HistoryEntry]:
    """The history page's entries from ``EventRevision`` rows (users loaded), latest first.

    Walking back from the event as it is now gives each revision the zone and kind (all-day or timed) the
    event had right after it, so every time reads as the editor entered it.
    """
    zone, all_day = event.timezone, event.all_day
    entries = []
    for revision in revisions:
        changes = revision.changes or {}
        entries.append(
            HistoryEntry(
                revision=revision.revision,
                action=action_label(revision.action),
                when=changed_at(revision.changed_dt, zone),
                who=revision.user.display_name if revision.user else "the system",
                sentences=describe(revision.action, changes, zone, all_day),
            )
        )
        if revision.action != "created":
            zone = _side(changes, "timezone", 0, zone) or zone
            all_day = bool(_side(changes, "all_day", 0, all_day))
    return entries


def _when_before(event: Event, changes: Changes) -> str | None:
    """How the event page said the dates before this revision (None when the revision does not tell)."""
    all_day = _side(changes, "all_day", 0, event.all_day)
    zone = _side(changes, "timezone", 0, event.timezone) or event.timezone
    if all_day:
        first = _as_date(_side(changes, "start_date", 0, event.start_date))
        last = _as_date(_side(changes, "end_date", 0, event.end_date))
        return format_date_range(first, last) if first and last else None
    start = _as_instant(_side(changes, "start_dt", 0, event.start_dt))
    end = _as_instant(_side(changes, "end_dt", 0, event.end_dt))
    return format_instant_range(start, end, zone) if start and end else None


def moved_from(event: Event, last_move: Changes | None) -> str | None:
    """``Moved from 15–16 November 2022`` when the latest change of the event's dates (``last_move``, the
    changes of that revision) really moved them; only dates, nothing else of the history."""
    if not last_move:
        return None
    before = _when_before(event, last_move)
    if before is None or before == event_when(event):
        return None
    return f"Moved from {before}"
