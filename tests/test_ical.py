"""tracker.ical: VEVENT blocks, text safety, VTIMEZONEs from tzdata, checked by the shared checker and ical.js."""

from __future__ import annotations

import random
import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, make_event
from tests.feeds_support import HOSTILE_TITLES, bulk_events, expected_instants, icaljs_events, icscheck
from tests.ical_reference import reference_vevent
from tracker import ical
from tracker.ical.event import _event_url_prefix
from tracker.ical.text import fold
from tracker.ical.vtimezone import vtimezone_block
from tracker.ical.writer import _zone_parameters
from tracker.models import (
    Event,
    EventKind,
    EventOrganisation,
    EventPerson,
    EventStatus,
    EventTag,
    Organisation,
    OrganisationRole,
    Person,
    Visibility,
)
from tracker.services import feeds
from tracker.services.demo import load_demo
from tracker.services.events import load_event
from tracker.services.listing import with_details
from tracker.timezones import all_day_bounds, local_to_utc, utc_to_local

BASE = "https://tracker.example.org"


@pytest.fixture(autouse=True)
def _fresh_zone_caches() -> None:
    """Forget memoized VTIMEZONEs and zone parameters, so that each test makes them itself (mutation testing
    forks its runs from a warm process; a cached block would hide a change in how blocks are made)."""
    vtimezone_block.cache_clear()
    _zone_parameters.cache_clear()
    _event_url_prefix.cache_clear()


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
    first = ical.write_vevent(load_event(db_session, event.id), BASE)
    db_session.expire_all()
    again = ical.write_vevent(load_event(db_session, event.id), BASE)
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


def test_event_data_of_a_loaded_event_names_people_with_their_organisation(db_session: Session) -> None:
    organisation = Organisation(name="International Organization for Migration", acronym="IOM")
    unnamed = Organisation(name="Regional Council")
    db_session.add_all([organisation, unnamed])
    db_session.flush()
    people = [Person(name="Ana", position="Director", organisation_id=organisation.id), Person(name="Bo"),
              Person(name="Cy", organisation_id=unnamed.id)]  # fmt: skip
    db_session.add_all(people)
    db_session.flush()
    event = make_event(db_session, title="Talks", tags="migration, asylum")
    for order, person in enumerate(people):
        db_session.add(EventPerson(event_id=event.id, person_id=person.id, sort_order=order))
    db_session.add(EventOrganisation(event_id=event.id, organisation_id=organisation.id, role="host", sort_order=1))
    db_session.add(EventOrganisation(event_id=event.id, organisation_id=unnamed.id, role="supporter", sort_order=0))
    db_session.commit()
    data = ical.EventData.from_event(load_event(db_session, event.id))
    assert data.people == (("Ana, Director", "IOM"), ("Bo", None), ("Cy", "Regional Council"))
    assert data.organisations == (
        ("supporter", "Regional Council"),
        ("host", "International Organization for Migration (IOM)"),
    )
    assert data.tags == ("asylum", "migration") and data.title == "Talks" and data.id == event.id


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
        [ical.write_vevent(event, BASE) for event in events],
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
        ical.calendar_header("Zones"), ical.zone_blocks(uses), [ical.write_vevent(e, BASE) for e in events]
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
    assert {"TZNAME:CET", "TZNAME:CEST"} <= set(text.split("\r\n"))
    assert {"TZNAME:EST", "TZNAME:EDT"} <= set(new_york.split("\r\n"))


@pytest.mark.parametrize("zone", ["Europe/Skopje", "America/New_York", "Australia/Sydney", "Europe/Moscow",
                                  "America/Sao_Paulo", "Asia/Kathmandu", "Europe/Dublin"])  # fmt: skip
def test_every_observance_is_named_as_zoneinfo_names_it(zone: str) -> None:
    """Each STANDARD/DAYLIGHT carries the TZNAME zoneinfo gives the instant its DTSTART begins (its offset too)."""
    timezone = icalendar.Timezone.from_ical(ical.vtimezone_block(zone, 2005, 2027))
    observances = timezone.walk("STANDARD") + timezone.walk("DAYLIGHT")
    assert observances
    for observance in observances:
        start = observance["DTSTART"].dt.replace(tzinfo=UTC) - observance["TZOFFSETFROM"].td
        local = (start + timedelta(seconds=1)).astimezone(zoneinfo.ZoneInfo(zone))
        assert str(observance["TZNAME"]) == local.tzname(), (zone, observance.to_ical())
        assert observance["TZOFFSETTO"].td == local.utcoffset()
        assert (observance.name == "DAYLIGHT") == bool(local.dst()) or zone == "Europe/Dublin"


def test_all_day_and_utc_events_need_no_vtimezone(db_session: Session) -> None:
    event = make_event(db_session, **SKOPJE_CONFERENCE)
    utc_event = make_event(db_session, title="UTC call", timezone="UTC")
    assert ical.zone_uses([(utc_event.timezone, utc_event.start_dt, utc_event.end_dt)]) == []
    loaded = load_event(db_session, utc_event.id)
    lines = unfolded(ical.write_vevent(loaded, BASE).encode())
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
    lines = {event.title: unfolded(ical.write_vevent(event, BASE).encode()) for event in
             (postponed, cancelled, tentative, internal)}  # fmt: skip
    assert "SUMMARY:Postponed\\, new date to be announced: Talks" in lines["Talks"]
    assert "STATUS:TENTATIVE" in lines["Talks"] and "TRANSP:TRANSPARENT" in lines["Talks"]
    assert "SUMMARY:Cancelled: Workshop" in lines["Workshop"] and "STATUS:CANCELLED" in lines["Workshop"]
    assert "STATUS:TENTATIVE" in lines["Seminar"] and "TRANSP:OPAQUE" in lines["Seminar"]
    assert "CLASS:PRIVATE" in lines["Briefing"]


def test_dtstamp_is_utc_even_for_other_zones(db_session: Session) -> None:
    event = load_event(db_session, make_event(db_session, timezone="Asia/Tokyo").id)
    lines = unfolded(ical.write_vevent(event, BASE).encode())
    assert "DTSTART;TZID=Asia/Tokyo:20261110T100000" in lines
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)
    assert datetime(2026, 11, 10, 1, tzinfo=UTC) == event.start_dt


# --- the fast serializer against icalendar ------------------------------------------------------------------

#: Characters that escaping, cleaning or folding treat specially, and every width of UTF-8.
HOSTILE_ALPHABET = (
    "a", "Z", "7", " ", " ", "\\", "\\N", "\\n", "^", ";", ",", ":", '"', "'", "\r", "\n", "\r\n", "\t", "\x00",
    "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\ufeff", "\uffff", "\ud800",
    "é", "e\u0301", "Ж", "Скопје", "ß", "€", "中", "😀", "🇲🇰", "👩🏽‍💼", "🗓️",
)  # fmt: skip
#: What a database column can hold (PostgreSQL refuses NUL; a lone surrogate cannot be encoded).
STORABLE_ALPHABET = tuple(piece for piece in HOSTILE_ALPHABET if piece not in {"\x00", "\ud800"})
ALL_ZONES = sorted(zoneinfo.available_timezones())


def hostile_text(rng: random.Random, longest: int, alphabet: tuple[str, ...] = HOSTILE_ALPHABET) -> str:
    """Random text of up to ``longest`` pieces: long enough to fold anywhere, an escape at any fold."""
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, longest)))


def random_event(rng: random.Random, number: int, zone: str) -> ical.EventData:
    """An event with random hostile values: any zone, all-day or timed (often at a DST change), any status."""
    all_day = rng.random() < 0.25
    if all_day:
        first = date(2000, 1, 1) + timedelta(days=rng.randrange(0, 15_000))
        last = first + timedelta(days=rng.choice((0, 0, 1, 3, 30)))
        start_dt, end_dt = all_day_bounds(first, last, zone)
        start_date, end_date = first, last
    else:
        instant = datetime(1990, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 27_000_000))
        transitions = ical.zone_transitions(zone, instant, instant + timedelta(days=200)) if number % 3 else []
        if transitions:  # around a change of offset: gaps, repeated hours, written in UTC when ambiguous
            instant = rng.choice(transitions).instant + timedelta(minutes=rng.choice((-90, -60, -30, 0, 30, 60)))
        start_dt, end_dt = instant, instant + timedelta(minutes=rng.choice((0, 30, 60, 90, 600, 3000)))
        start_date = end_date = None
    roles = [role.value for role in OrganisationRole]
    return ical.EventData(
        id=number + 1,
        uid=hostile_text(rng, 40) or f"uid-{number}",
        title=hostile_text(rng, 120),
        kind=rng.choice([kind.value for kind in EventKind]),
        status=rng.choice([status.value for status in EventStatus]),
        all_day=all_day,
        timezone=zone,
        start_dt=start_dt,
        end_dt=end_dt,
        start_date=start_date,
        end_date=end_date,
        venue=hostile_text(rng, 30) if rng.random() < 0.7 else "",
        city=rng.choice(("", "Skopje", "Охрид", "São Paulo", hostile_text(rng, 10))),
        country=rng.choice((None, "MK", "CH", "XK", "US")),
        description=hostile_text(rng, 400) if rng.random() < 0.8 else "",
        source_url=rng.choice((None, "", "https://example.org/a?b=1&c=2,3;4", hostile_text(rng, 20))),
        visibility=rng.choice((Visibility.PUBLIC.value, Visibility.INTERNAL.value)),
        revision=rng.randrange(1, 50),
        sequence=rng.randrange(0, 12),
        created_dt=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(0, 10**8), microseconds=7),
        updated_dt=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(0, 10**8)),
        deleted_dt=NOW if rng.random() < 0.1 else None,
        organisations=tuple((rng.choice(roles), hostile_text(rng, 25) or "IOM") for _ in range(rng.randrange(0, 5))),
        people=tuple(
            (hostile_text(rng, 20) or "Ana", rng.choice((None, "IOM", hostile_text(rng, 8))))
            for _ in range(rng.randrange(0, 4))
        ),
        tags=tuple(sorted({hostile_text(rng, 8) for _ in range(rng.randrange(0, 4))})),
    )


def test_fast_blocks_are_byte_identical_to_icalendar_for_random_hostile_events() -> None:
    """Every zone of tzdata, all-day and timed, DST changes, every status, deleted, empty and hostile text."""
    rng = random.Random(11)
    events = [random_event(rng, number, zone) for number, zone in enumerate(ALL_ZONES * 2)]
    different = [
        (event, fast, reference)
        for event in events
        if (fast := ical.write_vevent(event, BASE)) != (reference := reference_vevent(event, BASE))
    ]
    assert not different, different[:3]
    folded = [block for block in (ical.write_vevent(event, BASE) for event in events) if "\r\n " in block]
    assert len(folded) > len(events) / 2  # the folding was exercised, on every kind of character
    for block in folded[:200]:
        for line in physical_lines(block.encode()):
            assert len(line) <= 75
            line.decode("utf-8")


def test_fast_fold_cuts_where_icalendar_does_at_every_offset() -> None:
    """Escapes and multi-byte characters at each position around the 75-octet limit."""
    for prefix in range(60, 80):
        for tail in ("\\\\", "\\;", "\\,", "\\n", "^^", "é", "中", "😀", "👩🏽‍💼", "a"):
            line = "DESCRIPTION:" + "x" * (prefix - 12) + tail * 40
            assert fold(line) == icalendar.parser.string._foldline(line), (prefix, tail)


def _hostile_events(db_session: Session) -> list[int]:
    """Twelve events whose every field and link (organisations, people, tags) is hostile text; their ids."""
    rng = random.Random(5)

    def text(longest: int) -> str:
        return hostile_text(rng, longest, STORABLE_ALPHABET)

    organisations = []
    for number in range(6):
        organisation = Organisation(name=f"{text(30)} {number}", acronym=text(5) or None)
        db_session.add(organisation)
        organisations.append(organisation)
    db_session.flush()
    people = [
        Person(name=text(20) or "Ana", position=text(20),
               organisation_id=rng.choice([None, *[organisation.id for organisation in organisations]]))
        for _ in range(6)
    ]  # fmt: skip
    db_session.add_all(people)
    db_session.commit()
    hostile_ids = []
    for number, status in enumerate(["confirmed", "tentative", "postponed", "cancelled"] * 3):
        event = make_event(db_session, title=f"Placeholder {number}", status=status, all_day="on" if number % 2 else "")
        event.title = text(45)
        event.description = text(500) if number % 4 else ""
        event.venue = text(40) if number % 3 else ""
        event.city = "" if number % 5 == 0 else event.city
        event.country = None if number % 5 == 0 else event.country
        event.source_url = None if number % 3 else text(30)
        event.uid = f"{text(20)}-{number}"
        event.deleted_dt = NOW if number % 6 == 5 else None
        db_session.add(event)
        db_session.flush()
        for order, organisation in enumerate(rng.sample(organisations, rng.randrange(0, 5))):
            role = rng.choice([role.value for role in OrganisationRole])
            db_session.add(EventOrganisation(event_id=event.id, organisation_id=organisation.id, role=role,
                                             sort_order=order))  # fmt: skip
        for order, person in enumerate(rng.sample(people, rng.randrange(0, 4))):
            db_session.add(EventPerson(event_id=event.id, person_id=person.id, sort_order=order))
        for tag in {text(8) for _ in range(3)} - {""}:
            db_session.add(EventTag(event_id=event.id, tag=tag[:60]))
        db_session.commit()
        hostile_ids.append(event.id)
    return hostile_ids


def test_rows_and_orm_give_the_same_blocks_and_the_checker_accepts_them(db_session: Session) -> None:
    """The feed's path (plain column rows, our serializer) against the reference path (ORM objects, icalendar)
    on the demo data, 600 varied bulk events and events whose every field and link is hostile."""
    load_demo(db_session, NOW)
    db_session.commit()
    bulk_events(db_session, 600, NOW)
    hostile_ids = _hostile_events(db_session)
    ids = list(db_session.exec(select(Event.id).order_by(Event.id)).scalars())  # type: ignore[call-overload]
    assert set(hostile_ids) <= set(ids) and len(ids) > 600
    rows = {data.id: data for data in feeds.load_event_data(db_session, ids)}
    assert sorted(rows) == ids
    for subset in (ids[::3], [event_id for event_id in ids if event_id % 5], ids[-1:]):  # sparse, with holes, one
        assert {data.id: data for data in feeds.load_event_data(db_session, subset)} == {i: rows[i] for i in subset}
    db_session.expire_all()
    loaded = db_session.exec(with_details(select(Event).where(Event.id.in_(ids)))).scalars()  # type: ignore[call-overload]
    orm = {event.id: event for event in loaded}
    for event_id in ids:
        event = orm[event_id]
        assert rows[event_id] == ical.EventData.from_event(event), event_id
        assert ical.write_vevent(rows[event_id], BASE) == reference_vevent(event, BASE), event_id
    timed = [(data.timezone, data.start_dt, data.end_dt) for data in rows.values() if not data.all_day]
    body = ical.assemble(
        ical.calendar_header("Fast blocks"),
        ical.zone_blocks(ical.zone_uses(timed)),
        [ical.write_vevent(rows[event_id], BASE) for event_id in ids],
    )
    [result] = icscheck(body, fast=True)
    assert result.clean, result.output[:3000]
    assert result.events == len(ids)
