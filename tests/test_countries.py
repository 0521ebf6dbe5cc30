"""Country codes and names: ISO 3166-1 alpha-2 plus Kosovo, common names where ISO's are long.

Pure: no database, no app. Expected names are facts about the countries, written out by hand.
"""

from __future__ import annotations

import pytest

from tracker.countries import country_choices, country_name, is_country


@pytest.mark.parametrize("code", ["MK", "mk", "Cz", "DE", "XK", "xk", "TW"])
def test_known_codes_in_any_case_are_countries(code: str) -> None:
    assert is_country(code)


@pytest.mark.parametrize("code", ["", "ZZ", "EU", "UK", "MKD", "M"])
def test_other_codes_are_not(code: str) -> None:
    assert not is_country(code)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("MK", "North Macedonia"),
        ("de", "Germany"),
        ("XK", "Kosovo"),
        ("xk", "Kosovo"),
        ("TW", "Taiwan"),  # ISO: "Taiwan, Province of China"
        ("BO", "Bolivia"),  # ISO: "Bolivia, Plurinational State of"
        ("zz", "ZZ"),  # unknown codes are shown as given, upper-cased
        ("", ""),
        (None, ""),
    ],
)
def test_country_names(code: str | None, name: str) -> None:
    assert country_name(code) == name


def test_choices_are_every_country_once_sorted_by_name() -> None:
    choices = country_choices()
    assert len(choices) == 250  # the 249 ISO 3166-1 countries and Kosovo
    assert choices[:3] == [("AF", "Afghanistan"), ("AL", "Albania"), ("DZ", "Algeria")]
    assert choices[-1] == ("AX", "Åland Islands")  # "Å" sorts after "Z" by code point
    assert ("XK", "Kosovo") in choices
    assert ("MK", "North Macedonia") in choices
    assert len({code for code, _ in choices}) == 250
