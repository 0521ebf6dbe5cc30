"""A finished message: headers that are each one clean line, then the MIME body, as bytes ready for SMTP."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, formataddr
from typing import Any

from tracker.i18n import current_language
from tracker.mail.headers import MailError, checked_address, clean_header, header, shared_header
from tracker.mail.mime import encode_body
from tracker.mail.rendering import render_bodies
from tracker.mail.settings import MailSettings

_MESSAGE_ID = re.compile(r"<[A-Za-z0-9.\-_]+@[A-Za-z0-9.\-]+>")


@dataclass(frozen=True)
class OutgoingMail:
    """A finished message: its bytes (CRLF line ends, ready for SMTP) and the one envelope recipient."""

    recipient: str
    data: bytes
    message_id: str

    def __bytes__(self) -> bytes:
        return self.data


def _unsubscribe_headers(unsubscribe_url: str) -> list[str]:
    """RFC 8058 one-click unsubscribe: the link must be absolute and hold nothing that ends the ``<…>``."""
    url = clean_header(unsubscribe_url, 2000)
    if not url.startswith(("https://", "http://")) or any(char in url for char in "<> ,"):
        raise MailError("the unsubscribe link must be an absolute URL without spaces")
    return [header("List-Unsubscribe", f"<{url}>"), "List-Unsubscribe-Post: List-Unsubscribe=One-Click"]


def build_message(
    settings: MailSettings,
    *,
    to: str,
    subject: str,
    template: str,
    context: Mapping[str, Any],
    message_id: str,
    date: datetime,
    unsubscribe_url: str | None = None,
    ics: bytes | None = None,
    bodies: tuple[str, str] | None = None,
    encoded_body: tuple[str, bytes] | None = None,
) -> OutgoingMail:
    """A multipart message (text + HTML, optional ``.ics``) whose every header value is one clean line.

    Written directly as MIME bytes: the standard library's ``EmailMessage`` spends about 4 ms per message
    parsing its own headers back, which would make sending several times slower than the SMTP round trip.
    ``encoded_body`` (from ``encode_body`` or ``SharedBody.personal``) skips rendering and encoding.
    ``Content-Language`` is the current language (the composer sets the subscriber's, ``i18n.use_language``).
    """
    recipient = checked_address(to)
    if not _MESSAGE_ID.fullmatch(message_id):
        raise MailError(f"malformed Message-ID {message_id!r}")
    headers = [
        shared_header("From", formataddr((settings.calendar_name, settings.mail_from))),
        header("To", recipient),
        shared_header("Subject", clean_header(subject)),
        shared_header("Date", format_datetime(date.astimezone(UTC))),
        header("Message-ID", message_id),
        "Auto-Submitted: auto-generated",
        f"Content-Language: {current_language()}",
        "MIME-Version: 1.0",
    ]
    if unsubscribe_url:
        headers += _unsubscribe_headers(unsubscribe_url)
    if encoded_body is None:
        text, html = bodies if bodies is not None else render_bodies(template, context)
        encoded_body = encode_body(text, html, ics)
    content_type, body = encoded_body
    headers.append(f"Content-Type: {content_type}")
    data = ("\r\n".join(headers) + "\r\n\r\n").encode("ascii") + body
    return OutgoingMail(recipient=recipient, data=data, message_id=message_id)
