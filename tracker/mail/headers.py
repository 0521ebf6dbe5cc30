"""Header values that are always one clean line, addresses checked strictly, and RFC 2047 encoding.

This Python (3.11.7) has CVE-2024-6923 — the e-mail generator does not quote line breaks inside encoded words,
so a title such as ``"=?utf-8?q?x?=\\r\\nBcc: …"`` could add a header. Every header value is therefore stripped
of CR, LF and the other Unicode line separators here, and addresses are validated with the app's own strict rule.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache

from tracker.text import CONTROL, clip
from tracker.validation import normalise_email

SUBJECT_MAX = 200
#: Line breaks Python's e-mail code (or a mail client) may honour: CR, LF, VT, FF, NEL, LS, PS, plus controls.
_SENDER = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")


class MailError(ValueError):
    """A message could not be built (e.g. an invalid address); the message says why."""


def clean_header(value: str, maximum: int = SUBJECT_MAX) -> str:
    """One line of text for a header: line breaks and controls become spaces, white space collapses."""
    return clip(" ".join(CONTROL.sub(" ", str(value)).split()), maximum)


def checked_address(value: str) -> str:
    """A bare, valid ``local@domain``; ``MailError`` otherwise (never a display name, never two addresses)."""
    if CONTROL.search(value):
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


def header(name: str, value: str) -> str:
    """One header from an already cleaned value; non-ASCII text becomes RFC 2047 encoded words."""
    if CONTROL.search(value):  # clean_header ran before; this is the last line of defence
        raise MailError(f"the {name} header may not contain line breaks or control characters")
    if value.isascii():
        return _fold_ascii(name, value)
    return f"{name}: " + "\r\n ".join(_encoded_words(value))


#: The same From, Subject and Date recur across a batch: a pure function, so its results can be kept.
shared_header = lru_cache(maxsize=1024)(header)
