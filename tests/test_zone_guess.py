"""The zone proposed from a city and country: the IANA country table, read by hand for each expected answer."""

from __future__ import annotations

import pytest

from tracker.zone_guess import city_key, propose_zone, zones_by_country


@pytest.mark.parametrize(
    ("city", "country", "zone"),
    [
        ("Skopje", "MK", "Europe/Skopje"),
        ("", "MK", "Europe/Skopje"),  # one zone: no city needed
        ("Geneva", "CH", "Europe/Zurich"),  # no zone is named after Geneva; Switzerland has one zone
        ("Tirana", "AL", "Europe/Tirane"),  # the zone's spelling differs from the city's; the country decides
        ("Pristina", "XK", "Europe/Belgrade"),  # Kosovo is not in the table: it keeps Belgrade's clock
        ("Chicago", "US", "America/Chicago"),
        ("new york", "us", "America/New_York"),
        ("Los Angeles", "US", "America/Los_Angeles"),
        ("", "US", None),  # several zones and no city: no guess
        ("Boston", "US", None),  # a city no US zone is named after
        ("Skopje", "US", None),  # a city of another country does not count
        ("Скопје", "", "Europe/Skopje"),  # Cyrillic, no country
        ("Zürich", "", "Europe/Zurich"),  # accents ignored
        ("São Paulo", "BR", "America/Sao_Paulo"),
        ("Berlin", "DE", "Europe/Berlin"),
        ("", "", None),
        ("Springfield", "", None),
        ("Skopje", "QQ", None),  # an unknown country
    ],
)
def test_propose_zone(city: str, country: str, zone: str | None) -> None:
    assert propose_zone(city, country) == zone


def test_propose_zone_takes_none_for_a_country() -> None:
    assert propose_zone("Geneva", None) is None
    assert propose_zone("Geneva", None) is None and propose_zone("Zurich", None) == "Europe/Zurich"


def test_the_country_table_lists_zones_by_country() -> None:
    table = zones_by_country()
    assert table["MK"] == ("Europe/Skopje",)
    assert table["CH"] == ("Europe/Zurich",)
    assert table["XK"] == ("Europe/Belgrade",)
    assert "America/Chicago" in table["US"] and len(table["US"]) > 20


def test_city_key_folds_case_accents_and_separators() -> None:
    assert city_key("  São_Paulo ") == "sao paulo"
    assert city_key("Saint-Étienne") == "saint etienne"
