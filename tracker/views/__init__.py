"""Blueprints. A request goes: view (parse input) → service (tracker.services) → model → template."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from tracker.views import (
        account,
        admin,
        calendar,
        directory,
        editor,
        event_actions,
        feeds,
        organisations,
        public,
        subscriptions,
    )

    for module in (
        public,
        calendar,
        organisations,
        account,
        editor,
        event_actions,
        directory,
        feeds,
        subscriptions,
        admin,
    ):
        app.register_blueprint(module.bp)
