"""``read_calendar``: real-world shaped files, zones, isolation between files, hostile input.

Oracles: ``recurring_ical_events``' own reading of the same file (every instant, in UTC), values typed by hand,
and line numbers counted on the raw bytes.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
import x_wr_timezone

from tracker.ical import ReadEvent, ReadLimits, ReadResult, read_calendar

DATA = Path(__file__).parent / "data" / "ical"
WINDOW = (date(2022, 1, 1), date(2024, 1, 1))
LIMITS = ReadLimits(*WINDOW)


def read(name: str, limits: ReadLimits = LIMITS) -> ReadResult:
    result = read_calendar((DATA / name).read_bytes(), limits)
    assert result.ok, result.problems
    return result


def utc(value: date) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ") if isinstance(value, datetime) else value.isoformat()


def reference(data: bytes, *, standard: bool = False, window: tuple[date, date] = WINDOW) -> set[tuple[str, str, str]]:
    """(UID, start, end) of every occurrence as recurring_ical_events reads the file (UTC, or dates)."""
    calendar = icalendar.Calendar.from_ical(data)
    if standard:
        calendar = x_wr_timezone.to_standard(calendar)
    found = recurring_ical_events.of(calendar).between(*window)
    return {(str(event["UID"]), utc(event["DTSTART"].dt), utc(event["DTEND"].dt)) for event in found}


def ours(result: ReadResult) -> set[tuple[str, str, str]]:
    return {(event.uid, utc(event.start), utc(event.end)) for event in result.events}


def begin_lines(data: bytes) -> list[int]:
    """Physical line numbers of each BEGIN:VEVENT, counted on the bytes."""
    return [number for number, line in enumerate(data.split(b"\n"), start=1) if line.strip() == b"BEGIN:VEVENT"]


def by_uid(result: ReadResult, start: str) -> list[ReadEvent]:
    return [event for event in result.events if event.uid.startswith(start)]


def ics(*lines: str, head: tuple[str, ...] = ()) -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *head, *lines, "END:VCALENDAR"]
    return ("\r\n".join(body) + "\r\n").encode()


def vevent(*lines: str, uid: str = "e1@test", summary: str = "Visit") -> tuple[str, ...]:
    return ("BEGIN:VEVENT", f"UID:{uid}", f"SUMMARY:{summary}", "DTSTAMP:20221101T000000Z", *lines, "END:VEVENT")


# ------------------------------------------------------------------------------------------ real-world files


@pytest.mark.parametrize(
    ("name", "standard"),
    [
        ("google.ics", True),
        ("outlook.ics", False),
        ("apple.ics", True),
        ("thunderbird.ics", False),
        ("cancelled.ics", True),
        ("method-cancel.ics", False),
    ],
)
def test_every_instant_agrees_with_recurring_ical_events(name: str, standard: bool) -> None:
    data = (DATA / name).read_bytes()
    result = read(name)
    assert ours(result) == reference(data, standard=standard)
    assert {event.line for event in result.events} <= set(begin_lines(data))


def test_google_export_weekly_series_with_exdate_and_a_moved_occurrence() -> None:
    data = (DATA / "google.ics").read_bytes()
    result = read("google.ics")
    assert result.calendar_name == "Ministry of Foreign Affairs – public events"
    series = by_uid(result, "4kq0v7n2")
    # 10:00 in Skopje: 08:00 UTC in summer time, 09:00 after 30 October; 28 November excluded; 21 November moved.
    assert [(event.recurrence_id, utc(event.start)) for event in series] == [
        ("20221017T080000Z", "2022-10-17T08:00Z"),
        ("20221024T080000Z", "2022-10-24T08:00Z"),
        ("20221031T090000Z", "2022-10-31T09:00Z"),
        ("20221107T090000Z", "2022-11-07T09:00Z"),
        ("20221114T090000Z", "2022-11-14T09:00Z"),
        ("20221121T090000Z", "2022-11-22T13:00Z"),
        ("20221205T090000Z", "2022-12-05T09:00Z"),
        ("20221212T090000Z", "2022-12-12T09:00Z"),
    ]
    master, override = begin_lines(data)[:2]
    moved = series[5]
    assert (moved.title, moved.sequence, moved.line) == ("Weekly coordination meeting (moved)", 1, override)
    assert moved.start == datetime(2022, 11, 22, 14, tzinfo=moved.start.tzinfo) and moved.timezone == "Europe/Skopje"
    first = series[0]
    assert (first.sequence, first.line, first.status, first.all_day) == (0, master, "confirmed", False)
    assert first.location == "Ministry of Foreign Affairs, Dame Gruev 6, Skopje"
    assert first.description == (
        "Weekly coordination of the protocol and international cooperation units. Agenda: upcoming visits, the"
        " migration conference and the press plan."
    )  # folded over two physical lines in the file
    assert first.last_modified == datetime(2022, 11, 15, 7, 10, tzinfo=UTC)
    (conference,) = by_uid(result, "0b9m8n7v")
    assert (conference.all_day, conference.start, conference.end) == (True, date(2022, 11, 15), date(2022, 11, 17))
    assert conference.recurrence_id == "" and conference.sequence == 2
    (call,) = by_uid(result, "7y6t5r4e")  # written in UTC: X-WR-TIMEZONE puts it in Skopje
    assert (call.timezone, call.start.hour, call.status) == ("Europe/Skopje", 10, "tentative")


def test_occurrence_ids_are_stable_across_reads() -> None:
    first = [(event.uid, event.recurrence_id) for event in read("google.ics").events]
    assert first == [(event.uid, event.recurrence_id) for event in read("google.ics").events]
    assert len(set(first)) == len(first)


def test_outlook_export_windows_zone_names() -> None:
    result = read("outlook.ics")
    berlin, flight, *review = result.events
    assert berlin.timezone == "Europe/Berlin" and utc(berlin.start) == "2022-11-15T08:00Z"
    assert berlin.start.hour == 9 and utc(berlin.end) == "2022-11-15T16:00Z"
    assert berlin.title == "Bilateral consultations in Berlin"
    assert berlin.description == (
        "Bilateral consultations on the EU accession process.\n\nDelegation: State Secretary and two advisers."
    )
    # Leaves Berlin at 09:00 (+01:00), lands in Kyiv at 14:30 (+02:00): the end is shown in the start's zone.
    assert (utc(flight.start), utc(flight.end), flight.end.hour, flight.end.minute) == (
        "2022-11-16T08:00Z",
        "2022-11-16T12:30Z",
        13,
        30,
    )
    assert {event.timezone for event in review} == {"Europe/Kiev"}  # icalendar's table says Kiev
    assert [utc(event.start) for event in review] == [
        "2022-12-10T09:00Z",
        "2023-01-10T09:00Z",
        "2023-02-10T09:00Z",
        "2023-03-10T09:00Z",
    ]


def test_apple_export_text_links_and_a_yearly_all_day_series() -> None:
    result = read("apple.ics")
    conference, *holiday, reception = result.events
    assert conference.location == "Hotel Aleksandar Palace bul. 8-mi Septemvri 15, Skopje, North Macedonia"
    assert conference.url == "https://www.example.org/conferences/western-balkans-2022"
    assert (conference.timezone, utc(conference.start), utc(conference.end)) == (
        "Europe/Skopje",
        "2022-11-15T08:00Z",
        "2022-11-16T17:00Z",
    )
    assert [(event.recurrence_id, event.start, event.end) for event in holiday] == [
        ("20220802", date(2022, 8, 2), date(2022, 8, 3)),
        ("20230802", date(2023, 8, 2), date(2023, 8, 3)),
    ]
    assert reception.url is None  # mailto: is no web page
    assert (reception.all_day, reception.start, reception.end, reception.sequence) == (
        True,
        date(2022, 12, 1),
        date(2022, 12, 2),
        3,
    )


def test_thunderbird_export_categories_duration_rdate_exdate_and_vendor_zone_ids() -> None:
    result = read("thunderbird.ics")
    meeting, *summit = result.events
    assert meeting.categories == ("Meeting", "Western Balkans")  # "meeting" again is the same category
    assert (meeting.status, meeting.timezone, utc(meeting.start)) == (
        "tentative",
        "Europe/Belgrade",
        "2022-11-24T09:00Z",
    )
    # DAILY COUNT=3 from 5 December, 6 December excluded, 10 December added; 09:30 in Athens is 07:30 UTC.
    assert [(event.recurrence_id, utc(event.end)) for event in summit] == [
        ("20221205T073000Z", "2022-12-05T09:00Z"),
        ("20221207T073000Z", "2022-12-07T09:00Z"),
        ("20221210T073000Z", "2022-12-10T09:00Z"),
    ]
    assert {event.timezone for event in summit} == {"Europe/Athens"}


def test_cancelled_event_and_cancelled_occurrence() -> None:
    result = read("cancelled.ics")
    briefing = by_uid(result, "cancelled-occurrence")
    assert [(event.recurrence_id[:8], event.status) for event in briefing] == [
        ("20221205", "confirmed"),
        ("20221206", "confirmed"),
        ("20221207", "cancelled"),
        ("20221208", "confirmed"),
        ("20221209", "confirmed"),
    ]
    assert [event.status for event in by_uid(result, "state-visit-lunch")] == ["cancelled"]


def test_method_cancel_cancels_every_event() -> None:
    (event,) = read("method-cancel.ics").events
    assert (event.status, event.timezone, utc(event.start)) == ("cancelled", "Europe/Budapest", "2022-11-30T09:00Z")


# ------------------------------------------------------------------------------------------------- zones

MY_ZONE_PLUS_3 = (
    "BEGIN:VTIMEZONE", "TZID:MyZone", "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0300",
    "TZOFFSETTO:+0300", "TZNAME:MYZ", "END:STANDARD", "END:VTIMEZONE",
)  # fmt: skip
MY_ZONE_MINUS_5 = tuple(line.replace("+0300", "-0500") for line in MY_ZONE_PLUS_3)
AT_NINE = ("DTSTART;TZID=MyZone:20221115T090000", "DTEND;TZID=MyZone:20221115T100000")
FILE_A = ics(*MY_ZONE_PLUS_3, *vevent(*AT_NINE))
FILE_B = ics(*MY_ZONE_MINUS_5, *vevent(*AT_NINE))


def start_of(data: bytes) -> str:
    result = read_calendar(data, LIMITS)
    assert result.ok, result.problems
    return utc(result.events[0].start)


def test_a_files_own_zone_never_takes_another_files_definition() -> None:
    icalendar.Calendar.from_ical(FILE_B)  # icalendar itself now caches B's MyZone for the whole process
    assert [start_of(data) for data in (FILE_A, FILE_B, FILE_A)] == [
        "2022-11-15T06:00Z",  # 09:00 at +03:00
        "2022-11-15T14:00Z",  # 09:00 at -05:00
        "2022-11-15T06:00Z",
    ]
    (event,) = read_calendar(FILE_A, LIMITS).events
    assert event.timezone == "UTC"  # no IANA zone is named for MyZone


def test_files_read_at_the_same_time_keep_their_own_zones() -> None:
    with ThreadPoolExecutor(8) as pool:
        starts = list(pool.map(start_of, [FILE_A, FILE_B] * 40))
    assert starts == ["2022-11-15T06:00Z", "2022-11-15T14:00Z"] * 40


SKOPJE_RULES = (
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT", "BEGIN:STANDARD", "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100", "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
)  # fmt: skip


@pytest.mark.parametrize(
    ("location", "head", "zone"),
    [
        ("X-LIC-LOCATION:Europe/Skopje", (), "Europe/Skopje"),
        ("X-LIC-LOCATION:Asia/Tokyo", (), "UTC"),  # Tokyo's offsets disagree: the instant in UTC
        ("X-COMMENT:none", ("X-WR-TIMEZONE:Europe/Belgrade",), "Europe/Belgrade"),
        ("X-COMMENT:none", (), "UTC"),
    ],
)
def test_a_custom_zone_is_named_only_by_an_iana_zone_that_agrees(location: str, head: tuple, zone: str) -> None:
    block = ("BEGIN:VTIMEZONE", "TZID:Customized Time Zone", location, *SKOPJE_RULES, "END:VTIMEZONE")
    times = ("DTSTART;TZID=Customized Time Zone:20220715T090000", "DTEND;TZID=Customized Time Zone:20220715T100000")
    (event,) = read_calendar(ics(*block, *vevent(*times), head=head), LIMITS).events
    assert (event.timezone, utc(event.start), utc(event.end)) == (zone, "2022-07-15T07:00Z", "2022-07-15T08:00Z")


def test_a_tzid_without_its_vtimezone_is_a_problem_on_its_line() -> None:
    data = ics(*vevent("DTSTART;TZID=MyZone:20221115T090000"))
    result = read_calendar(data, LIMITS)
    assert result.events == ()
    line = data.split(b"\r\n").index(b"DTSTART;TZID=MyZone:20221115T090000") + 1
    assert [(p.line, p.message) for p in result.problems] == [
        (line, f"Line {line}: the time zone “MyZone” is not defined in the file")
    ]


def test_zone_names_in_another_case_and_floating_times() -> None:
    (event,) = read_calendar(ics(*vevent("DTSTART;TZID=europe/skopje:20221115T090000")), LIMITS).events
    assert (event.timezone, utc(event.start)) == ("Europe/Skopje", "2022-11-15T08:00Z")
    floating = vevent("DTSTART:20221115T090000", "DTEND:20221115T093000")
    (event,) = read_calendar(ics(*floating, head=("X-WR-TIMEZONE:Europe/Skopje",)), LIMITS).events
    assert (event.timezone, utc(event.start)) == ("Europe/Skopje", "2022-11-15T08:00Z")
    limits = ReadLimits(*WINDOW, default_zone="America/New_York")
    (event,) = read_calendar(ics(*floating), limits).events
    assert (event.timezone, utc(event.start), utc(event.end)) == (
        "America/New_York",
        "2022-11-15T14:00Z",
        "2022-11-15T14:30Z",
    )
    (event,) = read_calendar(ics(*vevent("DTSTART:20221115T090000Z")), LIMITS).events
    assert (event.timezone, utc(event.start), utc(event.end)) == ("UTC", "2022-11-15T09:00Z", "2022-11-15T10:00Z")


# ------------------------------------------------------------------------------------ values and defaults


def test_text_is_cleaned_and_categories_split_stripped_and_deduplicated() -> None:
    lines = (
        "DTSTART;VALUE=DATE:20221115",
        "CATEGORIES:Migration , Border\\, security,migration",
        "CATEGORIES:" + "x" * 90,
        "LOCATION:Skopje\x07 City",
        "DESCRIPTION:First line\\nSecond\x00 line",
        "URL:javascript:alert(1)",
    )
    (event,) = read_calendar(ics(*vevent(*lines, summary="Visit\x01 of the\x1b minister")), LIMITS).events
    assert event.title == "Visit of the minister"
    assert event.categories == ("Migration", "Border", "security", "x" * 60)
    assert (event.location, event.description, event.url) == ("Skopje City", "First line\nSecond line", None)
    assert (event.all_day, event.start, event.end, event.timezone) == (
        True,
        date(2022, 11, 15),
        date(2022, 11, 16),
        "UTC",
    )


def test_single_events_are_returned_whatever_their_date_and_series_only_inside_the_window() -> None:
    data = ics(
        *vevent("DTSTART:19990101T090000Z", uid="old"),
        *vevent("DTSTART:20300101T090000Z", uid="future"),
        *vevent("DTSTART:20210101T090000Z", "RRULE:FREQ=YEARLY", uid="yearly"),
    )
    result = read_calendar(data, LIMITS)
    assert [(event.uid, utc(event.start)) for event in result.events] == [
        ("old", "1999-01-01T09:00Z"),
        ("future", "2030-01-01T09:00Z"),
        ("yearly", "2022-01-01T09:00Z"),
        ("yearly", "2023-01-01T09:00Z"),
    ]


def test_zero_or_missing_durations_and_missing_start() -> None:
    data = ics(*vevent("DTSTART:20221115T090000Z", "DTEND:20221115T090000Z"))
    (event,) = read_calendar(data, LIMITS).events
    assert utc(event.end) == "2022-11-15T10:00Z"
    data = ics(*vevent("DTSTART;VALUE=DATE:20221115", "DURATION:P3D"))
    (event,) = read_calendar(data, LIMITS).events
    assert (event.start, event.end) == (date(2022, 11, 15), date(2022, 11, 18))
    result = read_calendar(ics(*vevent("DTEND:20221115T090000Z", summary="No start")), LIMITS)
    assert [p.message for p in result.problems] == ["The event “No start” (line 4) has no start (DTSTART)"]


# ------------------------------------------------------------------------------------------------ hostile


def problems(data: bytes, limits: ReadLimits = LIMITS) -> list[tuple[int, str]]:
    result = read_calendar(data, limits)
    assert result.events == () and result.problems
    return [(problem.line, problem.message) for problem in result.problems]


def test_too_big_is_one_problem() -> None:
    assert problems(read_bytes := (DATA / "google.ics").read_bytes(), ReadLimits(*WINDOW, max_bytes=1000)) == [
        (0, f"The file has {len(read_bytes):,} bytes; at most 1,000 can be read")
    ]


def test_utf8_with_a_byte_order_mark_and_bare_line_feeds_is_read() -> None:
    data = b"\xef\xbb\xbf" + (DATA / "google.ics").read_bytes().replace(b"\r\n", b"\n")
    assert ours(read_calendar(data, LIMITS)) == ours(read("google.ics"))


def test_invalid_utf8_names_its_line() -> None:
    data = ics(*vevent("LOCATION:Caf\xe9")).replace("Café".encode(), b"Caf\xe9")
    assert problems(data) == [(8, "Line 8: the file is not UTF-8 text (the byte 0xE9 is not a character there)")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty: it holds no BEGIN:VCALENDAR"),
        (b"<html><body>Not found</body></html>", "This is not an iCalendar file: line 1 should be BEGIN:VCALENDAR"),
        (b"\x00\xff" * 50, "Line 1: the file is not UTF-8 text (the byte 0xFF is not a character there)"),
        (b"\r\nBEGIN:VEVENT\r\n", "This is not an iCalendar file: line 2 should be BEGIN:VCALENDAR"),
    ],
    ids=["empty", "html", "binary", "no-calendar"],
)
def test_not_a_calendar(data: bytes, message: str) -> None:
    ((_line, text),) = problems(data)
    assert text.startswith(message)


def test_malformed_lines_are_reported_with_their_physical_line_number() -> None:
    data = (DATA / "google.ics").read_bytes().split(b"\r\n")
    folded = next(number for number, line in enumerate(data) if line.startswith(b" "))  # a continuation line
    data.insert(folded + 3, b"THIS LINE HAS NO COLON")
    data.insert(folded + 6, b";broken:value")
    found = problems(b"\r\n".join(data))
    assert found == [
        (folded + 4, f"Line {folded + 4}: the line has no ':' between the property name and its value"),
        (folded + 7, f"Line {folded + 7}: “;broken:value” does not begin with a property name"),
    ]


def test_broken_structure_and_unreadable_values_name_their_lines() -> None:
    assert problems(ics("BEGIN:VEVENT", "UID:x", "DTSTART:20221115T090000Z")) == [
        (7, "Line 7: END:VCALENDAR does not close the VEVENT opened on line 4"),
    ]
    truncated = ics(*vevent("DTSTART:20221115T090000Z")).split(b"END:VEVENT")[0]
    assert problems(truncated) == [
        (4, "Line 4: the VEVENT that begins here is never closed"),
        (1, "Line 1: the VCALENDAR that begins here is never closed"),
    ]
    assert problems(ics(*vevent("DTSTART:20221115T090000Z", "DTEND:tomorrow"))) == [
        (9, "Line 9: DTEND of the event “Visit” (line 4) holds “tomorrow”, which cannot be read"),
    ]


@pytest.mark.parametrize(("frequency", "unit"), [("SECONDLY", "second"), ("MINUTELY", "minute"), ("HOURLY", "hour")])
def test_sub_daily_rules_are_refused_before_expanding(frequency: str, unit: str) -> None:
    data = ics(*vevent("DTSTART:20221115T090000Z", f"RRULE:FREQ={frequency}", summary="Flood"))
    assert problems(data) == [
        (9, f"The event “Flood” (line 4) repeats every {unit} (line 9): events that repeat more often than daily"
         " cannot be imported"),
    ]  # fmt: skip


def test_rules_that_make_many_occurrences_a_day_or_walk_centuries_are_refused() -> None:
    rule = "RRULE:FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))) + ";BYMINUTE=0,30"
    assert "repeats 48 times a day" in problems(ics(*vevent("DTSTART:20221115T090000Z", rule)))[0][1]
    ancient = ics(*vevent("DTSTART:19000101T090000Z", "RRULE:FREQ=DAILY"))
    late = ReadLimits(date(2099, 1, 1), date(2100, 1, 1))
    assert problems(ancient, late) == [
        (9, "The event “Visit” (line 4) repeats from 19000101 (line 9), too long before 2100-01-01 to be expanded")
    ]  # 73,000 days, each walked by dateutil before the window
    assert len(read_calendar(ancient, ReadLimits(date(2022, 1, 1), date(2022, 2, 1))).events) == 31


def test_a_daily_rule_without_end_over_two_years_is_fine_but_capped_per_series() -> None:
    data = ics(*vevent("DTSTART:20220101T090000Z", "RRULE:FREQ=DAILY", summary="Daily"))
    result = read_calendar(data, ReadLimits(*WINDOW, max_per_series=1000))
    assert len(result.events) == 730 and result.events[-1].recurrence_id == "20231231T090000Z"
    assert problems(data) == [
        (4, "The event “Daily” (line 4) happens more than 500 times between 2022-01-01 and 2024-01-01; at most 500"
         " occurrences of one event can be imported"),
    ]  # fmt: skip


def test_counts_of_events_and_occurrences_are_bounded() -> None:
    many = ics(*[line for n in range(30) for line in vevent("DTSTART:20221115T090000Z", uid=f"e{n}")])
    assert problems(many, ReadLimits(*WINDOW, max_events=20)) == [
        (0, "The file holds 30 events; at most 20 can be read at once")
    ]
    assert problems(many, ReadLimits(*WINDOW, max_occurrences=20)) == [
        (0, "The file makes more than 20 events once its repeating events are expanded")
    ]


def test_running_out_of_time_makes_the_file_bad() -> None:
    data = ics(*vevent("DTSTART:20220101T090000Z", "RRULE:FREQ=DAILY;COUNT=10", summary="Daily"))
    (found,) = problems(data, ReadLimits(*WINDOW, budget_seconds=-1))
    assert found[1].startswith("Reading the file took longer than -1 seconds (at the event “Daily” (line 4))")


def test_problems_are_listed_up_to_a_hundred() -> None:
    data = ics(*[f"BROKEN LINE {n}" for n in range(300)])
    found = problems(data)
    assert len(found) == 100 and found[-1] == (0, "… and 201 more problems")


def test_a_uid_too_long_to_store_is_a_problem() -> None:
    data = ics(*vevent("DTSTART:20221115T090000Z", uid="u" * 501))
    assert "has a UID of 501 characters; at most 500" in problems(data)[0][1]


def test_a_missing_uid_is_made_from_start_and_title_the_same_on_every_read() -> None:
    data = ics("BEGIN:VEVENT", "SUMMARY:No UID", "DTSTART:20221115T090000Z", "END:VEVENT")
    first, again = (read_calendar(data, LIMITS).events[0].uid for _ in range(2))
    assert first == again and first.startswith("no-uid-")


def test_sequence_and_last_modified() -> None:
    lines = ("DTSTART:20221115T090000Z", "SEQUENCE:7", "LAST-MODIFIED:20221101T120000Z")
    (event,) = read_calendar(ics(*vevent(*lines)), LIMITS).events
    assert (event.sequence, event.last_modified) == (7, datetime(2022, 11, 1, 12, tzinfo=UTC))
    (event,) = read_calendar(ics(*vevent("DTSTART:20221115T090000Z")), LIMITS).events
    assert (event.sequence, event.last_modified) == (0, None)
    assert event.end - event.start == timedelta(hours=1)


def test_an_override_for_this_and_future_occurrences_keeps_each_occurrence_identity() -> None:
    data = ics(
        *vevent("DTSTART:20221205T090000Z", "DTEND:20221205T100000Z", "RRULE:FREQ=DAILY;COUNT=5", uid="s"),
        *vevent(
            "RECURRENCE-ID;RANGE=THISANDFUTURE:20221207T090000Z",
            "DTSTART:20221207T110000Z",
            "DTEND:20221207T120000Z",
            "SEQUENCE:1",
            uid="s",
            summary="Later",
        ),
    )
    result = read_calendar(data, LIMITS)
    assert [(event.recurrence_id, utc(event.start), event.title) for event in result.events] == [
        ("20221205T090000Z", "2022-12-05T09:00Z", "Visit"),
        ("20221206T090000Z", "2022-12-06T09:00Z", "Visit"),
        ("20221207T090000Z", "2022-12-07T11:00Z", "Later"),
        ("20221208T090000Z", "2022-12-08T11:00Z", "Later"),
        ("20221209T090000Z", "2022-12-09T11:00Z", "Later"),
    ]
    assert ours(result) == reference(data)


def test_problems_carry_the_uid_of_their_event() -> None:
    data = ics(*vevent("DTSTART:20221115T090000Z", "RRULE:FREQ=HOURLY", uid="flood@example.org"))
    assert [problem.uid for problem in read_calendar(data, LIMITS).problems] == ["flood@example.org"]


def test_a_utc_time_stays_utc_even_with_a_tzid_of_the_files_own_zone() -> None:
    data = ics(*MY_ZONE_PLUS_3, *vevent("DTSTART;TZID=MyZone:20221115T090000Z"))
    assert start_of(data) == "2022-11-15T09:00Z"


def test_a_calendar_in_another_scale_is_refused() -> None:
    data = ics(*vevent("DTSTART:20221115T090000Z"), head=("CALSCALE:CHINESE",))
    assert problems(data) == [(4, "Line 4: only Gregorian calendars can be read")]


def test_a_quoted_display_name_as_tzid_finds_its_escaped_vtimezone() -> None:
    name = "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"
    block = ("BEGIN:VTIMEZONE", "TZID:" + name.replace(",", "\\,"), *SKOPJE_RULES, "END:VTIMEZONE")
    (event,) = read_calendar(ics(*block, *vevent(f'DTSTART;TZID="{name}":20220715T090000')), LIMITS).events
    assert (event.timezone, utc(event.start)) == ("UTC", "2022-07-15T07:00Z")


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
        "FREQ=WEEKLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=31;COUNT=3",
        "FREQ=DAILY;BYYEARDAY=200;BYMONTH=1",
    ],
)
def test_a_rule_that_matches_no_date_is_refused_before_expanding(rule: str) -> None:
    data = ics(*vevent("DTSTART:20221115T090000Z", f"RRULE:{rule}"))
    assert problems(data) == [(9, "Line 9: the repetition rule of the event “Visit” (line 4) matches no date at all")]


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYMONTH=3",
        "FREQ=DAILY;INTERVAL=10;BYMONTH=1,7",
        "FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH",
    ],
)
def test_rules_with_filters_that_do_match_are_expanded_as_recurring_ical_events_does(rule: str) -> None:
    data = ics(*vevent("DTSTART:20200101T090000Z", "DTEND:20200101T100000Z", f"RRULE:{rule}"))
    window = (date(2021, 1, 1), date(2027, 1, 1))
    result = read_calendar(data, ReadLimits(*window))
    assert result.events and ours(result) == reference(data, window=window)


@pytest.mark.parametrize(
    ("rule", "what"),
    [("FREQ=DAILY;CONT=3", "an unknown part “CONT”"), ("FREQ=WEEKLY;BYDAY=MO,XX", "BYDAY=MO,XX")],
)
def test_a_rule_with_parts_that_cannot_be_read_names_them(rule: str, what: str) -> None:
    data = ics(*vevent("DTSTART:20221115T090000Z", f"RRULE:{rule}"))
    message = f"Line 9: the repetition rule of the event “Visit” (line 4) has {what}, which cannot be read"
    assert problems(data) == [(9, message)]


def test_of_two_versions_of_one_event_the_higher_sequence_wins() -> None:
    data = ics(
        *vevent("DTSTART:20221115T090000Z", "SEQUENCE:2", summary="New", uid="twice"),
        *vevent("DTSTART:20221114T090000Z", "SEQUENCE:1", summary="Old", uid="twice"),
    )
    assert [(event.title, event.line) for event in read_calendar(data, LIMITS).events] == [("New", 4)]
    series = ics(
        *vevent("DTSTART:20221114T090000Z", "RRULE:FREQ=DAILY;COUNT=2", "SEQUENCE:1", summary="Old", uid="s"),
        *vevent("DTSTART:20221115T090000Z", "RRULE:FREQ=DAILY;COUNT=2", "SEQUENCE:2", summary="New", uid="s"),
    )
    result = read_calendar(series, LIMITS)
    assert [(event.title, utc(event.start), event.line) for event in result.events] == [
        ("New", "2022-11-15T09:00Z", 12),
        ("New", "2022-11-16T09:00Z", 12),
    ]
    assert {start for _, start, _ in ours(result)} == {start for _, start, _ in reference(series)}  # no DTEND there
