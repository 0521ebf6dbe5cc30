"""MIME bodies written directly as bytes: text + HTML alternatives with an optional ``event.ics`` attachment.

``SharedBody`` encodes a body once for a whole batch and fills in each recipient's personal token.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache


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
