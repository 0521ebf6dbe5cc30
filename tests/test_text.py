"""The one control-character rule (``tracker.text``), checked against a list written out by hand."""

from __future__ import annotations

import re

import pytest

from tracker import mail, validation
from tracker.filters import FilterError, parse_filter
from tracker.text import has_control

#: The rule, spelled out: C0 controls, DEL, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
CONTROLS = {chr(code) for code in range(0x20)} | {"\x7f", "\x85", "\u2028", "\u2029"}
#: What multi-line text may hold of them: tab, LF, CR and the Unicode line breaks.
MULTILINE_ALLOWED = {"\t", "\n", "\r", "\x85", "\u2028", "\u2029"}


def test_every_character_below_u3000_follows_the_rule() -> None:
    for char in map(chr, range(0x3000)):
        assert has_control(f"a{char}b") is (char in CONTROLS), hex(ord(char))
        assert has_control(f"a{char}b", multiline=True) is (char in CONTROLS - MULTILINE_ALLOWED), hex(ord(char))
        assert has_control(char) is (char in CONTROLS), hex(ord(char))


def test_text_without_controls_passes() -> None:
    assert not has_control("")
    assert not has_control("Скопје — Kičevo 2026 ✓")
    assert not has_control("two\nlines\r\n\tindented", multiline=True)


def test_mail_headers_forms_and_filters_share_the_rule() -> None:
    """Mail headers, one-line form fields and filter values refuse exactly the same characters."""
    for char in sorted(CONTROLS):
        with pytest.raises(mail.MailError):
            mail.checked_address(f"a{char}b@example.org")
        assert mail.clean_header(f"a{char}b") == "a b"
        with pytest.raises(FilterError) as caught:
            parse_filter({"tag": f"a{char}b"}, None)  # type: ignore[arg-type]
        assert caught.value.parameter == "tag"
        if char.isspace():
            # One-line fields and searches collapse white space before the check: these become a space.
            assert validation.single_line(f"a{char}b", 100, "The title") == "a b"
            assert parse_filter({"q": f"a{char}b"}, None).q == "a b"  # type: ignore[arg-type]
            continue
        with pytest.raises(ValueError, match=re.escape("The title may not contain control characters.")):
            validation.single_line(f"a{char}b", 100, "The title")
        with pytest.raises(FilterError) as caught:
            parse_filter({"q": f"a{char}b"}, None)  # type: ignore[arg-type]
        assert caught.value.parameter == "q"
    for char in ("\u00a0", "\u200b", "\x80", "\x9f"):  # not control characters by this rule
        assert validation.single_line(f"a{char}b", 100) == " ".join(f"a{char}b".split())


def test_clip_cuts_at_the_limit_and_marks_the_cut() -> None:
    from tracker.text import clip

    assert clip("Skopje", 6) == "Skopje"
    assert clip("Skopje conference", 8) == "Skopje…"  # the space before the cut goes
    assert len(clip("x" * 500, 300)) == 300
