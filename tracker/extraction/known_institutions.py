"""The national bodies press releases name by pattern: ministries, governments, embassies, with their country.

"Ministry of Interior" with "of the Czech Republic", "на Република Чешка", "e Republikës Çeke" after it (or
"Czech" before) is one organisation per country; see ``known_organisations`` for the phrase syntax.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Institution:
    """A kind of national body found by pattern ("Ministry of Interior … of <country>"), not by a fixed name."""

    #: The canonical English name without country: "Ministry of Interior"; with one: "… of the Czech Republic".
    name: str
    kind: str
    forms: tuple[str, ...]
    acronyms: tuple[str, ...] = ()
    #: "Government" and "Embassy" mean nothing without their country; a ministry alone is still a ministry.
    needs_country: bool = False


_MINISTRY_MK = "Министерство/Министерството/Министерствата"
_MINISTRY_SQ = "Ministria/Ministrisë/Ministrinë/Ministrive e/i/së/të"
_MINISTRY_SR = "Министарство/Министарства/Министарству/Министарством"

INSTITUTIONS: tuple[Institution, ...] = (
    Institution(
        "Federal Ministry of the Interior", "ministry",
        ("Federal Ministry of/for (the) Interior", "Federal Interior Ministry",
         "Сојузно/Сојузното министерство за внатрешни работи",
         "Ministria/Ministrisë/Ministrinë Federale e/së/të Brendshme",
         "Савезно/Савезног/Савезном министарство/министарства/министарству унутрашњих послова",
         "Savezno/Saveznog/Saveznom ministarstvo/ministarstva/ministarstvu unutrašnjih poslova"),
        ("BMI",),
    ),
    Institution(
        "Ministry of Interior", "ministry",
        ("Ministry of/for (the) Interior", "Ministry of/for Internal Affairs", "Ministry of/for Home Affairs",
         "Interior Ministry", "Home Affairs Ministry",
         f"{_MINISTRY_MK} за внатрешни работи",
         f"{_MINISTRY_SQ} Punëve të Brendshme", "Ministria/Ministrisë/Ministrinë e/së Brendshme",
         f"{_MINISTRY_SR} унутрашњих послова", "Ministarstvo/Ministarstva/Ministarstvu unutarnjih poslova"),
        ("MoI", "МВР", "MVR", "MPB", "МУП", "MUP"),
    ),
    Institution(
        "Ministry of Foreign Affairs", "ministry",
        ("Ministry of/for Foreign Affairs", "Ministry of/for Foreign and European Affairs",
         "Ministry for/of Europe and Foreign Affairs", "Ministry of External Affairs", "Foreign Ministry",
         "Foreign Affairs Ministry",
         f"{_MINISTRY_MK} за надворешни работи",
         f"{_MINISTRY_SQ} Punëve të Jashtme", "Ministria/Ministrisë/Ministrinë e/së Jashtme",
         "Ministria/Ministrisë/Ministrinë për Evropë/Evropën/Europë dhe Punë të Jashtme",
         f"{_MINISTRY_SR} спољних послова", "Ministarstvo/Ministarstva/Ministarstvu vanjskih poslova"),
        ("MFA", "МНР", "MPJ", "MEPJ", "МСП"),
    ),
    Institution(
        "Ministry of Defence", "ministry",
        ("Ministry of (the) Defence/Defense", "Defence/Defense Ministry",
         f"{_MINISTRY_MK} за одбрана", f"{_MINISTRY_SQ} Mbrojtjes", f"{_MINISTRY_SR} одбране"),
        ("MoD",),
    ),
    Institution(
        "Ministry of Justice", "ministry",
        ("Ministry of Justice", "Justice Ministry",
         f"{_MINISTRY_MK} за правда", f"{_MINISTRY_SQ} Drejtësisë", f"{_MINISTRY_SR} правде"),
        ("MoJ",),
    ),
    Institution(
        "Ministry of Labour and Social Policy", "ministry",
        ("Ministry of Labour/Labor and Social Policy", "Ministry of Labour/Labor and Social Affairs",
         f"{_MINISTRY_MK} за труд и социјална политика",
         f"{_MINISTRY_SQ} Punës dhe Politikës Sociale", f"{_MINISTRY_SQ} Punës dhe Mirëqenies Sociale",
         f"{_MINISTRY_SR} за рад, запошљавање, борачка и социјална питања"),
        ("МТСП",),
    ),
    Institution(
        "Ministry of Security", "ministry",
        ("Ministry of Security", f"{_MINISTRY_SR} безбедности",
         "Ministarstvo/Ministarstva/Ministarstvu/Ministarstvom sigurnosti",
         f"{_MINISTRY_MK} за безбедност", f"{_MINISTRY_SQ} Sigurisë"),
    ),
    Institution(
        "Ministry of Human Rights and Refugees", "ministry",
        ("Ministry of Human Rights and Refugees", "Министарство/Министарства за људска права и избјеглице",
         "Ministarstvo/Ministarstva za ljudska prava i izbjeglice"),
    ),
    Institution(
        "Ministry of European Affairs", "ministry",
        ("Ministry of/for European Affairs", "Ministry of/for European Integration",
         f"{_MINISTRY_MK} за европски прашања", f"{_MINISTRY_SR} за европске интеграције"),
    ),
    Institution(
        "Government", "government",
        ("Government", "Влада/Владата/Владе/Влади/Владу", "Qeveria/Qeverisë/Qeverinë"),
        needs_country=True,
    ),
    Institution(
        "Red Cross", "ngo",
        ("Red Cross", "Црвен/Црвениот крст", "Kryqi/Kryqit/Kryqin i/të Kuq", "Црвени/Црвеног/Црвеном крст/крста/крсту"),
        needs_country=True,
    ),
    Institution(
        "Embassy", "other",
        ("Embassy", "Амбасада/Амбасадата/Амбасаде/Амбасади", "Ambasada/Ambasadës/Ambasadën"),
        needs_country=True,
    ),
)  # fmt: skip
