"""Editors: paste a press release, check the drafted events against the highlighted text, save each with the form.

Nothing here stores anything. Each draft's card is the event form's fields (``tracker.views.editor_form``), posted
to the editor's create route, so a draft is saved by the one save path (validation, name questions, duplicate
warnings). "Update that event instead" posts the same card here: the existing event's edit form comes back with
the draft's values over it, and saving that form is the editor's edit route's work.
"""

from __future__ import annotations

from datetime import date

from babel.numbers import format_decimal
from flask import Blueprint, flash, render_template, request
from werkzeug.wrappers import Response

from tracker.event_form import date_in_words, shown_times
from tracker.i18n import N_, current_locale
from tracker.i18n import gettext as _
from tracker.services import directory, press_releases
from tracker.services import events as event_service
from tracker.views import editor
from tracker.views.editor_form import form_values, render_form
from tracker.web.auth import login_required
from tracker.web.sessions import get_session

bp = Blueprint("press_releases", __name__, url_prefix="/edit")

NO_EVENTS = N_("No schedulable event found in this text (statements, statistics and vague plans are not events).")


def _page(text: str = "", dateline: str = "", **context: object) -> str:
    context.setdefault("errors", {})
    context.setdefault("date_in_words", date_in_words)
    return render_template(
        "press_release.html",
        text=text,
        dateline=dateline,
        max_text=format_decimal(press_releases.MAX_TEXT, locale=current_locale()),
        **context,
    )


def _dateline(raw: str) -> tuple[date | None, str]:
    """The optional date of the release, or an error message."""
    if not raw.strip():
        return None, ""
    try:
        return date.fromisoformat(raw.strip()), ""
    except ValueError:
        return None, _("Enter the date of the release as YYYY-MM-DD, or leave it empty to read it from the text.")


@bp.route("/press-release", methods=["GET", "POST"])
@login_required
def paste() -> str | tuple[str, int]:
    if request.method == "GET":
        return _page()
    text, raw_dateline = request.form.get("text", ""), request.form.get("dateline", "")
    dateline, error = _dateline(raw_dateline)
    if error:
        return _page(text, raw_dateline, errors={"dateline": error}), 400
    session = get_session()
    known = directory.known_organisations(session)  # recognised in the text in every script and spelling
    # The login check opened a write transaction; end it, so no lock is held while the text is read.
    session.rollback()
    try:
        drafts = press_releases.review_drafts(session, text, dateline=dateline, known=known)
    except press_releases.PasteError as problem:
        session.rollback()
        return _page(text, raw_dateline, errors={"text": problem.message}), problem.status
    cards = []
    for draft in drafts:
        values = form_values(press_releases.form_data(draft))
        cards.append((draft, values, shown_times(values)))
    page = _page(
        text,
        raw_dateline,
        drafts=cards,
        pieces=press_releases.highlighted(text, drafts),
        no_events=_(NO_EVENTS),
        organisations=directory.list_organisations(session) if drafts else [],
        people=directory.list_people(session) if drafts else [],
    )
    session.rollback()  # nothing is stored by reading a release
    return page


@bp.route("/press-release/update/<int:event_id>", methods=["POST"])
@login_required
def update_existing(event_id: int) -> Response | tuple[str, int]:
    """The existing event's edit form with a draft's values over it; nothing is saved until that form is.

    That form posts back here (it carries the event's revision): the editor's edit route saves it, as it would.
    """
    if "revision" in request.form:
        return editor.edit_event(event_id)
    event = editor.load_or_404(event_id)
    values = press_releases.merge_values(event_service.event_input_from(event), form_values(request.form))
    values["revision"] = event.revision
    flash(
        _("The press release's values are filled in over this event: check them, then save. Nothing is saved yet."),
        "info",
    )
    return render_form(values, event=event)
