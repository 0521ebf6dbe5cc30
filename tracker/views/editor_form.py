"""The event form as the browser sends and shows it: raw fields in, the page with rows, hints and questions out.

``editor`` holds the routes; this module knows the field names (listed in ``edit_event.html``): rows of
organisations (``org_name[]``/``org_role[]``) and people (``person_name[]``), the one ``source`` field, the
``shown_*`` times the form displayed, the answers to name questions (``name_kind_<n>``, ``name_typed_<n>``,
``name_choice_<n>``), names meant as new (``new_org[]``, ``new_person[]``), ``confirm`` (the fingerprint of the
warnings the editor saves anyway) and ``add_rows`` (more empty rows, nothing saved).
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from werkzeug.datastructures import MultiDict

from tracker.event_form import date_in_words, fold_texts, form_texts, shown_times, split_source, text_field
from tracker.event_texts import DESCRIPTION_LABELS, LANGUAGE_LABELS, TITLE_LABELS
from tracker.i18n import N_, gettext
from tracker.services import directory
from tracker.services.save_checks import ORGANISATION, PERSON, NameChoice, Warnings
from tracker.validation import MAX_LINKS
from tracker.web.sessions import get_session
from tracker.zone_guess import propose_zone, zones_by_country

#: Empty organisation and participant rows a form shows.
BLANK_ORGANISATION_ROWS = 3
#: Empty rows one press of "Add rows" adds (without JavaScript; with it, rows are added in the page).
ADDED_ROWS = 3
#: At most this many name questions are read back from one form.
MAX_QUESTIONS = 2 * MAX_LINKS


def form_values(form: MultiDict[str, str]) -> dict[str, Any]:
    """Raw form fields as ``EventInput`` expects them (organisation rows become (name, role) pairs)."""
    values: dict[str, Any] = {key: form.get(key, "") for key in form if not key.endswith("[]")}
    values["all_day"] = form.get("all_day", "")
    names, roles = form.getlist("org_name[]"), form.getlist("org_role[]")
    values["organisations"] = [(name, role) for name, role in zip(names, roles, strict=False) if name.strip()]
    values["people"] = [name for name in form.getlist("person_name[]") if name.strip()]
    if "source" in form:
        values["source_url"], values["source_citation"] = split_source(form["source"])
    return fold_texts(values)


def name_choices(form: MultiDict[str, str]) -> list[NameChoice]:
    """The editor's answers to the name questions, and the names already meant as new (``new_org[]`` …)."""
    answers = [NameChoice(ORGANISATION, name, NameChoice.NEW) for name in form.getlist("new_org[]")[:MAX_QUESTIONS]]
    answers += [NameChoice(PERSON, name, NameChoice.NEW) for name in form.getlist("new_person[]")[:MAX_QUESTIONS]]
    for number in range(MAX_QUESTIONS):
        kind, typed = form.get(f"name_kind_{number}"), form.get(f"name_typed_{number}")
        choice = form.get(f"name_choice_{number}", "")
        if kind is None or typed is None:
            break
        if kind in (ORGANISATION, PERSON) and choice:
            answers.append(NameChoice(kind, typed, choice[:20]))
    return answers


#: When the original language chosen has no title but another language has one.
_OWN_TITLE_MISSING = {
    "en": N_("Enter the title in English, the original language chosen, or choose another original language."),
    "mk": N_("Enter the title in Macedonian, the original language chosen, or choose another original language."),
    "sq": N_("Enter the title in Albanian, the original language chosen, or choose another original language."),
}


def field_errors(errors: dict[str, str], values: dict[str, Any] | None = None) -> dict[str, str]:
    """Errors keyed by the form's fields: the stored ``source_url``/``source_citation`` are the one ``source``;
    ``title`` and ``description`` are the fields of the original language (``text_field``)."""
    shown = dict(errors)
    for stored in ("source_url", "source_citation"):
        if stored in shown:
            shown.setdefault("source", shown.pop(stored))
    values = values or {}
    own = str(values.get("language") or "en")
    others = (values.get("translations") or {}).values()
    if (
        own in _OWN_TITLE_MISSING
        and "title" in shown
        and not values.get("title")
        and any(t.get("title") for t in others)
    ):
        shown["title"] = gettext(_OWN_TITLE_MISSING[own])
    for kind in ("title", "description"):
        if own in _OWN_TITLE_MISSING and kind in shown and own != "en":
            shown.setdefault(text_field(kind, own), shown.pop(kind))
        if f"{kind}_en" in shown:  # an English translation's error: English has the plain field
            shown.setdefault(kind, shown.pop(f"{kind}_en"))
    return shown


def _rows(values: dict[str, Any], blanks: int) -> tuple[list[tuple[str, str]], list[str]]:
    """The filled rows and ``blanks`` empty ones (at least one, at most up to ``MAX_LINKS`` rows)."""
    organisations = list(values.get("organisations", []))
    people = list(values.get("people", []))
    blank_orgs = max(min(blanks, MAX_LINKS - len(organisations)), 1)
    blank_people = max(min(blanks, MAX_LINKS - len(people)), 1)
    return organisations + [("", "host")] * blank_orgs, people + [""] * blank_people


def render_form(
    values: dict[str, Any],
    *,
    event: Any = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    conflict: Any = None,
    warnings: Warnings | None = None,
    accepted: list[NameChoice] | None = None,
    blank_rows: int = BLANK_ORGANISATION_ROWS,
    copied_from: Any = None,
) -> tuple[str, int]:
    """The form page showing ``values``; an empty zone shows the one proposed for the city and country."""
    session = get_session()
    values = dict(values)
    proposed = propose_zone(str(values.get("city") or ""), str(values.get("country") or "")) or ""
    if not str(values.get("timezone") or "").strip() and proposed:
        values["timezone"] = proposed
    if "source" not in values:
        values["source"] = values.get("source_url") or values.get("source_citation") or ""
    org_rows, person_rows = _rows(values, blank_rows)
    page = render_template(
        "edit_event.html",
        values=values,
        event=event,
        errors=field_errors(errors or {}, values),
        texts=form_texts(values),
        language_field=text_field,
        language_choices=[(code, gettext(label)) for code, label in LANGUAGE_LABELS.items()],
        title_labels=TITLE_LABELS,
        description_labels=DESCRIPTION_LABELS,
        conflict=conflict,
        warnings=warnings,
        accepted=accepted or [],
        copied_from=copied_from,
        proposed_zone=proposed if values.get("timezone") == proposed else "",
        zones_by_country=zones_by_country(),
        shown=shown_times(values),
        date_in_words=date_in_words,
        organisations=directory.list_organisations(session),
        people=directory.list_people(session),
        org_rows=org_rows,
        person_rows=person_rows,
    )
    return page, status


def more_rows(form: MultiDict[str, str]) -> int:
    """How many empty rows the form shows after "Add rows": the ones it had, and ``ADDED_ROWS`` more."""
    empty_orgs = sum(1 for name in form.getlist("org_name[]")[:MAX_LINKS] if not name.strip())
    empty_people = sum(1 for name in form.getlist("person_name[]")[:MAX_LINKS] if not name.strip())
    return max(empty_orgs, empty_people, BLANK_ORGANISATION_ROWS) + ADDED_ROWS
