"""Files browsers ask for at fixed addresses outside ``/static/``: ``/favicon.ico``.

Browsers fetch ``/favicon.ico`` on every site whatever the page links to; answering it (instead of a 404 on
every first visit) with a long cache lifetime means it is asked for about once per browser.
"""

from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory
from werkzeug.wrappers import Response

bp = Blueprint("assets", __name__)

#: A year: the icon rarely changes, and a stale one harms nobody.
ICON_MAX_AGE = 365 * 24 * 3600


@bp.get("/favicon.ico")
def favicon() -> Response:
    response = send_from_directory(
        str(current_app.static_folder), "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=ICON_MAX_AGE
    )
    response.cache_control.public = True
    return response
