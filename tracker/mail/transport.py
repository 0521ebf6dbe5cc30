"""Sending: one SMTP connection per batch, or the ``instance/outbox/`` folder when no SMTP URL is set.

Each send returns an outcome: ``sent``, ``retry`` (4xx, timeouts, dropped connections), ``refused`` (5xx for
the recipient: the caller suppresses the address) or ``failed`` (another permanent 5xx). Recipients are always
passed to SMTP explicitly, never taken from the headers.
"""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from tracker.mail.headers import checked_address, clean_header
from tracker.mail.messages import OutgoingMail
from tracker.mail.settings import MailSettings, SmtpTarget

log = logging.getLogger(__name__)


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
