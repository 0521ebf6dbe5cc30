"""Conference Tracker: ministerial conferences, official visits and meetings, as pages, feeds and reminders.

``create_app`` is the only place an app is built; nothing runs at import time and the reminder scheduler is
never started here (``tracker serve`` and ``tracker scheduler`` start it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

__all__ = ["create_app"]


def _template_folder() -> str:
    """templates/ sits beside tracker/ in a checkout and is installed as the package tracker.templates."""
    try:
        import tracker.templates as installed_templates

        return str(Path(next(iter(installed_templates.__path__))))
    except ImportError:  # running from a source tree that was never installed
        return str(Path(__file__).resolve().parent.parent / "templates")


def create_app(test_config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Flask:
    """Build the WSGI app: config → database → security → blueprints → error pages."""
    from tracker import auth, db, web
    from tracker.config import load_config
    from tracker.services.events import on_event_change
    from tracker.services.reminders.notices import replan_after_change

    environ = os.environ if environ is None else environ
    instance_path = environ.get("TRACKER_INSTANCE_PATH") or None
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        instance_relative_config=True,
        template_folder=_template_folder(),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    load_config(app.config, Path(app.instance_path), environ, test_config)

    on_event_change(replan_after_change)  # every save re-plans reminders and queues notices in its transaction
    db.init_app(app)
    auth.init_app(app)
    web.init_app(app)
    return app
