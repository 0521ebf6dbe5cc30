"""Editors' pages for the directory of organisations and people."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.auth import login_required
from tracker.db import get_session
from tracker.models import Organisation, Person, utcnow
from tracker.services import directory
from tracker.validation import InputError, OrganisationInput, PersonInput

bp = Blueprint("directory", __name__, url_prefix="/edit")


def _get_or_404(model: Any, item_id: int) -> Any:
    item = get_session().get(model, item_id)
    if item is None:
        abort(404)
    return item


@bp.route("/organisations", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@login_required
def organisations(organisation_id: int | None = None) -> Response | tuple[str, int]:
    session = get_session()
    organisation = _get_or_404(Organisation, organisation_id) if organisation_id else None
    values: dict[str, Any] = {}
    if organisation is not None:
        values = {key: getattr(organisation, key) or "" for key in ("name", "acronym", "kind", "country", "website")}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            saved = directory.save_organisation(session, organisation, OrganisationInput.from_form(values), utcnow())
        except InputError as error:
            session.rollback()
            errors, status = error.errors, 400
        else:
            session.commit()
            flash(f"Saved “{saved.name}”.", "success")
            return redirect(url_for("directory.organisations"))
    return render_template(
        "organisations.html",
        organisations=directory.list_organisations(session),
        organisation=organisation,
        values=values,
        errors=errors,
    ), status


@bp.route("/people", methods=["GET", "POST"])
@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@login_required
def people(person_id: int | None = None) -> Response | tuple[str, int]:
    session = get_session()
    person = _get_or_404(Person, person_id) if person_id else None
    values: dict[str, Any] = {}
    if person is not None:
        values = {
            "name": person.name,
            "position": person.position,
            "organisation": person.organisation.name if person.organisation else "",
        }
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            saved = directory.save_person(session, person, PersonInput.from_form(values), utcnow())
        except InputError as error:
            session.rollback()
            errors, status = error.errors, 400
        else:
            session.commit()
            flash(f"Saved “{saved.name}”.", "success")
            return redirect(url_for("directory.people"))
    return render_template(
        "people.html",
        people=directory.list_people(session),
        person=person,
        values=values,
        errors=errors,
        organisations=directory.list_organisations(session),
    ), status
