"""Organisations in press releases and their roles: every expectation below is written by hand from the sentence.

Names are the curated canonical English ones (``tracker/extraction/known_organisations.py``) or, for ministries,
"<portfolio ministry> of <the country's English form>"; acronyms are the canonical ones, or for a ministry the one
written; countries are ISO 3166-1 alpha-2 as the name says them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.extraction.known_countries import COUNTRIES
from tracker.extraction.known_institutions import INSTITUTIONS
from tracker.extraction.known_organisations import KINDS, ORGANISATIONS, expand
from tracker.extraction.organisations import (
    KnownOrganisation,
    OrganisationMention,
    assign_roles,
    country_at,
    find_organisations,
)
from tracker.extraction.phrases import transliterate_acronym

SHARED_RELEASE = Path(__file__).resolve().parents[1] / ".." / "shared" / "examples" / "press-release-mia-2022-11-10.txt"

IOM = ("International Organization for Migration", "IOM")
UNHCR = ("United Nations High Commissioner for Refugees", "UNHCR")
FRONTEX = ("European Border and Coast Guard Agency", "Frontex")
EUROPOL = ("European Union Agency for Law Enforcement Cooperation", "Europol")
EUAA = ("European Union Agency for Asylum", "EUAA")
OSCE = ("Organization for Security and Co-operation in Europe", "OSCE")
ICMPD = ("International Centre for Migration Policy Development", "ICMPD")
DCAF = ("Geneva Centre for Security Sector Governance", "DCAF")
RCC = ("Regional Cooperation Council", "RCC")
COE = ("Council of Europe", "CoE")
EC = ("European Commission", "EC")
MOI = "Ministry of Interior"
MOI_MK = "Ministry of Interior of the Republic of North Macedonia"
MOI_CZ = "Ministry of Interior of the Czech Republic"
MOI_RS = "Ministry of Interior of the Republic of Serbia"
MFA_RS = "Ministry of Foreign Affairs of the Republic of Serbia"


def org(names: tuple[str, str | None], written: str) -> tuple[str, str | None, str | None, str]:
    return (names[0], names[1], None, written)


# (language, text, every mention in text order: (name, acronym, country, as written))
FOUND: list[tuple[str, str, list[tuple[str, str | None, str | None, str]]]] = [
    # English
    ("en", "The International Organization for Migration (IOM) opened an office.",
     [org(IOM, "International Organization for Migration (IOM)")]),
    ("en", "with the support of IOM - the International Organization for Migration.",
     [org(IOM, "IOM - the International Organization for Migration")]),
    ("en", "with EU agencies (particularly Frontex, Europol, EASO), with the United Nations (IOM, UNHCR)",
     [org(FRONTEX, "Frontex"), org(EUROPOL, "Europol"), org(EUAA, "EASO"),
      ("United Nations", "UN", None, "United Nations"), org(IOM, "IOM"), org(UNHCR, "UNHCR")]),
    ("en", "relevant international organizations (OSCE, ICMPD, DCAF)",
     [org(OSCE, "OSCE"), org(ICMPD, "ICMPD"), org(DCAF, "DCAF")]),
    ("en", "The BIOMASS plant and the BIOMETRIC passports were shown.", []),
    ("en", "The words coe, iom and Iom are no acronyms; nor is the government or the embassy alone.", []),
    ("en", "the Ministry of Interior of the Republic of North Macedonia and the Ministry of Interior of the Czech "
           "Republic",
     [(MOI_MK, None, "MK", "Ministry of Interior of the Republic of North Macedonia"),
      (MOI_CZ, None, "CZ", "Ministry of Interior of the Czech Republic")]),
    ("en", "The Ministry of the Interior said; the MoI added; the Interior Ministry agreed.",
     [(MOI, None, None, "Ministry of the Interior"), (MOI, "MoI", None, "MoI"),
      (MOI, None, None, "Interior Ministry")]),
    ("en", "The Czech Interior Ministry and the Serbian Ministry of Foreign Affairs signed it.",
     [(MOI_CZ, None, "CZ", "Czech Interior Ministry"), (MFA_RS, None, "RS", "Serbian Ministry of Foreign Affairs")]),
    ("en", "The Government of North Macedonia and the Embassy of the Czech Republic in Skopje",
     [("Government of the Republic of North Macedonia", None, "MK", "Government of North Macedonia"),
      ("Embassy of the Czech Republic", None, "CZ", "Embassy of the Czech Republic")]),
    ("en", "The Council of Europe (CoE), the Regional Cooperation Council and the European Commission met.",
     [org(COE, "Council of Europe (CoE)"), org(RCC, "Regional Cooperation Council"), org(EC, "European Commission")]),
    ("en", "Observers from the OSCE ODIHR, MARRI, SEPCA, Interpol and the World Bank attended.",
     [("OSCE Office for Democratic Institutions and Human Rights", "ODIHR", None, "OSCE ODIHR"),
      ("Migration, Asylum, Refugees Regional Initiative", "MARRI", None, "MARRI"),
      ("Southeast Europe Police Chiefs Association", "SEPCA", None, "SEPCA"),
      ("International Criminal Police Organization", "Interpol", None, "Interpol"),
      ("World Bank", None, None, "World Bank")]),
    ("en", "The European Asylum Support Office is now the EUAA.",
     [org(EUAA, "European Asylum Support Office"), org(EUAA, "EUAA")]),
    ("en", "Funded by the EU, the centre works with EU agencies, EU-funded projects and the EU Delegation.",
     [("European Union", "EU", None, "EU"), ("Delegation of the European Union", None, None, "EU Delegation")]),
    ("en", "The Macedonian Red Cross and the Red Cross of Serbia; the red cross alone is no organisation.",
     [("Red Cross of the Republic of North Macedonia", None, "MK", "Macedonian Red Cross"),
      ("Red Cross of the Republic of Serbia", None, "RS", "Red Cross of Serbia")]),
    # Macedonian
    ("mk", "Меѓународната организација за миграција (МОМ) отвори канцеларија.",
     [org(IOM, "Меѓународната организација за миграција (МОМ)")]),
    ("mk", "Министерството за внатрешни работи на Република Северна Македонија и МВР",
     [(MOI_MK, None, "MK", "Министерството за внатрешни работи на Република Северна Македонија"),
      (MOI, "МВР", None, "МВР")]),
    ("mk", "претставници на Фронтекс, Европол, УНХЦР и ОБСЕ",
     [org(FRONTEX, "Фронтекс"), org(EUROPOL, "Европол"), org(UNHCR, "УНХЦР"), org(OSCE, "ОБСЕ")]),
    ("mk", "Советот на Европа и Европската комисија",
     [org(COE, "Советот на Европа"), org(EC, "Европската комисија")]),
    ("mk", "Министерството за надворешни работи на Република Чешка",
     [("Ministry of Foreign Affairs of the Czech Republic", None, "CZ",
       "Министерството за надворешни работи на Република Чешка")]),
    ("mk", "Владата на Република Северна Македонија и Амбасадата на Република Чешка",
     [("Government of the Republic of North Macedonia", None, "MK", "Владата на Република Северна Македонија"),
      ("Embassy of the Czech Republic", None, "CZ", "Амбасадата на Република Чешка")]),
    # Albanian
    ("sq", "Projekti financohet nga BE-ja dhe zbatohet nga Kryqi i Kuq i Maqedonisë së Veriut.",
     [("European Union", "EU", None, "BE"),
      ("Red Cross of the Republic of North Macedonia", None, "MK", "Kryqi i Kuq i Maqedonisë së Veriut")]),
    ("sq", "Organizata Ndërkombëtare për Migracion (ONM) hapi zyrë.",
     [org(IOM, "Organizata Ndërkombëtare për Migracion (ONM)")]),
    ("sq", "Ministria e Punëve të Brendshme e Republikës së Maqedonisë së Veriut dhe MPB",
     [(MOI_MK, None, "MK", "Ministria e Punëve të Brendshme e Republikës së Maqedonisë së Veriut"),
      (MOI, "MPB", None, "MPB")]),
    ("sq", "Ministria e Punëve të Brendshme i Republikës Çeke",
     [(MOI_CZ, None, "CZ", "Ministria e Punëve të Brendshme i Republikës Çeke")]),
    ("sq", "përfaqësues të Frontexit, Europolit, OSBE-së dhe Këshillit të Evropës",
     [org(FRONTEX, "Frontexit"), org(EUROPOL, "Europolit"), org(OSCE, "OSBE"), org(COE, "Këshillit të Evropës")]),
    ("sq", "Ministria për Evropë dhe Punë të Jashtme e Shqipërisë dhe Qeveria e Kosovës",
     [("Ministry of Foreign Affairs of the Republic of Albania", None, "AL",
       "Ministria për Evropë dhe Punë të Jashtme e Shqipërisë"),
      ("Government of the Republic of Kosovo", None, "XK", "Qeveria e Kosovës")]),
    ("sq", "Këshilli për Bashkëpunim Rajonal (RCC) dhe Komisioni Evropian",
     [org(RCC, "Këshilli për Bashkëpunim Rajonal (RCC)"), org(EC, "Komisioni Evropian")]),
    # Serbian, Cyrillic
    ("sr", "Међународна организација за миграције (ММО) отворила је канцеларију.",
     [org(IOM, "Међународна организација за миграције (ММО)")]),
    ("sr", "Министарство унутрашњих послова Републике Србије и МУП",
     [(MOI_RS, None, "RS", "Министарство унутрашњих послова Републике Србије"), (MOI, "МУП", None, "МУП")]),
    ("sr", "представници Фронтекса, Европола, ОЕБС-а и УНХЦР-а",
     [org(FRONTEX, "Фронтекса"), org(EUROPOL, "Европола"), org(OSCE, "ОЕБС"), org(UNHCR, "УНХЦР")]),
    ("sr", "Министарство спољних послова Републике Србије и Амбасада Републике Чешке",
     [(MFA_RS, None, "RS", "Министарство спољних послова Републике Србије"),
      ("Embassy of the Czech Republic", None, "CZ", "Амбасада Републике Чешке")]),
    ("sr", "Савет за регионалну сарадњу, Савет Европе и Европска комисија",
     [org(RCC, "Савет за регионалну сарадњу"), org(COE, "Савет Европе"), org(EC, "Европска комисија")]),
    ("sr", "МУП Србије и Министарство унутрашњих послова Чешке",
     [(MOI_RS, "МУП", "RS", "МУП Србије"), (MOI_CZ, None, "CZ", "Министарство унутрашњих послова Чешке")]),
    # Serbian, Latin
    ("sr", "Međunarodna organizacija za migracije (MMO) otvorila je kancelariju.",
     [org(IOM, "Međunarodna organizacija za migracije (MMO)")]),
    ("sr", "Ministarstvo unutrašnjih poslova Republike Srbije i MUP",
     [(MOI_RS, None, "RS", "Ministarstvo unutrašnjih poslova Republike Srbije"), (MOI, "MUP", None, "MUP")]),
    ("sr", "predstavnici Frontexa, Europola, OEBS-a i UNHCR-a",
     [org(FRONTEX, "Frontexa"), org(EUROPOL, "Europola"), org(OSCE, "OEBS"), org(UNHCR, "UNHCR")]),
    ("sr", "Ministarstvo spoljnih poslova Republike Srbije i Ambasada Republike Češke",
     [(MFA_RS, None, "RS", "Ministarstvo spoljnih poslova Republike Srbije"),
      ("Embassy of the Czech Republic", None, "CZ", "Ambasada Republike Češke")]),
    ("sr", "Savet za regionalnu saradnju, Savet Evrope i Evropska komisija",
     [org(RCC, "Savet za regionalnu saradnju"), org(COE, "Savet Evrope"), org(EC, "Evropska komisija")]),
    ("sr", "Ministarstvo unutrasnjih poslova Republike Srbije, written without diacritics",
     [(MOI_RS, None, "RS", "Ministarstvo unutrasnjih poslova Republike Srbije")]),
]  # fmt: skip


@pytest.mark.parametrize(("language", "text", "expected"), FOUND, ids=[f"{row[0]}-{i}" for i, row in enumerate(FOUND)])
def test_organisations_found(language: str, text: str, expected: list[tuple[str, str | None, str | None, str]]) -> None:
    found = find_organisations(text)
    assert [(item.name, item.acronym, item.country, item.text) for item in found] == expected
    for item in found:
        assert text[item.span[0] : item.span[1]] == item.text


def test_table_covers_every_language() -> None:
    counts = {language: sum(row[0] == language for row in FOUND) for language in ("en", "mk", "sq", "sr")}
    assert min(counts.values()) >= 5 and len(FOUND) >= 30
    latin_serbian = [row for row in FOUND if row[0] == "sr" and not any("\u0400" <= c <= "\u04ff" for c in row[1])]
    assert len(latin_serbian) >= 5


def test_shared_release_names_every_organisation() -> None:
    text = SHARED_RELEASE.read_text(encoding="utf-8")
    found = find_organisations(text)
    distinct = {(item.name, item.acronym, item.country) for item in found}
    assert distinct == {
        (*IOM, None), (*FRONTEX, None), (*EUROPOL, None), (*EUAA, None), (*UNHCR, None), (*OSCE, None),
        (*ICMPD, None), (*DCAF, None), ("United Nations", "UN", None),
        (MOI, None, None),  # "the Ministry of Interior said"
        (MOI, "MoI", None),  # the headline's "MoI Spasovski"
        (MOI_MK, None, "MK"), (MOI_CZ, None, "CZ"),
    }  # fmt: skip
    written = [item.text for item in found]
    assert "International Organization for Migration (IOM)" in written
    assert "IOM - the International Organization for Migration" in written
    assert "EASO" in written


CONFERENCE = (
    "organized by the Ministry of Interior of the Republic of North Macedonia and the Ministry of Interior of the "
    "Czech Republic with the support of IOM - the International Organization for Migration"
)


def roles_of(sentence: str, offset: int = 0, text: str | None = None) -> list[tuple[str, str]]:
    mentions = find_organisations(text if text is not None else sentence)
    inside = [item for item in mentions if offset <= item.span[0] and item.span[1] <= offset + len(sentence)]
    return [(mention.text, role) for mention, role in assign_roles(sentence, inside, offset)]


def test_conference_sentence_roles() -> None:
    mentions = find_organisations(CONFERENCE)
    roles = assign_roles(CONFERENCE, mentions)
    assert [(mention.name, mention.country, role) for mention, role in roles] == [
        (MOI_MK, "MK", "host"),
        (MOI_CZ, "CZ", "co_organiser"),
        (IOM[0], None, "supporter"),
    ]


def test_roles_use_the_offset_of_the_sentence_in_the_whole_release() -> None:
    text = SHARED_RELEASE.read_text(encoding="utf-8")
    start = text.index("“Minister Spasovski said he is particularly glad")
    end = text.index("The aim of the conference")
    sentence = text[start:end]
    assert roles_of(sentence, start, text) == [
        ("Ministry of Interior of the Republic of North Macedonia", "host"),
        ("Ministry of Interior of the Czech Republic", "co_organiser"),
        ("IOM - the International Organization for Migration", "supporter"),
    ]


# (language, sentence, (as written, role) of every mention)
ROLES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("en", "The workshop, hosted by the Ministry of Foreign Affairs of Albania and co-organised by DCAF, was funded by "
           "the World Bank.",
     [("Ministry of Foreign Affairs of Albania", "host"), ("DCAF", "co_organiser"), ("World Bank", "supporter")]),
    ("en", "The Ministry of Interior will host the conference together with IOM.",
     [("Ministry of Interior", "host"), ("IOM", "co_organiser")]),
    ("en", "The forum, organised by MARRI in cooperation with the Regional Cooperation Council, gathered Frontex.",
     [("MARRI", "host"), ("Regional Cooperation Council", "co_organiser"), ("Frontex", "participant")]),
    ("en", "Representatives of Frontex, Europol and UNHCR took part.",
     [("Frontex", "participant"), ("Europol", "participant"), ("UNHCR", "participant")]),
    ("en", "The meeting of MARRI and SEPCA took place in Skopje, organized by MARRI.",
     [("MARRI", "participant"), ("SEPCA", "participant"), ("MARRI", "host")]),
    ("en", "The project is supported by UNHCR and the OSCE.", [("UNHCR", "supporter"), ("OSCE", "supporter")]),
    ("en", "The visit took place at the invitation of the Ministry of Foreign Affairs of Serbia, under the auspices of "
           "the OSCE.",
     [("Ministry of Foreign Affairs of Serbia", "host"), ("OSCE", "supporter")]),
    ("en", "The conference, organised by North Macedonia's Ministry of Interior in cooperation with IOM and with the "
           "support of UNICEF - the United Nations Children's Fund, gathered Serbia's Interior Ministry.",
     [("North Macedonia's Ministry of Interior", "host"), ("IOM", "co_organiser"),
      ("UNICEF - the United Nations Children's Fund", "supporter"), ("Serbia's Interior Ministry", "participant")]),
    ("en", "The project, funded by the EU and implemented by the Red Cross of Serbia, supports the centres.",
     [("EU", "supporter"), ("Red Cross of Serbia", "participant")]),
    ("en", "The OSCE, which hosts the meeting, and IOM.", [("OSCE", "host"), ("IOM", "participant")]),
    ("sq", "Projekti financohet nga BE-ja dhe zbatohet nga Kryqi i Kuq i Maqedonisë së Veriut.",
     [("BE", "supporter"), ("Kryqi i Kuq i Maqedonisë së Veriut", "participant")]),
    ("en", "The event was jointly organised by the MoI and IOM with funding from the EU.",
     [("MoI", "host"), ("IOM", "co_organiser"), ("EU", "supporter")]),
    ("mk", "Настанот е заеднички организиран од МВР и МОМ, кофинансиран од ЕУ.",
     [("МВР", "host"), ("МОМ", "co_organiser"), ("ЕУ", "supporter")]),
    ("sq", "Takimi i ardhshëm do të mbahet në Tiranë, ku nikoqir do të jetë Ministria e Brendshme e Shqipërisë.",
     [("Ministria e Brendshme e Shqipërisë", "host")]),
    ("sr", "Конференцију је организовало Министарство унутрашњих послова у сарадњи са Међународном организацијом за "
           "миграције (ИОМ), уз финансијску подршку Европске уније.",
     [("Министарство унутрашњих послова", "host"), ("Међународном организацијом за миграције (ИОМ)", "co_organiser"),
      ("Европске уније", "supporter")]),
    ("mk", "Следната средба ќе биде во Тирана, а домаќин ќе биде Министерството за внатрешни работи на Република "
           "Албанија.",
     [("Министерството за внатрешни работи на Република Албанија", "host")]),
    ("en", "The International Organization for Migration (IOM), in partnership with the Ministry of Interior of North "
           "Macedonia, will hold a workshop funded by the Swiss Agency for Development and Cooperation.",
     [("International Organization for Migration (IOM)", "host"),
      ("Ministry of Interior of North Macedonia", "co_organiser"),
      ("Swiss Agency for Development and Cooperation", "supporter")]),
    ("mk", "МВР во соработка со УНХЦР ја организира обуката.", [("МВР", "host"), ("УНХЦР", "co_organiser")]),
    ("mk", "Посетата е на покана на МНР, под покровителство на ОБСЕ.", [("МНР", "host"), ("ОБСЕ", "supporter")]),
    ("mk", "Конференцијата е во организација на Министерството за внатрешни работи на Република Северна Македонија и "
           "Министерството за внатрешни работи на Република Чешка, со поддршка на МОМ.",
     [("Министерството за внатрешни работи на Република Северна Македонија", "host"),
      ("Министерството за внатрешни работи на Република Чешка", "co_organiser"), ("МОМ", "supporter")]),
    ("mk", "МВР е домаќин на регионалната средба, во соработка со ICMPD.",
     [("МВР", "host"), ("ICMPD", "co_organiser")]),
    ("mk", "На средбата присуствуваа претставници на Фронтекс и Европол.",
     [("Фронтекс", "participant"), ("Европол", "participant")]),
    ("mk", "Обуката е организирана од МВР со поддршка на ОБСЕ.", [("МВР", "host"), ("ОБСЕ", "supporter")]),
    ("mk", "Советот на Европа и УНХЦР ја поддржаа иницијативата.",
     [("Советот на Европа", "supporter"), ("УНХЦР", "supporter")]),
    ("sq", "Konferenca, e organizuar nga Ministria e Punëve të Brendshme e Republikës së Maqedonisë së Veriut dhe "
           "Ministria e Punëve të Brendshme e Republikës Çeke, me mbështetjen e ONM-së.",
     [("Ministria e Punëve të Brendshme e Republikës së Maqedonisë së Veriut", "host"),
      ("Ministria e Punëve të Brendshme e Republikës Çeke", "co_organiser"), ("ONM", "supporter")]),
    ("sq", "MPB do të jetë nikoqir i takimit, në bashkëpunim me Organizatën Ndërkombëtare për Migracion.",
     [("MPB", "host"), ("Organizatën Ndërkombëtare për Migracion", "co_organiser")]),
    ("sq", "Në takim morën pjesë përfaqësues të Frontexit dhe Europolit.",
     [("Frontexit", "participant"), ("Europolit", "participant")]),
    ("sq", "Trajnimi në organizim të MPB u mbajt me mbështetjen e OSBE-së.", [("MPB", "host"), ("OSBE", "supporter")]),
    ("sq", "Nikoqir i takimit ishte Këshilli për Bashkëpunim Rajonal.", [("Këshilli për Bashkëpunim Rajonal", "host")]),
    ("sr", "Конференција се одржава у организацији Министарства унутрашњих послова Републике Србије, уз подршку "
           "Међународне организације за миграције (ММО).",
     [("Министарства унутрашњих послова Републике Србије", "host"),
      ("Међународне организације за миграције (ММО)", "supporter")]),
    ("sr", "МУП Србије ће бити домаћин састанка у сарадњи са Саветом Европе.",
     [("МУП Србије", "host"), ("Саветом Европе", "co_organiser")]),
    ("sr", "Састанку су присуствовали представници Фронтекса и Европола.",
     [("Фронтекса", "participant"), ("Европола", "participant")]),
    ("sr", "Пријем организују Министарство спољних послова Републике Србије и Амбасада Републике Чешке.",
     [("Министарство спољних послова Републике Србије", "host"), ("Амбасада Републике Чешке", "co_organiser")]),
    ("sr", "Обуку је организовао МУП уз подршку ОЕБС-а.", [("МУП", "host"), ("ОЕБС", "supporter")]),
    ("sr", "Konferencija se održava u organizaciji Ministarstva unutrašnjih poslova Republike Srbije, uz podršku "
           "Međunarodne organizacije za migracije (MMO).",
     [("Ministarstva unutrašnjih poslova Republike Srbije", "host"),
      ("Međunarodne organizacije za migracije (MMO)", "supporter")]),
    ("sr", "MUP Srbije će biti domaćin sastanka u saradnji sa Savetom Evrope.",
     [("MUP Srbije", "host"), ("Savetom Evrope", "co_organiser")]),
    ("sr", "Sastanku su prisustvovali predstavnici Frontexa i Europola.",
     [("Frontexa", "participant"), ("Europola", "participant")]),
    ("sr", "Ministarstvo spoljnih poslova Republike Srbije i Ambasada Republike Češke organizuju prijem.",
     [("Ministarstvo spoljnih poslova Republike Srbije", "host"), ("Ambasada Republike Češke", "co_organiser")]),
    ("sr", "Projekat finansira Evropska komisija, uz podršku UNHCR-a.",
     [("Evropska komisija", "supporter"), ("UNHCR", "supporter")]),
]  # fmt: skip


@pytest.mark.parametrize(("language", "sentence", "expected"), ROLES, ids=[f"{r[0]}-{i}" for i, r in enumerate(ROLES)])
def test_roles(language: str, sentence: str, expected: list[tuple[str, str]]) -> None:
    assert roles_of(sentence) == expected


def test_roles_table_covers_every_language() -> None:
    counts = {language: sum(row[0] == language for row in ROLES) for language in ("en", "mk", "sq", "sr")}
    assert min(counts.values()) >= 5


def test_roles_of_no_mentions_is_empty() -> None:
    assert assign_roles("organised by nobody in particular", []) == []


# ------------------------------------------------------------------------------------------------ known entries


def test_known_cyrillic_entry_found_in_latin_text() -> None:
    known = [KnownOrganisation("Министерство за внатрешни работи", "МВР")]
    text = "Ministerstvo za vnatreshni raboti i MVR"
    assert [(item.name, item.acronym, item.text) for item in find_organisations(text, known)] == [
        ("Министерство за внатрешни работи", "МВР", "Ministerstvo za vnatreshni raboti"),
        ("Министерство за внатрешни работи", "МВР", "MVR"),
    ]


def test_known_latin_entry_found_in_cyrillic_text() -> None:
    known = [KnownOrganisation("Ministerstvo za vnatreshni raboti", "MVR")]
    text = "Министерство за внатрешни работи и МВР"
    assert [(item.name, item.acronym, item.text) for item in find_organisations(text, known)] == [
        ("Ministerstvo za vnatreshni raboti", "MVR", "Министерство за внатрешни работи"),
        ("Ministerstvo za vnatreshni raboti", "MVR", "МВР"),
    ]


def test_known_entry_found_in_another_inflection_through_its_pattern() -> None:
    known = [KnownOrganisation("Ministerstvo za vnatreshni raboti", "MVR")]
    found = find_organisations("Министерството за внатрешни работи соопшти", known)
    assert [(item.name, item.acronym, item.text) for item in found] == [
        ("Ministerstvo za vnatreshni raboti", "MVR", "Министерството за внатрешни работи")
    ]


def test_known_entry_takes_over_curated_and_pattern_names() -> None:
    known = [
        KnownOrganisation("Ministry of the Interior of the Czech Republic", "MoI CZ"),
        KnownOrganisation("IOM - the International Organization for Migration"),
    ]
    text = "Министерството за внатрешни работи на Република Чешка, Czech Interior Ministry, МОМ и IOM."
    found = find_organisations(text, known)
    assert [(item.name, item.acronym, item.country, item.text) for item in found] == [
        ("Ministry of the Interior of the Czech Republic", "MoI CZ", "CZ",
         "Министерството за внатрешни работи на Република Чешка"),
        ("Ministry of the Interior of the Czech Republic", "MoI CZ", "CZ", "Czech Interior Ministry"),
        ("IOM - the International Organization for Migration", "IOM", None, "МОМ"),
        ("IOM - the International Organization for Migration", "IOM", None, "IOM"),
    ]  # fmt: skip


def test_known_entry_by_alias_and_on_word_boundaries_only() -> None:
    known = [KnownOrganisation("Macedonian Young Lawyers Association", "MYLA", ("Здружение на млади правници",))]
    text = "MYLA, MYLAS, the macedonian young lawyers association and Здружение на млади правници"
    found = find_organisations(text, known)
    assert [item.text for item in found] == [
        "MYLA",
        "macedonian young lawyers association",
        "Здружение на млади правници",
    ]
    assert {item.name for item in found} == {"Macedonian Young Lawyers Association"}


def test_known_entry_with_former_acronym_links_to_the_curated_one() -> None:
    known = [KnownOrganisation("European Asylum Support Office", "EASO")]
    found = find_organisations("The EUAA and the European Union Agency for Asylum", known)
    assert [(item.name, item.acronym) for item in found] == [("European Asylum Support Office", "EASO")] * 2


# ------------------------------------------------------------------------------------------------ helpers and data


def test_country_at_reads_each_language() -> None:
    text = "X of the Czech Republic; X на Република Северна Македонија; X e Republikës së Maqedonisë së Veriut"
    assert country_at(text, 1) == ("CZ", len("X of the Czech Republic"))
    assert country_at("X Републике Србије и", 1) == ("RS", len("X Републике Србије"))
    assert country_at("X in Skopje", 1) is None


def test_transliterate_acronym_keeps_case() -> None:
    assert transliterate_acronym("МВР") == "MVR"
    assert transliterate_acronym("ОБСЕ") == "OBSE"
    assert transliterate_acronym("CoE") == "CoE"


def test_expand_reads_alternatives_and_optional_words() -> None:
    assert expand("Ministry of (the) Interior") == ["Ministry of Interior", "Ministry of the Interior"]
    assert expand("Совет/Советот на Европа") == ["Совет на Европа", "Советот на Европа"]


def test_curated_data_is_well_formed() -> None:
    assert all(item.kind in KINDS for item in (*ORGANISATIONS, *INSTITUTIONS))
    acronyms = [item.acronym for item in ORGANISATIONS if item.acronym]
    assert len(acronyms) == len(set(acronyms))
    assert {"IOM", "UNHCR", "Frontex", "Europol", "EUAA", "OSCE", "ICMPD", "DCAF", "RCC", "CoE"} <= set(acronyms)
    assert len({item.code for item in COUNTRIES}) == len(COUNTRIES)


def test_mention_is_a_frozen_value() -> None:
    mention = OrganisationMention("World Bank", None, None, (0, 10), "World Bank")
    with pytest.raises(AttributeError):
        mention.name = "other"  # type: ignore[misc]


def test_shared_release_against_a_directory_like_the_demo_one() -> None:
    known = [
        KnownOrganisation("Ministry of Interior of the Republic of North Macedonia", "MoI MK"),
        KnownOrganisation("Ministry of the Interior of the Czech Republic", "MoI CZ"),
        KnownOrganisation("International Organization for Migration", "IOM"),
        KnownOrganisation("Office of the United Nations High Commissioner for Refugees", "UNHCR"),
        KnownOrganisation("Federal Ministry of the Interior of Austria", "BMI"),
    ]
    text = SHARED_RELEASE.read_text(encoding="utf-8")
    start = text.index("organized by the Ministry")
    found = [item for item in find_organisations(text, known) if item.span[0] >= start]
    assert [(item.name, item.acronym, item.country) for item in found] == [
        ("Ministry of Interior of the Republic of North Macedonia", "MoI MK", "MK"),
        ("Ministry of the Interior of the Czech Republic", "MoI CZ", "CZ"),
        ("International Organization for Migration", "IOM", None),
    ]
    unhcr = [item.name for item in find_organisations(text, known) if item.text == "UNHCR"]
    assert unhcr == ["Office of the United Nations High Commissioner for Refugees"]
    austrian = find_organisations("the Austrian Interior Ministry", known)
    assert [(item.name, item.acronym, item.country) for item in austrian] == [
        ("Federal Ministry of the Interior of Austria", "BMI", "AT")
    ]


#: Words and pieces that the finders react to, put together at random.
FUZZ_PIECES = ["IOM", "МОМ", "-", "the", "(", ")", ",", ".", "\n", "of", "Ministry", "Interior", "Czech", "Republic",
               "на", "Република", "Чешка", "organised", "by", "with", "support", "Frontex", "Министерството", "за",
               "внатрешни", "работи", "e", "Republikës", "Çeke", "'s", "host", "will", "and", "Government"]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FUZZ_PIECES), max_size=40).map(" ".join))
def test_any_text_gives_consistent_mentions_and_roles(text: str) -> None:
    found = find_organisations(text)
    for item in found:
        assert text[item.span[0] : item.span[1]] == item.text
    roles = assign_roles(text, found)
    assert [mention for mention, _role in roles] == sorted(found, key=lambda item: item.span)
    assert {role for _mention, role in roles} <= {"host", "co_organiser", "supporter", "participant"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Dačić će u četvrtak biti domaćin sastanka sa šefom Misije OEBS-a u Srbiji.",
        "Дачић ће у четвртак бити домаћин састанка са шефом Мисије ОЕБС-а у Србији.",
        "As host of talks with the OSCE, the Minister spoke first.",
    ],
)
def test_the_other_side_of_host_with_takes_part(sentence: str) -> None:
    roles = [(mention.acronym, role) for mention, role in assign_roles(sentence, find_organisations(sentence), 0)]
    assert roles == [("OSCE", "participant")]


def test_together_with_representatives_of_makes_participants_not_co_organisers() -> None:
    sentence = "Officials will attend, together with representatives of the European Commission and UNHCR."
    roles = [(mention.acronym, role) for mention, role in assign_roles(sentence, find_organisations(sentence), 0)]
    assert roles == [("EC", "participant"), ("UNHCR", "participant")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Министарство унутрашњих послова Републике Србије, уз подршку Мисије ОЕБС-а у Србији, организује "
        "15. новембра регионалну конференцију.",
        "The Ministry of Interior of the Republic of Serbia, with the support of the OSCE Mission, organises a "
        "regional conference.",
    ],
)
def test_the_subject_of_organises_hosts_even_with_a_clause_between(sentence: str) -> None:
    roles = [(mention.acronym or mention.name, role) for mention, role in assign_roles(
        sentence, find_organisations(sentence), 0
    )]  # fmt: skip
    assert roles == [("Ministry of Interior of the Republic of Serbia", "host"), ("OSCE", "supporter")]
