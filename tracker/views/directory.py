"""Editors' pages for the directory of organisations and people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.models import Organisation, Person, utcnow
from tracker.services import directory
from tracker.validation import InputError, OrganisationInput, PersonInput
from tracker.web.auth import login_required
from tracker.web.sessions import get_session

bp = Blueprint("directory", __name__, url_prefix="/edit")


def _get_or_404(model: Any, item_id: int) -> Any:
    item = get_session().get(model, item_id)
    if item is None:
        abort(404)
    return item


def _save_on_post(save: Callable[[dict[str, str]], Any], list_endpoint: str) -> tuple[Response | None, dict, dict]:
    """On POST, validate and save the form: a redirect when saved, else the typed values and field errors."""
    if request.method != "POST":
        return None, {}, {}
    values = request.form.to_dict()
    session = get_session()
    try:
        saved = save(values)
    except InputError as error:
        session.rollback()
        return None, values, error.errors
    session.commit()
    flash(f"Saved “{saved.name}”.", "success")
    return redirect(url_for(list_endpoint)), values, {}


@bp.route("/organisations", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@login_required
def organisations(organisation_id: int | None = None) -> Response | tuple[str, int]:
    session = get_session()
    organisation = _get_or_404(Organisation, organisation_id) if organisation_id else None
    redirect_to, values, errors = _save_on_post(
        lambda form: directory.save_organisation(session, organisation, OrganisationInput.from_form(form), utcnow()),
        "directory.organisations",
    )
    if redirect_to is not None:
        return redirect_to
    if request.method == "GET" and organisation is not None:
        values = {key: getattr(organisation, key) or "" for key in ("name", "acronym", "kind", "country", "website")}
    page = render_template(
        "organisations.html",
        organisations=directory.list_organisations(session),
        organisation=organisation,
        values=values,
        errors=errors,
    )
    return page, 400 if errors else 200


@bp.route("/people", methods=["GET", "POST"])
@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@login_required
def people(person_id: int | None = None) -> Response | tuple[str, int]:
    session = get_session()
    person = _get_or_404(Person, person_id) if person_id else None
    redirect_to, values, errors = _save_on_post(
        lambda form: directory.save_person(session, person, PersonInput.from_form(form), utcnow()),
        "directory.people",
    )
    if redirect_to is not None:
        return redirect_to
    if request.method == "GET" and person is not None:
        organisation = person.organisation.name if person.organisation else ""
        values = {"name": person.name, "position": person.position, "organisation": organisation}
    page = render_template(
        "people.html",
        people=directory.list_people(session),
        person=person,
        values=values,
        errors=errors,
        organisations=directory.list_organisations(session),
    )
    return page, 400 if errors else 200
