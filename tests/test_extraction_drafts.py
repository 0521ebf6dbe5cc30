"""Press release → drafts: sentences, dateline, which sentences make events, titles, times and status.

Every expected value is read off the text by hand; the corpus test (tests/test_extraction_corpus.py) measures the
whole on many releases, these pin the rules one by one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.extraction.drafts import extract_drafts, extract_json, find_dateline
from tracker.extraction.sentences import guess_language, split_sentences

TRACKER = str(Path(sys.executable).with_name("tracker"))
SHARED_RELEASE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "press-release-mia-2022-11-10.txt"


def one(text: str, **kwargs: object) -> dict:
    drafts = extract_json(text, **kwargs)["drafts"]  # type: ignore[arg-type]
    assert len(drafts) == 1, drafts
    return drafts[0]


# ---------------------------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He arrived. She left.", ["He arrived.", "She left."]),
        ("Конференцијата е на 15. новембра 2022. године у Београду. Потом ручак.",
         ["Конференцијата е на 15. новембра 2022. године у Београду.", "Потом ручак."]),
        ("Dr. Vitorino spoke. Then A. Smith replied.", ["Dr. Vitorino spoke.", "Then A. Smith replied."]),
        ("Headline without a stop\nBody sentence.", ["Headline without a stop", "Body sentence."]),
        ("“We will meet,” he said. Next one.", ["“We will meet,” he said.", "Next one."]),
        ("Sot u mbajt takimi. Ministri tha.", ["Sot u mbajt takimi.", "Ministri tha."]),
        ("Attendance was 15.5 percent. Fine.", ["Attendance was 15.5 percent.", "Fine."]),
    ],
)  # fmt: skip
def test_sentences_end_where_a_reader_says(text: str, expected: list[str]) -> None:
    found = split_sentences(text)
    assert [sentence.text for sentence in found] == expected
    assert all(text[s.start : s.end] == s.text for s in found)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The minister will visit Vienna next week with the delegation of the ministry.", "en"),
        ("Министерот ќе оствари посета на Виена следната недела, соопштија од министерството.", "mk"),
        ("Министар ће у понедељак посетити Беч, саопштило је министарство унутрашњих послова.", "sr"),
        ("Ministri do të vizitojë Vjenën javën e ardhshme, njofton ministria për punë të brendshme.", "sq"),
        ("Ministar će u ponedeljak posetiti Beč, saopštilo je ministarstvo unutrašnjih poslova.", "sr"),
    ],
)
def test_the_language_is_told_by_its_letters_and_small_words(text: str, language: str) -> None:
    assert guess_language(text) == language


# ---------------------------------------------------------------------------------------------- dateline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("• Monday, 01 July 2024\n\nTitle\nSkopje, 10 November 2022 (MIA) – The minister met", date(2022, 11, 10)),
        ("Скопје, 3 март 2023 (МИА) - Министерот", date(2023, 3, 3)),
        ("Tiranë, 5 maj 2023 – Ministri", date(2023, 5, 5)),
        ("Београд, 12. јун 2023. – Министар", date(2023, 6, 12)),
        ("Published 2 February 2021\nThe minister said.", date(2021, 2, 2)),
    ],
)
def test_the_dateline_is_the_date_after_the_place_and_before_the_dash(text: str, expected: date) -> None:
    assert find_dateline(text, date(2026, 1, 1))[0] == expected


def test_without_any_date_the_dateline_is_today() -> None:
    assert find_dateline("The minister said nothing.", date(2026, 1, 1)) == (date(2026, 1, 1), None)


# ---------------------------------------------------------------------------------------------- the shared example


def test_the_shared_release_gives_the_geneva_visit_and_the_skopje_conference() -> None:
    drafts = extract_json(SHARED_RELEASE.read_text(encoding="utf-8"))["drafts"]
    assert [(d["kind"], d["start"], d["end"], d["city"], d["country"], d["status"]) for d in drafts] == [
        ("official_visit", "2022-11-07", "2022-11-07", "Geneva", "CH", "past"),
        ("conference", "2022-11-15", "2022-11-16", "Skopje", "MK", "upcoming"),
    ]
    visit, conference = drafts
    assert visit["title"] == "Working visit to Geneva"
    assert conference["title"] == "Ministerial Conference on Sustainable Migration Management in the Western Balkans"
    roles = {(o["acronym"] or o["name"], o["role"]) for o in conference["organisations"]}
    assert roles == {
        ("Ministry of Interior of the Republic of North Macedonia", "host"),
        ("Ministry of Interior of the Czech Republic", "co_organiser"),
        ("IOM", "supporter"),
    }
    assert "Monday's meeting" in visit["evidence"]["start"]
    assert "November 15-16, 2022" in conference["evidence"]["start"]
    assert "working visit to Geneva" in visit["evidence"]["city"]


def test_evidence_spans_point_at_their_sentences_in_the_text() -> None:
    text = SHARED_RELEASE.read_text(encoding="utf-8")
    for draft in extract_drafts(text):
        for evidence in draft.evidence.values():
            assert text[evidence.span[0] : evidence.span[1]] == evidence.sentence


# ---------------------------------------------------------------------------------------------- events and not


DATELINE = "Skopje, 10 November 2022 (MIA) – "


def test_a_statement_statistics_and_a_vague_plan_make_no_draft() -> None:
    text = DATELINE + (
        "The Minister said the security situation at the borders is stable. "
        "Since January, 12,400 migrants were registered, 8 percent fewer than in 2021. "
        "The ministry plans to hold a regional conference next year."
    )
    assert extract_json(text) == {"drafts": []}


def test_a_press_conference_is_not_an_event_to_track() -> None:
    text = DATELINE + "At a press conference on Monday, the Minister presented the annual report."
    assert extract_json(text) == {"drafts": []}


def test_a_dated_event_word_and_its_later_mention_are_one_draft() -> None:
    text = DATELINE + (
        "A regional conference on border management will take place in Ohrid on 24 and 25 November. "
        "The conference will gather ministers of the Western Balkans."
    )
    draft = one(text)
    assert (draft["start"], draft["end"], draft["status"]) == ("2022-11-24", "2022-11-25", "upcoming")


def test_two_events_on_different_days_are_two_drafts() -> None:
    text = DATELINE + (
        "The Minister met the Ambassador of Austria yesterday. "
        "On 1 December he will attend the Ministerial Forum in Vienna."
    )
    drafts = extract_json(text)["drafts"]
    assert [(d["kind"], d["start"], d["status"]) for d in drafts] == [
        ("meeting", "2022-11-09", "past"),
        ("conference", "2022-12-01", "upcoming"),
    ]


def test_a_place_of_whose_is_not_where() -> None:
    draft = one(DATELINE + "Today the Minister met the Ambassador of Austria.")
    assert (draft["city"], draft["country"]) == ("Skopje", "MK")  # the dateline's city, not Austria


# ---------------------------------------------------------------------------------------------- times, status


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("The meeting will be held on 15 November at 10:00 in Skopje.", "2022-11-15T10:00:00", "2022-11-15"),
        ("The meeting will be held on 15 November from 10:30 to 12:00 in Skopje.",
         "2022-11-15T10:30:00", "2022-11-15T12:00:00"),
        ("Средбата ќе се одржи на 15 ноември во 11 часот во Скопје.", "2022-11-15T11:00:00", "2022-11-15"),
        ("Takimi do të mbahet më 15 nëntor në orën 9:30 në Shkup.", "2022-11-15T09:30:00", "2022-11-15"),
        ("The meeting will be held on 15 November at 3 p.m. in Skopje.", "2022-11-15T15:00:00", "2022-11-15"),
    ],
)  # fmt: skip
def test_a_time_of_day_gives_a_local_date_time_in_the_places_zone_and_the_end_its_day(
    sentence: str, start: str, end: str
) -> None:
    draft = one(DATELINE + sentence)
    assert (draft["start"], draft["end"], draft["timezone"]) == (start, end, "Europe/Skopje")
    assert datetime.fromisoformat(draft["start"])


def test_a_number_is_no_time_of_day() -> None:
    draft = one(DATELINE + "The meeting will be held on 15 November at 10 border crossings in Skopje.")
    assert (draft["start"], draft["timezone"]) == ("2022-11-15", None)


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("The Minister met the Ambassador of Austria today.", "ongoing"),  # by day: the dateline's day is ongoing
        ("The Minister will meet the Ambassador of Austria on Monday next week.", "upcoming"),
        ("The two-day conference in Ohrid, from 9 to 11 November, continues.", "ongoing"),
        ("The Minister met the Ambassador of Austria on 1 November.", "past"),
    ],
)
def test_status_is_read_against_the_dateline(sentence: str, status: str) -> None:
    assert one(DATELINE + sentence)["status"] == status


# ---------------------------------------------------------------------------------------------- the command


def test_tracker_extract_reads_standard_input_and_prints_the_contract(tmp_path: Path) -> None:
    command = [TRACKER, "extract", "-", "--no-database"]
    text = SHARED_RELEASE.read_text(encoding="utf-8")
    result = subprocess.run(
        command, input=text.encode(), capture_output=True, check=True, env=_env(tmp_path), timeout=120
    )
    printed = json.loads(result.stdout)
    assert [d["start"] for d in printed["drafts"]] == ["2022-11-07", "2022-11-15"]
    keys = {"title", "kind", "status", "start", "end", "timezone", "city", "country", "organisations", "people",
            "evidence"}  # fmt: skip
    assert all(set(d) == keys for d in printed["drafts"])


def test_tracker_extract_refuses_what_is_not_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "release.txt"
    bad.write_bytes(b"Skopje \xff\xfe")
    command = [TRACKER, "extract", str(bad), "--no-database"]
    result = subprocess.run(command, capture_output=True, env=_env(tmp_path), timeout=120)
    assert result.returncode != 0
    assert b"is not UTF-8 text" in result.stderr


def _env(tmp_path: Path) -> dict[str, str]:
    import os

    return {**os.environ, "TRACKER_INSTANCE_PATH": str(tmp_path / "instance")}


# ---------------------------------------------------------------------------------------------- four languages


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "status"),
    [
        ("Скопје, 10 ноември 2022 (МИА) – Министерот Оливер Спасовски денеска се сретна со амбасадорот на Австрија.",
         "meeting", "2022-11-10", "2022-11-10", "ongoing"),
        ("Скопје, 10 ноември 2022 (МИА) – Министерот ќе учествува на регионалната конференција на 24 и 25 ноември.",
         "conference", "2022-11-24", "2022-11-25", "upcoming"),
        ("Скопје, 10 ноември 2022 (МИА) – Министерот во понеделникот беше во работна посета на Австрија.",
         "official_visit", "2022-11-07", "2022-11-07", "past"),
        ("Tiranë, 10 nëntor 2022 – Ministri i Punëve të Brendshme u takua sot me ambasadorin e Austrisë.",
         "meeting", "2022-11-10", "2022-11-10", "ongoing"),
        ("Tiranë, 10 nëntor 2022 – Konferenca rajonale për migracionin do të mbahet më 24 dhe 25 nëntor.",
         "conference", "2022-11-24", "2022-11-25", "upcoming"),
        ("Tiranë, 10 nëntor 2022 – Ministri do të jetë nesër në një vizitë zyrtare në Austri.",
         "official_visit", "2022-11-11", "2022-11-11", "upcoming"),
        ("Београд, 10. новембар 2022. – Министар унутрашњих послова састао се данас са амбасадором Аустрије.",
         "meeting", "2022-11-10", "2022-11-10", "ongoing"),
        ("Београд, 10. новембар 2022. – Регионална конференција биће одржана 24. и 25. новембра.",
         "conference", "2022-11-24", "2022-11-25", "upcoming"),
        ("Beograd, 10. novembar 2022. – Ministar je u ponedeljak bio u zvaničnoj poseti Austriji.",
         "official_visit", "2022-11-07", "2022-11-07", "past"),
        ("Beograd, 10. novembar 2022. – Ministri će potpisati sporazum od 15. do 16. novembra.",
         "meeting", "2022-11-15", "2022-11-16", "upcoming"),
    ],
)  # fmt: skip
def test_events_are_read_in_each_language(text: str, kind: str, start: str, end: str, status: str) -> None:
    draft = one(text)
    assert (draft["kind"], draft["start"], draft["end"], draft["status"]) == (kind, start, end, status)


# ---------------------------------------------------------------------------------------------- any text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            ["Skopje, 10 November 2022 (MIA) –", "conference", "Конференција", "meeting", "visit", "the", "IOM",
             "Ministry of Interior", "on 15–16 November", "Monday's", "tomorrow", "at 10:00", "in Geneva", "Шкуп",
             "u Beogradu", "organised by", "with the support of", ".", ",", "\n", "“", "”", "Oliver Spasovski",
             "15. новембра 2022.", "më 15 nëntor", "Minister", "said today", "by Monday", "two-day", "Takimi"]
        ),
        max_size=60,
    ).map(" ".join)
)  # fmt: skip
def test_any_text_gives_well_formed_drafts_whose_evidence_is_in_it(text: str) -> None:
    for draft in extract_drafts(text, today=date(2022, 11, 10)):
        assert _day(draft.start) <= _day(draft.end)
        assert draft.status in {"past", "ongoing", "upcoming"}
        assert draft.kind in {"conference", "official_visit", "meeting", "other"}
        assert {o.role for o in draft.organisations} <= {"host", "co_organiser", "supporter", "participant"}
        for evidence in draft.evidence.values():
            assert text[evidence.span[0] : evidence.span[1]] == evidence.sentence


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def test_one_sentence_with_two_dated_events_gives_two_drafts() -> None:
    text = "Brussels, 14 June 2023 – " + (
        "On Monday she will meet Prime Minister Dimitar Kovačevski in Skopje, and on Tuesday, 20 June, she will "
        "hold talks in Tirana with Prime Minister Edi Rama."
    )
    drafts = extract_json(text)["drafts"]
    assert [(d["start"], d["city"]) for d in drafts] == [("2023-06-19", "Skopje"), ("2023-06-20", "Tirana")]
    assert [[p["name"] for p in d["people"]] for d in drafts] == [["Dimitar Kovačevski"], ["Edi Rama"]]


def test_a_sentence_with_two_dates_of_one_event_stays_one_draft() -> None:
    text = DATELINE + "The conference, announced on 1 November, will take place in Ohrid on 24 and 25 November."
    assert [(d["start"], d["end"]) for d in extract_json(text)["drafts"]] == [("2022-11-24", "2022-11-25")]


def test_a_run_without_sentence_ends_is_cut_into_bounded_sentences() -> None:
    text = "conference on 15 November, " * 400
    pieces = split_sentences(text)
    assert len(pieces) > 1 and max(len(piece.text) for piece in pieces) <= 1_500
    assert all(text[p.start : p.end] == p.text for p in pieces)


def test_a_national_body_named_without_its_country_is_the_datelines_countrys() -> None:
    text = DATELINE + "The Ministry of Interior organised a regional conference in Ohrid on 24 November."
    organisations = one(text)["organisations"]
    assert [(o["name"], o["role"]) for o in organisations] == [
        ("Ministry of Interior of the Republic of North Macedonia", "host")
    ]
