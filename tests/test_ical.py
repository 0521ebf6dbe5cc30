"""tracker.ical: VEVENT blocks, text safety, VTIMEZONEs from tzdata, checked by the shared checker and ical.js."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, make_event
from tests.feeds_support import HOSTILE_TITLES, expected_instants, icaljs_events, icscheck
from tracker import ical
from tracker.services.events import load_event
from tracker.timezones import local_to_utc, utc_to_local

BASE = "https://tracker.example.org"


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines), "bare CR or LF"
    return lines


def unfolded(data: bytes) -> list[str]:
    result: list[str] = []
    for line in physical_lines(data):
        if line[:1] == b" ":
            result[-1] += line[1:].decode("utf-8")
        else:
            result.append(line.decode("utf-8"))
    return result


def test_clean_text_removes_controls_and_keeps_every_script() -> None:
    assert ical.clean_text("a\x00b\x07c\x7fd\x9be\ufffff") == "abcdef"
    assert ical.clean_text("one\r\ntwo\nthree\u2028four\tfive") == "one two three four five"
    assert ical.clean_text("one\r\ntwo\u2029three\x85four", multiline=True) == "one\ntwo\nthree\nfour"
    assert ical.clean_text("Скопје 🇲🇰, «quotes»; back\\slash") == "Скопје 🇲🇰, «quotes»; back\\slash"
    assert ical.clean_text("\ud800 lone surrogate") == "\ufffd lone surrogate"


def test_clean_uri_cannot_break_a_line() -> None:
    assert ical.clean_uri("https://x.org/a b\r\nc?q=1 2") == "https://x.org/a%20bc?q=1%202"


def test_block_is_the_same_bytes_for_the_same_data(db_session: Session) -> None:
    event = make_event(db_session, **SKOPJE_CONFERENCE)
    first = ical.event_block(load_event(db_session, event.id), BASE)
    db_session.expire_all()
    again = ical.event_block(load_event(db_session, event.id), BASE)
    assert first == again
    lines = unfolded(first.encode())
    assert f"DTSTAMP:{NOW:%Y%m%dT%H%M%SZ}" in lines and f"LAST-MODIFIED:{NOW:%Y%m%dT%H%M%SZ}" in lines
    assert "DTSTART;VALUE=DATE:20221115" in lines and "DTEND;VALUE=DATE:20221117" in lines
    assert "STATUS:CONFIRMED" in lines and "CLASS:PUBLIC" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "Host: Ministry of Interior of the Republic of North Macedonia" in description
    assert "Co-organiser: Ministry of the Interior of the Czech Republic" in description
    assert "Supporter: IOM" in description
    assert f"Event page: {BASE}/events/{event.id}" in description
    assert f"URL;VALUE=URI:{BASE}/events/{event.id}" in lines
    assert "CATEGORIES:Conference,migration,western balkans" in lines
    assert "LOCATION:Skopje\\, North Macedonia" in lines


def test_hostile_text_is_escaped_folded_and_never_adds_a_line(db_session: Session) -> None:
    """Titles, places and descriptions from outside (also written straight into the table, past validation)."""
    events = []
    for number, title in enumerate(HOSTILE_TITLES):
        event = make_event(db_session, title=f"Placeholder {number}", description="ok")
        event.title = title
        event.description = f"{title}\n\nSecond paragraph; with, punctuation \\n and a {title}"
        event.venue = title[:200]
        event.source_url = "https://example.org/a?b=1&c=2,3;4"
        db_session.add(event)
        db_session.commit()
        events.append(load_event(db_session, event.id))
    body = ical.assemble(
        ical.calendar_header("Hostile, titles; \\ test\r\nX-INJECTED:1"),
        ical.zone_blocks(ical.zone_uses([(e.timezone, e.start_dt, e.end_dt) for e in events])),
        [ical.event_block(event, BASE) for event in events],
    )
    for line in physical_lines(body):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character: every physical line is valid UTF-8 alone
        assert not re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", line), line
    logical = unfolded(body)
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in logical]
    assert names.count("BEGIN") == names.count("END") and "X-INJECTED" not in names
    assert logical.count("BEGIN:VEVENT") == len(events) and names.count("NAME") == 1
    vevents = "\n".join(logical).split("BEGIN:VEVENT")[1:]
    for text in vevents:
        properties = [line.split(":", 1)[0].split(";", 1)[0] for line in text.split("\n")]
        for name in ("DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "LOCATION", "UID", "STATUS"):
            assert properties.count(name) == 1, (name, text)
    parsed = icalendar.Calendar.from_ical(body)
    summaries = [str(component["SUMMARY"]) for component in parsed.walk("VEVENT")]
    assert summaries == [ical.clean_text(title) for title in HOSTILE_TITLES]
    assert "Министерска конференција" in summaries[3] and "😀" in summaries[4]
    descriptions = [str(component["DESCRIPTION"]) for component in parsed.walk("VEVENT")]
    assert descriptions[0].startswith('Comma, semicolon; backslash \\ and "quotes"\n\nSecond paragraph; with,')
    assert "\\n and a" in descriptions[0]  # a literal backslash-n stays literal
    [result] = icscheck(body)
    assert result.clean, result.output
    assert result.events == len(events)


ZONE_PROBES = [
    # zone, local wall times around its transitions (the first of an ambiguous pair is the stored one)
    ("Europe/Skopje", ["2026-03-29 01:30", "2026-03-29 03:30", "2026-10-25 02:30", "2026-10-25 03:30",
                       "2027-07-01 12:00"]),
    ("America/New_York", ["2026-03-08 01:30", "2026-03-08 03:30", "2026-11-01 01:30", "2006-04-02 03:00",
                          "2006-10-29 01:30"]),
    ("Australia/Sydney", ["2026-04-05 02:30", "2026-10-04 03:30", "2026-01-15 12:00", "2026-07-15 12:00"]),
    ("America/Sao_Paulo", ["2018-11-04 12:00", "2019-02-16 12:00", "2019-11-10 12:00", "2026-01-10 12:00"]),
    ("Europe/Moscow", ["2010-07-01 12:00", "2012-01-01 12:00", "2015-01-01 12:00"]),
    ("Africa/Casablanca", ["2026-02-10 12:00", "2026-03-01 12:00", "2026-06-01 12:00"]),
    ("Asia/Kathmandu", ["2026-06-01 09:15"]),
    ("Pacific/Apia", ["2011-12-29 12:00", "2011-12-31 12:00", "2020-01-01 12:00"]),
    ("Europe/Dublin", ["2026-01-15 12:00", "2026-07-15 12:00"]),
]  # fmt: skip


@pytest.mark.parametrize(("zone", "walls"), ZONE_PROBES, ids=[zone for zone, _ in ZONE_PROBES])
def test_vtimezone_is_read_right_by_every_parser(db_session: Session, zone: str, walls: list[str]) -> None:
    """Events around DST changes, abolished DST, a skipped day: ical.js and every parser agree with the database."""
    events = []
    for wall in walls:
        day, clock = wall.split()
        start = local_to_utc(date.fromisoformat(day), time.fromisoformat(clock), zone)
        end = utc_to_local(start + timedelta(hours=2), zone)
        event = make_event(
            db_session, title=f"{zone} {wall}", timezone=zone, start_date=day, start_time=clock,
            end_date=end.date().isoformat(), end_time=end.strftime("%H:%M"),
        )  # fmt: skip
        events.append(load_event(db_session, event.id))
    uses = ical.zone_uses([(e.timezone, e.start_dt, e.end_dt) for e in events])
    body = ical.assemble(
        ical.calendar_header("Zones"), ical.zone_blocks(uses), [ical.event_block(e, BASE) for e in events]
    )
    assert b"RDATE" not in body
    [result] = icscheck(body)
    assert result.clean, result.output
    seen = icaljs_events(body)
    assert {event.uid: expected_instants(event) for event in events} == seen


def test_vtimezone_uses_yearly_rules() -> None:
    text = ical.vtimezone_block("Europe/Skopje", 2020, 2030)
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text and "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
    assert text.count("BEGIN:DAYLIGHT") == 1 and "UNTIL" not in text
    new_york = ical.vtimezone_block("America/New_York", 2005, 2008)
    assert "BYDAY=1SU;BYMONTH=4" in new_york and "UNTIL=20060402T070000Z" in new_york
    assert "BYDAY=2SU;BYMONTH=3" in new_york


def test_all_day_and_utc_events_need_no_vtimezone(db_session: Session) -> None:
    event = make_event(db_session, **SKOPJE_CONFERENCE)
    utc_event = make_event(db_session, title="UTC call", timezone="UTC")
    assert ical.zone_uses([(utc_event.timezone, utc_event.start_dt, utc_event.end_dt)]) == []
    loaded = load_event(db_session, utc_event.id)
    lines = unfolded(ical.event_block(loaded, BASE).encode())
    assert "DTSTART:20261110T100000Z" in lines
    body = ical.single_event_calendar(load_event(db_session, event.id), BASE, "Tracker")
    assert b"VTIMEZONE" not in body
    [result] = icscheck(body, kind="event")
    assert result.clean, result.output


def test_empty_calendar_is_still_valid() -> None:
    body = ical.assemble(ical.calendar_header("Nothing here"), [], [])
    [result] = icscheck(body)
    assert result.clean, result.output
    assert result.events == 0


def test_statuses_in_summary_status_and_transparency(db_session: Session) -> None:
    postponed = load_event(db_session, make_event(db_session, title="Talks", status="postponed").id)
    cancelled = load_event(db_session, make_event(db_session, title="Workshop", status="cancelled").id)
    tentative = load_event(db_session, make_event(db_session, title="Seminar", status="tentative").id)
    internal = load_event(db_session, make_event(db_session, title="Briefing", visibility="internal").id)
    lines = {event.title: unfolded(ical.event_block(event, BASE).encode()) for event in
             (postponed, cancelled, tentative, internal)}  # fmt: skip
    assert "SUMMARY:Postponed\\, new date to be announced: Talks" in lines["Talks"]
    assert "STATUS:TENTATIVE" in lines["Talks"] and "TRANSP:TRANSPARENT" in lines["Talks"]
    assert "SUMMARY:Cancelled: Workshop" in lines["Workshop"] and "STATUS:CANCELLED" in lines["Workshop"]
    assert "STATUS:TENTATIVE" in lines["Seminar"] and "TRANSP:OPAQUE" in lines["Seminar"]
    assert "CLASS:PRIVATE" in lines["Briefing"]


def test_dtstamp_is_utc_even_for_other_zones(db_session: Session) -> None:
    event = load_event(db_session, make_event(db_session, timezone="Asia/Tokyo").id)
    lines = unfolded(ical.event_block(event, BASE).encode())
    assert "DTSTART;TZID=Asia/Tokyo:20261110T100000" in lines
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)
    assert datetime(2026, 11, 10, 1, tzinfo=UTC) == event.start_dt
