"""Sentences and clauses of a release: where they end, and where one sentence holds two dated events.

Spans are checked against the text itself; the expected pieces are written out by hand.
"""

from __future__ import annotations

import re

import pytest

from tracker.extraction.sentences import Sentence, split_clauses, split_sentences

INTRO = "Skopje, 10 May 2023 – The ministry said. "


def spans(text: str, *words: str) -> list[tuple[int, int]]:
    """Where each of ``words`` first stands in ``text`` (the test's own reading of the text)."""
    return [(text.index(word), text.index(word) + len(word)) for word in words]


def sentence_at(text: str, start: str) -> Sentence:
    begin = text.index(start)
    return Sentence(text[begin:], begin, len(text))


def test_two_dated_events_in_one_sentence_are_two_clauses_with_their_spans() -> None:
    text = INTRO + "On 11 May the minister will meet the mayor in Ohrid, and on 12 May she will visit Tetovo."
    sentence = sentence_at(text, "On 11 May")
    pieces = split_clauses(sentence, spans(text, "11 May", "12 May"), spans(text, "meet", "visit"))
    assert [p.text for p in pieces] == ["On 11 May the minister will meet the mayor in Ohrid",
                                        "and on 12 May she will visit Tetovo."]  # fmt: skip
    assert all(text[p.start : p.end] == p.text for p in pieces)


def test_three_dated_events_are_three_clauses() -> None:
    text = INTRO + "On 11 May a meeting in Ohrid; on 12 May a visit to Tetovo; on 13 May a forum in Struga."
    sentence = sentence_at(text, "On 11 May")
    pieces = split_clauses(
        sentence, spans(text, "11 May", "12 May", "13 May"), spans(text, "meeting", "visit", "forum")
    )
    assert [p.text for p in pieces] == ["On 11 May a meeting in Ohrid", "on 12 May a visit to Tetovo",
                                        "on 13 May a forum in Struga."]  # fmt: skip
    assert all(text[p.start : p.end] == p.text for p in pieces)


@pytest.mark.parametrize(
    ("body", "dates", "cues"),
    [
        # one event word only: two dates of one event ("announced on …, held on …") stay one sentence
        ("The forum, announced on 2 May, and held on 11 May, was a success.", ("2 May", "11 May"), ("forum",)),
        # both event words before the join: nothing after it to make a second event
        ("The meeting and the visit on 11 May, and on 12 May nothing more.", ("11 May", "12 May"),
         ("meeting", "visit")),
        # both event words after the join: nothing before it
        ("On 11 May, and on 12 May, the meeting and the visit.", ("11 May", "12 May"), ("meeting", "visit")),
        # one date only
        ("On 11 May the meeting, and the visit.", ("11 May",), ("meeting", "visit")),
        # no join between the dates
        ("On 11 May the meeting on 12 May the visit.", ("11 May", "12 May"), ("meeting", "visit")),
    ],
)  # fmt: skip
def test_a_sentence_stays_whole_unless_each_side_of_a_join_has_a_dated_event(
    body: str, dates: tuple[str, ...], cues: tuple[str, ...]
) -> None:
    text = INTRO + body
    sentence = sentence_at(text, body[:10])
    assert split_clauses(sentence, spans(text, *dates), spans(text, *cues)) == [sentence]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It ended . Then more.", ["It ended .", "Then more."]),
        ("(Dr. Vitorino spoke.) Then more.", ["(Dr. Vitorino spoke.)", "Then more."]),
        ("„Dr. Vitorino spoke.“ Then more.", ["„Dr. Vitorino spoke.“", "Then more."]),
        ("Prof. Smith came. Mr. Jones left.", ["Prof. Smith came.", "Mr. Jones left."]),
        ("The 2. Session opened.", ["The 2.", "Session opened."]),
        ("It rained!  Then it stopped? Yes.", ["It rained!", "Then it stopped?", "Yes."]),
    ],
)
def test_abbreviations_and_initials_end_no_sentence(text: str, expected: list[str]) -> None:
    found = split_sentences(text)
    assert [s.text for s in found] == expected
    assert all(text[s.start : s.end] == s.text for s in found)


def test_the_last_sentence_runs_to_the_end_of_the_text() -> None:
    text = "First one. Second one without a stop"
    assert split_sentences(text)[-1] == Sentence("Second one without a stop", 11, len(text))


def test_a_long_run_is_cut_at_spaces_into_pieces_that_cover_it() -> None:
    text = "word " * 1000
    pieces = split_sentences(text)
    assert all(len(p.text) <= 1_500 and text[p.start : p.end] == p.text for p in pieces)
    assert sum(len(re.findall("word", p.text)) for p in pieces) == 1000
