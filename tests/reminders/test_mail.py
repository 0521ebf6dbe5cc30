"""Building and sending mail: header safety (CVE-2024-6923), the .ics attachment, SMTP outcomes, the .eml outbox."""

from __future__ import annotations

import base64
import itertools
import random
import re
import secrets
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from tests.conftest import NOW, SHARED, SKOPJE_CONFERENCE, make_event
from tests.reminders.smtpd import SmtpServer
from tracker.ical import single_event_calendar
from tracker.mail import (
    DirectoryTransport,
    MailError,
    MailSettings,
    Outcome,
    OutgoingMail,
    SharedBody,
    SmtpTarget,
    SmtpTransport,
    build_message,
    checked_address,
    clean_header,
    encode_body,
    sender_address,
)
from tracker.mail.headers import shared_header
from tracker.mail.mime import _ics_part
from tracker.validation import normalise_email

ICSCHECK = SHARED / "tools" / "icscheck" / "icscheck"
SETTINGS = MailSettings(
    mail_from="reminders@tracker.test",
    base_url="https://tracker.test",
    secret_key="test-secret-key-0123456789",
    calendar_name="Conference Tracker",
)


def _message(
    subject: str,
    to: str = "ana@example.org",
    date: datetime = NOW,
    unsubscribe_url: str = "https://tracker.test/unsubscribe/token-token-token-token",
    message_id: str = SETTINGS.message_id("k"),
    **extra: object,
) -> bytes:
    message = build_message(
        SETTINGS,
        to=to,
        subject=subject,
        template="confirm",
        context={
            "calendar_name": "Conference Tracker",
            "subscription": type("S", (), {"label": subject, "timezone": "UTC"})(),
            "leads": "1 day",
            "confirm_url": "https://tracker.test/subscriptions/confirm/abc",
        },
        message_id=message_id,
        date=date,
        unsubscribe_url=unsubscribe_url,
        **extra,
    )
    return bytes(message)


@pytest.mark.parametrize(
    "title",
    [
        "Conference\r\nBcc: victim@example.org",
        "Conference\nTo: victim@example.org",
        "Conference\u2028Bcc: victim@example.org",
        "Conference\u0085Bcc: victim@example.org",
        "=?utf-8?q?Conference?=\r\n Bcc: victim@example.org",
        "Конференција =?utf-8?b?QmNjOiB2aWN0aW1AZXhhbXBsZS5vcmc=?=\x0bBcc: victim@example.org",
    ],
)
def test_no_title_can_add_or_split_a_header(title: str) -> None:
    raw = _message(title)
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Bcc"] is None
    assert parsed.get_all("To") == ["ana@example.org"]
    header_block = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\nBcc" not in header_block and b"\nbcc" not in header_block.lower().replace(b"victim", b"")
    assert "\n" not in str(parsed["Subject"]) and "\u2028" not in str(parsed["Subject"])


@pytest.mark.parametrize(
    "address",
    [
        "ana@example.org\r\nBcc: victim@example.org",
        "ana@example.org, victim@example.org",
        "Ana <ana@example.org>",
        "ana@example.org\u2028",
        "=?utf-8?q?ana?=@example.org",
        "",
    ],
)
def test_recipient_must_be_one_plain_address(address: str) -> None:
    with pytest.raises(MailError):
        _message("Conference", to=address)


def test_headers_of_a_mail() -> None:
    parsed = message_from_bytes(_message("Ministerial Conference — tomorrow, Skopje"), policy=policy.default)
    assert parsed["List-Unsubscribe"] == "<https://tracker.test/unsubscribe/token-token-token-token>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["Message-ID"] == SETTINGS.message_id("k")
    assert parsed["Date"].datetime == NOW
    assert parsed["Subject"] == "Ministerial Conference — tomorrow, Skopje"
    assert parsed.get_body(("plain",)) is not None and parsed.get_body(("html",)) is not None


def test_message_id_is_stable_per_key_and_differs_between_keys() -> None:
    assert SETTINGS.message_id("reminder:1:2:1440:0") == SETTINGS.message_id("reminder:1:2:1440:0")
    assert SETTINGS.message_id("reminder:1:2:1440:0") != SETTINGS.message_id("reminder:1:2:120:0")


def _same_boundaries(content_type: str, body: bytes) -> tuple[str, bytes]:
    """Boundaries are random per encoding: name them by order, so two encodings can be compared byte for byte."""
    for number, boundary in enumerate(re.findall(rb'boundary="([^"]+)"', content_type.encode() + body)):
        body = body.replace(boundary, b"B%d" % number)
        content_type = content_type.replace(boundary.decode(), f"B{number}")
    return content_type, body


@pytest.mark.parametrize("seed", range(40))
def test_shared_body_with_a_token_is_the_body_encoded_for_it(seed: int) -> None:
    """The batch encodes a body once with a stand-in, then fills in each token: the bytes must be exactly
    those of encoding the personal text, wherever quoted-printable breaks lines (inside the token too)."""
    chance = random.Random(seed)
    placeholder = secrets.token_hex(16)
    text = "Conférence — " + "x" * chance.randint(0, 160) + f" https://tracker.test/unsubscribe/{placeholder}\n"
    text += "y" * chance.randint(0, 90) + f"/subscriptions/{placeholder} =end\t\n"
    html = f'<a href="https://tracker.test/subscriptions/{placeholder}">' + "z" * chance.randint(0, 120) + "</a>"
    shared = SharedBody.encode(text, html, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", placeholder)
    assert shared.pieces is not None  # the fast path is taken
    for token in ["Ab-_" * 8, base64.urlsafe_b64encode(secrets.token_bytes(24)).decode().rstrip("=")]:
        fresh = encode_body(text.replace(placeholder, token), html.replace(placeholder, token), shared.ics)
        assert _same_boundaries(*shared.personal(token)) == _same_boundaries(*fresh)


def test_shared_body_encodes_afresh_for_a_token_of_another_shape() -> None:
    placeholder = secrets.token_hex(16)
    shared = SharedBody.encode(f"see /u/{placeholder}\n", f"<p>{placeholder}</p>", None, placeholder)
    for token in ["short", "x" * 31 + "=", "é" * 32]:
        content_type, body = shared.personal(token)
        parsed = message_from_bytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=policy.default)
        plain, html = (parsed.get_body((kind,)).get_content().replace("\r\n", "\n") for kind in ("plain", "html"))  # type: ignore[union-attr]
        assert (plain, html) == (f"see /u/{token}\n", f"<p>{token}</p>\n")


def test_clean_header_and_checked_address() -> None:
    assert clean_header("a\r\nb\u2029c\x00d") == "a b c d"
    assert checked_address("  Ana@Example.ORG ") == "ana@example.org"


def _icscheck(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ICSCHECK), "--kind", "event", str(path)], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.skipif(not ICSCHECK.exists(), reason="the shared icscheck tool is not present")
def test_attached_ics_passes_icscheck(db_session: Session, tmp_path: Path) -> None:
    conference = make_event(db_session, **{**SKOPJE_CONFERENCE, "start_date": "2026-11-15", "end_date": "2026-11-16"})
    meeting = make_event(
        db_session, title='Working meeting; "IOM", MoI', start_date="2026-03-29", start_time="10:00", end_time="12:00"
    )
    autumn = make_event(
        db_session,
        title="Autumn meeting",
        start_date="2026-10-25",
        start_time="09:30",
        end_time="11:00",
        timezone="America/New_York",
        city="New York",
        country="US",
    )
    for event in (conference, meeting, autumn):
        path = tmp_path / f"event-{event.id}.ics"
        path.write_bytes(single_event_calendar(event, "https://tracker.test", "Conference Tracker"))
        checked = _icscheck(path)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    text = (tmp_path / f"event-{meeting.id}.ics").read_bytes().decode()
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n" in text and "RDATE" not in text
    assert "DTSTART:20250330T020000\r\n" in text and "DTSTART:20251026T030000\r\n" in text
    assert "DTSTART;TZID=Europe/Skopje:20260329T100000" in text


def test_smtp_url_forms() -> None:
    plain = SmtpTarget.parse("smtp://mail.example.org:2525")
    assert (plain.host, plain.port, plain.starttls, plain.username) == ("mail.example.org", 2525, False, None)
    tls = SmtpTarget.parse("smtp://user%40x:p%3Ass@mail.example.org:587?starttls=1&timeout=5")
    assert (tls.starttls, tls.username, tls.password, tls.timeout) == (True, "user@x", "p:ss", 5.0)
    implicit = SmtpTarget.parse("smtps://mail.example.org")
    assert (implicit.scheme, implicit.port) == ("smtps", 465)
    with pytest.raises(MailError):
        SmtpTarget.parse("http://mail.example.org")


def _smtp_settings(server: SmtpServer) -> MailSettings:
    return MailSettings(**{**SETTINGS.__dict__, "smtp_url": server.url})


def test_transport_answers_250_451_550_drop_and_stall(smtp: SmtpServer) -> None:
    transport = SmtpTransport(_smtp_settings(smtp))
    message = OutgoingMail("ana@example.org", _message("Hello"), SETTINGS.message_id("k"))
    try:
        assert transport.send(message, "ana@example.org").outcome is Outcome.SENT
        smtp.behaviour.tempfail["bob@example.org"] = 1
        result = transport.send(message, "bob@example.org")
        assert (result.outcome, result.code) == (Outcome.RETRY, 451)
        smtp.behaviour.refuse.add("gone@example.org")
        result = transport.send(message, "gone@example.org")
        assert (result.outcome, result.code) == (Outcome.REFUSED, 550)
        assert "mailbox unavailable" in result.answer
        smtp.behaviour.drop_data = 1
        assert transport.send(message, "ana@example.org").outcome is Outcome.RETRY
        smtp.behaviour.stall_seconds = 3.0  # longer than the 2 s timeout in the URL
        result = transport.send(message, "ana@example.org")
        assert (result.outcome, result.code) == (Outcome.RETRY, None)
        smtp.behaviour.stall_seconds = 0
        assert transport.send(message, "ana@example.org").outcome is Outcome.SENT
    finally:
        transport.close()
    # the envelope recipient is the one passed in, whatever the To header says
    assert [item.rcpt_tos for item in smtp.received] == [["ana@example.org"], ["ana@example.org"]]


def test_without_smtp_mail_goes_to_the_outbox_folder(tmp_path: Path) -> None:
    settings = MailSettings(**{**SETTINGS.__dict__, "outbox_dir": tmp_path / "outbox"})
    message = OutgoingMail("ana@example.org", _message("Offline"), SETTINGS.message_id("k"))
    result = DirectoryTransport(settings).send(message, "ana@example.org")
    assert result.outcome is Outcome.SENT
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    assert message_from_bytes(files[0].read_bytes(), policy=policy.default)["Subject"] == "Offline"


@pytest.fixture
def process_in_tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone set to Asia/Tokyo, so a conversion to local time cannot pass for one to UTC."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/New_York"])
@pytest.mark.usefixtures("process_in_tokyo")
def test_time_is_utc_in_date_header(zone: str) -> None:
    """Whatever zone the caller's datetime is in, the header is written in UTC (``+0000``) for the same instant."""
    raw = _message("x", date=NOW.astimezone(ZoneInfo(zone)))
    written = message_from_bytes(raw)["Date"]  # the compat32 policy keeps the header's text as written
    assert isinstance(written, str) and written.endswith(" +0000"), written
    parsed = parsedate_to_datetime(written)
    assert parsed.utcoffset() == timedelta(0)
    assert parsed == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def cold_header_caches() -> None:
    """Headers and .ics parts are cached across a batch: start each test cold, so no earlier result stands in."""
    shared_header.cache_clear()
    _ics_part.cache_clear()


def _header_lines(raw: bytes) -> list[str]:
    return raw.split(b"\r\n\r\n", 1)[0].decode("ascii").split("\r\n")


@pytest.mark.parametrize(
    "subject", ["word " * 60, "word " * 39 + "words", "word " * 30, "Конференција " * 30, "x" * 90 + " y"]
)
def test_long_subjects_are_cut_at_200_characters_and_folded(subject: str) -> None:
    raw = _message(subject)
    expected = " ".join(subject.split())
    if len(expected) > 200:
        expected = expected[:199].rstrip() + "…"
    assert message_from_bytes(raw, policy=policy.default)["Subject"] == expected
    lines = _header_lines(raw)
    start = next(number for number, line in enumerate(lines) if line.startswith("Subject: "))
    folded = [lines[start], *itertools.takewhile(lambda line: line.startswith(" "), lines[start + 1 :])]
    if expected.isascii():  # folded at spaces: lines of at most 78 unless one word is longer
        assert "".join(line.removeprefix("Subject:") for line in folded) == " " + expected
        assert all(len(line) <= 78 or len(line.removeprefix("Subject:").split()) == 1 for line in folded), folded
        assert len(folded) == (1 if len(expected) < 70 else 2 if expected.startswith("x") else 3), folded
    else:  # RFC 2047 words of at most 45 bytes, one per line, never splitting a character
        words = re.findall(r"=\?utf-8\?b\?([A-Za-z0-9+/=]*)\?=", "".join(folded))
        assert len(words) == len(folded) and all(len(base64.b64decode(word)) <= 45 for word in words)
        assert all(len(base64.b64decode(word)) > 40 for word in words[:-1])
        assert "".join(base64.b64decode(word).decode() for word in words) == expected


@pytest.mark.parametrize(
    "link", ["ftp://tracker.test/u/x", "/unsubscribe/x", "https://tracker.test/u/a b", "https://tracker.test/<x>"]
)
def test_unsubscribe_link_must_be_an_absolute_http_url(link: str) -> None:
    with pytest.raises(MailError, match="unsubscribe link"):
        _message("x", unsubscribe_url=link)


def test_unsubscribe_link_over_http_is_kept_whole() -> None:
    link = "http://tracker.test/unsubscribe/" + "t" * 1900
    parsed = message_from_bytes(_message("x", unsubscribe_url=link), policy=policy.default)
    assert parsed["List-Unsubscribe"] == f"<{link}>"


@pytest.mark.parametrize("message_id", ["abc@tracker.test", "<a b@tracker.test>", "<x@y>\r\nBcc: v@example.org"])
def test_malformed_message_id_is_refused(message_id: str) -> None:
    with pytest.raises(MailError, match="Message-ID"):
        _message("x", message_id=message_id)


def test_outgoing_mail_carries_its_recipient_and_message_id() -> None:
    mail = build_message(
        SETTINGS,
        to="Ana@Example.org",
        subject="x",
        template="confirm",
        context={},
        message_id="<id.1@tracker.test>",
        date=NOW,
        bodies=("plain text\n", "<p>html</p>\n"),
        ics=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    assert (mail.recipient, mail.message_id, bytes(mail)) == ("ana@example.org", "<id.1@tracker.test>", mail.data)
    parsed = message_from_bytes(mail.data, policy=policy.default)
    assert parsed["Auto-Submitted"] == "auto-generated" and parsed["MIME-Version"] == "1.0"
    assert parsed.get_body(("plain",)).get_content() == "plain text\r\n"  # type: ignore[union-attr]
    attachments = list(parsed.iter_attachments())
    assert [part.get_filename() for part in attachments] == ["event.ics"]
    assert attachments[0].get_content() == "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("ana@example.org\x00", "line breaks or control characters"),
        ("=?utf-8?q?a?=@example.org", "'=?'"),
    ],
)
def test_address_errors_say_why(address: str, message: str) -> None:
    with pytest.raises(MailError, match=re.escape(message)):
        checked_address(address)


def test_address_error_from_validation_is_passed_on() -> None:
    with pytest.raises(MailError) as raised:
        checked_address("no-at-sign")
    with pytest.raises(ValueError) as direct:
        normalise_email("no-at-sign")
    assert str(raised.value) == str(direct.value) and str(raised.value)


def test_sender_address_allows_a_single_label_domain_and_refuses_a_display_name() -> None:
    assert sender_address(" Tracker@LocalHost ") == "tracker@localhost"
    with pytest.raises(MailError, match="MAIL_FROM"):
        sender_address("Tracker <tracker@localhost>")
