"""Conference Tracker: ministerial conferences, official visits and meetings, as pages, feeds and reminders.

``create_app`` is the only place an app is built; nothing runs at import time and the reminder scheduler is
never started here (``tracker serve`` and ``tracker scheduler`` start it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app"]


def create_app(test_config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Flask:
    """Build the WSGI app: config → database → security → blueprints → error pages.

    Flask is imported here, not at the top, so that ``import tracker.<anything>`` outside the web layer (services,
    scheduler jobs, pure helpers, their tests) never loads it.
    """
    from flask import Flask

    from tracker.config import load_config
    from tracker.resources import template_folder
    from tracker.services.events import on_event_change
    from tracker.services.reminders.notices import replan_after_change
    from tracker.views import register_blueprints
    from tracker.web import auth, language, sessions, wiring

    environ = os.environ if environ is None else environ
    instance_path = environ.get("TRACKER_INSTANCE_PATH") or None
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        instance_relative_config=True,
        template_folder=template_folder(),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    load_config(app.config, Path(app.instance_path), environ, test_config)

    on_event_change(replan_after_change)  # every save re-plans reminders and queues notices in its transaction
    sessions.init_app(app)
    language.init_app(app)  # before the login check, so that its answers are in the reader's language too
    auth.init_app(app)
    wiring.init_app(app)
    register_blueprints(app)
    return app
