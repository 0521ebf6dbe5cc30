"""E-mail: messages built from ``templates/email/*.txt`` + ``*.html`` with the event's ``.ics``, and their transport.

Header safety: this Python (3.11.7) has CVE-2024-6923 — the e-mail generator does not quote line breaks inside
encoded words, so a title such as ``"=?utf-8?q?x?=\\r\\nBcc: …"`` could add a header. Every header value is
therefore stripped of CR, LF and the other Unicode line separators here, addresses are validated with the
app's own strict rule, and recipients are always passed to ``send_message`` explicitly.

Transport: ``TRACKER_SMTP_URL``

- ``smtp://host:25`` — plain SMTP; ``smtp://host:587?starttls=1`` upgrades with STARTTLS (and fails if the
  server cannot); ``smtps://host:465`` is implicit TLS. ``user:password@`` in the URL logs in (percent-encode
  special characters). ``?timeout=SECONDS`` sets the socket timeout (default 30).
- empty: each mail is written to ``instance/outbox/*.eml`` and logged, so the embedded default works offline.

One connection is opened per batch and reused. Each send returns an outcome: ``sent``, ``retry`` (4xx,
timeouts, dropped connections), ``refused`` (5xx for the recipient: the caller suppresses the address) or
``failed`` (another permanent 5xx).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import logging
import math
import re
import secrets
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, formataddr
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tracker import formatting
from tracker.countries import country_name
from tracker.text import CONTROL
from tracker.validation import normalise_email

log = logging.getLogger(__name__)

DEFAULT_SMTP_TIMEOUT = 30.0
MAX_SMTP_TIMEOUT = 600.0
SUBJECT_MAX = 200
#: Line breaks Python's e-mail code (or a mail client) may honour: CR, LF, VT, FF, NEL, LS, PS, plus controls.
_SENDER = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")
_HEADER_UNSAFE = CONTROL
_MESSAGE_ID = re.compile(r"<[A-Za-z0-9.\-_]+@[A-Za-z0-9.\-]+>")


class MailError(ValueError):
    """A message could not be built (e.g. an invalid address); the message says why."""


# --------------------------------------------------------------------------------------------------- headers


def clean_header(value: str, maximum: int = SUBJECT_MAX) -> str:
    """One line of text for a header: line breaks and controls become spaces, white space collapses."""
    cleaned = " ".join(_HEADER_UNSAFE.sub(" ", str(value)).split())
    if len(cleaned) > maximum:
        cleaned = cleaned[: maximum - 1].rstrip() + "…"
    return cleaned


def checked_address(value: str) -> str:
    """A bare, valid ``local@domain``; ``MailError`` otherwise (never a display name, never two addresses)."""
    if _HEADER_UNSAFE.search(value):
        raise MailError("an e-mail address may not contain line breaks or control characters")
    if "=?" in value:  # would read as an RFC 2047 encoded word in a header
        raise MailError("an e-mail address may not contain '=?'")
    try:
        return normalise_email(value)
    except ValueError as exc:
        raise MailError(str(exc)) from None


def sender_address(value: str) -> str:
    """The configured sender: like ``checked_address`` but a single-label domain (``tracker@localhost``) is fine."""
    candidate = value.strip()
    if _SENDER.fullmatch(candidate):
        return candidate.lower()
    raise MailError(f"MAIL_FROM {value[:60]!r} is not a plain e-mail address")


# -------------------------------------------------------------------------------------------------- settings


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


# ------------------------------------------------------------------------------------------------- templates


@lru_cache(maxsize=4)
def _environment(template_folder: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(template_folder),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        when=formatting.event_when,
        date_range=formatting.format_date_range,
        place=formatting.event_place,
        country=country_name,
        kind_label=formatting.kind_label,
        status_label=formatting.status_label,
    )
    return env


def template_environment() -> Environment:
    from tracker import _template_folder

    return _environment(_template_folder())


def render_bodies(name: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """The plain-text and HTML bodies of ``email/<name>.txt`` and ``email/<name>.html``."""
    env = template_environment()
    text = env.get_template(f"email/{name}.txt").render(context)
    html = env.get_template(f"email/{name}.html").render(context)
    return text, html


# -------------------------------------------------------------------------------------------------- messages


@dataclass(frozen=True)
class OutgoingMail:
    """A finished message: its bytes (CRLF line ends, ready for SMTP) and the one envelope recipient."""

    recipient: str
    data: bytes
    message_id: str

    def __bytes__(self) -> bytes:
        return self.data


def _fold_ascii(name: str, value: str) -> str:
    """``Name: value`` folded at spaces to lines of at most 78 characters where possible."""
    line, lines = f"{name}:", []
    for word in value.split(" "):
        if len(line) + 1 + len(word) > 78 and line.strip() and line != f"{name}:":
            lines.append(line)
            line = ""
        line += " " + word
    lines.append(line)
    return "\r\n".join(lines)


def _encoded_words(value: str, limit: int = 45) -> list[str]:
    """RFC 2047 ``=?utf-8?b?…?=`` words of at most ``limit`` bytes each, never splitting a character."""
    words, chunk = [], b""
    for char in value:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > limit:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    words.append(chunk)
    return [f"=?utf-8?b?{base64.b64encode(word).decode()}?=" for word in words]


def _header(name: str, value: str) -> str:
    """One header from an already cleaned value; non-ASCII text becomes RFC 2047 encoded words."""
    if _HEADER_UNSAFE.search(value):  # clean_header ran before; this is the last line of defence
        raise MailError(f"the {name} header may not contain line breaks or control characters")
    if value.isascii():
        return _fold_ascii(name, value)
    return f"{name}: " + "\r\n ".join(_encoded_words(value))


#: The same From, Subject and Date recur across a batch: a pure function, so its results can be kept.
_shared_header = lru_cache(maxsize=1024)(_header)


def _text_part(content: str, subtype: str) -> bytes:
    normalised = content.replace("\r\n", "\n").replace("\r", "\n")
    body = binascii.b2a_qp(normalised.encode("utf-8"), istext=True).replace(b"\n", b"\r\n")
    head = f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
    return head.encode() + body + (b"" if body.endswith(b"\r\n") else b"\r\n")


def _base64_lines(data: bytes) -> bytes:
    encoded = base64.b64encode(data)
    return b"".join(encoded[start : start + 76] + b"\r\n" for start in range(0, len(encoded), 76))


@lru_cache(maxsize=256)
def _ics_part(ics: bytes) -> bytes:
    """The ``event.ics`` attachment part; the same event revision gives the same bytes, so it is made once."""
    head = (
        'Content-Type: text/calendar; charset="utf-8"; method=PUBLISH; name="event.ics"\r\n'
        'Content-Disposition: attachment; filename="event.ics"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    )
    return head.encode() + _base64_lines(ics)


def _multipart(subtype: str, parts: list[bytes]) -> tuple[str, bytes]:
    boundary = f"=_{secrets.token_hex(12)}"  # "=_" never occurs in quoted-printable or base64 bodies
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    body += b"--" + boundary.encode() + b"--\r\n"
    return f'multipart/{subtype}; boundary="{boundary}"', body


def encode_body(text: str, html: str, ics: bytes | None = None) -> tuple[str, bytes]:
    """The MIME body (text + HTML alternatives, optional ``.ics``) and its Content-Type header value."""
    content_type, body = _multipart("alternative", [_text_part(text, "plain"), _text_part(html, "html")])
    if ics is not None:
        inner = f"Content-Type: {content_type}\r\n\r\n".encode() + body
        content_type, body = _multipart("mixed", [inner, _ics_part(ics)])
    return content_type, body


#: Characters quoted-printable writes as themselves, one byte each (so swapping equal-length runs keeps lines).
_QP_LITERAL = re.compile(r"[A-Za-z0-9_-]+")
_SOFT_BREAK = b"=\r\n"


@dataclass(frozen=True)
class SharedBody:
    """A body many recipients share except for a personal token, encoded once with a stand-in for the token.

    Quoted-printable writes ``[A-Za-z0-9_-]`` as single literal bytes, so a token of the stand-in's length and
    alphabet lands where the stand-in did, soft line breaks included: filling the cut-up encoded bytes with
    the token gives exactly the bytes encoding the personal text would. Otherwise ``personal`` encodes afresh.
    """

    text: str
    html: str
    ics: bytes | None
    placeholder: str
    content_type: str
    #: The encoded body cut at each stand-in: static bytes, then (where soft breaks fall inside it), …
    pieces: tuple[bytes | tuple[int, ...], ...] | None

    @classmethod
    def encode(cls, text: str, html: str, ics: bytes | None, placeholder: str) -> SharedBody:
        if not _QP_LITERAL.fullmatch(placeholder):
            raise ValueError("the placeholder must consist of quoted-printable literal characters")
        content_type, data = encode_body(text, html, ics)
        stand_in = re.compile(b"(?:=\r\n)?".join(re.escape(bytes([byte])) for byte in placeholder.encode()))
        pieces: list[bytes | tuple[int, ...]] = []
        start = 0
        found = 0
        for match in stand_in.finditer(data):
            pieces.append(data[start : match.start()])
            plain = match.group().split(_SOFT_BREAK)  # where the encoder broke the line inside the stand-in
            pieces.append(tuple(len(part) for part in plain))
            start = match.end()
            found += 1
        pieces.append(data[start:])
        intact = found == text.count(placeholder) + html.count(placeholder)
        return cls(text, html, ics, placeholder, content_type, tuple(pieces) if intact else None)

    def personal(self, token: str) -> tuple[str, bytes]:
        """Content-Type and encoded body with ``token`` where the stand-in was."""
        if self.pieces is not None and len(token) == len(self.placeholder) and _QP_LITERAL.fullmatch(token):
            raw = token.encode()
            out = []
            for piece in self.pieces:
                if isinstance(piece, bytes):
                    out.append(piece)
                    continue
                cut = 0
                for number, length in enumerate(piece):
                    if number:
                        out.append(_SOFT_BREAK)
                    out.append(raw[cut : cut + length])
                    cut += length
            return self.content_type, b"".join(out)
        text = self.text.replace(self.placeholder, token)
        return encode_body(text, self.html.replace(self.placeholder, token), self.ics)


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
    """
    recipient = checked_address(to)
    if not _MESSAGE_ID.fullmatch(message_id):
        raise MailError(f"malformed Message-ID {message_id!r}")
    headers = [
        _shared_header("From", formataddr((settings.calendar_name, settings.mail_from))),
        _header("To", recipient),
        _shared_header("Subject", clean_header(subject)),
        _shared_header("Date", format_datetime(date.astimezone(UTC))),
        _header("Message-ID", message_id),
        "Auto-Submitted: auto-generated",
        "MIME-Version: 1.0",
    ]
    if unsubscribe_url:
        url = clean_header(unsubscribe_url, 2000)
        if not url.startswith(("https://", "http://")) or any(char in url for char in "<> ,"):
            raise MailError("the unsubscribe link must be an absolute URL without spaces")
        headers.append(_header("List-Unsubscribe", f"<{url}>"))
        headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    if encoded_body is None:
        text, html = bodies if bodies is not None else render_bodies(template, context)
        encoded_body = encode_body(text, html, ics)
    content_type, body = encoded_body
    headers.append(f"Content-Type: {content_type}")
    data = ("\r\n".join(headers) + "\r\n\r\n").encode("ascii") + body
    return OutgoingMail(recipient=recipient, data=data, message_id=message_id)


# ---------------------------------------------------------------------------------------------- event .ics


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # 4xx, timeout, dropped connection: try again later
    REFUSED = "refused"  # 5xx for the recipient: suppress the address
    FAILED = "failed"  # another permanent answer: do not retry this message


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    code: int | None = None
    answer: str = ""


@dataclass(frozen=True)
class SmtpTarget:
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


def _code_and_answer(exc: smtplib.SMTPResponseException) -> tuple[int, str]:
    answer = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return exc.smtp_code, clean_header(answer, 500)


class SmtpTransport:
    """One SMTP connection for a batch, opened on first use and re-opened after a drop."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.target = SmtpTarget.parse(settings.smtp_url)
        self._client: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        target = self.target
        client: smtplib.SMTP
        if target.scheme == "smtps":
            client = smtplib.SMTP_SSL(
                target.host, target.port, timeout=target.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(target.host, target.port, timeout=target.timeout)
            if target.starttls:
                client.starttls(context=ssl.create_default_context())
        if target.username:
            client.login(target.username, target.password or "")
        return client

    def send(self, message: OutgoingMail, recipient: str) -> SendResult:
        """Send to exactly ``recipient`` (never taken from the headers)."""
        recipient = checked_address(recipient)
        try:
            if self._client is None:
                self._client = self._connect()
            refused = self._client.sendmail(self.settings.mail_from, [recipient], message.data)
        except smtplib.SMTPRecipientsRefused as exc:
            code, answer = exc.recipients.get(recipient, (550, b"refused"))
            text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
            self._reset()
            return SendResult(Outcome.REFUSED if code >= 500 else Outcome.RETRY, code, clean_header(text, 500))
        except smtplib.SMTPServerDisconnected as exc:
            self._drop()
            return SendResult(Outcome.RETRY, None, clean_header(f"connection dropped: {exc}", 500))
        except smtplib.SMTPResponseException as exc:
            code, answer = _code_and_answer(exc)
            self._reset()
            if code >= 500:
                return SendResult(Outcome.FAILED, code, answer)
            return SendResult(Outcome.RETRY, code, answer)
        except (TimeoutError, OSError, smtplib.SMTPException) as exc:
            self._drop()
            return SendResult(Outcome.RETRY, None, clean_header(f"{type(exc).__name__}: {exc}", 500))
        if refused:
            code, answer = refused.get(recipient, (550, b"refused"))
            return SendResult(Outcome.REFUSED, code, clean_header(str(answer), 500))
        return SendResult(Outcome.SENT, 250, "")

    def _reset(self) -> None:
        """After a refused transaction the connection stays usable once RSET is answered."""
        if self._client is None:
            return
        try:
            self._client.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _drop(self) -> None:
        if self._client is not None:
            with contextlib.suppress(OSError):
                self._client.close()
        self._client = None

    def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._client.quit()
            self._drop()


class DirectoryTransport:
    """No SMTP configured: write each mail to ``instance/outbox/`` as an ``.eml`` file and log it."""

    def __init__(self, settings: MailSettings) -> None:
        assert settings.outbox_dir is not None
        self.folder = settings.outbox_dir
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, message: OutgoingMail, recipient: str) -> SendResult:
        recipient = checked_address(recipient)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        name = re.sub(r"[^A-Za-z0-9]", "", message.message_id)[:40]
        path = self.folder / f"{stamp}-{name}.eml"
        path.write_bytes(message.data)
        log.info("mail to %s written to %s", recipient, path)
        return SendResult(Outcome.SENT, None, str(path))

    def close(self) -> None:
        pass


Transport = SmtpTransport | DirectoryTransport


def open_transport(settings: MailSettings) -> Transport:
    return SmtpTransport(settings) if settings.smtp_url else DirectoryTransport(settings)
