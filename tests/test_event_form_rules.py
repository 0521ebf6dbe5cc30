"""The event form's pure rules: the end follows a moved start, one source field, dates in words."""

from __future__ import annotations

from typing import Any

import pytest

from tracker.event_form import date_in_words, follow_start, shown_times, split_source

TIMED = {"start_date": "2026-11-10", "start_time": "10:00", "end_date": "2026-11-10", "end_time": "12:00"}


def shown(values: dict[str, Any], **now: str) -> dict[str, Any]:
    """A form that showed ``values`` and now holds ``now`` over them."""
    return {**values, **shown_times(values), **now}


def test_moving_the_start_time_moves_the_end_time() -> None:
    values, moved = follow_start(shown(TIMED, start_time="11:30"))
    assert moved and (values["end_date"], values["end_time"]) == ("2026-11-10", "13:30")


def test_moving_late_in_the_day_carries_the_end_into_the_next_day() -> None:
    values, moved = follow_start(shown(TIMED, start_time="23:00"))
    assert moved and (values["end_date"], values["end_time"]) == ("2026-11-11", "01:00")


def test_an_empty_end_date_means_the_start_day() -> None:
    values, moved = follow_start(shown({**TIMED, "end_date": ""}, start_date="2026-11-12"))
    assert moved and (values["end_date"], values["end_time"]) == ("2026-11-12", "12:00")


def test_all_day_events_move_by_days() -> None:
    days = {"all_day": "on", "start_date": "2022-11-15", "end_date": "2022-11-16", "start_time": "", "end_time": ""}
    values, moved = follow_start(shown(days, start_date="2022-11-30"))
    assert moved and values["end_date"] == "2022-12-01"


@pytest.mark.parametrize(
    "now",
    [
        {},  # nothing changed
        {"start_time": "11:00", "end_time": "12:30"},  # the end was changed too: the editor's end stands
        {"start_date": "2026-11-11", "end_date": "2026-11-12"},
        {"start_date": "11/12/2026"},  # unparseable: validation speaks
    ],
)
def test_the_end_stays_when_the_start_did_not_move_alone(now: dict[str, str]) -> None:
    before = shown(TIMED, **now)
    values, moved = follow_start(before)
    assert not moved and values == before


def test_a_new_form_that_showed_no_start_moves_nothing() -> None:
    values, moved = follow_start({**TIMED, **shown_times({})})
    assert not moved and values["end_time"] == "12:00"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("https://mia.gov.mk/a", ("https://mia.gov.mk/a", "")),
        ("  http://x.org  ", ("http://x.org", "")),
        ("www.mia.gov.mk/b", ("https://www.mia.gov.mk/b", "")),
        ("javascript:alert(1)", ("javascript:alert(1)", "")),
        ("MIA press release, 10 Nov 2022", ("", "MIA press release, 10 Nov 2022")),
        ("Note: from the ministry", ("", "Note: from the ministry")),
        ("", ("", "")),
        (None, ("", "")),
    ],
)
def test_split_source(text: Any, parts: tuple[str, str]) -> None:
    assert split_source(text) == parts


def test_date_in_words() -> None:
    assert date_in_words("2022-11-15") == "Tuesday 15 November 2022"
    assert date_in_words("2026-03-29") == "Sunday 29 March 2026"
    assert date_in_words("15/11/2022") == "" and date_in_words(None) == ""
