"""Date expressions in releases: every expected day below is worked out by hand from a calendar of November 2022.

The dateline is Thursday 10 November 2022 (the shared MIA release): Monday 7, Friday 4 and Sunday 6 November lie
behind it; Friday 11, Monday 14 and Thursday 17 ahead; next week is 14–18 November, last week 31 October–4 November.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracker.extraction.dates import DateMention, date_word, find_dates

DATELINE = date(2022, 11, 10)
SHARED_RELEASE = Path(__file__).resolve().parents[1] / ".." / "shared" / "examples" / "press-release-mia-2022-11-10.txt"


def d(month: int, day: int, year: int = 2022) -> date:
    return date(year, month, day)


# (language, sentence, the expression found, first day, last day, resolved from a weekday or relative word)
TABLE: list[tuple[str, str, str, date, date, bool]] = [
    # English
    ("en", "The summit opened on 10 November 2022 in Skopje.", "10 November 2022", d(11, 10), d(11, 10), False),
    ("en", "The agreement was signed on November 10, 2022.", "November 10, 2022", d(11, 10), d(11, 10), False),
    ("en", "Skopje, 10.11.2022 – The ministry said", "10.11.2022", d(11, 10), d(11, 10), False),
    ("en", "in the period November 15-16, 2022, Skopje will host", "November 15-16, 2022", d(11, 15), d(11, 16), False),
    ("en", "The forum meets 15–16 November in Ohrid.", "15–16 November", d(11, 15), d(11, 16), False),
    ("en", "It runs from 30 November to 1 December.", "from 30 November to 1 December", d(11, 30), d(12, 1), False),
    ("en", "Talks are set for 15 and 16 December.", "15 and 16 December", d(12, 15), d(12, 16), False),
    ("en", "The course runs Dec. 30 to Jan. 2 in Tirana.", "Dec. 30 to Jan. 2", d(12, 30), d(1, 2, 2023), False),
    ("en", "He arrived on Monday, 7 November, in Geneva.", "Monday, 7 November", d(11, 7), d(11, 7), False),
    ("en", "On Monday he met the Director General.", "On Monday", d(11, 7), d(11, 7), True),
    ("en", "The ministers will meet on Monday in Brussels.", "on Monday", d(11, 14), d(11, 14), True),
    ("en", "Ministers meet again next Thursday.", "next Thursday", d(11, 17), d(11, 17), True),
    ("en", "The border was closed last Friday.", "last Friday", d(11, 4), d(11, 4), True),
    ("en", "He expressed respect for Monday's meeting and will continue support.", "Monday's", d(11, 7), d(11, 7),
     True),
    ("en", "The minister arrives tomorrow.", "tomorrow", d(11, 11), d(11, 11), True),
    ("en", "Two boats were stopped last night.", "last night", d(11, 9), d(11, 9), True),
    ("en", "The report was published yesterday.", "yesterday", d(11, 9), d(11, 9), True),
    ("en", "Experts gather next week in Vienna.", "next week", d(11, 14), d(11, 18), True),
    ("en", "The inspectors visited last week.", "last week", d(10, 31), d(11, 4), True),
    ("en", "Registration closes on the 15th of November.", "15th of November", d(11, 15), d(11, 15), False),
    ("en", "The plan was adopted Sept. 3rd, 2022.", "Sept. 3rd, 2022", d(9, 3), d(9, 3), False),
    ("en", "The round table on January 12 will", "January 12", d(1, 12, 2023), d(1, 12, 2023), False),
    ("en", "Held 30 December 2022 - 2 January 2023.", "30 December 2022 - 2 January 2023", d(12, 30),
     d(1, 2, 2023), False),
    # Macedonian
    ("mk", "Конференцијата ќе се одржи на 15 и 16 ноември во Скопје.", "15 и 16 ноември", d(11, 15), d(11, 16), False),
    ("mk", "Работилницата трае од 15 до 16 ноември.", "од 15 до 16 ноември", d(11, 15), d(11, 16), False),
    ("mk", "Скопје, 15 ноември 2022 (МИА)", "15 ноември 2022", d(11, 15), d(11, 15), False),
    ("mk", "Министерот денес се сретна со амбасадорот.", "денес", d(11, 10), d(11, 10), True),
    ("mk", "Делегацијата утре патува за Женева.", "утре", d(11, 11), d(11, 11), True),
    ("mk", "Вчера беше потпишан меморандумот.", "Вчера", d(11, 9), d(11, 9), True),
    ("mk", "Во понеделникот министерот ќе отпатува во Брисел.", "Во понеделникот", d(11, 14), d(11, 14), True),
    ("mk", "Во понеделникот министерот се сретна со Виторино.", "Во понеделникот", d(11, 7), d(11, 7), True),
    ("mk", "Средбата ќе биде следната недела.", "следната недела", d(11, 14), d(11, 18), True),
    ("mk", "Рокот истекува на 15-ти ноември.", "15-ти ноември", d(11, 15), d(11, 15), False),
    ("mk", "Обуката е од 30 ноември до 1 декември.", "од 30 ноември до 1 декември", d(11, 30), d(12, 1), False),
    ("mk", "Синоќа беа пронајдени мигранти.", "Синоќа", d(11, 9), d(11, 9), True),
    ("mk", "Минатиот петок се одржа седницата.", "Минатиот петок", d(11, 4), d(11, 4), True),
    ("mk", "Скопје, 15 нов. 2022", "15 нов. 2022", d(11, 15), d(11, 15), False),
    # Albanian
    ("sq", "Takimi do të mbahet më 15 nëntor 2022 në Tiranë.", "15 nëntor 2022", d(11, 15), d(11, 15), False),
    ("sq", "Më 15 nëntorit 2022 u nënshkrua marrëveshja.", "15 nëntorit 2022", d(11, 15), d(11, 15), False),
    ("sq", "Konferenca zhvillohet më 15-16 nëntor.", "15-16 nëntor", d(11, 15), d(11, 16), False),
    ("sq", "Seminari zgjat nga 15 deri më 16 nëntor.", "nga 15 deri më 16 nëntor", d(11, 15), d(11, 16), False),
    ("sq", "Ministri u takua sot me ambasadorin.", "sot", d(11, 10), d(11, 10), True),
    ("sq", "Delegacioni udhëton nesër për në Shkup.", "nesër", d(11, 11), d(11, 11), True),
    ("sq", "Dje u mbajt mbledhja e qeverisë.", "Dje", d(11, 9), d(11, 9), True),
    ("sq", "Të hënën ministri u takua me drejtorin.", "Të hënën", d(11, 7), d(11, 7), True),
    ("sq", "Ministri do të udhëtojë të hënën në Bruksel.", "të hënën", d(11, 14), d(11, 14), True),
    ("sq", "Punëtoria mbahet javën e ardhshme.", "javën e ardhshme", d(11, 14), d(11, 18), True),
    ("sq", "Takimi është të enjten e ardhshme.", "të enjten e ardhshme", d(11, 17), d(11, 17), True),
    ("sq", "Forumi mbahet më 15 dhe 16 dhjetor.", "15 dhe 16 dhjetor", d(12, 15), d(12, 16), False),
    ("sq", "Trajnimi nga 30 nëntori deri më 1 dhjetor.", "nga 30 nëntori deri më 1 dhjetor", d(11, 30), d(12, 1),
     False),
    ("sq", "Ligji hyri në fuqi më 5 korrikut 2022.", "5 korrikut 2022", d(7, 5), d(7, 5), False),
    # Serbian, Cyrillic
    ("sr", "Београд, 15. новембра 2022. (Танјуг)", "15. новембра 2022", d(11, 15), d(11, 15), False),
    ("sr", "Споразум је потписан 15. новембра 2022. године.", "15. новембра 2022. године", d(11, 15), d(11, 15),
     False),
    ("sr", "Конференција траје од 15. до 16. новембра.", "од 15. до 16. новембра", d(11, 15), d(11, 16), False),
    ("sr", "Министар је данас примио амбасадора.", "данас", d(11, 10), d(11, 10), True),
    ("sr", "Делегација сутра путује у Женеву.", "сутра", d(11, 11), d(11, 11), True),
    ("sr", "Јуче је одржана седница.", "Јуче", d(11, 9), d(11, 9), True),
    ("sr", "Министар ће у понедељак отпутовати у Брисел.", "у понедељак", d(11, 14), d(11, 14), True),
    ("sr", "Састанак је у понедељак одржан у Женеви.", "у понедељак", d(11, 7), d(11, 7), True),
    ("sr", "Састанак ће бити следеће недеље.", "следеће недеље", d(11, 14), d(11, 18), True),
    ("sr", "Седница је одржана прошлог петка.", "прошлог петка", d(11, 4), d(11, 4), True),
    ("sr", "Форум се одржава 12. и 13. децембра.", "12. и 13. децембра", d(12, 12), d(12, 13), False),
    # Serbian, Latin
    ("sr", "Beograd, 15. novembra 2022. (Tanjug)", "15. novembra 2022", d(11, 15), d(11, 15), False),
    ("sr", "Konferencija traje od 15. do 16. novembra.", "od 15. do 16. novembra", d(11, 15), d(11, 16), False),
    ("sr", "Ministar je danas primio ambasadora.", "danas", d(11, 10), d(11, 10), True),
    ("sr", "Delegacija sutra putuje u Ženevu.", "sutra", d(11, 11), d(11, 11), True),
    ("sr", "Juče je održana sednica.", "Juče", d(11, 9), d(11, 9), True),
    ("sr", "Sastanak je u ponedeljak održan u Ženevi.", "u ponedeljak", d(11, 7), d(11, 7), True),
    ("sr", "Ministar će u ponedeljak otputovati u Brisel.", "u ponedeljak", d(11, 14), d(11, 14), True),
    ("sr", "Sastanak će biti sledeće nedelje.", "sledeće nedelje", d(11, 14), d(11, 18), True),
    ("sr", "Forum se održava 12. i 13. decembra.", "12. i 13. decembra", d(12, 12), d(12, 13), False),
    ("sr", "Obuka traje od 30. novembra do 1. decembra.", "od 30. novembra do 1. decembra", d(11, 30), d(12, 1),
     False),
    ("sr", "Sinoć su pronađeni migranti.", "Sinoć", d(11, 9), d(11, 9), True),
    ("sr", "Beograd, 10.11.2022. godine", "10.11.2022", d(11, 10), d(11, 10), False),
]  # fmt: skip


def test_the_table_is_big_enough_in_every_language() -> None:
    counts = {lang: sum(1 for row in TABLE if row[0] == lang) for lang in ("en", "mk", "sq", "sr")}
    latin = sum(1 for row in TABLE if row[0] == "sr" and not any("\u0400" <= c <= "\u04ff" for c in row[1]))
    assert len(TABLE) >= 50
    assert min(counts["mk"], counts["sq"], latin, counts["sr"] - latin) >= 8


@pytest.mark.parametrize(("lang", "sentence", "found", "start", "end", "relative"), TABLE)
def test_each_expression_resolves_to_the_days_worked_out_by_hand(
    lang: str, sentence: str, found: str, start: date, end: date, relative: bool
) -> None:
    [mention] = find_dates(sentence, DATELINE)
    assert (mention.text, mention.start, mention.end, mention.relative) == (found, start, end, relative)
    assert sentence[mention.span[0] : mention.span[1]] == found
    assert mention.span[0] == sentence.index(found)
    [alone] = find_dates(sentence, DATELINE, languages=("en", lang) if lang != "en" else ("en",))
    assert (alone.start, alone.end) == (start, end)


@pytest.mark.parametrize(
    "sentence",
    [
        "The centre hosted 15-16 persons a night.",
        "In 2016 the centre opened.",
        "The session starts at 10:30 in room 2.",
        "The session starts at 10.30 hours.",
        "Article 15 of the law applies to 1,500 migrants.",
        "2022",
        "during the 2015-2016 period",
        "The delegates sat down and asked: May I speak?",
        "There is no 32 November, nor 31 February.",
        "at 10:30 November time",
        "Средствата од средината на буџетот.",
        "Sredstva iz sredine budžeta; e sotme; Skopje 2 3117 000.",
        "15-16 лица; 15 и 16 години.",
        "A range that runs backwards: 3-2 December, November 16-15.",
    ],
)
def test_numbers_times_and_years_alone_are_not_dates(sentence: str) -> None:
    assert find_dates(sentence, DATELINE) == []


def test_the_shared_release_reports_monday_and_announces_the_conference() -> None:
    text = SHARED_RELEASE.read_text(encoding="utf-8")
    mentions = find_dates(text, DATELINE)
    found = [(m.text, m.start, m.end) for m in mentions]
    assert found == [
        ("Monday, 01 July 2024", date(2024, 7, 1), date(2024, 7, 1)),  # the page's own date, above the release
        ("10 November 2022", d(11, 10), d(11, 10)),
        ("Monday's", d(11, 7), d(11, 7)),
        ("November 15-16, 2022", d(11, 15), d(11, 16)),
    ]
    assert all(text[m.span[0] : m.span[1]] == m.text for m in mentions)


def test_overlapping_matches_keep_the_longest_and_come_in_text_order() -> None:
    text = "Talks from 30 November to 1 December; tomorrow a visit; on Monday, 7 November the report."
    assert [(m.text, m.start, m.end) for m in find_dates(text, DATELINE)] == [
        ("from 30 November to 1 December", d(11, 30), d(12, 1)),
        ("tomorrow", d(11, 11), d(11, 11)),
        ("Monday, 7 November", d(11, 7), d(11, 7)),
    ]


def test_a_year_left_out_is_the_one_nearest_the_dateline() -> None:
    def days(text: str, dateline: date) -> tuple[date, date]:
        [mention] = find_dates(text, dateline)
        return mention.start, mention.end

    assert days("on 15 and 16 May", DATELINE) == (d(5, 15), d(5, 16))  # 179 days back, 186 ahead
    assert days("on 2 and 3 May", DATELINE) == (d(5, 2, 2023), d(5, 3, 2023))  # 192 days back, 173 ahead
    assert days("on 28 December", date(2023, 1, 3)) == (d(12, 28), d(12, 28))
    assert days("30 December to 2 January", date(2022, 12, 20)) == (d(12, 30), d(1, 2, 2023))
    assert days("30 December to 2 January", date(2023, 1, 3)) == (d(12, 30), d(1, 2, 2023))
    assert days("30 December to 2 January 2024", DATELINE) == (d(12, 30, 2023), d(1, 2, 2024))


def test_weekdays_on_the_dateline_itself() -> None:
    monday = date(2022, 11, 14)
    assert [m.start for m in find_dates("He met them on Monday.", monday)] == [monday]
    assert [m.start for m in find_dates("They meet next Monday.", monday)] == [date(2022, 11, 21)]
    assert [m.start for m in find_dates("They met last Monday.", monday)] == [date(2022, 11, 7)]
    assert [m.start for m in find_dates("They will meet on Sunday.", monday)] == [date(2022, 11, 20)]


def test_languages_limit_the_words_read_and_unknown_ones_are_refused() -> None:
    assert find_dates("15 ноември 2022", DATELINE, languages=["en"]) == []
    assert find_dates("15 ноември 2022", DATELINE, languages=["mk"]) == [
        DateMention(d(11, 15), d(11, 15), (0, 15), "15 ноември 2022", False)
    ]
    with pytest.raises(ValueError, match="not in de"):
        find_dates("15 November", DATELINE, languages=["en", "de"])


def test_a_five_thousand_word_release_reads_every_repeated_mention() -> None:
    """Correctness on a long text; its speed is measured by ``bench/dates.py``, never by a timed test."""
    words = SHARED_RELEASE.read_text(encoding="utf-8").split()
    text = " ".join((words * (5000 // len(words) + 1))[:5000])
    mentions = find_dates(text, DATELINE)
    assert len(mentions) > 20
    assert {(m.start, m.end) for m in mentions} >= {(d(11, 7), d(11, 7)), (d(11, 15), d(11, 16))}


def test_many_mentions_in_one_long_sentence_are_all_read() -> None:
    """Each sentence's tense is read once and overlaps settled by bisection (``bench/dates.py`` times it)."""
    text = "Monday " * 10000 + "15–16 November " * 2000
    mentions = find_dates(text, DATELINE)
    assert len(mentions) == 11999  # the last "Monday" leads "Monday 15–16 November"
    assert mentions[0].start == d(11, 7) and mentions[-1].end == d(11, 16)


@pytest.mark.parametrize(
    ("word", "kind"),
    [("November", "month"), ("nov", "month"), ("новембра", "month"), ("nëntorit", "month"), ("ноември", "month"),
     ("Monday", "weekday"), ("Monday's", "weekday"), ("понеделник", "weekday"), ("ponedeljak", "weekday"),
     ("today", "day"), ("Утре", "day"), ("dje", "day"), ("Skopje", None), ("hënën", None), ("2022", None)],
)  # fmt: skip
def test_one_word_is_a_month_a_weekday_a_counted_day_or_none(word: str, kind: str | None) -> None:
    assert date_word(word) == kind
