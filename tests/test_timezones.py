"""Wall time ↔ UTC around the Europe/Skopje daylight-saving changes of 2026, and all-day bounds.

Pure: no database, no app. Every test runs under two process time zones (UTC and Asia/Tokyo), so a conversion
that falls back on the process zone instead of UTC cannot pass by luck.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from tracker.formatting import event_when, format_date_range
from tracker.models import Event
from tracker.services.calendar_grid import day_span
from tracker.timezones import (
    TimeError,
    all_day_bounds,
    get_zone,
    local_to_utc,
    local_to_utc_lenient,
    utc_to_local,
    zone_abbreviation,
    zone_names,
)

pytestmark = pytest.mark.usefixtures("process_zone")


def test_summer_and_winter_offsets_of_skopje() -> None:
    assert local_to_utc(date(2026, 3, 28), time(10), "Europe/Skopje") == datetime(2026, 3, 28, 9, tzinfo=UTC)
    assert local_to_utc(date(2026, 3, 29), time(10), "Europe/Skopje") == datetime(2026, 3, 29, 8, tzinfo=UTC)
    assert local_to_utc(date(2026, 10, 25), time(10), "Europe/Skopje") == datetime(2026, 10, 25, 9, tzinfo=UTC)


def test_instants_are_written_in_utc_whatever_the_process_zone() -> None:
    # Equal instants compare equal in any zone, so the offset and the wall reading are checked as text.
    assert local_to_utc(date(2026, 3, 28), time(10), "Europe/Skopje").isoformat() == "2026-03-28T09:00:00+00:00"
    assert local_to_utc(date(2026, 7, 1), time(9, 30), "Asia/Kathmandu").isoformat() == "2026-07-01T03:45:00+00:00"
    assert local_to_utc_lenient(date(2026, 3, 29), "Europe/Skopje").isoformat() == "2026-03-28T23:00:00+00:00"
    start, end = all_day_bounds(date(2026, 3, 29), date(2026, 3, 29), "Europe/Skopje")
    assert (start.isoformat(), end.isoformat()) == ("2026-03-28T23:00:00+00:00", "2026-03-29T22:00:00+00:00")
    assert start.utcoffset() == end.utcoffset() == timedelta(0)


def test_utc_to_local_reads_the_wall_clock_of_the_zone() -> None:
    instant = datetime(2026, 7, 1, 8, tzinfo=UTC)
    assert utc_to_local(instant, "Europe/Skopje").isoformat() == "2026-07-01T10:00:00+02:00"
    assert utc_to_local(instant, "America/Sao_Paulo").isoformat() == "2026-07-01T05:00:00-03:00"


def test_a_skipped_local_midnight_begins_the_day_at_its_first_instant() -> None:
    # America/Havana springs forward at midnight: 2026-03-08 00:00 does not exist, the day starts at 01:00 CDT.
    assert local_to_utc_lenient(date(2026, 3, 8), "America/Havana") == datetime(2026, 3, 8, 5, tzinfo=UTC)
    assert local_to_utc_lenient(date(2026, 3, 7), "America/Havana") == datetime(2026, 3, 7, 5, tzinfo=UTC)


def test_wall_time_in_the_spring_gap_is_refused() -> None:
    with pytest.raises(TimeError, match="The time 02:30 on Sunday 29 March 2026 does not exist in Europe/Skopje"):
        local_to_utc(date(2026, 3, 29), time(2, 30), "Europe/Skopje")
    with pytest.raises(TimeError) as refused:
        local_to_utc(date(2026, 3, 29), time(2, 5), "Europe/Skopje")
    assert str(refused.value) == (
        "The time 02:05 on Sunday 29 March 2026 does not exist in Europe/Skopje: the clocks go forward then"
        " (02:05 reads 03:05 there). Choose another time"
    )


def test_ambiguous_autumn_wall_time_takes_the_first_occurrence() -> None:
    assert local_to_utc(date(2026, 10, 25), time(2, 30), "Europe/Skopje") == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../etc/passwd", "/etc/localtime", "x" * 80])
def test_unknown_zones_are_refused(name: str) -> None:
    with pytest.raises(TimeError, match="unknown time zone"):
        get_zone(name)


def test_zone_names_list_area_city_zones_after_utc() -> None:
    names = zone_names()
    assert names[0] == "UTC"
    assert {"Europe/Skopje", "Asia/Tokyo", "America/Argentina/Buenos_Aires"} <= set(names)
    assert not {"Etc/GMT+1", "US/Eastern", "GMT", "EST"} & set(names)
    assert list(names[1:]) == sorted(names[1:])


def test_all_day_bounds_are_local_midnights_and_days_do_not_shift() -> None:
    start, end = all_day_bounds(date(2022, 11, 15), date(2022, 11, 16), "Europe/Skopje")
    assert (start, end) == (datetime(2022, 11, 14, 23, tzinfo=UTC), datetime(2022, 11, 16, 23, tzinfo=UTC))
    event = Event(
        title="x",
        all_day=True,
        timezone="Europe/Skopje",
        start_dt=start,
        end_dt=end,
        start_date=date(2022, 11, 15),
        end_date=date(2022, 11, 16),
    )
    assert day_span(event, "America/Los_Angeles") == (date(2022, 11, 15), date(2022, 11, 16))
    assert day_span(event, "Asia/Tokyo") == (date(2022, 11, 15), date(2022, 11, 16))
    assert event_when(event, "Asia/Tokyo") == "15\u2009–\u200916 Nov 2022"


def test_timed_event_reads_in_its_zone_with_the_viewer_zone_beside_it() -> None:
    start = local_to_utc(date(2022, 11, 7), time(10), "Europe/Zurich")
    end = local_to_utc(date(2022, 11, 7), time(12), "Europe/Zurich")
    event = Event(title="x", all_day=False, timezone="Europe/Zurich", start_dt=start, end_dt=end)
    assert event_when(event) == "Monday, 7 November 2022, 10:00–12:00 CET (Europe/Zurich)"
    assert event_when(event, "America/New_York").endswith("04:00–06:00 EST (America/New_York)")
    assert day_span(event, "Pacific/Kiritimati") == (date(2022, 11, 7), date(2022, 11, 8))


def test_date_ranges_and_abbreviations() -> None:
    assert format_date_range(date(2022, 11, 30), date(2022, 12, 2)) == "30 Nov\u2009–\u20092 Dec 2022"
    assert format_date_range(date(2022, 12, 30), date(2023, 1, 2)) == "30 Dec 2022\u2009–\u20092 Jan 2023"
    assert zone_abbreviation(datetime(2026, 7, 1, tzinfo=UTC), "Europe/Skopje") == "CEST"
    assert zone_abbreviation(datetime(2026, 7, 1, tzinfo=UTC), "America/Sao_Paulo") == "UTC-03"
    assert zone_abbreviation(datetime(2026, 7, 1, tzinfo=UTC), "Asia/Kathmandu") == "UTC+05:45"


def test_a_missing_wall_time_is_explained_in_the_readers_language() -> None:
    """The Macedonian sentence, with the day as CLDR writes it (computed here from Babel, not by the code)."""
    from babel.dates import format_date

    from tracker.i18n import use_language

    day = format_date(date(2026, 3, 29), "EEEE d MMMM y", locale="mk")
    with use_language("mk"), pytest.raises(TimeError) as caught:
        local_to_utc(date(2026, 3, 29), time(2, 30), "Europe/Skopje")
    assert str(caught.value).startswith(f"Времето 02:30 во {day} не постои во Europe/Skopje")
    with use_language("sq"), pytest.raises(TimeError) as caught:
        get_zone("Mars/Olympus")
    assert str(caught.value).startswith("zonë kohore e panjohur 'Mars/Olympus'")
