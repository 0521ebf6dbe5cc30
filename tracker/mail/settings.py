"""What mail is configured with: the sender and links (``MailSettings``) and the SMTP URL (``SmtpTarget``).

``TRACKER_SMTP_URL``: ``smtp://host:25`` is plain SMTP; ``smtp://host:587?starttls=1`` upgrades with STARTTLS
(and fails if the server cannot); ``smtps://host:465`` is implicit TLS. ``user:password@`` in the URL logs in
(percent-encode special characters). ``?timeout=SECONDS`` sets the socket timeout (default 30). Empty: mail is
written to ``instance/outbox/*.eml`` instead, so the embedded default works offline.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tracker.mail.headers import MailError, clean_header, sender_address

DEFAULT_SMTP_TIMEOUT = 30.0
MAX_SMTP_TIMEOUT = 600.0


@dataclass(frozen=True)
class MailSettings:
    """What building and sending mail needs, taken from the app's config once (services never read Flask)."""

    mail_from: str
    base_url: str
    secret_key: str
    calendar_name: str
    smtp_url: str = ""
    outbox_dir: Path | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any], instance_path: str | Path) -> MailSettings:
        return cls(
            mail_from=sender_address(str(config["MAIL_FROM"])),
            base_url=str(config["BASE_URL"]).rstrip("/"),
            secret_key=str(config["SECRET_KEY"]),
            calendar_name=clean_header(str(config.get("CALENDAR_NAME") or "Conference Tracker"), 100),
            smtp_url=str(config.get("SMTP_URL") or ""),
            outbox_dir=Path(instance_path) / "outbox",
        )

    @property
    def domain(self) -> str:
        return self.mail_from.rsplit("@", 1)[1]

    def link(self, path: str) -> str:
        return self.base_url + path

    def message_id(self, key: str) -> str:
        """A Message-ID that depends only on ``key`` (e.g. the outbox row's unique key): a resend repeats it."""
        digest = hmac.new(self.secret_key.encode(), f"message-id:{key}".encode(), hashlib.sha256).hexdigest()
        return f"<{digest[:32]}@{self.domain}>"


@dataclass(frozen=True)
class SmtpTarget:
    """A parsed ``TRACKER_SMTP_URL``; the config check and the transport use this one parser."""

    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None
    starttls: bool
    timeout: float

    @classmethod
    def parse(cls, url: str) -> SmtpTarget:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise MailError("expected smtp://host:port or smtps://host:port (user:password@ optional)")
        query = parse_qs(parts.query)
        starttls = query.get("starttls", ["0"])[-1].lower() in {"1", "true", "yes", "on"}
        try:
            timeout = float(query.get("timeout", [DEFAULT_SMTP_TIMEOUT])[-1])
        except ValueError:
            timeout = math.nan
        if not 0 < timeout <= MAX_SMTP_TIMEOUT:  # also refuses nan and inf
            raise MailError(f"?timeout= must be a number of seconds above 0 and at most {MAX_SMTP_TIMEOUT:g}")
        try:
            parts.port  # noqa: B018 - raises ValueError on a non-numeric port
        except ValueError:
            raise MailError("the port must be a number") from None
        return cls(
            scheme=parts.scheme,
            host=parts.hostname,
            port=parts.port or (465 if parts.scheme == "smtps" else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            starttls=starttls,
            timeout=timeout,
        )
