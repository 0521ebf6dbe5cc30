"""People in press releases with their positions: every expectation below is written by hand from the sentence.

A person's name is the fullest one written; the position is the longest the release gives that person, as written
(an acronym in parentheses left out: "Director General of the International Organization for Migration").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.extraction.people import PersonMention, find_people, serbian_latin

SHARED_RELEASE = Path(__file__).resolve().parents[1] / ".." / "shared" / "examples" / "press-release-mia-2022-11-10.txt"

# (language, text, every person in first-mention order: (name, position))
PEOPLE: list[tuple[str, str, list[tuple[str, str | None]]]] = [
    # English
    ("en", "A delegation led by Interior Minister Oliver Spasovski arrived.",
     [("Oliver Spasovski", "Interior Minister")]),
    ("en", "He met with Director General of the International Organization for Migration (IOM), António Vitorino.",
     [("António Vitorino", "Director General of the International Organization for Migration")]),
    ("en", "Spasovski thanked IOM Director General António Vitorino.",
     [("António Vitorino", "IOM Director General")]),
    ("en", "Interior Minister Oliver Spasovski met IOM Director General Vitorino. Minister Spasovski said he was glad.",
     [("Oliver Spasovski", "Interior Minister"), ("Vitorino", "IOM Director General")]),
    ("en", "António Vitorino, Director General of IOM, welcomed the delegation.",
     [("António Vitorino", "Director General of IOM")]),
    ("en", "Prime Minister Dimitar Kovačevski and Deputy Prime Minister Bojan Maricikj attended.",
     [("Dimitar Kovačevski", "Prime Minister"), ("Bojan Maricikj", "Deputy Prime Minister")]),
    ("en", "On Monday, Ursula von der Leyen, President of the European Commission, met the ministers.",
     [("Ursula von der Leyen", "President of the European Commission")]),
    ("en", "EU Commissioner for Home Affairs Ylva Johansson visited the border.",
     [("Ylva Johansson", "EU Commissioner for Home Affairs")]),
    ("en", "Minister of Interior of the Republic of Serbia Bratislav Gašić spoke first.",
     [("Bratislav Gašić", "Minister of Interior of the Republic of Serbia")]),
    ("en", "Secretary General of the Regional Cooperation Council Majlinda Bregu opened the forum.",
     [("Majlinda Bregu", "Secretary General of the Regional Cooperation Council")]),
    ("en", "Mayor of Skopje Danela Arsovska greeted the guests.", [("Danela Arsovska", "Mayor of Skopje")]),
    ("en", "“We are ready,” said Oliver Spasovski. Later Spasovski met Mr John Smith in Geneva.",
     [("Oliver Spasovski", None), ("John Smith", None)]),
    ("en", "Osmani will meet High Representative Josep Borrell. UNHCR Representative Monica Sandri also spoke.",
     [("Josep Borrell", "High Representative"), ("Monica Sandri", "UNHCR Representative")]),
    ("en", "Head of the IOM Mission in Skopje, Mr Jason Aplon, thanked the OSCE.",
     [("Jason Aplon", "Head of the IOM Mission in Skopje")]),
    ("en", "President John F. Kennedy said so. Kennedy added more.", [("John F. Kennedy", "President")]),
    ("en", "Interior Minister Oliver Spasovski and his Czech counterpart Vít Rakušan signed. Serbian President "
           "Aleksandar Vučić welcomed it.",
     [("Oliver Spasovski", "Interior Minister"), ("Vít Rakušan", "Czech counterpart"),
      ("Aleksandar Vučić", "Serbian President")]),
    ("en", "Mr. Goran Stojkovski, Head of the Border Police, met UN Secretary-General António Guterres. MoI "
           "Spokesperson Toni Angelovski said so.",
     [("Goran Stojkovski", "Head of the Border Police"), ("António Guterres", "UN Secretary-General"),
      ("Toni Angelovski", "MoI Spokesperson")]),
    ("en", "Deputy Prime Minister for European Affairs Bojan Maricikj spoke.",
     [("Bojan Maricikj", "Deputy Prime Minister for European Affairs")]),
    ("en", "The Ambassador of the Czech Republic to North Macedonia, Jan Novák, and Ambassador Sofia Petrova met in "
           "Sofia.",
     [("Jan Novák", "Ambassador of the Czech Republic to North Macedonia"), ("Sofia Petrova", "Ambassador")]),
    ("en", "The talks between Oliver Spasovski and Vít Rakušan went well. Later he met with Ylva Johansson.",
     [("Oliver Spasovski", None), ("Vít Rakušan", None), ("Ylva Johansson", None)]),
    ("en", "The Minister stressed that in November Skopje will host the Western Balkans conference on Monday.", []),
    ("en", "The Temporary Center for Migrants in Gevgelija and the Ministry of Interior of North Macedonia.", []),
    # Macedonian
    ("mk", "Министерот за внатрешни работи Оливер Спасовски се сретна со амбасадорот на Република Чешка, Јан Новак.",
     [("Оливер Спасовски", "Министерот за внатрешни работи"), ("Јан Новак", "амбасадорот на Република Чешка")]),
    ("mk", "Премиерот Димитар Ковачевски изјави дека. Ковачевски додаде дека средбата била корисна.",
     [("Димитар Ковачевски", "Премиерот")]),
    ("mk", "Генералниот директор на МОМ, Антонио Виторино, го пречека министерот Спасовски.",
     [("Антонио Виторино", "Генералниот директор на МОМ"), ("Спасовски", "министерот")]),
    ("mk", "Претседателот на Република Северна Македонија Стево Пендаровски ја отвори конференцијата.",
     [("Стево Пендаровски", "Претседателот на Република Северна Македонија")]),
    ("mk", "Амбасадорот на Република Чешка, г-дин Јан Новак, изјави дека. Османи ќе се сретне со високиот "
           "претставник Жозеп Борел.",
     [("Јан Новак", "Амбасадорот на Република Чешка"), ("Жозеп Борел", "високиот претставник")]),
    ("mk", "Ministerot za vnatreshni raboti Oliver Spasovski se sretna so ambasadorot na Republika Cheshka, Jan Novak.",
     [("Oliver Spasovski", "Ministerot za vnatreshni raboti"), ("Jan Novak", "ambasadorot na Republika Cheshka")]),
    ("mk", "Спасовски се сретна со Вит Ракушан и Оливер Вархеји.", [("Вит Ракушан", None), ("Оливер Вархеји", None)]),
    ("mk", "Во понеделникот во Скопје министерот разговараше со претставници на Фронтекс.", []),
    ("mk", "Заменик-министерот за внатрешни работи Магдалена Несторовска присуствуваше на средбата.",
     [("Магдалена Несторовска", "Заменик-министерот за внатрешни работи")]),
    # Albanian
    ("sq", "Ministri i Punëve të Brendshme, Xhelal Sveçla, u takua me ambasadorin e Republikës Çeke, Jan Novák.",
     [("Xhelal Sveçla", "Ministri i Punëve të Brendshme"), ("Jan Novák", "ambasadorin e Republikës Çeke")]),
    ("sq", "Kryeministri Edi Rama tha se marrëveshja është e rëndësishme. Rama shtoi se puna vazhdon.",
     [("Edi Rama", "Kryeministri")]),
    ("sq", "Presidentja e Kosovës Vjosa Osmani priti ministrin Spasovski.",
     [("Vjosa Osmani", "Presidentja e Kosovës"), ("Spasovski", "ministrin")]),
    ("sq", "Drejtori i Përgjithshëm i ONM-së, António Vitorino, vizitoi Shkupin të hënën.",
     [("António Vitorino", "Drejtori i Përgjithshëm i ONM-së")]),
    ("sq", "Ministri i Brendshëm Bledi Çuçi priti sot ambasadorin e SHBA-së, Yuri Kim.",
     [("Bledi Çuçi", "Ministri i Brendshëm"), ("Yuri Kim", "ambasadorin e SHBA-së")]),
    ("sq", "Ministri i Punëve të Brendshme dhe Administratës Publike, Xhelal Sveçla, mori pjesë.",
     [("Xhelal Sveçla", "Ministri i Punëve të Brendshme dhe Administratës Publike")]),
    ("sq", "Xhelal Sveçla, ministër i Punëve të Brendshme, tha se. Jan Novák, ambasador i Republikës Çeke, mori pjesë.",
     [("Xhelal Sveçla", "ministër i Punëve të Brendshme"), ("Jan Novák", "ambasador i Republikës Çeke")]),
    ("sq", "Ministri u takua me Vít Rakušan dhe Ylva Johansson.", [("Vít Rakušan", None), ("Ylva Johansson", None)]),
    ("sq", "Në Shkup, në nëntor, ministri foli për Frontexin dhe Europolin.", []),
    ("sq", "Ministrja për Evropë dhe Punë të Jashtme Olta Xhaçka takoi kolegët.",
     [("Olta Xhaçka", "Ministrja për Evropë dhe Punë të Jashtme")]),
    # Serbian, Cyrillic
    ("sr", "Министар унутрашњих послова Републике Србије Братислав Гашић састао се са амбасадором Кристофером Хилом.",
     [("Братислав Гашић", "Министар унутрашњих послова Републике Србије"), ("Кристофером Хилом", "амбасадором")]),
    ("sr", "Председник Републике Србије Александар Вучић рекао је да је сарадња добра. Вучић је додао да ће се "
           "наставити.",
     [("Александар Вучић", "Председник Републике Србије")]),
    ("sr", "Ивица Дачић, министар спољних послова, изјавио је да је састанак успешан.",
     [("Ивица Дачић", "министар спољних послова")]),
    ("sr", "Премијерка Ана Брнабић и генерални директор ММО Антонио Виторино потписали су споразум.",
     [("Ана Брнабић", "Премијерка"), ("Антонио Виторино", "генерални директор ММО")]),
    ("sr", "Састанку је присуствовао и шеф мисије ОЕБС у Србији Јан Брату.",
     [("Јан Брату", "шеф мисије ОЕБС у Србији")]),
    ("sr", "Министар Гашић и његов чешки колега Вит Ракушан потписали су споразум.",
     [("Гашић", "Министар"), ("Вит Ракушан", "колега")]),
    ("sr", "У понедељак у Београду министар је разговарао са представницима Фронтекса.", []),
    # Serbian, Latin
    ("sr", "Ministar unutrašnjih poslova Bratislav Gašić rekao je da je granica bezbedna.",
     [("Bratislav Gašić", "Ministar unutrašnjih poslova")]),
    ("sr", "Ivica Dačić, ministar spoljnih poslova, izjavio je da je sastanak uspešan.",
     [("Ivica Dačić", "ministar spoljnih poslova")]),
    ("sr", "Predsednik Republike Srbije Aleksandar Vučić sastao se sa ambasadorom Kristoferom Hilom.",
     [("Aleksandar Vučić", "Predsednik Republike Srbije"), ("Kristoferom Hilom", "ambasadorom")]),
    ("sr", "Premijerka Ana Brnabić i generalni direktor MMO Antonio Vitorino potpisali su sporazum.",
     [("Ana Brnabić", "Premijerka"), ("Antonio Vitorino", "generalni direktor MMO")]),
    ("sr", "Ministar Gašić razgovarao je sa direktorom Frontexa Hansom Lejtensom. Sastanku je prisustvovao i šef "
           "misije OEBS-a u Srbiji Jan Bratu.",
     [("Gašić", "Ministar"), ("Hansom Lejtensom", "direktorom Frontexa"), ("Jan Bratu", "šef misije OEBS-a u Srbiji")]),
    ("sr", "Ministar se sastao sa Vítom Rakušanom i Ylvom Johansson.",
     [("Vítom Rakušanom", None), ("Ylvom Johansson", None)]),
    ("sr", "U ponedeljak u Beogradu ministar je razgovarao sa predstavnicima Frontexa.", []),
]  # fmt: skip


@pytest.mark.parametrize(("language", "text", "expected"), PEOPLE, ids=[f"{r[0]}-{i}" for i, r in enumerate(PEOPLE)])
def test_people_found(language: str, text: str, expected: list[tuple[str, str | None]]) -> None:
    found = find_people(text)
    assert [(person.name, person.position) for person in found] == expected
    for person in found:
        assert text[person.span[0] : person.span[1]] == person.text == person.name


def test_table_covers_every_language() -> None:
    counts = {language: sum(row[0] == language for row in PEOPLE) for language in ("en", "mk", "sq", "sr")}
    assert min(counts.values()) >= 5 and len(PEOPLE) >= 30
    latin_serbian = [row for row in PEOPLE if row[0] == "sr" and not any("\u0400" <= c <= "\u04ff" for c in row[1])]
    assert len(latin_serbian) >= 5


def test_shared_release_people() -> None:
    text = SHARED_RELEASE.read_text(encoding="utf-8")
    found = find_people(text)
    assert [(person.name, person.position) for person in found] == [
        ("Oliver Spasovski", "Interior Minister"),
        ("António Vitorino", "Director General of the International Organization for Migration"),
    ]
    first = text.index("Oliver Spasovski")
    assert found[0].span == (first, first + len("Oliver Spasovski"))
    # Counted by hand: the headline twice, "Interior Minister Oliver Spasovski", "Spasovski thanked", "Spasovski, adds",
    # "Spasovski said", "Minister Spasovski for the opportunity", "Minister Spasovski said he is".
    assert [text[start:end] for start, end in found[0].mentions] == ["Spasovski"] * 2 + ["Oliver Spasovski"] + [
        "Spasovski"
    ] * 5
    # The headline twice, "(IOM), António Vitorino", "IOM Director General António Vitorino", "Vitorino expressed".
    assert [text[start:end] for start, end in found[1].mentions] == ["Vitorino"] * 2 + ["António Vitorino"] * 2 + [
        "Vitorino"
    ]


def test_surname_mentions_before_the_full_name_keep_first_mention_order() -> None:
    text = "Minister Vitorino arrived. Oliver Spasovski, Interior Minister, met António Vitorino, IOM Director General."
    found = find_people(text)
    assert [(person.name, person.position) for person in found] == [
        ("António Vitorino", "IOM Director General"),
        ("Oliver Spasovski", "Interior Minister"),
    ]


def test_the_same_person_in_both_scripts_and_without_accents_is_one() -> None:
    text = "Interior Minister Oliver Spasovski met Antonio Vitorino, Director General of IOM. António Vitorino said."
    assert [person.name for person in find_people(text)] == ["Oliver Spasovski", "Antonio Vitorino"]


def test_honorific_alone_is_evidence() -> None:
    assert [person.name for person in find_people("The delegation was received by Mr Jason Aplon.")] == ["Jason Aplon"]
    assert [person.name for person in find_people("Делегацијата ја прими г-дин Јасон Аплон.")] == ["Јасон Аплон"]


def test_capitalised_words_without_evidence_are_no_people() -> None:
    assert find_people("Sustainable Migration Management is the topic. Western Balkans Summit in Tirana.") == []


def test_serbian_latin_spelling() -> None:
    assert serbian_latin("министар унутрашњих послова") == "ministar unutrašnjih poslova"
    assert serbian_latin("Љубиша Ђорђевић") == "Ljubiša Đorđević"


def test_mention_is_a_frozen_value() -> None:
    mention = PersonMention("Oliver Spasovski", None, (0, 16), "Oliver Spasovski")
    with pytest.raises(AttributeError):
        mention.name = "other"  # type: ignore[misc]


#: Words and pieces that the finder reacts to, put together at random.
FUZZ_PIECES = ["Minister", "Министерот", "Oliver", "Spasovski", "Оливер", "Спасовски", "IOM", "(IOM)", ",", ".",
               "Director", "General", "of", "the", "said", "Mr", "F.", "von", "der", "Ana", "Brnabić", "Skopje", "\n",
               "ministri", "i", "Punëve", "të", "Brendshme", "изјави", "Vitorino's"]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FUZZ_PIECES), max_size=40).map(" ".join))
def test_any_text_gives_consistent_mentions(text: str) -> None:
    for person in find_people(text):
        assert text[person.span[0] : person.span[1]] == person.text
        assert person.name.strip() == person.name != ""
