"""How releases write the countries that follow (or precede) an institution's name, per language.

Curated and reviewed by hand, in the phrase syntax of ``known_organisations.expand``: English after "of (the)",
Macedonian after "на", Albanian genitives after "e/i/të/së", Serbian genitives (Cyrillic; Latin by romanisation).
Codes are ISO 3166-1 alpha-2, XK for Kosovo.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryForms:
    """How a country is written after an institution's name, per language (phrase syntax)."""

    code: str
    #: The English form used in canonical names: "Ministry of Interior of the Czech Republic".
    canonical: str
    #: English, after "of (the)": "Republic of North Macedonia", "North Macedonia".
    en: tuple[str, ...]
    #: English adjectives before the institution: "Czech Ministry of Interior", "Macedonian Interior Ministry".
    adjectives: tuple[str, ...]
    #: Macedonian, after "на" (nominative): "Република Северна Македонија".
    mk: tuple[str, ...]
    #: Albanian genitive, after "e/i/të/së": "Republikës së Maqedonisë së Veriut".
    sq: tuple[str, ...]
    #: Serbian genitive, directly after the institution (Cyrillic; Latin by romanisation): "Републике Србије".
    sr: tuple[str, ...]


#: Words that join an institution to its country, per language (phrase syntax); Serbian uses the bare genitive.
COUNTRY_JOINERS: dict[str, tuple[str, ...]] = {
    "en": ("of (the)",),
    "mk": ("на",),
    "sq": ("e/i/të/së",),
    "sr": ("",),
}


COUNTRIES: tuple[CountryForms, ...] = (
    CountryForms(
        "MK", "the Republic of North Macedonia",
        ("Republic of North Macedonia", "North Macedonia", "Macedonia", "Republic of Macedonia"),
        ("Macedonian", "North Macedonian"),
        ("Република Северна Македонија", "Северна Македонија", "РСМ", "Македонија", "Република Македонија"),
        ("Republikës së Maqedonisë së Veriut", "Maqedonisë së Veriut", "Republikës së Maqedonisë", "Maqedonisë"),
        ("Републике Северне Македоније", "Северне Македоније", "Македоније"),
    ),
    CountryForms(
        "CZ", "the Czech Republic",
        ("Czech Republic", "Czechia"),
        ("Czech",),
        ("Република Чешка", "Чешка", "Чешката Република", "Чешка Република"),
        ("Republikës Çeke", "Çekisë", "Republikës së Çekisë"),
        ("Републике Чешке", "Чешке Републике", "Чешке"),
    ),
    CountryForms(
        "RS", "the Republic of Serbia",
        ("Republic of Serbia", "Serbia"), ("Serbian",),
        ("Република Србија", "Србија"), ("Republikës së Serbisë", "Serbisë"), ("Републике Србије", "Србије"),
    ),
    CountryForms(
        "AL", "the Republic of Albania",
        ("Republic of Albania", "Albania"), ("Albanian",),
        ("Република Албанија", "Албанија"), ("Republikës së Shqipërisë", "Shqipërisë"),
        ("Републике Албаније", "Албаније"),
    ),
    CountryForms(
        "XK", "the Republic of Kosovo",
        ("Republic of Kosovo", "Kosovo"), ("Kosovo", "Kosovar"),
        ("Република Косово", "Косово"), ("Republikës së Kosovës", "Kosovës"), ("Републике Косово", "Косова"),
    ),
    CountryForms(
        "ME", "Montenegro",
        ("Montenegro",), ("Montenegrin",),
        ("Црна Гора",), ("Malit të Zi",), ("Црне Горе",),
    ),
    CountryForms(
        "BA", "Bosnia and Herzegovina",
        ("Bosnia and Herzegovina", "BiH"), ("Bosnian",),
        ("Босна и Херцеговина", "БиХ"), ("Bosnjës dhe Hercegovinës", "Bosnjë e Hercegovinës"),
        ("Босне и Херцеговине", "БиХ"),
    ),
    CountryForms(
        "HR", "the Republic of Croatia",
        ("Republic of Croatia", "Croatia"), ("Croatian",),
        ("Република Хрватска", "Хрватска"), ("Republikës së Kroacisë", "Kroacisë"),
        ("Републике Хрватске", "Хрватске"),
    ),
    CountryForms(
        "SI", "the Republic of Slovenia",
        ("Republic of Slovenia", "Slovenia"), ("Slovenian", "Slovene"),
        ("Република Словенија", "Словенија"), ("Republikës së Sllovenisë", "Sllovenisë"),
        ("Републике Словеније", "Словеније"),
    ),
    CountryForms(
        "BG", "the Republic of Bulgaria",
        ("Republic of Bulgaria", "Bulgaria"), ("Bulgarian",),
        ("Република Бугарија", "Бугарија"), ("Republikës së Bullgarisë", "Bullgarisë"),
        ("Републике Бугарске", "Бугарске"),
    ),
    CountryForms(
        "GR", "the Hellenic Republic",
        ("Hellenic Republic", "Greece"), ("Greek",),
        ("Република Грција", "Грција"), ("Greqisë", "Republikës së Greqisë"), ("Грчке", "Републике Грчке"),
    ),
    CountryForms(
        "IE", "Ireland",
        ("Ireland", "Republic of Ireland"), ("Irish",),
        ("Ирска", "Република Ирска"), ("Irlandës", "Republikës së Irlandës"), ("Ирске", "Републике Ирске"),
    ),
    CountryForms(
        "AT", "the Republic of Austria",
        ("Republic of Austria", "Austria"), ("Austrian",),
        ("Република Австрија", "Австрија"), ("Austrisë", "Republikës së Austrisë"), ("Аустрије", "Републике Аустрије"),
    ),
    CountryForms(
        "DE", "the Federal Republic of Germany",
        ("Federal Republic of Germany", "Germany"), ("German",),
        ("Сојузна Република Германија", "Германија"), ("Gjermanisë", "Republikës Federale të Gjermanisë"),
        ("Немачке", "Савезне Републике Немачке"),
    ),
    CountryForms(
        "IT", "the Italian Republic",
        ("Italian Republic", "Italy"), ("Italian",),
        ("Италија", "Република Италија"), ("Italisë",), ("Италије",),
    ),
    CountryForms(
        "HU", "Hungary",
        ("Hungary",), ("Hungarian",),
        ("Унгарија",), ("Hungarisë",), ("Мађарске",),
    ),
    CountryForms(
        "TR", "the Republic of Türkiye",
        ("Republic of Türkiye", "Republic of Turkey", "Türkiye", "Turkey"), ("Turkish",),
        ("Република Турција", "Турција"), ("Turqisë", "Republikës së Turqisë"), ("Турске", "Републике Турске"),
    ),
    CountryForms(
        "FR", "the French Republic",
        ("French Republic", "France"), ("French",),
        ("Франција", "Република Франција"), ("Francës",), ("Француске",),
    ),
    CountryForms(
        "SK", "the Slovak Republic",
        ("Slovak Republic", "Slovakia"), ("Slovak",),
        ("Словачка", "Република Словачка"), ("Sllovakisë",), ("Словачке", "Словачке Републике"),
    ),
    CountryForms(
        "PL", "the Republic of Poland",
        ("Republic of Poland", "Poland"), ("Polish",),
        ("Полска", "Република Полска"), ("Polonisë",), ("Пољске", "Републике Пољске"),
    ),
    CountryForms(
        "CH", "the Swiss Confederation",
        ("Swiss Confederation", "Switzerland"), ("Swiss",),
        ("Швајцарија", "Швајцарската Конфедерација"), ("Zvicrës",), ("Швајцарске",),
    ),
    CountryForms(
        "NL", "the Kingdom of the Netherlands",
        ("Kingdom of the Netherlands", "Netherlands"), ("Dutch",),
        ("Холандија", "Кралството Холандија"), ("Holandës", "Mbretërisë së Holandës"), ("Холандије",),
    ),
    CountryForms(
        "GB", "the United Kingdom",
        ("United Kingdom", "UK"), ("British", "UK"),
        ("Обединетото Кралство", "Велика Британија"), ("Mbretërisë së Bashkuar", "Britanisë së Madhe"),
        ("Уједињеног Краљевства", "Велике Британије"),
    ),
    CountryForms(
        "US", "the United States of America",
        ("United States of America", "United States", "USA", "US", "U.S."), ("US", "U.S.", "American"),
        ("САД", "Соединетите Американски Држави", "Соединети Американски Држави"),
        ("SHBA-së", "Shteteve të Bashkuara të Amerikës", "Shteteve të Bashkuara"),
        ("САД", "Сједињених Америчких Држава"),
    ),
)  # fmt: skip
