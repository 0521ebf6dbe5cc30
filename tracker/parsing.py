"""Whole numbers from outside (query strings, forms, settings), parsed by one rule.

``str.isdigit()`` is not that rule: it accepts ``²``, which ``int()`` refuses, and ``int()`` itself accepts
``٣``, ``𝟗``, ``+7``, ``1_000`` and numbers no database column holds. Here only ASCII digits count, the text is
bounded in length before it is converted, and the value must lie within the bounds the caller names, so what
reaches SQL always fits its column.
"""

from __future__ import annotations

import re

from tracker.i18n import N_, gettext

#: Largest id any table holds (ids are 32-bit integers on PostgreSQL); ``<int:…>`` routes use it too.
MAX_ID = 2**31 - 1

_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)


class IntegerError(ValueError):
    """A value is not a whole number within its bounds; ``name`` says which parameter or field."""

    #: The message, in the catalogue; ``str()`` is it in English, ``translated()`` in the reader's language.
    TEMPLATE = N_("“%(name)s” must be a whole number from %(minimum)d to %(maximum)d")

    def __init__(self, name: str, minimum: int, maximum: int) -> None:
        super().__init__(self.TEMPLATE % {"name": name, "minimum": minimum, "maximum": maximum})
        self.name = name
        self.minimum = minimum
        self.maximum = maximum

    def translated(self) -> str:
        return gettext(self.TEMPLATE, name=self.name, minimum=self.minimum, maximum=self.maximum)


def parse_int(raw: object, *, name: str, minimum: int, maximum: int) -> int:
    """``raw`` (surrounding spaces allowed) as an int in ``minimum..maximum``; ``IntegerError`` otherwise."""
    text = raw.strip() if isinstance(raw, str) else ""
    # Leading zeros are harmless, but nothing longer than the bounds' digits plus a little is ever converted.
    longest = max(len(str(minimum)), len(str(maximum))) + 4
    if len(text) > longest or not _INTEGER.fullmatch(text):
        raise IntegerError(name, minimum, maximum)
    value = int(text)
    if not minimum <= value <= maximum:
        raise IntegerError(name, minimum, maximum)
    return value


def parse_id(raw: object, *, name: str) -> int:
    """A database id (1 to ``MAX_ID``)."""
    return parse_int(raw, name=name, minimum=1, maximum=MAX_ID)


def optional_id(raw: object) -> int | None:
    """The id ``raw`` spells, or None when it spells none (for look-ups where anything else means "not found")."""
    try:
        return parse_id(raw, name="id")
    except IntegerError:
        return None


def percent_encode_invalid_utf8(raw: bytes) -> bytes:
    """``raw`` with every byte that is not part of valid UTF-8 written as ``%XX``.

    Werkzeug decodes a raw query string strictly (``request.args``, ``request.full_path``), so one such byte
    from a client would fail the request; percent-encoded, it is treated like ``%ff`` typed into a URL
    (kept as the literal text ``%FF``), which every parameter then refuses or searches for as text.
    """
    out = bytearray()
    rest = raw
    while True:
        try:
            rest.decode("utf-8")
        except UnicodeDecodeError as error:
            out += rest[: error.start] + b"".join(b"%%%02X" % byte for byte in rest[error.start : error.end])
            rest = rest[error.end :]
        else:
            return bytes(out + rest)
