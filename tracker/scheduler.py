"""Runs the reminder tick with APScheduler 3.11. Filled in by the reminders work (issue 5).

``start_in_process`` is what ``tracker serve`` calls; until reminders exist there is nothing to schedule.
"""

from __future__ import annotations

from typing import Any

from flask import Flask


def start_in_process(app: Flask) -> Any | None:
    """Start the in-process scheduler for the embedded default; None while there is no job to run."""
    return None
