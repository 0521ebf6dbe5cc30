"""Revisions in people's words: what each saved change did, said in the event's own terms and zone.

A revision stores ``{field: [old, new]}`` with instants as UTC ISO strings and links as lists
(``tracker.services.revisions``). Editors reading the history want "Start moved from Tue 15 Nov 2022 to
Wed 16 Nov 2022" and "Co-organiser added: IOM", not column names, UTC strings or Python lists; readers of the
event page want to know that a date was moved ("Moved from 15–16 November 2022"). Pure functions: no
database, no Flask.

The sentences are made when the page is shown, in the reader's language (``tracker.i18n``): a revision stores
values, never words, so the history of one change reads in English, Macedonian or Albanian alike. Each sentence
is one whole message per field, role and verb, so that translators can make the words agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date

from tracker.countries import country_name
from tracker.formatting import event_when, format_date_range, format_instant_range
from tracker.i18n import N_, current_locale, ngettext
from tracker.i18n import gettext as _
from tracker.models import Event, EventKind, OrganisationRole
from tracker.services.revisions import TIME_FIELDS
from tracker.timezones import utc_to_local, zone_abbreviation

Changes = dict[str, list[Any]]

#: What a revision's action is called in the history.
ACTION_LABELS = {
    "created": N_("Created"),
    "updated": N_("Changed"),
    "deleted": N_("Deleted"),
    "restored": N_("Restored"),
}
#: The sentences of a text field's change: (set, removed, changed); ``%(old)s`` and ``%(new)s`` are the values
#: (quoted in the message when they are free text). The description is not repeated, only said to have changed.
TEXT_FIELDS: dict[str, tuple[str, str, str]] = {
    "title": (N_("Title set to “%(new)s”"), N_("Title removed (was “%(old)s”)"),
              N_("Title changed from “%(old)s” to “%(new)s”")),
    "venue": (N_("Venue set to “%(new)s”"), N_("Venue removed (was “%(old)s”)"),
              N_("Venue changed from “%(old)s” to “%(new)s”")),
    "city": (N_("City set to %(new)s"), N_("City removed (was %(old)s)"), N_("City changed from %(old)s to %(new)s")),
    "source_url": (N_("Source link set to %(new)s"), N_("Source link removed (was %(old)s)"),
                   N_("Source link changed from %(old)s to %(new)s")),
    "source_citation": (N_("Source set to “%(new)s”"), N_("Source removed (was “%(old)s”)"),
                        N_("Source changed from “%(old)s” to “%(new)s”")),
    "description": (N_("Description added"), N_("Description removed"), N_("Description changed")),
}  # fmt: skip
COUNTRY_SENTENCES = (N_("Country set to %(new)s"), N_("Country removed (was %(old)s)"),
                     N_("Country changed from %(old)s to %(new)s"))  # fmt: skip
#: A status as the history names it (the stored value is the English word).
STATUS_WORDS = {"tentative": N_("tentative"), "confirmed": N_("confirmed"), "postponed": N_("postponed"),
                "cancelled": N_("cancelled")}  # fmt: skip
#: An organisation's link added or removed, one sentence per role.
ROLE_SENTENCES = {
    "host": (N_("Host added: %(name)s"), N_("Host removed: %(name)s")),
    "co_organiser": (N_("Co-organiser added: %(name)s"), N_("Co-organiser removed: %(name)s")),
    "supporter": (N_("Supporter added: %(name)s"), N_("Supporter removed: %(name)s")),
    "participant": (N_("Participating organisation added: %(name)s"),
                    N_("Participating organisation removed: %(name)s")),
}  # fmt: skip


@dataclass(frozen=True)
class HistoryEntry:
    """One revision as the history page shows it."""

    revision: int
    action: str
    when: str
    who: str
    sentences: list[str]


def action_label(action: str) -> str:
    return _(ACTION_LABELS[action]) if action in ACTION_LABELS else action.replace("_", " ").capitalize()


def short_date(day: date) -> str:
    """``Tue 15 Nov 2022`` in the language in use (CLDR's abbreviations: "вт. 15 ное. 2022")."""
    return format_date(day, "EEE d MMM y", locale=current_locale())


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
        sentences.append(_("Changed to an all-day event") if changes["all_day"][1] else _("Changed to a timed event"))
    zone_changed = "timezone" in changes and changes["timezone"][0] != changes["timezone"][1]
    if zone_changed:
        old_zone, new_zone = changes["timezone"]
        if old_zone:
            sentences.append(_("Time zone changed from %(old)s to %(new)s", old=old_zone, new=new_zone))
        else:
            sentences.append(_("Time zone changed from none to %(new)s", new=new_zone))
    for which in ("start", "end"):
        old, new = _point(changes, which, 0, zone, all_day), _point(changes, which, 1, zone, all_day)
        if old is None or new is None or old == new:
            continue
        before, after = old.text(with_zone=zone_changed), new.text(with_zone=zone_changed, other=old)
        sentences.append(_(_MOVES[which, "all_day" in changes], old=before, new=after))
    return sentences


#: (start or end, whether the event changed between all-day and timed): from a day to a time is no move.
_MOVES = {
    ("start", False): N_("Start moved from %(old)s to %(new)s"),
    ("start", True): N_("Start changed from %(old)s to %(new)s"),
    ("end", False): N_("End moved from %(old)s to %(new)s"),
    ("end", True): N_("End changed from %(old)s to %(new)s"),
}


def status_sentences(changes: Changes) -> list[str]:
    """``Status: confirmed → cancelled (reason: …)``; a reason given or changed on its own."""
    reason = _side(changes, "cancel_reason", 1, "") or ""
    if "status" in changes:
        old, new = (_status_word(value) for value in changes["status"])
        if changes["status"][1] == "cancelled" and reason:
            return [_("Status: %(old)s → %(new)s (reason: %(reason)s)", old=old, new=new, reason=reason)]
        return [_("Status: %(old)s → %(new)s", old=old, new=new)]
    if "cancel_reason" in changes:
        if reason:
            return [_("Reason for the cancellation: %(reason)s", reason=reason)]
        return [_("Reason for the cancellation removed")]
    return []


def _status_word(value: Any) -> str:
    if not value:
        return _("none")
    return _(STATUS_WORDS[value]) if value in STATUS_WORDS else str(value)


def _text_sentence(sentences: tuple[str, str, str], old: Any, new: Any) -> str:
    """``Venue changed from “A” to “B”``: the (set, removed, changed) sentence that fits, in the language in use."""
    set_to, removed, changed = sentences
    return _(set_to if not old else removed if not new else changed, old=old, new=new)


def _country(code: Any) -> str:
    return country_name(code) if code else ""


def _kind(value: Any) -> str:
    try:
        return _(EventKind(value).label)
    except ValueError:
        return str(value)


def field_sentences(changes: Changes) -> list[str]:
    """Title, place (venue, city, country), kind, visibility, description and source, in that order."""
    sentences = []

    def text(name: str) -> None:
        if name in changes:
            sentences.append(_text_sentence(TEXT_FIELDS[name], *changes[name]))

    for name in ("title", "venue", "city"):
        text(name)
    if "country" in changes:
        sentences.append(_text_sentence(COUNTRY_SENTENCES, *map(_country, changes["country"])))
    if "kind" in changes:
        old, new = changes["kind"]
        sentences.append(_("Kind changed from %(old)s to %(new)s", old=_kind(old), new=_kind(new)))
    if "visibility" in changes:
        internal = changes["visibility"][1] == "internal"
        sentences.append(_("Made internal (editors only)") if internal else _("Made public"))
    for name in ("description", "source_url", "source_citation"):
        text(name)
    return sentences


def _role(role: str) -> str:
    if role == OrganisationRole.PARTICIPANT.value:
        return _("Participating organisation")
    try:
        return _(OrganisationRole(role).label)
    except ValueError:
        return role.replace("_", " ").capitalize()


def organisation_sentences(old: Iterable[Any] | None, new: Iterable[Any] | None) -> list[str]:
    """``Co-organiser added: …``, ``Host removed: …``, a changed role, or a new order."""
    before = [(str(name), str(role)) for name, role in old or []]
    after = [(str(name), str(role)) for name, role in new or []]
    added = [pair for pair in after if pair not in before]
    removed = [pair for pair in before if pair not in after]
    sentences = []
    for name in [name for name, _role in added if [n for n, _role in removed].count(name) == 1]:
        if [n for n, _role in added].count(name) != 1:
            continue
        (old_role,) = [role for n, role in removed if n == name]
        (new_role,) = [role for n, role in added if n == name]
        sentences.append(
            _("Role of %(name)s changed from %(old)s to %(new)s", name=name, old=_role(old_role), new=_role(new_role))
        )
        added.remove((name, new_role))
        removed.remove((name, old_role))
    sentences += [_link_sentence(role, name, 0) for name, role in added]
    sentences += [_link_sentence(role, name, 1) for name, role in removed]
    if not sentences and before != after:
        sentences.append(_("Organisations put in a new order"))
    return sentences


def _link_sentence(role: str, name: str, removed: int) -> str:
    """``Co-organiser added: IOM`` (``removed`` 0) or ``… removed: …`` (1), one whole sentence per role."""
    if role in ROLE_SENTENCES:
        return _(ROLE_SENTENCES[role][removed], name=name)
    if removed:
        return _("%(role)s removed: %(name)s", role=_role(role), name=name)
    return _("%(role)s added: %(name)s", role=_role(role), name=name)


def people_sentences(old: Iterable[Any] | None, new: Iterable[Any] | None) -> list[str]:
    before, after = [str(name) for name in old or []], [str(name) for name in new or []]
    sentences = [_("Participant added: %(name)s", name=name) for name in after if name not in before]
    sentences += [_("Participant removed: %(name)s", name=name) for name in before if name not in after]
    if not sentences and before != after:
        sentences.append(_("Participants put in a new order"))
    return sentences


def tag_sentences(old: Iterable[Any] | None, new: Iterable[Any] | None) -> list[str]:
    before, after = set(old or []), set(new or [])
    sentences = []
    if added := sorted(after - before):
        sentences.append(ngettext("Tag added: %(tags)s", "Tags added: %(tags)s", len(added), tags=", ".join(added)))
    if gone := sorted(before - after):
        sentences.append(ngettext("Tag removed: %(tags)s", "Tags removed: %(tags)s", len(gone), tags=", ".join(gone)))
    return sentences


#: Fields the functions above speak of; any other is named in plain words by ``_other_sentences``.
_KNOWN = frozenset(
    {*TIME_FIELDS, *TEXT_FIELDS, "status", "cancel_reason", "country", "kind", "visibility", "organisations"}
    | {"people", "tags", "deleted_dt"}
)


def _other_sentences(changes: Changes) -> list[str]:
    return [_("%(field)s changed", field=name.replace("_", " ").capitalize()) for name in changes if name not in _KNOWN]


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
                who=revision.user.display_name if revision.user else _("the system"),
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
    return _("Moved from %(when)s", when=before)
