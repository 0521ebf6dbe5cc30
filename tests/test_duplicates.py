"""Events entered twice: close titles on near dates, or the same place and time with a shared subject, on real
databases. The tables say by hand which pairs must and must not be taken for the same event."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, make_event
from tests.query_plans import captured_statements, explain, selects_from
from tracker.models import Event, User
from tracker.services import events as event_service
from tracker.services.duplicates import SimilarEvent, same_word, similar_events, subject_shared, title_score

pytestmark = pytest.mark.usefixtures("process_zone")

SKOPJE_TITLE = SKOPJE_CONFERENCE["title"]

#: (existing title, title being entered): the same event, with the events in different cities on the same day.
SAME_EVENT = [
    (SKOPJE_TITLE, "Ministerial conference on sustainable migration management in Western Balkans"),
    ("Working visit to Geneva", "working visit to geneva"),
    ("Visit of António Vitorino to Skopje", "Visit of Antonio Vitorino to Skopje"),
    ("Посета на Скопје", "Poseta na Skopje"),
    ("Министерска конференција за миграција", "Ministerska konferencija za migracija"),
    ("Western Balkans Migration Conference", "Conference on Migration in the Western Balkans"),
    ("Conference on the Western Balkan route", "Conferences on the Western Balkans route"),
    ("EU\u2013Western Balkans Summit", "EU-Western Balkans summit"),
    (SKOPJE_TITLE, "Ministerial Conference: Sustainable Migration Management (Western Balkans)"),
    ("Šefčovič visit to Prague", "Sefcovic visit to Prague"),
    (
        "Meeting with the Minister of Interior of Czech Republic",
        "Meeting with Minister of the Interior of the Czech Republic",
    ),
    ("Working Visit to Geneva", "Geneva: working visit"),
    # Four words shared, four of five and four of six: (4 + 4) / 10 = 0.8 exactly.
    ("Western Balkans migration conference", "Western Balkans migration conference Skopje 2022"),
]
#: (existing title, title being entered): different events, in different cities on the same day.
DIFFERENT_EVENTS = [
    ("Working visit to Geneva", "Working visit to Vienna"),
    ("Ministerial Conference on Migration", "Ministerial Conference on Energy"),
    ("Working meeting on border security", "Working meeting on visa policy"),
    ("Migration conference 2022", "Migration conference 2023"),
    ("Visit to Skopje", "Visit to Sofia"),
    ("Western Balkans Summit", "Western Balkans Summit on Energy Security"),
    ("Visit to Austria", "Visit to Australia"),
    ("Management board", "Manage board"),
    ("EU-US summit", "EU-UK summit"),
    ("Visit of Ian", "Visit of Iana"),
    ("Conference", "Press conference on the conference"),
    # (4 + 4) / 11 = 0.73: four of five and four of six words shared.
    ("Western Balkans migration conference Ohrid", "Western Balkans migration conference Skopje 2022"),
]


def meeting(session: Session, title: str, day: str = "2022-11-15", **fields: Any) -> Event:
    values: dict[str, Any] = {"start_time": "10:00", "end_time": "12:00", "city": "Skopje", "country": "MK", **fields}
    return make_event(session, title=title, start_date=day, **values)


def found(session: Session, event: Event, **options: Any) -> list[tuple[str, str]]:
    loaded = event_service.load_event(session, event.id)
    return [(similar.event.title, similar.reason) for similar in similar_events(session, loaded, **options)]


@pytest.mark.parametrize(("existing", "entered"), SAME_EVENT)
def test_close_titles_on_the_same_day_are_the_same_event(db_session: Session, existing: str, entered: str) -> None:
    meeting(db_session, existing, city="Geneva", country="CH", timezone="Europe/Zurich")
    new = meeting(db_session, entered, city="Skopje", country="MK")
    assert found(db_session, new) == [(existing, "Close title, on overlapping dates.")]


@pytest.mark.parametrize(("existing", "entered"), DIFFERENT_EVENTS)
def test_titles_that_differ_in_what_matters_are_different_events(
    db_session: Session, existing: str, entered: str
) -> None:
    meeting(db_session, existing, city="Geneva", country="CH", timezone="Europe/Zurich")
    new = meeting(db_session, entered, city="Skopje", country="MK")
    assert found(db_session, new) == []


def test_re_entering_the_skopje_conference_finds_the_first_copy(db_session: Session) -> None:
    first = make_event(db_session, **SKOPJE_CONFERENCE)
    again = {
        **SKOPJE_CONFERENCE,
        "title": "Ministerial conference on sustainable migration management in Western Balkans",
    }
    second = make_event(db_session, **again)
    similar = similar_events(db_session, event_service.load_event(db_session, second.id))
    assert similar == [SimilarEvent(first, "Close title, on overlapping dates.", 1.0)]


def test_a_title_alone_needs_dates_within_three_days(db_session: Session) -> None:
    meeting(db_session, "Working visit to Geneva", "2021-11-15")  # a year before
    meeting(db_session, "Working visit to Geneva", "2022-11-10")  # 4 days 22 hours before
    meeting(db_session, "Working visit to Geneva", "2022-11-12", start_time="07:59", end_time="09:59")  # 3 days 1 min
    meeting(db_session, "Working visit to Geneva", "2022-11-12", start_time="08:00", end_time="10:00")  # 3 days before
    meeting(db_session, "Working visit to Geneva", "2022-11-18", start_time="12:00", end_time="13:00")  # 3 days after
    meeting(db_session, "Working visit to Geneva", "2022-11-18", start_time="12:01", end_time="13:00")  # 3 days 1 min
    new = meeting(db_session, "Working visit to Geneva", "2022-11-15")  # 10:00-12:00
    assert found(db_session, new) == [("Working visit to Geneva", "Close title, within a few days.")] * 2
    assert [similar.event.id for similar in similar_events(db_session, new)] == [4, 5]


def test_the_same_place_and_time_with_a_shared_subject_is_flagged(db_session: Session) -> None:
    existing = meeting(db_session, "Visit of the Czech Minister of the Interior")
    new = meeting(db_session, "Meeting with the Minister of the Interior of the Czech Republic", start_time="11:00")
    assert found(db_session, new) == [(existing.title, "Same place at the same time, with a similar title.")]


def test_the_same_place_in_cyrillic_counts_as_the_same_place(db_session: Session) -> None:
    meeting(db_session, "Visit of the Czech Minister of the Interior", city="Скопје")
    new = meeting(db_session, "Meeting with the Minister of the Interior of the Czech Republic", city="skopje")
    assert [reason for _, reason in found(db_session, new)] == ["Same place at the same time, with a similar title."]


@pytest.mark.parametrize(
    ("existing", "fields"),
    [
        # Same place and time, but nothing in common beyond the kind of event.
        ("Working meeting on border security", {}),
        ("Ministerial conference", {}),
        # A shared subject at the same time, but another city or another country.
        ("Visit of the Czech Minister of the Interior", {"city": "Ohrid"}),
        ("Visit of the Czech Minister of the Interior", {"city": "Skopje", "country": "RS"}),
        # A shared subject in the same place, but the next day.
        ("Visit of the Czech Minister of the Interior", {"day": "2022-11-16"}),
        # A shared subject in the same place, ending as the new one starts.
        ("Visit of the Czech Minister of the Interior", {"start_time": "08:00", "end_time": "10:00"}),
    ],
)
def test_the_same_place_alone_is_not_enough(db_session: Session, existing: str, fields: dict[str, str]) -> None:
    meeting(db_session, existing, **fields)
    new = meeting(db_session, "Meeting with the Minister of the Interior of the Czech Republic")
    assert found(db_session, new) == []


def test_unrelated_meetings_in_one_city_on_one_morning_are_not_flagged(db_session: Session) -> None:
    meeting(db_session, "Working meeting on border security")
    meeting(db_session, "Conference on energy")
    new = meeting(db_session, "Working meeting on visa policy")
    assert found(db_session, new) == []


def test_deleted_events_and_the_event_itself_are_left_out(db_session: Session, editor: User) -> None:
    deleted = meeting(db_session, "Working visit to Geneva")
    event_service.delete_event(db_session, deleted.id, None, editor, NOW)
    db_session.commit()
    new = meeting(db_session, "Working visit to Geneva")
    assert found(db_session, new) == []


def test_best_first_and_bounded(db_session: Session) -> None:
    place = meeting(db_session, "Visit of the Czech Minister of the Interior")  # same place only, score 0.75
    days = meeting(db_session, "Working visit of the Czech minister", "2022-11-17")  # score 1.0, 1 day 22 hours away
    hours = meeting(db_session, "Working visit of the Czech minister", start_time="14:00", end_time="15:00")  # 2 hours
    plural = meeting(db_session, "Working visit of Czech ministers")  # score 1.0 (minister/ministers), overlapping
    ohrid = meeting(db_session, "Working visit of the Czech minister", city="Ohrid")  # score 1.0, overlapping
    early = meeting(db_session, "Working visit of the Czech minister", start_time="09:00", city="Bitola")  # ditto
    dawn = meeting(db_session, "Working visit of the Czech minister", start_time="06:00", end_time="07:00")  # 3 hours
    new = meeting(db_session, "Working visit of the Czech Minister")  # 10:00-12:00 in Skopje
    similar = similar_events(db_session, event_service.load_event(db_session, new.id), limit=10)
    # Score, then nearness (overlapping counts as 0), then start, then id.
    expected = [early.id, plural.id, ohrid.id, hours.id, dawn.id, days.id, place.id]
    assert [item.event.id for item in similar] == expected
    assert [item.reason for item in similar] == ["Close title, on overlapping dates."] * 3 + [
        "Close title, within a few days."
    ] * 3 + ["Same place at the same time, with a similar title."]
    assert [item.score for item in similar] == [1.0] * 6 + [0.75]
    assert [item.event.id for item in similar_events(db_session, new, limit=2)] == [early.id, plural.id]
    assert len(similar_events(db_session, new)) == 5


#: (first, second, whether the two words agree): equal, or a prefix at least four letters long, one or two shorter.
WORD_PAIRS = [
    ("balkan", "balkans", True),
    ("visa", "visas", True),
    ("work", "worker", True),
    ("worker", "work", True),
    ("work", "working", False),
    ("ian", "ians", False),
    ("eu", "eu", True),
    ("visa", "vise", False),
    ("austria", "australia", False),
    ("route", "router", True),
    ("router", "routes", False),
]


@pytest.mark.parametrize(("first", "second", "agree"), WORD_PAIRS)
def test_words_agree_when_equal_or_one_has_a_short_ending(first: str, second: str, agree: bool) -> None:
    assert same_word(first, second) is agree


def test_scores_and_subjects_of_word_sets() -> None:
    assert title_score(frozenset(), frozenset()) == 0.0
    assert title_score(frozenset({"visit"}), frozenset()) == 0.0
    assert title_score(frozenset({"balkan", "route"}), frozenset({"balkans", "route", "summit"})) == 4 / 5
    # Distinctive words: half of the smaller set is enough, a third is not.
    assert subject_shared(frozenset({"meeting", "visa", "policy"}), frozenset({"visa", "border", "security"}))
    assert not subject_shared(frozenset({"visa", "policy", "reform"}), frozenset({"visa", "border", "security"}))
    assert subject_shared(frozenset({"visa", "border", "security", "x"}), frozenset({"visa", "border", "y"}))
    assert not subject_shared(frozenset({"meeting", "conference"}), frozenset({"meeting", "conference"}))
    assert not subject_shared(frozenset({"visa"}), frozenset())


def test_an_event_being_entered_before_it_is_stored(db_session: Session) -> None:
    existing = make_event(db_session, **SKOPJE_CONFERENCE)
    draft = Event(
        title="MINISTERIAL CONFERENCE ON SUSTAINABLE MIGRATION MANAGEMENT IN THE WESTERN BALKANS",
        timezone="Europe/Skopje", all_day=True, start_dt=datetime(2022, 11, 15, 8, tzinfo=UTC),
        end_dt=datetime(2022, 11, 15, 8, tzinfo=UTC) + timedelta(hours=2), city="Skopje", country="MK",
    )  # fmt: skip
    with db_session.no_autoflush:
        assert [similar.event.id for similar in similar_events(db_session, draft)] == [existing.id]


def test_candidates_come_from_a_bounded_range_of_the_start_index(db_session: Session, engine: Engine) -> None:
    for day in range(1, 29):
        meeting(db_session, f"Meeting {day}", f"2022-02-{day:02d}")
    event = event_service.load_event(db_session, 10)
    with captured_statements(engine) as captured:
        similar_events(db_session, event)
    ((statement, parameters),) = selects_from(captured, "event")
    plan = explain(db_session, statement, parameters)
    if engine.dialect.name == "sqlite":
        assert "SEARCH event USING INDEX ix_event_start_end (start_dt>? AND start_dt<?)" in plan, plan
    else:
        assert re.search(r"ix_event_start_end.*\n.*Index Cond: \(\(start_dt <= .*\) AND \(start_dt >= ", plan), plan
    assert "ix_event_duration" in plan, plan
    db_session.rollback()
