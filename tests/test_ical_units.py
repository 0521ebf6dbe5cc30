"""tracker.ical piece by piece, without a database: exact text for known values, checked by hand against
RFC 5545 and the tz database (``tests/test_ical.py`` checks whole calendars with real parsers)."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker import ical
from tracker.i18n import use_language
from tracker.ical import text
from tracker.ical.event import _event_url_prefix, event_categories, is_transparent
from tracker.ical.vtimezone import Transition, _runs, vtimezone_block, zone_blocks
from tracker.ical.writer import _zone_parameters

BASE = "https://t.example/"


@pytest.fixture(autouse=True)
def _fresh_zone_caches() -> None:
    """Forget memoized VTIMEZONEs and zone parameters, so that each test makes them itself (mutation testing
    forks its runs from a warm process; a cached block would hide a change in how blocks are made)."""
    vtimezone_block.cache_clear()
    _zone_parameters.cache_clear()
    _event_url_prefix.cache_clear()


EVENT = ical.EventData(
    id=7, uid="u-7@x", title="Talks; part 1, \\ end", kind="conference", status="confirmed", all_day=False,
    timezone="Europe/Skopje", start_dt=datetime(2026, 11, 10, 9, 0, tzinfo=UTC),
    end_dt=datetime(2026, 11, 10, 10, 30, tzinfo=UTC), start_date=None, end_date=None, venue="Hall 2",
    city="Skopje", country="MK", description="Line one\nLine two", source_url="https://example.org/a",
    visibility="public", revision=3, sequence=2, created_dt=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    updated_dt=datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC), deleted_dt=None,
    organisations=(("supporter", "B"), ("host", "Ministry A (MA)"), ("supporter", "C")),
    people=(("Ana Ivanova, Minister", "MA"), ("Bo", None)), tags=("asylum", "migration"),
)  # fmt: skip
#: 09:00 UTC on 10 November 2026 is 10:00 CET in Skopje; the description folds at 74 octets.
EVENT_TEXT = (
    "BEGIN:VEVENT\r\n"
    "SUMMARY:Talks\\; part 1\\, \\\\ end\r\n"
    "DTSTART;TZID=Europe/Skopje:20261110T100000\r\n"
    "DTEND;TZID=Europe/Skopje:20261110T113000\r\n"
    "DTSTAMP:20260203T040506Z\r\n"
    "UID:u-7@x\r\n"
    "SEQUENCE:2\r\n"
    "CATEGORIES:Conference,asylum,migration\r\n"
    "CLASS:PUBLIC\r\n"
    "CREATED:20260102T030405Z\r\n"
    "DESCRIPTION:Line one\\nLine two\\n\\nHost: Ministry A (MA)\\nSupporters: B\\; C\r\n"
    " \\nParticipants: Ana Ivanova\\, Minister (MA)\\; Bo\\nSource: https://example.\r\n"
    " org/a\\nEvent page: https://t.example/events/7\r\n"
    "LAST-MODIFIED:20260203T040506Z\r\n"
    "LOCATION:Hall 2\\, Skopje\\, North Macedonia\r\n"
    "STATUS:CONFIRMED\r\n"
    "TRANSP:OPAQUE\r\n"
    "URL;VALUE=URI:https://t.example/events/7\r\n"
    "END:VEVENT\r\n"
)


# --- text -----------------------------------------------------------------------------------------------


def test_escape_follows_rfc_5545_text_rules() -> None:
    assert text.escape("a;b,c\\d\ne\r\nf\rg") == "a\\;b\\,c\\\\d\\ne\\nf\\ng"
    assert text.escape("literal \\N here") == "literal \\n here"  # read as a line break, as icalendar does
    assert text.without_bom("\ufeffa\ufeff") == "a\ufeff" and text.without_bom("ab") == "ab"


def test_clean_text_one_line_and_multiline() -> None:
    assert text.clean_text(None) == "" and text.clean_text("") == ""
    assert text.clean_text("  a   b \t c  ") == "a b c"
    assert text.clean_text("  a   b  ") == "a b" and text.clean_text("  a   b  ", multiline=True) == "  a   b"
    assert text.clean_text("Xé\nX\n", multiline=True) == "Xé\nX"
    assert text.clean_text("  a  \n  b  \n\n", multiline=True) == "  a\n  b"
    assert text.clean_text("é\u00a0x  y\x07", multiline=False) == "é x y"
    assert text.clean_text("\n\nà \nb\x0b\n", multiline=True) == "à\nb"
    assert text.clean_text("e\u0301") == "é"  # NFC


def test_clean_uri_encodes_what_could_break_a_line() -> None:
    assert text.clean_uri(' https://x.org/a b?q=1 2&r="3"#frag ment\x00 ') == (
        "https://x.org/a%20b?q=1%202&r=%223%22#frag%20ment"
    )
    assert text.clean_uri("https://x.org/p?a=b?c#d?e") == "https://x.org/p?a=b?c#d?e"
    assert text.clean_uri("https://x.org/~a-b_c.d/(x)*+,;=:@!$&'%41") == "https://x.org/~a-b_c.d/(x)*+,;=:@!$&'%41"


def test_fold_cuts_at_74_octets_between_characters_and_before_an_escape() -> None:
    assert text.fold("x" * 74) == "x" * 74
    assert text.fold("x" * 75) == "x" * 74 + "\r\n x"
    assert text.fold("x" * 148 + "y") == "x" * 74 + "\r\n " + "x" * 74 + "\r\n y"
    assert text.fold("x" * 73 + "é") == "x" * 73 + "\r\n é"  # é is two octets: not split
    assert text.fold("é" * 37) == "é" * 37  # 74 octets: fits
    assert text.fold("x" * 73 + "\\n") == "x" * 73 + "\r\n \\n"  # the backslash starts the next piece
    assert text.fold("x" * 73 + "^^") == "x" * 73 + "\r\n ^^"
    assert text.fold("x" * 74 + "\\n") == "x" * 74 + "\r\n \\n"
    assert text.text_line("NAME", "a,b") == "NAME:a\\,b"


# --- what an event says -----------------------------------------------------------------------------------


def test_vevent_text_of_a_known_event() -> None:
    assert ical.write_vevent(EVENT, BASE) == EVENT_TEXT
    assert ical.write_vevent(EVENT, "https://t.example") == EVENT_TEXT  # with or without the trailing slash


def test_stamps_are_utc_whatever_the_process_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """DTSTAMP, CREATED and LAST-MODIFIED end in Z: they must be UTC also when the server's own zone is not."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert ical.write_vevent(EVENT, BASE) == EVENT_TEXT
    finally:
        monkeypatch.undo()
        time.tzset()


def test_dates_only_for_all_day_events_and_confirmed_by_default() -> None:
    dated = replace(EVENT, start_date=date(2026, 11, 10), end_date=date(2026, 11, 10))  # stale dates on a timed event
    assert ical.write_vevent(dated, BASE) == EVENT_TEXT
    half = replace(EVENT, all_day=True, start_date=None, end_date=date(2026, 11, 10))  # not whole: written as timed
    assert "DTSTART;TZID=Europe/Skopje:20261110T100000" in ical.write_vevent(half, BASE).split("\r\n")
    assert "STATUS:CONFIRMED" in ical.write_vevent(replace(EVENT, status="draft"), BASE).split("\r\n")


def test_transitions_are_the_seconds_the_offset_changes() -> None:
    """Every change found is the first second of the new offset, as zoneinfo tells it second by second."""
    windows = [
        (zone, 2010, 2024) for zone in ("Europe/Skopje", "Australia/Lord_Howe", "Asia/Tehran", "Africa/Casablanca")
    ]
    windows += [("Asia/Kolkata", 1900, 1980), ("America/Sao_Paulo", 1900, 1980)]  # changes at odd seconds
    for zone, first, last in windows:
        found = ical.zone_transitions(zone, datetime(first, 1, 1, tzinfo=UTC), datetime(last, 1, 1, tzinfo=UTC))
        assert found, zone
        for transition in found:
            moment = int(transition.instant.timestamp())
            before, after = (datetime.fromtimestamp(moment + delta, ZoneInfo(zone)) for delta in (-1, 0))
            assert before.utcoffset() != after.utcoffset() or before.dst() != after.dst(), (zone, transition)
            assert (transition.offset_from, transition.offset_to) == (before.utcoffset(), after.utcoffset())


def test_all_day_utc_and_ambiguous_times() -> None:
    all_day = replace(EVENT, all_day=True, start_date=date(2026, 11, 10), end_date=date(2026, 11, 11))
    lines = ical.write_vevent(all_day, BASE).split("\r\n")
    assert "DTSTART;VALUE=DATE:20261110" in lines and "DTEND;VALUE=DATE:20261112" in lines
    in_utc = ical.write_vevent(replace(EVENT, timezone="Etc/UTC"), BASE).split("\r\n")
    assert "DTSTART:20261110T090000Z" in in_utc and "DTEND:20261110T103000Z" in in_utc
    # 00:30 UTC on 25 October 2026 is 02:30 CEST, a wall time that comes again at 02:30 CET.
    repeated = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert ical.is_ambiguous(repeated, "Europe/Skopje") and not ical.is_ambiguous(repeated, "Asia/Tokyo")
    assert not ical.is_ambiguous(repeated + timedelta(hours=1, minutes=30), "Europe/Skopje")
    ambiguous = replace(EVENT, start_dt=repeated, end_dt=repeated + timedelta(hours=3))
    assert ical.needs_utc(ambiguous) and "DTSTART:20261025T003000Z" in ical.write_vevent(ambiguous, BASE)
    assert ical.needs_utc(replace(EVENT, start_dt=EVENT.start_dt, end_dt=repeated + timedelta(days=400))) is False
    assert ical.needs_utc(replace(EVENT, end_dt=repeated))
    assert not ical.needs_utc(EVENT) and ical.needs_utc(replace(EVENT, timezone="UTC"))
    assert all(ical.is_utc_zone(name) for name in ("UTC", "Etc/UTC", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"))
    assert not ical.is_utc_zone("Europe/London")


@pytest.mark.parametrize(
    ("changes", "summary", "note", "status", "transparent"),
    [
        ({"status": "tentative"}, "Talks", "Tentative: the dates are not yet confirmed.", "TENTATIVE", False),
        ({"status": "postponed"}, "Postponed, new date to be announced: Talks",
         "This event has been postponed; a new date will be announced. The dates are those planned.", "TENTATIVE",
         True),
        ({"status": "cancelled"}, "Cancelled: Talks", "This event has been cancelled.", "CANCELLED", True),
        ({"deleted_dt": datetime(2026, 3, 1, tzinfo=UTC)}, "Cancelled: Talks",
         "This event has been removed from the calendar.", "CANCELLED", True),
        ({"status": "postponed", "deleted_dt": datetime(2026, 3, 1, tzinfo=UTC)}, "Cancelled: Talks",
         "This event has been removed from the calendar.", "CANCELLED", True),
        ({}, "Talks", "", "CONFIRMED", False),
    ],
)  # fmt: skip
def test_status_in_summary_description_status_and_transparency(
    changes: dict[str, object], summary: str, note: str, status: str, transparent: bool
) -> None:
    event = replace(EVENT, title="Talks", description="", **changes)  # type: ignore[arg-type]
    assert ical.event_summary(event) == summary
    description = ical.event_description(event, BASE)
    assert description.startswith(note + "\n\nHost: ") if note else description.startswith("Host: ")
    block = ical.write_vevent(event, BASE).split("\r\n")
    assert f"STATUS:{status}" in block and is_transparent(event) is transparent
    assert ("TRANSP:TRANSPARENT" if transparent else "TRANSP:OPAQUE") in block


def test_description_location_and_categories_leave_out_what_is_missing() -> None:
    bare = replace(EVENT, organisations=(("host", "H"),), people=(), source_url=None, description="", tags=("", "x"),
                   venue="", city="", country=None)  # fmt: skip
    assert ical.event_description(bare, BASE) == "Host: H\nEvent page: https://t.example/events/7"
    assert ical.event_location(bare) == "" and "LOCATION" not in ical.write_vevent(bare, BASE)
    assert event_categories(bare) == ["Conference", "x"]
    assert ical.event_location(replace(bare, city="Skopje")) == "Skopje"
    assert ical.event_location(replace(bare, country="CH")) == "Switzerland"
    with use_language("mk"):  # blocks are kept per revision and language: a Macedonian feed names it in Macedonian
        assert ical.event_location(replace(bare, country="CH")) == "Швајцарија"
    internal = replace(EVENT, visibility="internal", kind="official_visit")
    block = ical.write_vevent(internal, BASE).split("\r\n")
    assert "CLASS:PRIVATE" in block and "CATEGORIES:Official visit,asylum,migration" in block
    two_hosts = replace(bare, organisations=(("host", "H"), ("participant", "P"), ("host", "I")))
    assert ical.event_description(two_hosts, BASE).startswith("Hosts: H; I\nParticipant: P\n")
    assert ical.event_url("https://t.example//", 12) == "https://t.example/events/12"
    assert ical.event_url("https://t.example/a b", 3) == "https://t.example/a%20b/events/3"


# --- zones ------------------------------------------------------------------------------------------------

SKOPJE_2026 = (
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Skopje\r\n"
    "BEGIN:STANDARD\r\nDTSTART:20250101T010000\r\nTZNAME:CET\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\n"
    "END:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:20250330T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nTZNAME:CEST\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZNAME:CET\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


def test_vtimezone_of_a_known_zone_and_year() -> None:
    """EU summer time: from the last Sunday of March at 02:00 CET to the last Sunday of October at 03:00 CEST."""
    assert ical.vtimezone_block("Europe/Skopje", 2026, 2026) == SKOPJE_2026
    assert zone_blocks([ical.ZoneUse("Europe/Skopje", 2026, 2026)]) == [SKOPJE_2026]


def test_transitions_are_found_to_the_second() -> None:
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    spring, autumn = ical.zone_transitions("Europe/Skopje", start, end)
    assert spring == Transition(datetime(2026, 3, 29, 1, tzinfo=UTC), timedelta(hours=1), timedelta(hours=2), True,
                                "CEST")  # fmt: skip
    assert autumn == Transition(datetime(2026, 10, 25, 1, tzinfo=UTC), timedelta(hours=2), timedelta(hours=1), False,
                                "CET")  # fmt: skip
    assert spring.local_start == datetime(2026, 3, 29, 2) and autumn.local_start == datetime(2026, 10, 25, 3)
    assert spring.byday_choices() == {5, -1} and autumn.byday_choices() == {4, -1}
    assert ical.zone_transitions("Asia/Tokyo", start, end) == []
    change = datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert ical.zone_transitions("Europe/Skopje", start, change - timedelta(seconds=1)) == []
    assert ical.zone_transitions("Europe/Skopje", start, change) == [spring]  # the window ends inclusive
    assert ical.zone_transitions("Europe/Skopje", change, end) == [autumn]  # and starts exclusive
    first_sunday = Transition(
        datetime(2026, 11, 1, 6, tzinfo=UTC), timedelta(hours=-4), timedelta(hours=-5), False, "EST"
    )
    assert first_sunday.byday_choices() == {1, -5}
    seventh = Transition(datetime(2027, 3, 7, 1, tzinfo=UTC), timedelta(hours=1), timedelta(hours=2), True, "S")
    assert seventh.byday_choices() == {1, -4}  # the first Sunday, and the fourth from the end of March
    eighth = Transition(datetime(2027, 2, 8, 1, tzinfo=UTC), timedelta(hours=1), timedelta(hours=2), True, "S")
    assert eighth.byday_choices() == {2, -3}
    december = Transition(datetime(2026, 12, 31, 12, tzinfo=UTC), timedelta(0), timedelta(hours=1), False, "X")
    assert december.byday_choices() == {5, -1}


def test_new_york_rules_change_in_2007_with_until_in_utc() -> None:
    text_2005 = ical.vtimezone_block("America/New_York", 2005, 2008)
    # The last old-rule changes: 2 April 2006 02:00 EST (07:00 UTC), 29 October 2006 02:00 EDT (06:00 UTC).
    assert "DTSTART:20040404T020000\r\nRRULE:FREQ=YEARLY;UNTIL=20060402T070000Z;BYDAY=1SU;BYMONTH=4" in text_2005
    assert "DTSTART:20041031T020000\r\nRRULE:FREQ=YEARLY;UNTIL=20061029T060000Z;BYDAY=-1SU;BYMONTH=10" in text_2005
    assert "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n" in text_2005 and "BYDAY=1SU;BYMONTH=11\r\n" in text_2005
    # When the old rule's last year is the window's last, it still ends with an UNTIL.
    assert "UNTIL=20060402T070000Z;BYDAY=1SU;BYMONTH=4" in ical.vtimezone_block("America/New_York", 2005, 2006)
    assert "UNTIL" not in ical.vtimezone_block("America/New_York", 2008, 2010)
    assert text_2005.startswith("BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nBEGIN:STANDARD\r\nDTSTART:20031231T190000")


def test_runs_group_yearly_changes_and_leave_odd_ones_alone() -> None:
    def change(year: int, month: int, day: int) -> Transition:
        return Transition(datetime(year, month, day, 1, tzinfo=UTC), timedelta(hours=1), timedelta(hours=2), True, "S")

    # last Sundays of March 2024-2026, then a change on another day, then a gap of a year
    yearly = [change(2024, 3, 31), change(2025, 3, 30), change(2026, 3, 29)]
    assert _runs(yearly) == [(yearly, -1)]
    odd = change(2027, 4, 1)
    assert _runs([*yearly, odd]) == [(yearly, -1), ([odd], None)]
    assert _runs([change(2024, 3, 31), change(2026, 3, 29)]) == [([change(2024, 3, 31)], None),
                                                                 ([change(2026, 3, 29)], None)]  # fmt: skip
    # the first Sunday twice (1st of the month, but -4th then -5th from its end), then a second Sunday (-4th)
    first_sundays = [change(2023, 3, 5), change(2024, 3, 3)]
    assert _runs([*first_sundays, change(2025, 3, 9)]) == [(first_sundays, 1), ([change(2025, 3, 9)], None)]
    second_sundays = [change(2024, 3, 10), change(2025, 3, 9)]
    assert _runs(second_sundays) == [(second_sundays, 2)]


def test_zone_uses_span_the_years_and_skip_utc_and_ambiguous_times() -> None:
    day = datetime(2026, 6, 1, 10, tzinfo=UTC)
    repeated = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    uses = ical.zone_uses([
        ("UTC", day, day),
        ("Europe/Zurich", repeated, day),
        ("Europe/Skopje", day, day + timedelta(hours=1)),
        ("Asia/Tokyo", day, day),
        ("Europe/Skopje", day.replace(year=2024), day.replace(year=2024)),
        ("Europe/Skopje", day.replace(year=2028), day.replace(year=2029)),
        ("UTC", day, day),
        ("Europe/Zurich", repeated, day),
        ("Europe/Berlin", day, repeated),
    ])  # fmt: skip
    assert uses == [ical.ZoneUse("Asia/Tokyo", 2026, 2026), ical.ZoneUse("Europe/Skopje", 2024, 2029)]


# --- whole calendars ------------------------------------------------------------------------------------


def test_calendar_header_and_assembly() -> None:
    header = ical.calendar_header("Cal, one", description="Desc\nmore", source_url="https://t.example/c.ics",
                                  site_url="https://t.example")  # fmt: skip
    assert header == (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Conference Tracker//tracker 0.1//EN\r\nCALSCALE:GREGORIAN\r\n"
        "DESCRIPTION:Desc\\nmore\r\nX-WR-CALDESC:Desc\\nmore\r\nNAME:Cal\\, one\r\nX-WR-CALNAME:Cal\\, one\r\n"
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nSOURCE;VALUE=URI:https://t.example/c.ics\r\n"
        "URL;VALUE=URI:https://t.example\r\nX-PUBLISHED-TTL:PT1H\r\n"
    )
    plain = ical.calendar_header("Plain")
    assert "DESCRIPTION" not in plain and "SOURCE" not in plain and "URL" not in plain and "NAME:Plain\r\n" in plain
    assert ical.assemble(plain, ["Z\r\n"], ["A\r\n", "B\r\n"]) == (plain + "Z\r\nA\r\nB\r\nEND:VCALENDAR\r\n").encode()
    assert ical.assemble(plain, [], ["Ж\r\n"]) == (plain + "Ж\r\nEND:VCALENDAR\r\n").encode()
    assert ical.assemble(plain, ["Z\r\n"], []) == (plain + "Z\r\nEND:VCALENDAR\r\n").encode()
    empty = ical.assemble(plain, [], [])
    assert empty == (plain + ical.vtimezone_block("Etc/UTC", 2000, 2000) + "END:VCALENDAR\r\n").encode()
    assert b"TZID:Etc/UTC" in empty


def test_single_event_calendar_with_or_without_its_stored_block() -> None:
    written = ical.single_event_calendar(EVENT, BASE, "Tracker")
    header = ical.calendar_header("Tracker")
    zone = ical.vtimezone_block("Europe/Skopje", 2026, 2026)
    assert written == (header + zone + EVENT_TEXT + "END:VCALENDAR\r\n").encode()
    stored = ical.single_event_calendar(EVENT, BASE, "Tracker", block="BEGIN:VEVENT\r\nEND:VEVENT\r\n")
    assert stored == (header + zone + "BEGIN:VEVENT\r\nEND:VEVENT\r\n" + "END:VCALENDAR\r\n").encode()
    all_day = replace(EVENT, all_day=True, start_date=date(2026, 11, 10), end_date=date(2026, 11, 10))
    assert b"VTIMEZONE" not in ical.single_event_calendar(all_day, BASE, "Tracker")
