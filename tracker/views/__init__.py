"""Blueprints. A request goes: view (parse input) → service (tracker.services) → model → template."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from tracker.views import (
        account,
        admin,
        api,
        assets,
        calendar,
        directory,
        editor,
        embed,
        event_actions,
        exports,
        feeds,
        imports,
        organisations,
        press_releases,
        public,
        sources,
        subscriptions,
    )

    modules = (public, calendar, organisations, account, editor, event_actions, directory, feeds, subscriptions)
    for module in (*modules, press_releases, imports, sources, admin, assets, embed, exports, api):
        app.register_blueprint(module.bp)
