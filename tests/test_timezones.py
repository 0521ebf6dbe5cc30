"""Wall time ↔ UTC around the Europe/Skopje daylight-saving changes of 2026, and all-day bounds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from tracker.formatting import event_when, format_date_range
from tracker.models import Event
from tracker.services.calendar_grid import day_span
from tracker.timezones import TimeError, all_day_bounds, get_zone, local_to_utc, zone_abbreviation


def test_summer_and_winter_offsets_of_skopje() -> None:
    assert local_to_utc(date(2026, 3, 28), time(10), "Europe/Skopje") == datetime(2026, 3, 28, 9, tzinfo=UTC)
    assert local_to_utc(date(2026, 3, 29), time(10), "Europe/Skopje") == datetime(2026, 3, 29, 8, tzinfo=UTC)
    assert local_to_utc(date(2026, 10, 25), time(10), "Europe/Skopje") == datetime(2026, 10, 25, 9, tzinfo=UTC)


def test_wall_time_in_the_spring_gap_is_refused() -> None:
    with pytest.raises(TimeError, match="does not exist in Europe/Skopje"):
        local_to_utc(date(2026, 3, 29), time(2, 30), "Europe/Skopje")


def test_ambiguous_autumn_wall_time_takes_the_first_occurrence() -> None:
    assert local_to_utc(date(2026, 10, 25), time(2, 30), "Europe/Skopje") == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../etc/passwd", "/etc/localtime", "x" * 80])
def test_unknown_zones_are_refused(name: str) -> None:
    with pytest.raises(TimeError, match="unknown time zone"):
        get_zone(name)


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
    assert event_when(event, "Asia/Tokyo") == "15–16 November 2022"


def test_timed_event_reads_in_its_zone_with_the_viewer_zone_beside_it() -> None:
    start = local_to_utc(date(2022, 11, 7), time(10), "Europe/Zurich")
    end = local_to_utc(date(2022, 11, 7), time(12), "Europe/Zurich")
    event = Event(title="x", all_day=False, timezone="Europe/Zurich", start_dt=start, end_dt=end)
    assert event_when(event) == "Mon 7 November 2022, 10:00–12:00 CET (Europe/Zurich)"
    assert event_when(event, "America/New_York").endswith("04:00–06:00 EST (America/New_York)")
    assert day_span(event, "Pacific/Kiritimati") == (date(2022, 11, 7), date(2022, 11, 8))


def test_date_ranges_and_abbreviations() -> None:
    assert format_date_range(date(2022, 11, 30), date(2022, 12, 2)) == "30 November – 2 December 2022"
    assert format_date_range(date(2022, 12, 30), date(2023, 1, 2)) == "30 December 2022 – 2 January 2023"
    assert zone_abbreviation(datetime(2026, 7, 1, tzinfo=UTC), "Europe/Skopje") == "CEST"
    assert zone_abbreviation(datetime(2026, 7, 1, tzinfo=UTC), "America/Sao_Paulo") == "UTC-03"
    assert zone_abbreviation(datetime(2026, 7, 1, tzinfo=UTC), "Asia/Kathmandu") == "UTC+05:45"
