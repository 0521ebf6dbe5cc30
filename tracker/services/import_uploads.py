"""Files uploaded for an import, kept between the preview and the editor's "Import" (or "Cancel").

The preview must show exactly what the import will do, and nothing may be stored if the editor cancels; the
file therefore waits in ``instance/imports/`` under a random token bound to the editor who uploaded it, and is
read again when the editor confirms. Cancelling deletes it; files left behind are swept after a day.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _folder(instance_path: str) -> Path:
    folder = Path(instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(instance_path: str, user_id: int, token: str) -> Path | None:
    """The file of ``token`` for this user, or None for a token that is not ours (no path from outside)."""
    if not _TOKEN.match(token):
        return None
    return _folder(instance_path) / f"{int(user_id)}-{token}.ics"


def sweep(instance_path: str, now: float | None = None) -> int:
    """Delete uploads older than ``KEEP_SECONDS``; returns how many."""
    limit = (time.time() if now is None else now) - KEEP_SECONDS
    removed = 0
    for path in _folder(instance_path).glob("*.ics"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def keep_upload(instance_path: str, user_id: int, data: bytes) -> str:
    """Store ``data`` until the editor decides; returns its token."""
    sweep(instance_path)
    token = secrets.token_urlsafe(18)
    path = _path(instance_path, user_id, token)
    assert path is not None
    path.write_bytes(data)
    return token


def load_upload(instance_path: str, user_id: int, token: str) -> bytes | None:
    """The waiting file, or None when it is gone (cancelled, swept, another editor's, or a made-up token)."""
    path = _path(instance_path, user_id, token)
    if path is None or not path.is_file():
        return None
    return path.read_bytes()


def discard_upload(instance_path: str, user_id: int, token: str) -> None:
    path = _path(instance_path, user_id, token)
    if path is not None:
        path.unlink(missing_ok=True)
