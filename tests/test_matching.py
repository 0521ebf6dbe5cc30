"""The directory's matching rule: which spellings name the same entry, which are close, which are not.

Every expectation is written out by hand from the names themselves: "same" pairs have the same significant words
once case, accents, script, small words, spacing and hyphens are set aside (lookups resolve them without asking);
"close" pairs are acronyms or spellings an editor must be asked about; "apart" pairs name different entries.
"""

from __future__ import annotations

import time

import pytest

from tracker.matching import (
    ACRONYM,
    CLOSE,
    DirectoryIndex,
    Entry,
    align,
    closeness,
    dice,
    directory_index,
    is_close,
    name_key,
    name_keys,
    names_of,
    same_name,
    score,
    spellings,
    word_similarity,
)

SAME, CLOSE_ONLY, APART = "same", "close", "apart"
IOM_NAME = "International Organization for Migration"


@pytest.fixture(autouse=True)
def _empty_caches() -> None:
    """Each test computes every form afresh (a cached answer would hide a fault, e.g. from mutation testing)."""
    for cached in (names_of, word_similarity, directory_index):
        cached.cache_clear()


ORGANISATION_PAIRS = [
    # Case, accents, small words, hyphens.
    ("Ministry of Interior of the Czech Republic", "Ministry of the Interior of the Czech Republic", SAME),
    ("ministry of the interior of the czech republic", "MINISTRY OF THE INTERIOR OF THE CZECH REPUBLIC", SAME),
    ("Ministria e Punëve të Brendshme", "Ministria e Puneve te Brendshme", SAME),
    (
        "Organization for Security and Cooperation in Europe",
        "Organization for Security and Co-operation in Europe",
        SAME,
    ),
    ("Bosnia-Herzegovina", "Bosnia and Herzegovina", SAME),
    ("Ministerio del Interior", "Ministerio Interior", SAME),
    # Cyrillic and Latin, in either romanisation.
    ("Министерство за внатрешни работи", "Ministerstvo za vnatreshni raboti", SAME),
    ("Министерство за внатрешни работи", "Ministerstvo za vnatrešni raboti", SAME),
    ("Министарство унутрашњих послова", "Ministarstvo unutrašnjih poslova", SAME),
    ("Меѓународна организација за миграции", "Megjunarodna organizacija za migracii", SAME),
    # Two Latin spellings of one Cyrillic name, British and American spelling: asked, not resolved.
    ("Ministerstvo za vnatreshni raboti", "Ministerstvo za vnatrešni raboti", CLOSE_ONLY),
    ("International Organisation for Migration", "International Organization for Migration", CLOSE_ONLY),
    (
        "European Centre for Disease Prevention and Control",
        "European Center for Disease Prevention and Control",
        CLOSE_ONLY,
    ),
    ("Ministry of Defence", "Ministry of Defense", CLOSE_ONLY),
    # Most words shared: 3 of 3 against 3 of 4 (Dice 6/7); 2 of 2 against 2 of 3 (Dice 4/5, the threshold).
    ("Ministry of Interior", "Ministry of Interior of Serbia", CLOSE_ONLY),
    ("Ministry of Interior of Serbia", "Ministry of Interior of the Republic of Serbia", CLOSE_ONLY),
    # Acronyms: initials of significant words, of all words, stored acronyms, names holding both.
    ("IOM", "International Organization for Migration", CLOSE_ONLY),
    ("iom", "International Organization for Migration", CLOSE_ONLY),
    ("OSCE", "Organization for Security and Co-operation in Europe", CLOSE_ONLY),
    ("UNHCR", "United Nations High Commissioner for Refugees", CLOSE_ONLY),
    ("ICMPD", "International Centre for Migration Policy Development", CLOSE_ONLY),
    ("MoI", "Ministry of Interior", CLOSE_ONLY),
    ("MoI CZ", "Ministry of the Interior of the Czech Republic (MoI CZ)", CLOSE_ONLY),
    ("RCC", "Regional Cooperation Council (RCC)", CLOSE_ONLY),
    ("IOM - the International Organization for Migration", "International Organization for Migration", CLOSE_ONLY),
    ("IOM - the International Organization for Migration", "IOM", CLOSE_ONLY),
    # Different entries that share words or letters.
    ("Ministry of Interior of Serbia", "Ministry of Interior of Croatia", APART),
    ("Ministry of Foreign Affairs", "Ministry of Interior", APART),
    ("Ministry of Foreign Affairs of Serbia", "Ministry of Interior of Serbia", APART),
    ("Ministry of Interior of the Czech Republic", "Ministry of Interior of the Slovak Republic", APART),
    ("Ministry of Interior", "Ministry of Industry", APART),
    ("Embassy of Austria", "Embassy of Australia", APART),
    ("Police of Slovenia", "Police of Slovakia", APART),
    ("European Commission", "European Council", APART),
    ("Council of Europe", "European Council", APART),
    ("Sudan", "South Sudan", APART),
    ("Niger", "Nigeria", APART),
    ("IOM", "International Labour Organization", APART),
    ("ILO", "International Organization for Migration", APART),
    ("UNDP", "UNHCR", APART),
    ("Министерство за внатрешни работи", "Ministerstvo za nadvoreshni raboti", APART),
]

PEOPLE_PAIRS = [
    ("Antonio Vitorino", "António Vitorino", SAME),
    ("antonio vitorino", "ANTÓNIO VITORINO", SAME),
    ("Dr. António Vitorino", "Antonio Vitorino", SAME),
    ("H.E. Mr Oliver Spasovski", "Oliver Spasovski", SAME),
    ("Prof. Dr. Ana Bell", "Ana Bell", SAME),
    ("Vít Rakušan", "Vit Rakusan", SAME),
    ("Оливер Спасовски", "Oliver Spasovski", SAME),
    ("Ђорђе Ђорђевић", "Đorđe Đorđević", SAME),
    ("Антонио Виторино", "António Vitorino", SAME),
    ("Djordje Djordjevic", "Đorđe Đorđević", CLOSE_ONLY),
    ("Oliver Spasovsky", "Oliver Spasovski", CLOSE_ONLY),
    ("Antonio Vittorino", "António Vitorino", CLOSE_ONLY),
    # A slip in a long word: "migraton" and "migration" share 8 of 17 letters (ratio 16/17).
    ("Antonio Vitorino of Migraton", "Antonio Vitorino of Migration", CLOSE_ONLY),
    ("Vitorino", "António Vitorino", APART),
    ("Antonio Vitorino", "Antonio Guterres", APART),
    ("Jan Novák", "Jana Nováková", APART),
    ("Jan Novak", "Jana Novak", APART),
    ("Ivan Ivanov", "Ivan Petrov", APART),
    ("Ylva Johansson", "Margaritis Schinas", APART),
]


def test_the_tables_are_long_enough() -> None:
    assert len(ORGANISATION_PAIRS) + len(PEOPLE_PAIRS) >= 40
    for kind in (SAME, CLOSE_ONLY, APART):
        assert sum(expected == kind for *_, expected in ORGANISATION_PAIRS + PEOPLE_PAIRS) >= 8, kind


def check_pair(first: str, second: str, expected: str, person: bool) -> None:
    for one, other in ((first, second), (second, first)):  # the rule reads both ways
        assert same_name(one, other, person=person) is (expected == SAME), (one, other)
        assert is_close(one, other, person=person) is (expected != APART), (one, other, closeness(one, other))


@pytest.mark.parametrize(("first", "second", "expected"), ORGANISATION_PAIRS)
def test_organisation_names(first: str, second: str, expected: str) -> None:
    check_pair(first, second, expected, person=False)


@pytest.mark.parametrize(("first", "second", "expected"), PEOPLE_PAIRS)
def test_person_names(first: str, second: str, expected: str) -> None:
    check_pair(first, second, expected, person=True)


def test_keys_drop_small_words_and_titles_and_read_cyrillic_both_ways() -> None:
    assert name_key("Ministry of the Interior of the Czech Republic") == "ministry interior czech republic"
    assert name_key("Dr. António Vitorino", person=True) == "antonio vitorino"
    assert name_key("Dr. António Vitorino") == "dr antonio vitorino"  # organisations keep every word
    assert name_keys("Внатрешни работи") == {"vnatresniraboti", "vnatreshniraboti"}
    assert name_keys("the of") == frozenset() and not same_name("the", "of")


def test_closeness_levels() -> None:
    assert closeness("Antonio Vitorino", "António Vitorino", person=True) == 1.0
    assert closeness("IOM", "International Organization for Migration") == ACRONYM
    # Two words of three shared on each side: Dice 4/6.
    assert closeness("Ministry of Interior of Serbia", "Ministry of Interior of Croatia") == pytest.approx(4 / 6)
    # Three of four words shared: 6/8, just under the threshold.
    assert (
        closeness("Ministry of Interior of the Czech Republic", "Ministry of Interior of the Slovak Republic") == 0.75
    )
    assert CLOSE == 0.8
    assert closeness("Ministry of Foreign Affairs", "Ministry of Interior") == pytest.approx(2 / 5)


def test_spellings_split_a_name_from_its_acronym_only() -> None:
    assert spellings("IOM - the International Organization for Migration") == (
        ["the International Organization for Migration"],
        ["IOM"],
    )
    assert spellings("Ministry of the Interior of the Czech Republic (MoI CZ)") == (
        ["Ministry of the Interior of the Czech Republic"],
        ["MoI CZ"],
    )
    assert spellings("Ministry of Interior (North Macedonia)") == ([], [])  # a place, not an acronym
    assert spellings("Embassy (Skopje)") == ([], [])
    assert spellings("IOM") == ([], [])


def test_aliases_and_stored_acronyms_are_names_of_the_entry() -> None:
    iom = names_of("International Organization for Migration", "IOM", ("Меѓународна организација за миграции",))
    assert score(names_of("Megjunarodna organizacija za migracii"), iom) == 1.0
    assert score(names_of("I.O.M."), iom) == 1.0
    # "МОМ": the initials of the Macedonian alias, and not of any English name of IOM.
    assert score(names_of("МОМ"), iom) == ACRONYM
    assert score(names_of("МОМ"), names_of("International Organization for Migration", "IOM")) == 0.0
    assert score(names_of("МОМ"), names_of("International Organization for Migration", None, ("МОМ",))) == 1.0
    vitorino = names_of("António Vitorino", None, ("Антонио Виторино",), person=True)
    assert score(names_of("Antonio Vitorino", person=True), vitorino) == 1.0


def test_a_word_being_typed_counts_only_while_typing() -> None:
    vitorino = names_of("António Vitorino", person=True)
    typed = names_of("antonio vit", person=True)
    assert score(typed, vitorino) == 0.0
    # "vit" begins "vitorino": 0.5 + 0.4 * 3/8 = 0.65; with "antonio", Dice (1 + 0.65) * 2 / 4 = 0.825.
    assert score(typed, vitorino, partial=True) == pytest.approx(0.825)


def test_contains_every_word_is_a_lower_suggestion() -> None:
    ministry = names_of("Ministry of Interior of the Republic of North Macedonia")
    # Both typed words are there, in a name of five: Dice 4/7, offered at 0.4 + 0.4 * 4/7.
    assert score(names_of("Ministry of Interior"), ministry) == pytest.approx(0.4 + 0.4 * 4 / 7)
    assert score(names_of("Ministry of Interior of Serbia"), ministry) == 0.0  # "Serbia" is not there


DIRECTORY = {
    1: ("Ministry of the Interior of the Czech Republic", "MoI CZ", ()),
    2: ("Ministry of Interior of the Republic of North Macedonia", None, ("Министерство за внатрешни работи",)),
    3: ("International Organization for Migration", "IOM", ()),
    4: ("International Labour Organization", "ILO", ()),
    5: ("Ministry of Interior of Serbia", None, ()),
    6: ("Ministry of Interior of Croatia", None, ()),
    7: ("Institute of Medicine", None, ()),
    8: ("Ministry of Foreign Affairs", None, ()),
}


def index() -> DirectoryIndex:
    return DirectoryIndex(Entry(key, names_of(*values)) for key, values in DIRECTORY.items())


def ranked(typed: str, **options: object) -> list[int]:
    return [entry_id for entry_id, _ in index().rank(names_of(typed), **options)]  # type: ignore[arg-type]


def test_index_ranks_the_directory() -> None:
    assert ranked("IOM") == [3, 7]  # the stored acronym, then initials of every word ("Institute of Medicine")
    # The name part is IOM's name; the acronym part also reads as "Institute of Medicine", ranked after it.
    assert ranked("IOM - the International Organization for Migration") == [3, 7]
    assert ranked("Ministry of Interior of the Czech Republic") == [1]
    assert ranked("MoI CZ") == [1]
    assert ranked("Ministerstvo za vnatreshni raboti") == [2]
    assert ranked("Ministry of Interior of Serbia") == [5]
    assert ranked("Ministry of Interior of Ser", partial=True) == [5]
    assert ranked("Ministry of Interior") == [5, 6, 1, 2]  # every one holding both words, shortest name first
    assert ranked("Ministry of Interior", limit=2) == [5, 6]
    assert ranked("Ministry of Interior", exclude_ids=[5, 1]) == [6, 2]
    assert ranked("Embassy of Austria") == []
    assert ranked("") == []


def test_index_looks_only_at_entries_sharing_something() -> None:
    assert index().candidates(names_of("IOM")) == {3, 7}
    assert index().candidates(names_of("Foreign")) == {8}
    assert index().candidates(names_of("Nothing alike")) == set()


def test_a_directory_of_thousands_ranks_within_a_keystroke() -> None:
    """5,000 entries: building the index, then ranking, each well under a second (in practice milliseconds)."""
    countries = ["Serbia", "Croatia", "Albania", "Kosovo", "Montenegro", "Slovenia", "Austria", "Italy", "Greece"]
    offices = ["Ministry of Interior", "Ministry of Justice", "Border Police", "Migration Office", "Health Agency"]
    entries = tuple(
        Entry(number, names_of(f"{offices[number % 5]} of {countries[number % 9]} {number}")) for number in range(5000)
    )
    started = time.perf_counter()
    built = directory_index(entries)
    ranked_ids = [entry_id for entry_id, _ in built.rank(names_of("ministry of interior of serb"), partial=True)]
    assert time.perf_counter() - started < 2.0
    assert directory_index(entries) is built  # kept while the directory is the same
    assert ranked_ids and all(number % 5 == 0 and number % 9 == 0 for number in ranked_ids)


def test_a_slip_counts_only_in_long_words() -> None:
    assert word_similarity("migration", "migraton") == pytest.approx(16 / 17)
    assert word_similarity("croatia", "croatian") == pytest.approx(14 / 15)  # seven letters: long enough
    assert word_similarity("serbia", "serbian") == 0.0  # six: too short for a slip
    assert word_similarity("austria", "australia") == 0.0  # ratio 14/16, under 0.9
    assert word_similarity("interior", "interior") == 1.0


def test_only_the_last_word_may_be_a_short_beginning() -> None:
    assert align(("an", "vitorino"), ("antonio", "vitorino"), partial=True) == (1.0, 1)
    assert align(("vitorino", "an"), ("antonio", "vitorino"), partial=True) == (pytest.approx(1.5 + 0.4 * 2 / 7), 2)
    assert dice(("antonio", "vit"), ("antonio", "vitorino"), partial=True) == pytest.approx(0.825)
    assert dice(("antonio", "vit"), ("antonio", "vitorino")) == 0.5


def test_forms_of_one_entry() -> None:
    assert names_of(IOM_NAME, None, ("OIM",)).keys == {"internationalorganizationmigration", "oim"}
    assert names_of("Dr. Ana Bell", person=True).keys == {"anabell"}
    assert names_of("Dr. Ana Bell", person=True).words == (("ana", "bel"),)
    assert "drantoniovitorino" in name_keys("Dr. António Vitorino")
    assert not same_name("Dr. Ana Bell", "Ana Bell") and same_name("Dr. Ana Bell", "Ana Bell", person=True)
    assert names_of("EU").acronyms == {"eu"} and names_of("E").acronyms == frozenset()
    assert names_of("ABCDEFGHIJKL").acronyms == {"abcdefghijkl"} and names_of("ABCDEFGHIJKLM").acronyms == frozenset()
    # People's names are not split at parentheses: "(DG)" is one more word, Dice 4/5.
    typed = names_of("Antonio Vitorino (DG)", person=True)
    assert score(typed, names_of("Antonio Vitorino", person=True)) == pytest.approx(0.8)


def test_acronym_parts_are_short_and_mostly_capitals() -> None:
    assert spellings("European Union (EU)") == (["European Union"], ["EU"])
    assert spellings("Ministry of the Interior (MoI CZ R)") == (["Ministry of the Interior"], ["MoI CZ R"])
    assert spellings("Ministry of Interior (MoIs)") == (["Ministry of Interior"], ["MoIs"])  # half capitals
    assert spellings("Ministry of Interior (MoIsx)") == ([], [])


def test_typed_beginnings_find_candidates_only_while_typing() -> None:
    assert index().candidates(names_of("Cro"), partial=True) == {6}
    assert index().candidates(names_of("Cro")) == set()
    assert ranked("Cro", partial=True) == [6]
    assert index().candidates(names_of("Foreign Migration")) == {3, 8}


def test_each_known_word_pairs_once_and_beginnings_need_three_letters_before_the_last() -> None:
    assert align(("vitorino", "vitorino"), ("antonio", "vitorino")) == (1.0, 1)
    assert align(("antonio", "vit"), ("antonio", "vitorino")) == (1.0, 1)  # not typing: no beginnings
    assert align(("ant", "vitorino"), ("antonio", "vitorino"), partial=True) == (pytest.approx(1.5 + 0.4 * 3 / 7), 2)
    assert index().candidates(names_of("Cro Xyz"), partial=True) == {6}
    assert index().candidates(names_of("Croatian")) == {6}  # a slip against a seven-letter word
