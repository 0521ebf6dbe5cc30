"""The organisations, ministries and countries the region's migration, interior and foreign-affairs releases name.

Curated and reviewed by hand, in English, Macedonian, Albanian and Serbian (Cyrillic; Serbian and Macedonian Latin
spellings need no entry of their own, since names are compared romanised: "Републике Србије" reads
"Republike Srbije"). Full names are written in a small phrase syntax, expanded by ``expand``:

- words are separated by spaces; ``a/b/c`` is one word with alternatives (inflections: "Ministria/Ministrisë");
- ``(word)`` is an optional word ("Ministry of (the) Interior"), which may itself hold alternatives.

Acronyms are compared case-sensitively, each in its own script as listed ("MoI", "МВР", "MPB", "МУП", "MUP").
``kind`` takes the values of ``tracker.models.core.OrganisationKind`` as plain strings (this package imports no
models).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

KINDS = ("ministry", "government", "international_organisation", "eu_institution", "eu_agency", "ngo", "other")


@dataclass(frozen=True)
class CuratedOrganisation:
    """One organisation: its canonical English name and acronym, and how releases in each language write it."""

    name: str
    acronym: str | None
    kind: str
    #: Other full names in the phrase syntax, every language (the canonical name is always one).
    names: tuple[str, ...] = ()
    #: Other acronyms: former ones ("EASO") and those of other languages ("МОМ", "ONM", "ММО").
    acronyms: tuple[str, ...] = ()


def expand(phrase: str) -> list[str]:
    """Every spelling a phrase stands for: "Ministry of (the) Interior" → the two, one per line of words."""
    choices: list[list[str]] = []
    for word in phrase.split():
        if word.startswith("(") and word.endswith(")"):
            choices.append(["", *word[1:-1].split("/")])
        else:
            choices.append(word.split("/"))
    return [" ".join(part for part in combination if part) for combination in product(*choices)]


ORGANISATIONS: tuple[CuratedOrganisation, ...] = (
    CuratedOrganisation(
        "International Organization for Migration", "IOM", "international_organisation",
        ("International Organization/Organisation for Migration",
         "Меѓународна/Меѓународната организација/организацијата за миграција/миграции",
         "Organizata/Organizatës/Organizatën Ndërkombëtare për Migracion/Migracionin",
         "Међународна/Међународне/Међународној/Међународну/Међународном организација/организације/организацији/"
         "организацију/организацијом за миграције"),
        ("МОМ", "ONM", "ММО", "MMO", "ИОМ"),
    ),
    CuratedOrganisation(
        "United Nations High Commissioner for Refugees", "UNHCR", "international_organisation",
        ("Office of the United Nations High Commissioner for Refugees", "UN Refugee Agency",
         "United Nations Refugee Agency", "UN High Commissioner for Refugees",
         "Висок/Високиот комесаријат на ОН/Обединетите нации за бегалци",
         "Агенција/Агенцијата на ОН за бегалци",
         "Komisariati/Komisariatit i/të Lartë i/të OKB-së/Kombeve të Bashkuara për Refugjatët/Refugjatë",
         "Agjencia/Agjencisë e/së OKB-së për Refugjatët",
         "Високи/Високог/Високом/Високим комесаријат/комесаријата/комесаријату/комесаријатом УН/Уједињених нација "
         "за избеглице",
         "Агенција/Агенције УН за избеглице"),
        ("УНХЦР",),
    ),
    CuratedOrganisation(
        "European Border and Coast Guard Agency", "Frontex", "eu_agency",
        ("Frontex", "Frontexi/Frontexit/Frontexin/Frontexa/Frontexu/Frontexom",
         "Фронтекс/Фронтекса/Фронтексу/Фронтексом",
         "Европска/Европската агенција/агенцијата за гранична и крајбрежна стража",
         "Agjencia/Agjencisë Evropiane/Europiane e/së Kufirit/Kufijve dhe Rojës Bregdetare",
         "Европска/Европске агенција/агенције за граничну и обалску стражу"),
        ("FRONTEX",),
    ),
    CuratedOrganisation(
        "European Union Agency for Law Enforcement Cooperation", "Europol", "eu_agency",
        ("Europol", "Europoli/Europolit/Europolin/Europola/Europolu/Europolom",
         "Европол/Европола/Европолу/Европолом", "European Police Office"),
        ("EUROPOL",),
    ),
    CuratedOrganisation(
        "European Union Agency for Asylum", "EUAA", "eu_agency",
        ("EU Agency for Asylum", "European Asylum Support Office",
         "Агенција/Агенцијата на Европската унија/ЕУ за азил",
         "Европска/Европската канцеларија за поддршка на азилот",
         "Agjencia/Agjencisë e/së Bashkimit Evropian/Europian për Azil",
         "Агенција/Агенције Европске уније/ЕУ за азил", "Европска канцеларија за подршку азилу"),
        ("EASO", "ЕУАА", "ЕАСО"),
    ),
    CuratedOrganisation(
        "Organization for Security and Co-operation in Europe", "OSCE", "international_organisation",
        ("Organization/Organisation for Security and Co-operation/Cooperation in Europe",
         "Организација/Организацијата за безбедност и соработка во Европа",
         "Organizata/Organizatës/Organizatën për Siguri dhe Bashkëpunim në Evropë/Europë",
         "Организација/Организације/Организацији/Организацију/Организацијом за безбедност и сарадњу у Европи"),
        ("ОБСЕ", "OBSE", "OSBE", "ОЕБС", "OEBS"),
    ),
    CuratedOrganisation(
        "OSCE Office for Democratic Institutions and Human Rights", "ODIHR", "international_organisation",
        ("OSCE ODIHR", "OSCE/ODIHR", "Office for Democratic Institutions and Human Rights",
         "ОБСЕ/ОДИХР", "ОБСЕ ОДИХР", "OSBE/ODIHR", "OSBE ODIHR", "ОЕБС/ОДИХР", "ОЕБС ОДИХР",
         "Канцеларија/Канцеларијата за демократски институции и човекови права",
         "Zyra/Zyrës për Institucione Demokratike dhe të Drejta të Njeriut",
         "Канцеларија/Канцеларије за демократске институције и људска права"),
        ("ОДИХР",),
    ),
    CuratedOrganisation(
        "International Centre for Migration Policy Development", "ICMPD", "international_organisation",
        ("International Centre/Center for Migration Policy Development",
         "Меѓународен/Меѓународниот центар за развој на миграциски/миграциските политики",
         "Qendra/Qendrës Ndërkombëtare për Zhvillimin e Politikave të Migracionit",
         "Међународни/Међународног/Међународним центар/центра/центром за развој миграционе/миграционих "
         "политике/политика"),
        ("ИЦМПД",),
    ),
    CuratedOrganisation(
        "Geneva Centre for Security Sector Governance", "DCAF", "international_organisation",
        ("Geneva Centre/Center for Security Sector Governance",
         "Geneva Centre/Center for the Democratic Control of Armed Forces",
         "Женевски/Женевскиот центар за управување со безбедносниот сектор",
         "Женевски/Женевског центар/центра за управљање сектором безбедности"),
        ("ДЦАФ",),
    ),
    CuratedOrganisation(
        "Regional Cooperation Council", "RCC", "international_organisation",
        ("Regional Cooperation/Co-operation Council",
         "Совет/Советот за регионална соработка",
         "Këshilli/Këshillit/Këshillin për/i Bashkëpunim/Bashkëpunimit Rajonal",
         "Савет/Савета/Савету/Саветом за регионалну сарадњу"),
    ),
    CuratedOrganisation(
        "Council of Europe", "CoE", "international_organisation",
        ("Совет/Советот на Европа",
         "Këshilli/Këshillit/Këshillin i/të Evropës/Europës",
         "Савет/Савета/Савету/Саветом Европе"),
    ),
    CuratedOrganisation(
        "European Commission", "EC", "eu_institution",
        ("Европска/Европската комисија",
         "Komisioni/Komisionit/Komisionin Evropian/Europian",
         "Европска/Европске/Европској/Европску/Европском комисија/комисије/комисији/комисију/комисијом"),
    ),
    CuratedOrganisation(
        "Council of the European Union", None, "eu_institution",
        ("Council of the EU",
         "Совет/Советот на Европската унија/ЕУ",
         "Këshilli/Këshillit/Këshillin i/të Bashkimit Evropian/Europian",
         "Савет/Савета/Савету Европске уније/ЕУ"),
    ),
    CuratedOrganisation(
        "European Council", None, "eu_institution",
        ("Европски/Европскиот совет", "Këshilli/Këshillit Evropian/Europian",
         "Европски/Европског/Европском савет/савета/савету"),
    ),
    CuratedOrganisation(
        "European Parliament", "EP", "eu_institution",
        ("Европски/Европскиот парламент",
         "Parlamenti/Parlamentit/Parlamentin Evropian/Europian",
         "Европски/Европског/Европском парламент/парламента/парламенту"),
    ),
    CuratedOrganisation(
        "North Atlantic Treaty Organization", "NATO", "international_organisation",
        ("North Atlantic Treaty Organisation", "NATO-s/NATO-ja", "НАТО"),
    ),
    CuratedOrganisation(
        "United Nations", "UN", "international_organisation",
        ("Обединети/Обединетите нации", "Organizata/Organizatës e/së Kombeve të Bashkuara",
         "Kombet/Kombeve e/të Bashkuara", "Уједињене/Уједињених нације/нација", "Организација/Организације "
         "Уједињених нација"),
        ("ОН", "OKB", "УН"),
    ),
    CuratedOrganisation(
        "European Union", "EU", "eu_institution",
        ("Европска/Европската унија", "Bashkimi/Bashkimit/Bashkimin Evropian/Europian",
         "Европска/Европске/Европској/Европску/Европском унија/уније/унији/унију/унијом"),
        ("ЕУ", "BE"),
    ),
    CuratedOrganisation(
        "Delegation of the European Union", None, "eu_institution",
        ("EU Delegation", "Delegation of the EU", "Delegation of the European Union to North Macedonia/Albania/Serbia",
         "Делегација/Делегацијата на ЕУ/Европската унија", "Delegacioni/Delegacionit i/të BE-së/Bashkimit Evropian",
         "Делегација/Делегације/Делегацији ЕУ/Европске уније"),
    ),
    CuratedOrganisation(
        "United States Agency for International Development", "USAID", "other",
        ("US Agency for International Development",),
        ("УСАИД",),
    ),
    CuratedOrganisation(
        "Swiss Agency for Development and Cooperation", "SDC", "other",
        ("Швајцарска/Швајцарската агенција за развој и соработка", "Agjencia/Agjencisë Zvicerane për Zhvillim dhe "
         "Bashkëpunim", "Швајцарска/Швајцарске агенција/агенције за развој и сарадњу"),
    ),
    CuratedOrganisation(
        "Deutsche Gesellschaft für Internationale Zusammenarbeit", "GIZ", "other",
        ("German Agency for International Cooperation",),
        ("ГИЗ",),
    ),
    CuratedOrganisation(
        "United Nations Population Fund", "UNFPA", "international_organisation",
        ("UN Population Fund",),
        ("УНФПА",),
    ),
    CuratedOrganisation(
        "United Nations Development Programme", "UNDP", "international_organisation",
        ("United Nations Development Program", "UN Development Programme/Program",
         "Програма/Програмата за развој на Обединетите нации/ОН",
         "Programi/Programit i/të Kombeve të Bashkuara për Zhvillim",
         "Програм/Програма Уједињених нација за развој"),
        ("УНДП",),
    ),
    CuratedOrganisation(
        "Eurostat", "Eurostat", "eu_institution",
        ("Statistical Office of the European Union", "Евростат", "Eurostati/Eurostatit", "Евростата/Евростатом"),
    ),
    CuratedOrganisation(
        "European Union Agency for Fundamental Rights", "FRA", "eu_agency",
        ("EU Agency for Fundamental Rights", "Fundamental Rights Agency",
         "Агенција/Агенцијата на Европската унија/ЕУ за основни права",
         "Agjencia/Agjencisë e/së Bashkimit Evropian për të Drejtat Themelore",
         "Агенција/Агенције Европске уније за основна права"),
    ),
    CuratedOrganisation(
        "Commissariat for Refugees and Migration of the Republic of Serbia", "KIRS", "government",
        ("Commissariat for Refugees and Migration",
         "Комесаријат/Комесаријата/Комесаријату/Комесаријатом за избеглице и миграције (Републике Србије)",
         "Komesarijati/Komesarijatit për Refugjatë dhe Migracion"),
        ("КИРС",),
    ),
    CuratedOrganisation(
        "United Nations Children's Fund", "UNICEF", "international_organisation",
        ("UN Children's Fund", "Unicef",
         "Детски/Детскиот фонд на Обединетите нации/ОН",
         "Fondi/Fondit i/të Kombeve të Bashkuara për Fëmijët",
         "Дечји/Дечији фонд/фонда Уједињених нација"),
        ("УНИЦЕФ",),
    ),
    CuratedOrganisation(
        "United Nations Office on Drugs and Crime", "UNODC", "international_organisation",
        ("UN Office on Drugs and Crime",
         "Канцеларија/Канцеларијата на Обединетите нации/ОН за дрога и криминал",
         "Zyra/Zyrës e/së Kombeve të Bashkuara për Drogën dhe Krimin",
         "Канцеларија/Канцеларије Уједињених нација/УН за дрогу и криминал"),
        ("УНОДЦ",),
    ),
    CuratedOrganisation(
        "International Criminal Police Organization", "Interpol", "international_organisation",
        ("International Criminal Police Organisation", "Interpol",
         "Interpoli/Interpolit/Interpolin/Interpola/Interpolu",
         "Интерпол/Интерпола/Интерполу/Интерполом"),
        ("INTERPOL",),
    ),
    CuratedOrganisation(
        "Migration, Asylum, Refugees Regional Initiative", "MARRI", "international_organisation",
        ("Migration Asylum Refugees Regional Initiative",
         "Регионална/Регионалната иницијатива за миграции, азил и бегалци",
         "Nisma/Nismës Rajonale për Migracion, Azil dhe Refugjatë",
         "Регионална/Регионалне иницијатива/иницијативе за миграције, азил и избеглице"),
        ("МАРРИ",),
    ),
    CuratedOrganisation(
        "Southeast Europe Police Chiefs Association", "SEPCA", "international_organisation",
        ("South East Europe Police Chiefs Association", "Southeast European Police Chiefs Association",
         "South East European Police Chiefs Association"),
    ),
    CuratedOrganisation(
        "Southeast European Law Enforcement Center", "SELEC", "international_organisation",
        ("Southeast European Law Enforcement Centre", "South East European Law Enforcement Center/Centre"),
    ),
    CuratedOrganisation(
        "World Bank", None, "international_organisation",
        ("Светска/Светската банка", "Banka/Bankës/Bankën Botërore", "Светска/Светске/Светској банка/банке/банци"),
    ),
    CuratedOrganisation(
        "European Bank for Reconstruction and Development", "EBRD", "international_organisation",
        ("Европска/Европската банка за обнова и развој",
         "Banka/Bankës Evropiane/Europiane për Rindërtim dhe Zhvillim",
         "Европска/Европске банка/банке за обнову и развој"),
        ("ЕБОР", "ЕБРД", "BERZH"),
    ),
    CuratedOrganisation(
        "European Union Rule of Law Mission in Kosovo", "EULEX", "other",
        ("Мисијата/Мисија на ЕУ за владеење на правото", "Misioni/Misionit i/të BE-së për Sundimin e Ligjit"),
        ("ЕУЛЕКС",),
    ),
    CuratedOrganisation(
        "International Committee of the Red Cross", "ICRC", "ngo",
        ("Меѓународниот/Меѓународен комитет на Црвениот крст", "Komiteti/Komitetit Ndërkombëtar i/të Kryqit të Kuq",
         "Међународни/Међународног комитет/комитета Црвеног крста"),
        ("МКЦК",),
    ),
)  # fmt: skip

#: Acronyms that also stand before nouns ("EU agencies", "UN bodies", "EU-funded"): an organisation only when no
#: word follows them other than these ("funded by the EU and …", "with the UN on …", "BE-së").
ADJECTIVAL_ACRONYMS = frozenset({"EU", "ЕУ", "BE", "UN", "ОН", "УН", "OKB"})
NOUN_FOLLOWERS = frozenset(
    {
        "and", "or", "on", "in", "for", "to", "with", "at", "is", "are", "has", "have", "will", "was", "were", "which",
        "as", "that", "by", "from", "of", "the", "also", "through",
        "и", "или", "на", "во", "со", "за", "од", "е", "ќе", "преку", "го", "ја", "ги",
        "dhe", "e", "i", "të", "në", "me", "për", "nga", "do", "ka", "është", "ishte", "si",
        "у", "са", "ће", "је", "су", "из", "према", "u", "sa", "će", "je", "su", "iz", "prema", "ili",
    }
)  # fmt: skip
#: Endings after a hyphen that keep an acronym a noun ("BE-së", "ЕУ-то", "EU-a"); others make it an adjective.
CASE_ENDINGS = frozenset({"së", "se", "ja", "ës", "në", "ne", "s", "a", "u", "om", "то", "а", "у", "ом", "ot", "ta"})
