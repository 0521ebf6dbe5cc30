"""Which characters no text from outside may hold: one rule for forms, filters and mail headers.

A control character is a C0 control (U+0000–U+001F), DEL, or one of the Unicode line breaks NEL, LS and PS
that mail clients and browsers honour like a newline. One-line values (a title, a filter value, a header)
may hold none of them; multi-line text (a description) may hold the tab, LF, CR, NEL, LS and PS.
iCalendar output has a stricter rule of its own (``tracker.ical``: it also strips C1 controls and
noncharacters, which RFC 5545 forbids in TEXT).
"""

from __future__ import annotations

import re

#: Every control character of the rule above.
CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
#: The same without tab, LF, CR and the Unicode line breaks: what multi-line text may not hold.
MULTILINE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(value: str, *, multiline: bool = False) -> bool:
    """True when ``value`` holds a control character (tab and line breaks count only in one-line text)."""
    return (MULTILINE_CONTROL if multiline else CONTROL).search(value) is not None
