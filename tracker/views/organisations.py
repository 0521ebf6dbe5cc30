"""The public directory: ``/organisations`` (who has events) and ``/organisations/<slug>`` (one organisation's
events by role, with its feed and a reminder form for its events).

Anonymous readers learn of an organisation only through a live public event (``tracker.visibility``); the page
of one used only by internal events is the same 404 as a slug that does not exist. Editors see every entry.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from tracker.filters import parse_filter
from tracker.models import utcnow
from tracker.services import organisation_pages
from tracker.visibility import PUBLIC
from tracker.web.auth import current_user
from tracker.web.page_filter import viewer_filter
from tracker.web.sessions import get_session

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.get("")
def index() -> str:
    """Organisations with events the reader may see, with how many are upcoming and in all."""
    session = get_session()
    include_internal = current_user() is not None
    entries = organisation_pages.directory(session, utcnow(), include_internal=include_internal)
    return render_template("organisations_index.html", entries=entries, event_filter=viewer_filter(session))


@bp.get("/<slug>")
def page(slug: str) -> str:
    """One organisation: its details, upcoming and past events by role, its feed and reminders."""
    session = get_session()
    include_internal = current_user() is not None
    organisation = organisation_pages.by_slug(session, slug, include_internal=include_internal)
    if organisation is None:
        abort(404)
    zone = viewer_filter(session).tz
    events = organisation_pages.events_of(session, organisation.id, utcnow(), include_internal=include_internal)  # type: ignore[arg-type]
    # The feed and the reminders are public: offered only when the public knows of the organisation too.
    public = not include_internal or organisation_pages.by_slug(session, slug, include_internal=PUBLIC) is not None
    org_filter = parse_filter({"org": str(organisation.id), "tz": zone}, session, include_internal=include_internal)
    return render_template(
        "organisation_page.html",
        organisation=organisation,
        events=events,
        event_filter=org_filter,
        viewer_zone=zone or None,
        offer_feed=public,
        remind_what=organisation.label,
    )
