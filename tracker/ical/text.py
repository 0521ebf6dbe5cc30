"""iCalendar TEXT and URI values: cleaning, escaping and folding, to the byte as ``icalendar`` writes them.

Every text value is stripped of control characters, escaped and folded here (lines of at most 75 octets, cut
on character boundaries), so that a title can never add a property or a line.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

# C0 controls except TAB and LF, DEL, C1 controls, and Unicode noncharacters: never valid in iCalendar TEXT.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_WHITESPACE_RUN = re.compile(r"\s+")
#: icalendar cuts before the octet that would make 75 (a continuation line: space + 74).
FOLD_OCTETS = 74
_BACKSLASH, _CARET = 0x5C, 0x5E


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """Text that is safe to write: no control characters, no lone surrogates.

    Line breaks of every kind become ``\\n`` (escaped later) in multi-line values and a space in one-line
    values (SUMMARY, LOCATION, CATEGORIES), where a client would show them verbatim.
    """
    if not value:
        return ""
    if value.isascii() and value.isprintable():  # the common case, the same result without the regexes
        return value.rstrip() if multiline else " ".join(value.split())
    text = _SURROGATES.sub("\ufffd", unicodedata.normalize("NFC", value))
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    if not multiline:
        return _WHITESPACE_RUN.sub(" ", text).strip()
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def clean_uri(value: str) -> str:
    """A URI with no characters that could break a content line (controls, spaces, quotes are %-encoded)."""
    parts = urlsplit(_CONTROL.sub("", _LINE_BREAKS.sub("", value.strip())))
    safe = "/:@!$&'()*+,;=-._~%"
    return urlunsplit(
        (
            parts.scheme,
            parts.netloc,
            quote(parts.path, safe=safe),
            quote(parts.query, safe=safe + "?"),
            quote(parts.fragment, safe=safe + "?"),
        )
    )


def escape(text: str) -> str:
    """RFC 5545 TEXT escaping exactly as ``icalendar`` does it (its ``_escape_char``, in the same order).

    Like it, a literal backslash-N in the text is first read as a line break.
    """
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def without_bom(text: str) -> str:
    """A property value as icalendar writes it: it decodes each value as "utf-8-sig", which drops one byte
    order mark at the start (and only there)."""
    return text[1:] if text[:1] == "\ufeff" else text


def fold(line: str) -> str:
    """Fold a content line as ``icalendar`` does: pieces of at most 74 octets, never inside a UTF-8 character,
    and an escape character (backslash or caret) that would end a piece starts the next one instead."""
    if line.isascii() and len(line) <= FOLD_OCTETS:  # isascii is O(1) on CPython
        return line
    data = line.encode("utf-8")
    if len(data) <= FOLD_OCTETS:
        return line
    pieces: list[bytes] = []
    start = 0
    while len(data) - start > FOLD_OCTETS:
        end = start + FOLD_OCTETS
        while data[end] & 0xC0 == 0x80:  # a continuation byte: the character would be split
            end -= 1
        if end - start > 1 and data[end - 1] in (_BACKSLASH, _CARET):
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def text_line(name: str, value: str) -> str:
    """A folded TEXT property line: ``name`` (with its parameters) and the escaped value."""
    return fold(name + ":" + without_bom(escape(value)))
