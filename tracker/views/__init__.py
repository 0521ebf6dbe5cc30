"""Blueprints. A request goes: view (parse input) → service (tracker.services) → model → template."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from tracker.views import (
        account,
        admin,
        assets,
        calendar,
        directory,
        editor,
        event_actions,
        feeds,
        organisations,
        public,
        subscriptions,
    )

    modules = (public, calendar, organisations, account, editor, event_actions, directory, feeds, subscriptions)
    for module in (*modules, admin, assets):
        app.register_blueprint(module.bp)
