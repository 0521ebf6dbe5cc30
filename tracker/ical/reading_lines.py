"""The first pass over an .ics file: bytes → numbered content lines, and the components they make.

``icalendar`` gives no line numbers, so this pass finds them. It decodes the bytes (UTF-8, a byte order mark
tolerated), unfolds continuation lines (a physical line starting with a space or a tab continues the one before)
while keeping the first physical line number of each logical line, splits every line into name, parameters and
value, and checks that BEGIN and END pair up. What is wrong is reported with its line; what is kept (the tree of
components with their lines) lets the reader name lines in its messages and rewrite the text before
``icalendar`` parses it (``rewrite``: time zone names replaced, VTIMEZONE blocks left out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from icalendar.parser.content_line import Contentline

from tracker.ical.text import clean_text
from tracker.phrases import said as _

#: Deeper nesting than this is no calendar (VCALENDAR > VEVENT > VALARM is three).
MAX_DEPTH = 12

_PHYSICAL = re.compile("\r\n|\r|\n")
_PARAM_VALUE = r'(?:"[^"]*"|[^";:,]*)'
_PARAMS = rf"(?:;[A-Za-z0-9-]+={_PARAM_VALUE}(?:,{_PARAM_VALUE})*)*"
_LINE = re.compile(rf"([A-Za-z0-9-]+)({_PARAMS}):(.*)\Z", re.DOTALL)
_PARAM = re.compile(rf";([A-Za-z0-9-]+)=({_PARAM_VALUE}(?:,{_PARAM_VALUE})*)")
_NAME = re.compile(r"[A-Za-z0-9-]+\Z")
_TZID_PARAM = re.compile(rf"(;TZID=)({_PARAM_VALUE})", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([\\;,nN])")


@dataclass(frozen=True)
class ReadProblem:
    """One thing wrong with a file, in people's words, with where it is."""

    line: int  # physical line number (0 when the problem is the whole file)
    uid: str  # "" when not known
    message: str


@dataclass(frozen=True)
class Line:
    """One logical (unfolded) content line."""

    number: int  # physical line number of its first physical line
    name: str  # upper case
    params: str  # the raw parameter section (";TZID=Europe/Skopje"), "" when there is none
    value: str
    index: int  # position among the logical lines

    def param(self, name: str) -> str | None:
        """The value of parameter ``name`` (quotes removed), or None."""
        if not self.params:
            return None
        for key, value in _PARAM.findall(self.params):
            if key.upper() == name:
                return value[1:-1] if value.startswith('"') and value.endswith('"') else value
        return None


@dataclass
class Block:
    """A component: its BEGIN line, its own property lines and its subcomponents."""

    name: str
    line: int
    first: int  # index of its BEGIN line among the logical lines
    last: int = -1  # index of its END line
    properties: list[Line] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)

    def get(self, name: str) -> Line | None:
        """The first property line called ``name``."""
        return next((line for line in self.properties if line.name == name), None)

    def all(self, name: str) -> list[Line]:
        return [line for line in self.properties if line.name == name]

    def walk(self, name: str) -> list[Block]:
        """The direct children called ``name``."""
        return [child for child in self.children if child.name == name]


@dataclass
class Scan:
    """What the first pass found: the lines, the VCALENDAR (None when there is none) and the problems."""

    lines: list[Line] = field(default_factory=list)
    calendar: Block | None = None
    problems: list[ReadProblem] = field(default_factory=list)

    def problem(self, line: int, message: str, uid: str = "") -> None:
        self.problems.append(ReadProblem(line, uid, message))


def decode(data: bytes) -> tuple[str | None, ReadProblem | None]:
    """The file as text, or the problem with its line: UTF-8 only, one leading byte order mark allowed."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = body.count(b"\n", 0, error.start) + 1
        byte = body[error.start : error.start + 1].hex().upper()
        return None, ReadProblem(
            line,
            "",
            _(
                "Line %(line)d: the file is not UTF-8 text (the byte 0x%(byte)s is not a character there)",
                line=line,
                byte=byte,
            ),
        )


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first physical line number, unfolded text) of every logical line, empty ones included."""
    found: list[tuple[int, list[str]]] = []
    for number, physical in enumerate(_PHYSICAL.split(text), start=1):
        if physical[:1] in (" ", "\t") and found:
            found[-1][1].append(physical[1:])
        else:
            found.append((number, [physical]))
    return [(number, "".join(parts)) for number, parts in found]


def split_line(number: int, text: str, index: int) -> tuple[Line | None, str]:
    """The line's name, parameters and value, or None and why it cannot be read.

    A line our strict pattern refuses is still accepted when ``icalendar`` can split it (an unquoted ':' in a
    parameter, as some writers do), so no file is refused for what ``icalendar`` itself reads.
    """
    match = _LINE.match(text)
    if match:
        return Line(number, match.group(1).upper(), match.group(2), match.group(3), index), ""
    if ":" not in text:
        return None, _("Line %(line)d: the line has no ':' between the property name and its value", line=number)
    head = re.match(r"[A-Za-z0-9-]*", text).group()  # type: ignore[union-attr]
    if not head or text[len(head)] not in ";:":
        return None, _("Line %(line)d: “%(text)s” does not begin with a property name", line=number, text=_show(text))
    try:
        name, _params, value = Contentline(text).parts()
    except (ValueError, IndexError, TypeError):
        return None, _(
            "Line %(line)d: the parameters of %(property)s cannot be read", line=number, property=head.upper()
        )
    params = text[len(name) : len(text) - len(value) - 1] if text.endswith(":" + value) else ""
    return Line(number, str(name).upper(), params, str(value), index), ""


def _show(text: str, limit: int = 40) -> str:
    shown = "".join(char if char.isprintable() else "?" for char in text[:limit])
    return shown + ("…" if len(text) > limit else "")


def scan(text: str) -> Scan:
    """Every content line and the components they make, with each problem of form or structure.

    Long because it is one walk over the lines with a stack of open components; each branch is one rule.
    """
    result = Scan()
    stack: list[Block] = []
    ended = False
    for number, raw in logical_lines(text):
        if not raw.strip():
            continue
        line, why = split_line(number, raw, len(result.lines))
        if line is None:
            if result.calendar is None:
                return _not_a_calendar(result, number)
            result.problem(number, why)
            continue
        result.lines.append(line)
        if result.calendar is None and (line.name != "BEGIN" or line.value.upper() != "VCALENDAR"):
            return _not_a_calendar(result, number)
        if ended:
            result.problem(number, _("Line %(line)d: the file goes on after END:VCALENDAR", line=number))
            return result
        if line.name == "BEGIN":
            kind = line.value.strip().upper()
            if not _NAME.match(kind):
                result.problem(number, _("Line %(line)d: BEGIN names no component", line=number))
                continue
            if len(stack) >= MAX_DEPTH:
                result.problem(
                    number,
                    _("Line %(line)d: components are nested more than %(depth)d deep", line=number, depth=MAX_DEPTH),
                )
                return result
            block = Block(kind, number, line.index)
            if stack:
                stack[-1].children.append(block)
            else:
                result.calendar = block
            stack.append(block)
        elif line.name == "END":
            kind = line.value.strip().upper()
            if not stack or stack[-1].name != kind:
                result.problem(number, _end_problem(number, _show(kind, 20), stack[-1] if stack else None))
                if not any(block.name == kind for block in stack):
                    continue
                while stack[-1].name != kind:
                    stack.pop().last = line.index
            stack.pop().last = line.index
            ended = not stack
        elif stack:
            stack[-1].properties.append(line)
    for block in reversed(stack):
        result.problem(
            block.line,
            _(
                "Line %(line)d: the %(component)s that begins here is never closed",
                line=block.line,
                component=block.name,
            ),
        )
    return result


def _not_a_calendar(result: Scan, number: int) -> Scan:
    result.problem(
        number,
        _(
            "This is not an iCalendar file: line %(line)d should be BEGIN:VCALENDAR and nothing comes before it",
            line=number,
        ),
    )
    return result


def _end_problem(number: int, kind: str, opened: Block | None) -> str:
    if opened is None:
        return _("Line %(line)d: END:%(component)s does not close anything", line=number, component=kind)
    return _(
        "Line %(line)d: END:%(component)s does not close the %(opened)s opened on line %(opened_line)d",
        line=number,
        component=kind,
        opened=opened.name,
        opened_line=opened.line,
    )


def rewrite(result: Scan, zone_names: dict[str, str], leave_out: list[Block], drop: set[int]) -> str:
    """The calendar's text for ``icalendar``: unfolded, each TZID parameter replaced as ``zone_names`` says
    (a raw TZID → the name to write), the ``leave_out`` components (the VTIMEZONEs among them) and the ``drop``
    lines (by index) left out, so that ``icalendar`` neither caches nor looks up a definition this file did not
    choose."""
    skipped: set[int] = set(drop)
    for block in leave_out:
        skipped.update(range(block.first, block.last + 1))
    out: list[str] = []
    for line in result.lines:
        if line.index in skipped:
            continue
        params = line.params
        if params and "TZID" in params.upper():
            tzid = line.param("TZID")
            if tzid is not None and tzid in zone_names:
                params = _TZID_PARAM.sub(";TZID=" + zone_names[tzid].replace("\\", ""), params, count=1)
        out.append(f"{line.name}{params}:{line.value}")
    return "\r\n".join(out) + "\r\n"


def unescape(value: str) -> str:
    """A TEXT value without its RFC 5545 escapes (``\\,`` ``\\;`` ``\\\\`` ``\\n``)."""
    return _ESCAPE.sub(lambda match: "\n" if match.group(1) in "nN" else match.group(1), value)


def property_text(block: Block, name: str) -> str:
    """A property's text as written in the file, unescaped and cleaned ("" when absent)."""
    line = block.get(name)
    return clean_text(unescape(line.value)) if line else ""


def short(text: str, limit: int = 80) -> str:
    """A value as messages quote it."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def uid_text(block: Block) -> str:
    """The UID a component's line gives, as problems report it ("" when there is none)."""
    return short(property_text(block, "UID"), 200)


def named(block: Block, capital: bool = False) -> str:
    """How a message names an event: the event “Title” (line N); "The event …" to begin a sentence."""
    title = event_title(block)
    if capital:
        return _("The event “%(title)s” (line %(line)d)", title=title, line=block.line)
    return _("the event “%(title)s” (line %(line)d)", title=title, line=block.line)


def event_title(block: Block) -> str:
    """The event's title as messages quote it ("without a title" when it has none)."""
    return short(property_text(block, "SUMMARY")) or _("without a title")
