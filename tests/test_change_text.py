"""Revisions in people's words: every kind of change as the history page says it, in the event's zone.

The changes are written out by hand in the shape revisions store them (UTC ISO strings, lists of links); the
expected sentences are worked out by hand too (15 November 2022 was a Tuesday; Skopje is UTC+1 in November,
London UTC+0, Tokyo UTC+9). Each runs in two process zones, so nothing may lean on the machine's zone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from tracker.services.change_text import changed_at, describe, history_entries, moved_from

pytestmark = pytest.mark.usefixtures("process_zone")

SKOPJE = "Europe/Skopje"


def updated(changes: dict[str, list[Any]], zone: str = SKOPJE, all_day: bool = False) -> list[str]:
    return describe("updated", changes, zone, all_day)


# --- when ---------------------------------------------------------------------------------------------------


def test_an_all_day_event_moved_by_a_day_says_both_days() -> None:
    changes = {
        "start_date": ["2022-11-15", "2022-11-16"],
        "end_date": ["2022-11-16", "2022-11-17"],
        "start_dt": ["2022-11-14T23:00:00+00:00", "2022-11-15T23:00:00+00:00"],
        "end_dt": ["2022-11-16T23:00:00+00:00", "2022-11-17T23:00:00+00:00"],
    }
    assert updated(changes, all_day=True) == [
        "Start moved from Tue 15 Nov 2022 to Wed 16 Nov 2022",
        "End moved from Wed 16 Nov 2022 to Thu 17 Nov 2022",
    ]


def test_a_timed_start_moved_within_the_day_names_the_day_once() -> None:
    changes = {"start_dt": ["2022-11-15T09:00:00+00:00", "2022-11-15T10:00:00+00:00"]}
    assert updated(changes) == ["Start moved from Tue 15 Nov 2022 10:00 to 11:00"]


def test_a_timed_event_moved_to_another_day_names_both_days_in_the_event_zone() -> None:
    changes = {
        "start_dt": ["2022-11-15T09:00:00+00:00", "2022-11-15T23:30:00+00:00"],  # 00:30 on the 16th in Skopje
        "end_dt": ["2022-11-15T11:00:00+00:00", "2022-11-16T01:00:00+00:00"],
    }
    assert updated(changes) == [
        "Start moved from Tue 15 Nov 2022 10:00 to Wed 16 Nov 2022 00:30",
        "End moved from Tue 15 Nov 2022 12:00 to Wed 16 Nov 2022 02:00",
    ]


def test_a_new_zone_reads_each_time_in_its_own_zone() -> None:
    changes = {
        "timezone": [SKOPJE, "Europe/London"],
        "start_dt": ["2022-11-15T09:00:00+00:00", "2022-11-15T10:00:00+00:00"],
        "end_dt": ["2022-11-15T11:00:00+00:00", "2022-11-15T12:00:00+00:00"],
    }
    assert updated(changes, zone="Europe/London") == [
        "Time zone changed from Europe/Skopje to Europe/London",
        "Start moved from Tue 15 Nov 2022 10:00 (Europe/Skopje) to Tue 15 Nov 2022 10:00 (Europe/London)",
        "End moved from Tue 15 Nov 2022 12:00 (Europe/Skopje) to Tue 15 Nov 2022 12:00 (Europe/London)",
    ]


def test_an_all_day_event_in_a_new_zone_keeps_its_days() -> None:
    """Its UTC bounds move with the zone's midnight, but its days do not: only the zone is news."""
    changes = {
        "timezone": [SKOPJE, "Asia/Tokyo"],
        "start_dt": ["2022-11-14T23:00:00+00:00", "2022-11-14T15:00:00+00:00"],
        "end_dt": ["2022-11-16T23:00:00+00:00", "2022-11-16T15:00:00+00:00"],
    }
    assert updated(changes, zone="Asia/Tokyo", all_day=True) == ["Time zone changed from Europe/Skopje to Asia/Tokyo"]


def test_a_timed_event_made_all_day_says_so_and_what_its_days_are() -> None:
    changes = {
        "all_day": [False, True],
        "start_date": [None, "2022-11-15"],
        "end_date": [None, "2022-11-16"],
        "start_dt": ["2022-11-15T09:00:00+00:00", "2022-11-14T23:00:00+00:00"],
        "end_dt": ["2022-11-15T11:00:00+00:00", "2022-11-16T23:00:00+00:00"],
    }
    assert updated(changes, all_day=True) == [
        "Changed to an all-day event",
        "Start changed from Tue 15 Nov 2022 10:00 to Tue 15 Nov 2022",
        "End changed from Tue 15 Nov 2022 12:00 to Wed 16 Nov 2022",
    ]


def test_changed_at_is_in_the_event_zone_with_its_abbreviation() -> None:
    assert changed_at(datetime(2022, 11, 16, 9, 5, tzinfo=UTC), SKOPJE) == "Wed 16 Nov 2022 10:05 CET"
    assert changed_at(datetime(2022, 7, 1, 22, 0, tzinfo=UTC), SKOPJE) == "Sat 2 Jul 2022 00:00 CEST"


# --- status, text fields ----------------------------------------------------------------------------------------


def test_a_cancellation_with_its_reason() -> None:
    changes = {"status": ["confirmed", "cancelled"], "cancel_reason": ["", "The minister is ill"]}
    assert updated(changes) == ["Status: confirmed → cancelled (reason: The minister is ill)"]


def test_a_cancellation_without_a_reason_and_one_undone() -> None:
    assert updated({"status": ["confirmed", "cancelled"]}) == ["Status: confirmed → cancelled"]
    undone = {"status": ["cancelled", "tentative"], "cancel_reason": ["The minister is ill", ""]}
    assert updated(undone) == ["Status: cancelled → tentative"]


def test_a_reason_given_changed_or_taken_back_on_its_own() -> None:
    assert updated({"cancel_reason": ["", "Strike"]}) == ["Reason for the cancellation: Strike"]
    assert updated({"cancel_reason": ["Strike", "Storm"]}) == ["Reason for the cancellation: Storm"]
    assert updated({"cancel_reason": ["Storm", ""]}) == ["Reason for the cancellation removed"]


def test_title_place_kind_visibility_description_and_source() -> None:
    changes = {
        "title": ["Working meeting", "Ministerial Conference"],
        "venue": ["", "Hotel Alexander Palace"],
        "city": ["Skopje", "Ohrid"],
        "country": ["MK", "CH"],
        "kind": ["meeting", "official_visit"],
        "visibility": ["public", "internal"],
        "description": ["Old text", "New text"],
        "source_url": [None, "https://mia.mk/en/press"],
        "source_citation": ["", "MIA press release, 10 Nov 2022"],
    }
    assert updated(changes) == [
        "Title changed from “Working meeting” to “Ministerial Conference”",
        "Venue set to “Hotel Alexander Palace”",
        "City changed from Skopje to Ohrid",
        "Country changed from North Macedonia to Switzerland",
        "Kind changed from Meeting to Official visit",
        "Made internal (editors only)",
        "Description changed",
        "Source link set to https://mia.mk/en/press",
        "Source set to “MIA press release, 10 Nov 2022”",
    ]


def test_things_taken_away() -> None:
    changes = {
        "venue": ["Hall 2", ""],
        "country": ["MK", None],
        "description": ["Text", ""],
        "visibility": ["internal", "public"],
    }
    assert updated(changes) == [
        "Venue removed (was “Hall 2”)",
        "Country removed (was North Macedonia)",
        "Made public",
        "Description removed",
    ]


# --- organisations, people, tags ---------------------------------------------------------------------------


def test_organisations_added_removed_and_given_another_role() -> None:
    host = ["Ministry of Interior of the Republic of North Macedonia", "host"]
    changes = {
        "organisations": [
            [host, ["IOM", "supporter"], ["Frontex", "participant"]],
            [host, ["Ministry of the Interior of the Czech Republic", "co_organiser"], ["IOM", "participant"]],
        ]
    }
    assert updated(changes) == [
        "Role of IOM changed from Supporter to Participating organisation",
        "Co-organiser added: Ministry of the Interior of the Czech Republic",
        "Participating organisation removed: Frontex",
    ]


def test_organisations_and_people_put_in_another_order() -> None:
    changes = {
        "organisations": [[["A", "host"], ["B", "host"]], [["B", "host"], ["A", "host"]]],
        "people": [["Ana", "Bo"], ["Bo", "Ana"]],
    }
    assert updated(changes) == ["Organisations put in a new order", "Participants put in a new order"]


def test_people_and_tags() -> None:
    changes = {
        "people": [["Antonio Vitorino"], ["António Vitorino", "Vít Rakušan"]],
        "tags": [["borders", "migration"], ["asylum", "migration", "western balkans"]],
    }
    assert updated(changes) == [
        "Participant added: António Vitorino",
        "Participant added: Vít Rakušan",
        "Participant removed: Antonio Vitorino",
        "Tags added: asylum, western balkans",
        "Tag removed: borders",
    ]


# --- actions, and nothing of the storage shows ------------------------------------------------------------


@pytest.mark.parametrize(("action", "said"), [("created", "Created"), ("deleted", "Deleted"), ("restored", "Restored")])
def test_created_deleted_restored(action: str, said: str) -> None:
    changes = {"deleted_dt": ["2022-11-10T10:00:00+00:00", None], "title": [None, "X"]}
    assert describe(action, changes, SKOPJE, False) == [said]


def test_no_column_names_utc_strings_or_lists_reach_the_reader() -> None:
    changes = {
        "title": ["A", "B"],
        "status": ["tentative", "confirmed"],
        "all_day": [True, False],
        "timezone": [SKOPJE, "Europe/Zurich"],
        "start_date": ["2022-11-15", None],
        "end_date": ["2022-11-16", None],
        "start_dt": ["2022-11-14T23:00:00+00:00", "2022-11-15T08:00:00+00:00"],
        "end_dt": ["2022-11-16T23:00:00+00:00", "2022-11-15T16:00:00+00:00"],
        "organisations": [[["IOM", "supporter"]], []],
        "people": [[], ["Ana"]],
        "tags": [[], ["migration"]],
        "source_citation": ["", "Press release"],
        "merged_into": [None, 4],
    }
    text = " | ".join(updated(changes, zone="Europe/Zurich"))
    assert not re.search(r"_dt|_date|all_day|timezone|\[|\]|\d{4}-\d\d-\d\d|T\d\d:\d\d|\+00:00|None|True|False", text)
    assert "Start changed from Tue 15 Nov 2022 (Europe/Skopje)" not in text  # a day has no zone to show
    assert "Start changed from Tue 15 Nov 2022 to Tue 15 Nov 2022 09:00 (Europe/Zurich)" in text
    assert "Merged into changed" in text  # a field this module does not know is still said in words


# --- the history, walked back from the event as it is ---------------------------------------------------------


def test_history_reads_each_revision_in_the_zone_it_had_then() -> None:
    """Latest first: a zone change to London, then (earlier) a move in Skopje, then the creation."""
    event = SimpleNamespace(timezone="Europe/London", all_day=False)
    editor = SimpleNamespace(display_name="Ema Editor")
    revisions = [
        SimpleNamespace(
            revision=3, action="updated", user=None, changed_dt=datetime(2022, 11, 3, 12, 0, tzinfo=UTC),
            changes={"timezone": [SKOPJE, "Europe/London"]},
        ),
        SimpleNamespace(
            revision=2, action="updated", user=editor, changed_dt=datetime(2022, 11, 2, 12, 0, tzinfo=UTC),
            changes={"start_dt": ["2022-11-15T09:00:00+00:00", "2022-11-15T08:00:00+00:00"]},
        ),
        SimpleNamespace(
            revision=1, action="created", user=editor, changed_dt=datetime(2022, 11, 1, 12, 0, tzinfo=UTC),
            changes={"title": [None, "Talks"]},
        ),
    ]  # fmt: skip
    entries = history_entries(event, revisions)  # type: ignore[arg-type]
    assert [(entry.revision, entry.action, entry.who) for entry in entries] == [
        (3, "Changed", "the system"),
        (2, "Changed", "Ema Editor"),
        (1, "Created", "Ema Editor"),
    ]
    assert entries[0].sentences == ["Time zone changed from Europe/Skopje to Europe/London"]
    assert entries[0].when == "Thu 3 Nov 2022 12:00 GMT"
    assert entries[1].sentences == ["Start moved from Tue 15 Nov 2022 10:00 to 09:00"]  # Skopje, before the change
    assert entries[1].when == "Wed 2 Nov 2022 13:00 CET"


# --- "Moved from" on the event page ------------------------------------------------------------------------------


def all_day_event(first: date, last: date) -> Any:
    return SimpleNamespace(all_day=True, timezone=SKOPJE, start_date=first, end_date=last, start_dt=None, end_dt=None)


def test_moved_from_names_the_old_days() -> None:
    event = all_day_event(date(2022, 11, 16), date(2022, 11, 17))
    move = {"start_date": ["2022-11-15", "2022-11-16"], "end_date": ["2022-11-16", "2022-11-17"]}
    assert moved_from(event, move) == "Moved from 15\u2009–\u200916 Nov 2022"


def test_moved_from_a_time() -> None:
    event = SimpleNamespace(
        all_day=False, timezone=SKOPJE, start_date=None, end_date=None,
        start_dt=datetime(2022, 11, 16, 9, 0, tzinfo=UTC), end_dt=datetime(2022, 11, 16, 11, 0, tzinfo=UTC),
    )  # fmt: skip
    move = {"start_dt": ["2022-11-15T09:00:00+00:00", "2022-11-16T09:00:00+00:00"],
            "end_dt": ["2022-11-15T11:00:00+00:00", "2022-11-16T11:00:00+00:00"]}  # fmt: skip
    assert moved_from(event, move) == "Moved from Tuesday, 15 November 2022, 10:00–12:00 CET (Europe/Skopje)"


def test_no_move_to_tell() -> None:
    event = all_day_event(date(2022, 11, 15), date(2022, 11, 16))
    assert moved_from(event, None) is None
    zone_only = {"timezone": ["Europe/Belgrade", SKOPJE], "start_dt": ["2022-11-14T23:00:00+00:00"] * 2}
    assert moved_from(event, zone_only) is None  # the same days, said the same way
    there_and_back = {"start_date": ["2022-11-15", "2022-11-15"]}
    assert moved_from(event, there_and_back) is None
