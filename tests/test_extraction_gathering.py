"""The gathering's rules one by one: tense, whether a word refers back, an event's days, which dates are an
event's. Expected values are read off the sentences by hand."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tracker.extraction import gathering
from tracker.extraction.dates import DateMention
from tracker.extraction.drafts import extract_json
from tracker.extraction.sentences import Sentence

DATELINE = date(2022, 11, 10)


def sentence(text: str) -> Sentence:
    return Sentence(text, 0, len(text))


def mention(first: date, last: date | None = None, relative: bool = False) -> DateMention:
    return DateMention(first, last or first, (0, 1), "x", relative)


@pytest.mark.parametrize(
    ("text", "when", "tense"),
    [
        ("It was a day.", mention(date(2022, 11, 11)), "future"),
        ("It will be a day.", mention(date(2022, 11, 9)), "past"),
        ("It will be a day.", mention(DATELINE), "future"),
        ("The ministers met.", mention(DATELINE), "past"),
        ("Ministri do të takohet.", None, "future"),
        ("Министерот се сретна.", None, "past"),
        ("The ministers talk.", None, ""),
        ("Across the dateline.", mention(date(2022, 11, 9), date(2022, 11, 11)), ""),
    ],
)
def test_tense_comes_from_the_date_then_the_verbs(text: str, when: DateMention | None, tense: str) -> None:
    assert gathering._tense(sentence(text), when, DATELINE) == tense


@pytest.mark.parametrize(
    ("first", "second", "compatible"),
    [("", "past", True), ("future", "", True), ("past", "past", True), ("past", "future", False), ("", "", True)],
)
def test_only_a_past_and_a_future_do_not_go_together(first: str, second: str, compatible: bool) -> None:
    assert gathering._compatible(first, second) is compatible


@pytest.mark.parametrize(
    ("text", "word", "language", "definite"),
    [
        ("Then the conference opened.", "conference", "en", True),
        ("Later this meeting ended.", "meeting", "en", True),
        ("There was a meeting.", "meeting", "en", False),
        ("Meeting ended.", "Meeting", "en", False),
        ("Na sastanku je bilo reči.", "sastanku", "sr", True),
        ("Održan je jedan sastanak.", "sastanak", "sr", False),
        ("Ќе се одржи една средба.", "средба", "mk", False),
        ("Средбата заврши.", "Средбата", "mk", True),
        ("Pati një takim.", "takim", "sq", False),
    ],
)
def test_a_word_refers_back_after_the_or_outside_english_unless_it_says_a(
    text: str, word: str, language: str, definite: bool
) -> None:
    cue = re.search(re.escape(word), text)
    assert cue is not None
    assert gathering._definite(sentence(text), cue, language) is definite


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("A two-day conference opened.", date(2022, 11, 16)),
        ("A three day forum opened.", date(2022, 11, 17)),
        ("Дводневната конференција започна.", date(2022, 11, 16)),
        ("Počela je trodnevna konferencija.", date(2022, 11, 17)),
        ("Nis konferenca dyditore.", date(2022, 11, 16)),
        ("The conference opened.", date(2022, 11, 15)),
    ],
)
def test_a_single_day_that_says_how_long_lasts_that_long(text: str, last: date) -> None:
    cue = re.search(r"\w+", text)
    assert cue is not None
    event = gathering.EventSketch("conference", cue, [sentence(text)], mention(date(2022, 11, 15)), sentence(text))
    assert gathering.event_days(event) == (date(2022, 11, 15), last)


def test_a_range_keeps_its_own_days_whatever_the_words() -> None:
    text = "A two-day conference."
    cue = re.search("conference", text)
    assert cue is not None
    when = mention(date(2022, 11, 15), date(2022, 11, 18))
    event = gathering.EventSketch("conference", cue, [sentence(text)], when, sentence(text))
    assert gathering.event_days(event) == (date(2022, 11, 15), date(2022, 11, 18))


SKOPJE = "Skopje, 10 November 2022 (MIA) – "


@pytest.mark.parametrize(
    ("body", "start"),
    [
        ("The ministry announced on 1 November that the forum will be held in Ohrid on 24 November.", "2022-11-24"),
        ("Journalists should register by 20 November for the forum in Ohrid on 24 November.", "2022-11-24"),
        ("The minister said today that the forum will be held in Ohrid on 24 November.", "2022-11-24"),
        ("The forum in Ohrid, on 24 November, will be the first.", "2022-11-24"),
        ("Monday's meeting in Ohrid was the first.", "2022-11-07"),
    ],
)
def test_dates_that_are_not_the_events_are_passed_over(body: str, start: str) -> None:
    assert [d["start"] for d in extract_json(SKOPJE + body)["drafts"]] == [start]


def test_today_s_realities_is_no_day_of_an_event() -> None:
    text = SKOPJE + "The forum in Ohrid on 24 November will discuss today's realities."
    assert [d["start"] for d in extract_json(text)["drafts"]] == ["2022-11-24"]
    assert extract_json(SKOPJE + "The minister spoke of today's realities at length.") == {"drafts": []}


def test_who_takes_part_adds_to_the_event_before_but_a_new_city_does_not() -> None:
    text = SKOPJE + (
        "The regional forum will be held in Ohrid on 24 November. "
        "Representatives of UNHCR and IOM will take part. "
        "Delegations from Tirana will attend as well."
    )
    drafts = extract_json(text)["drafts"]
    assert len(drafts) == 1
    assert {o["acronym"] for o in drafts[0]["organisations"]} == {"UNHCR", "IOM"}
    assert drafts[0]["city"] == "Ohrid"


def test_a_visit_and_a_later_meeting_with_a_new_person_are_two_events() -> None:
    text = SKOPJE + (
        "On Monday the minister was on a working visit to Tirana. "
        "On 24 November he will meet the Austrian Ambassador Michael Schwarzinger."
    )
    assert [(d["kind"], d["start"]) for d in extract_json(text)["drafts"]] == [
        ("official_visit", "2022-11-07"),
        ("meeting", "2022-11-24"),
    ]


def test_an_event_word_after_during_is_the_frame_not_the_event() -> None:
    text = SKOPJE + (
        "On Monday the minister was on a working visit to Tirana. "
        "During the visit on 24 November a meeting will be held in Durrës."
    )
    assert [(d["kind"], d["start"], d["city"]) for d in extract_json(text)["drafts"]] == [
        ("official_visit", "2022-11-07", "Tirana"),
        ("meeting", "2022-11-24", "Durrës"),
    ]


def test_the_ceremony_speaks_of_the_event_before() -> None:
    text = SKOPJE + (
        "The regional forum will be held in Ohrid on 24 November. "
        "The ceremony will be organised by the International Organization for Migration."
    )
    drafts = extract_json(text)["drafts"]
    assert [[(o["acronym"], o["role"]) for o in d["organisations"]] for d in drafts] == [[("IOM", "host")]]
