"""Where the app's own files are: one rule for the web app and the mail code (pure: imports nothing of tracker)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def template_folder() -> Path:
    """``templates/`` sits beside ``tracker/`` in a checkout and is installed inside it as ``tracker/templates``.

    Decided from the files, not by importing ``tracker.templates``: an editable install's import hook maps that
    name to the checkout it was installed from, which need not be the tree this code runs from.
    """
    installed = PACKAGE_DIR / "templates"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "templates"
