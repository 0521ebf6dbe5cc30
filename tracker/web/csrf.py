"""The app's one CSRF protector: views that take forms without a token exempt themselves through it."""

from __future__ import annotations

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
