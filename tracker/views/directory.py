"""Editors' pages for the directory of organisations and people: one page shape, two kinds of entry.

Each kind has its list and form (with aliases), a merge ("Merge into…", a confirmation page listing what moves,
then POST), a delete offered only while nothing uses the entry (confirmation, then POST), and the JSON
suggestions the event form's name fields ask for while the editor types (``static/suggest.js``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from sqlmodel import Session
from werkzeug.wrappers import Response

from tracker.i18n import gettext as _
from tracker.i18n import ngettext
from tracker.models import Organisation, Person, utcnow
from tracker.organisation_form import OrganisationForm, names_values
from tracker.parsing import optional_id
from tracker.services import directory, merging
from tracker.validation import SHORT_MAX, FormModel, InputError, PersonInput
from tracker.web.auth import current_user, login_required
from tracker.web.sessions import get_session

bp = Blueprint("directory", __name__, url_prefix="/edit")

#: Close matches the "Merge into…" choice lists first.
MERGE_FIRST = 5


@dataclass(frozen=True)
class DirectoryPage:
    """What differs between the organisations page and the people page."""

    model: type[Organisation] | type[Person]
    form: type[FormModel]
    save: Callable[..., Any]  # (session, entry or None, validated form, now) -> the saved entry
    template: str
    endpoint: str
    #: Name of the template variable holding the entry being edited, and the word for one entry.
    entry_name: str
    what: str
    #: The form values showing a stored entry.
    values_of: Callable[[Any], dict[str, str]]
    #: Lists the template shows beside the form; ``list_name`` is the one of this kind's entries.
    lists: Callable[[Session], dict[str, Any]]
    list_name: str
    close: Callable[..., list[Any]]  # directory.close_organisations or close_people
    plan_merge: Callable[[Session, int, int], merging.MergePlan]
    merge: Callable[..., merging.MergePlan]  # (session, loser id, survivor id, user, now)
    delete: Callable[[Session, int], Any]
    #: Why the entry cannot be deleted ("3 events use it"), or "" when nothing uses it.
    in_use: Callable[[Session, int], str]

    def entry_or_404(self, entry_id: int) -> Any:
        entry = get_session().get(self.model, entry_id)
        if entry is None:
            abort(404)
        return entry

    def render(self, entry_id: int | None) -> Response | tuple[str, int]:
        """GET shows the list and the form (filled when editing); POST saves, or shows the form's errors."""
        session = get_session()
        entry = self.entry_or_404(entry_id) if entry_id else None
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        if request.method == "POST":
            values = request.form.to_dict()
            try:
                saved = self.save(session, entry, self.form.from_form(values), utcnow())
            except InputError as error:
                session.rollback()
                errors = error.errors
            else:
                session.commit()
                flash(_("Saved “%(name)s”.", name=saved.name), "success")
                return redirect(url_for(self.endpoint))
        elif entry is not None:
            values = self.values_of(entry)
        context = {self.entry_name: entry, "values": values, "errors": errors, **self.lists(session)}
        if entry is not None:
            context.update(self._entry_actions(session, entry, context[self.list_name]))
        return render_template(self.template, **context), 400 if errors else 200

    def _entry_actions(self, session: Session, entry: Any, everyone: list[Any]) -> dict[str, Any]:
        """What the edit page offers besides the form: merge targets (close matches first) and delete."""
        close = self.close(session, entry.name, limit=MERGE_FIRST, exclude_ids=[entry.id])
        listed = {other.id for other in close} | {entry.id}
        return {
            "merge_close": close,
            "merge_others": [other for other in everyone if other.id not in listed],
            "in_use": self.in_use(session, entry.id),
        }

    def merge_page(self, entry_id: int) -> Response | tuple[str, int]:
        """GET: what merging into ``into`` would move; POST: merge, then show the survivor."""
        session = get_session()
        loser = self.entry_or_404(entry_id)
        survivor_id = optional_id((request.form if request.method == "POST" else request.args).get("into", ""))
        if survivor_id is None:
            flash(self._choose_message(loser.name), "error")
            return redirect(url_for(self.endpoint, **{f"{self.what}_id": entry_id}))
        try:
            if request.method == "GET":
                plan = self.plan_merge(session, entry_id, survivor_id)
                return render_template("directory_merge.html", plan=plan, page=self), 200
            plan = self.merge(session, entry_id, survivor_id, current_user(), utcnow())
        except LookupError:
            abort(404)
        except merging.DirectoryError as error:
            session.rollback()
            flash(error.message, "error")
            return redirect(url_for(self.endpoint, **{f"{self.what}_id": entry_id}))
        session.commit()
        merged = ngettext(
            "Merged “%(loser)s” into “%(survivor)s”: %(num)d event moved.",
            "Merged “%(loser)s” into “%(survivor)s”: %(num)d events moved.",
            len(plan.events), loser=plan.loser.name, survivor=plan.survivor.name,
        )  # fmt: skip
        flash(merged, "success")
        return redirect(url_for(self.endpoint, **{f"{self.what}_id": survivor_id}))

    def delete_page(self, entry_id: int) -> Response | tuple[str, int]:
        """GET: ask to confirm (or say what uses the entry); POST: delete it."""
        session = get_session()
        entry = self.entry_or_404(entry_id)
        if request.method == "GET":
            in_use = self.in_use(session, entry_id)
            return render_template("directory_delete.html", entry=entry, in_use=in_use, page=self), 200
        try:
            self.delete(session, entry_id)
        except merging.DirectoryError as error:
            session.rollback()
            flash(error.message, "error")
            return redirect(url_for(self.endpoint, **{f"{self.what}_id": entry_id}))
        session.commit()
        flash(_("Deleted “%(name)s”.", name=entry.name), "success")
        return redirect(url_for(self.endpoint))

    def _choose_message(self, name: str) -> str:
        if self.what == "organisation":
            return _("Choose the organisation to merge “%(name)s” into.", name=name)
        return _("Choose the person to merge “%(name)s” into.", name=name)


def _organisation_in_use(session: Session, organisation_id: int) -> str:
    events, people = merging.organisation_usage(session, organisation_id)
    if events and people:
        return _(
            "Used by %(events)s and %(people)s.",
            events=ngettext("%(num)d event", "%(num)d events", events),
            people=ngettext("%(num)d person", "%(num)d people", people),
        )
    if events:
        return ngettext("Used by %(num)d event.", "Used by %(num)d events.", events)
    return ngettext("Used by %(num)d person.", "Used by %(num)d people.", people) if people else ""


def _person_in_use(session: Session, person_id: int) -> str:
    events = merging.person_usage(session, person_id)
    return ngettext("Takes part in %(num)d event.", "Takes part in %(num)d events.", events) if events else ""


def _aliases_text(entry: Any) -> str:
    return "\n".join(alias.name for alias in sorted(entry.aliases, key=lambda alias: alias.id))


ORGANISATIONS = DirectoryPage(
    model=Organisation,
    form=OrganisationForm,
    save=directory.save_organisation,
    template="organisations.html",
    endpoint="directory.organisations",
    entry_name="organisation",
    what="organisation",
    values_of=lambda org: {
        **{key: getattr(org, key) or "" for key in ("name", "acronym", "kind", "country", "website")},
        "aliases": _aliases_text(org),
        **names_values(org.translations),
    },
    lists=lambda session: {"organisations": directory.list_organisations(session)},
    list_name="organisations",
    close=directory.close_organisations,
    plan_merge=merging.plan_organisation_merge,
    merge=merging.merge_organisations,
    delete=merging.delete_organisation,
    in_use=_organisation_in_use,
)
PEOPLE = DirectoryPage(
    model=Person,
    form=PersonInput,
    save=directory.save_person,
    template="people.html",
    endpoint="directory.people",
    entry_name="person",
    what="person",
    values_of=lambda person: {
        "name": person.name,
        "position": person.position,
        "organisation": person.organisation.name if person.organisation else "",
        "aliases": _aliases_text(person),
    },
    lists=lambda session: {
        "people": directory.list_people(session),
        "organisations": directory.list_organisations(session),
    },
    list_name="people",
    close=directory.close_people,
    plan_merge=merging.plan_person_merge,
    merge=merging.merge_people,
    delete=merging.delete_person,
    in_use=_person_in_use,
)


@bp.route("/organisations", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@login_required
def organisations(organisation_id: int | None = None) -> Response | tuple[str, int]:
    return ORGANISATIONS.render(organisation_id)


@bp.route("/people", methods=["GET", "POST"])
@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@login_required
def people(person_id: int | None = None) -> Response | tuple[str, int]:
    return PEOPLE.render(person_id)


@bp.route("/organisations/<int:organisation_id>/merge", methods=["GET", "POST"])
@login_required
def merge_organisation(organisation_id: int) -> Response | tuple[str, int]:
    return ORGANISATIONS.merge_page(organisation_id)


@bp.route("/people/<int:person_id>/merge", methods=["GET", "POST"])
@login_required
def merge_person(person_id: int) -> Response | tuple[str, int]:
    return PEOPLE.merge_page(person_id)


@bp.route("/organisations/<int:organisation_id>/delete", methods=["GET", "POST"])
@login_required
def delete_organisation(organisation_id: int) -> Response | tuple[str, int]:
    return ORGANISATIONS.delete_page(organisation_id)


@bp.route("/people/<int:person_id>/delete", methods=["GET", "POST"])
@login_required
def delete_person(person_id: int) -> Response | tuple[str, int]:
    return PEOPLE.delete_page(person_id)


def _suggestions(find: Callable[[Session, str], list[dict[str, Any]]]) -> Response | tuple[Response, int]:
    """``{"suggestions": [...]}`` for ``q`` (at most ``SHORT_MAX`` characters), best first; never cached."""
    typed = request.args.get("q", "")
    if len(typed) > SHORT_MAX:
        return jsonify(error=_("The name may have at most %(num)d characters.", num=SHORT_MAX)), 400
    response = jsonify(suggestions=find(get_session(), typed) if typed.strip() else [])
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/suggest/organisations")
@login_required
def suggest_organisations() -> Response | tuple[Response, int]:
    return _suggestions(directory.organisation_suggestions)


@bp.get("/suggest/people")
@login_required
def suggest_people() -> Response | tuple[Response, int]:
    return _suggestions(directory.person_suggestions)
