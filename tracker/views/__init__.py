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
        press_releases,
        public,
        subscriptions,
    )

    modules = (public, calendar, organisations, account, editor, event_actions, directory, feeds, subscriptions)
    for module in (*modules, press_releases, admin, assets):
        app.register_blueprint(module.bp)
