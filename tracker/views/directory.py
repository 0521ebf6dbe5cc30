"""Editors' pages for the directory of organisations and people: one page shape, two kinds of entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlmodel import Session
from werkzeug.wrappers import Response

from tracker.models import Organisation, Person, utcnow
from tracker.services import directory
from tracker.validation import FormModel, InputError, OrganisationInput, PersonInput
from tracker.web.auth import login_required
from tracker.web.sessions import get_session

bp = Blueprint("directory", __name__, url_prefix="/edit")


@dataclass(frozen=True)
class DirectoryPage:
    """What differs between the organisations page and the people page."""

    model: type[Organisation] | type[Person]
    form: type[FormModel]
    save: Callable[..., Any]  # (session, entry or None, validated form, now) -> the saved entry
    template: str
    endpoint: str
    #: Name of the template variable holding the entry being edited.
    entry_name: str
    #: The form values showing a stored entry.
    values_of: Callable[[Any], dict[str, str]]
    #: Lists the template shows beside the form.
    lists: Callable[[Session], dict[str, Any]]

    def render(self, entry_id: int | None) -> Response | tuple[str, int]:
        """GET shows the list and the form (filled when editing); POST saves, or shows the form's errors."""
        session = get_session()
        entry = session.get(self.model, entry_id) if entry_id else None
        if entry_id and entry is None:
            abort(404)
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
                flash(f"Saved “{saved.name}”.", "success")
                return redirect(url_for(self.endpoint))
        elif entry is not None:
            values = self.values_of(entry)
        context = {self.entry_name: entry, "values": values, "errors": errors, **self.lists(session)}
        return render_template(self.template, **context), 400 if errors else 200


ORGANISATIONS = DirectoryPage(
    model=Organisation,
    form=OrganisationInput,
    save=directory.save_organisation,
    template="organisations.html",
    endpoint="directory.organisations",
    entry_name="organisation",
    values_of=lambda org: {key: getattr(org, key) or "" for key in ("name", "acronym", "kind", "country", "website")},
    lists=lambda session: {"organisations": directory.list_organisations(session)},
)
PEOPLE = DirectoryPage(
    model=Person,
    form=PersonInput,
    save=directory.save_person,
    template="people.html",
    endpoint="directory.people",
    entry_name="person",
    values_of=lambda person: {
        "name": person.name,
        "position": person.position,
        "organisation": person.organisation.name if person.organisation else "",
    },
    lists=lambda session: {
        "people": directory.list_people(session),
        "organisations": directory.list_organisations(session),
    },
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
