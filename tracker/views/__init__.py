"""Blueprints. A request goes: view (parse input) → service (tracker.services) → model → template."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from tracker.views import account, directory, editor, public

    for module in (public, account, editor, directory):
        app.register_blueprint(module.bp)
