"""People named in a press release, with the positions the release gives them.

A name is two to four capitalised words (Latin or Cyrillic, diacritics, hyphens; "von der" and the like may stand
between them). It counts as a person only with evidence beside it: a title before it ("Interior Minister Oliver
Spasovski", "министерот за внатрешни работи Оливер Спасовски", "Director General of the International Organization
for Migration (IOM), António Vitorino"), a title after it ("António Vitorino, Director General of IOM"), an
honorific ("Mr", "г-дин", "z.") or a verb of speech or meeting ("said", "изјави", "tha", "рекао је"). A single
capitalised word after a title ("Minister Spasovski", "IOM Director General Vitorino") or alone, and any repeat of
a full name, folds into the person already found with that surname. Month and weekday names, places, words of
organisation names and capitalised function words ("The", "Во", "Në", "Према") are never names.

Titles are data, per language, in the phrase syntax of ``known_organisations.expand`` (Serbian written in
Cyrillic; its Latin forms are derived). A title takes the organisation or country after it ("… of the
International Organization for Migration", "претседателот на Република Северна Македонија", "председник Републике
Србије") or the organisation before it ("IOM Director General").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tracker.extraction.date_words import MONTHS, WEEKDAYS
from tracker.extraction.known_organisations import COUNTRIES, INSTITUTIONS, ORGANISATIONS, expand
from tracker.extraction.organisations import (
    OrganisationMention,
    country_at,
    find_organisations,
    length_preserving_fold,
)
from tracker.matching import same_name
from tracker.text import romanise


@dataclass(frozen=True)
class PersonMention:
    """One person: the name as written in its fullest mention, the fullest position given, and where it stands."""

    name: str
    position: str | None
    span: tuple[int, int]
    text: str


# ------------------------------------------------------------------------------------------------ titles

_EN_PORTFOLIOS = (
    "Interior", "the Interior", "Internal Affairs", "Home Affairs", "Foreign Affairs", "Europe and Foreign Affairs",
    "Foreign and European Affairs", "Defence", "Defense", "Justice", "Finance", "Health", "Education", "Economy",
    "Labour and Social Policy", "Labor and Social Policy", "Labour and Social Affairs", "European Affairs",
    "Security", "Human Rights and Refugees", "European Integration",
)  # fmt: skip
_EN_PORTFOLIO_ADJECTIVES = ("Interior", "Foreign", "Defence", "Defense", "Justice", "Finance", "Health",
                            "Home Affairs", "Foreign Affairs", "Education")  # fmt: skip
_EN_COMMISSIONERS = ("Home Affairs", "Neighbourhood and Enlargement", "Enlargement", "Migration", "Human Rights",
                     "Refugees", "Internal Affairs", "Migration and Home Affairs")  # fmt: skip
_MK_PORTFOLIOS = ("внатрешни работи", "надворешни работи", "одбрана", "правда", "финансии", "здравство",
                  "образование и наука", "труд и социјална политика", "европски прашања", "економија")  # fmt: skip
_SQ_PORTFOLIOS = ("Punëve të Brendshme", "Punëve të Jashtme", "Mbrojtjes", "Drejtësisë", "Financave",
                  "Shëndetësisë",
                  "Arsimit", "Punës dhe Politikës Sociale", "Ekonomisë", "Integrimit Evropian")  # fmt: skip
_SR_PORTFOLIOS = ("унутрашњих послова", "спољних послова", "одбране", "правде", "финансија", "здравља", "просвете",
                  "за рад, запошљавање, борачка и социјална питања", "за европске интеграције",
                  "за људска и мањинска права и друштвени дијалог", "безбедности")  # fmt: skip

_MK_MINISTER = "министер/министерот/министерка/министерката"
_MK_DEPUTY = "заменик-министер/заменик-министерот/заменик-министерка/заменик-министерката"
_SQ_MINISTER = "ministri/ministrja/ministrit/ministres/ministrin/ministren"
_SQ_DEPUTY = "zëvendësministri/zëvendësministrja/zëvendësministrit/zëvendësministres"
_SR_MINISTER = "министар/министарка/министра/министру/министром/министарке"

#: Titles and positions per language, phrase syntax (``known_organisations.expand``), Serbian in Cyrillic.
TITLES: dict[str, tuple[str, ...]] = {
    "en": (
        *(f"{role} of/for {portfolio}" for role in ("Minister", "Deputy Minister", "First Deputy Minister",
                                                    "State Secretary") for portfolio in _EN_PORTFOLIOS),
        *(f"(Deputy) {adjective} Minister" for adjective in _EN_PORTFOLIO_ADJECTIVES),
        *(f"(European/EU) Commissioner for {portfolio}" for portfolio in _EN_COMMISSIONERS),
        "Minister", "Deputy Minister", "Prime Minister", "Deputy Prime Minister", "First Deputy Prime Minister",
        "President", "Vice President", "Vice-President", "Ambassador", "Director General", "Director-General",
        "Deputy Director General", "Deputy Director-General", "Director", "Executive Director", "Regional Director",
        "Deputy Director", "Secretary General", "Secretary-General", "Deputy Secretary General",
        "Deputy Secretary-General", "Commissioner", "European Commissioner", "EU Commissioner",
        "High Commissioner", "High Commissioner for Refugees", "Deputy High Commissioner",
        "Head of Mission", "Chief of Mission", "Head of the Mission", "Head of Delegation", "Head of the Delegation",
        "Head of Office", "State Secretary", "Secretary of State", "Special Representative", "Resident Representative",
        "Chairperson-in-Office", "Speaker", "Mayor", "Chief of Staff",
    ),
    "mk": (
        *(f"{role} за {portfolio}" for role in (_MK_MINISTER, _MK_DEPUTY) for portfolio in _MK_PORTFOLIOS),
        _MK_MINISTER, _MK_DEPUTY, "премиер/премиерот/премиерката", "вицепремиер/вицепремиерот/вицепремиерката",
        "прв/првиот вицепремиер/вицепремиерот", "претседател/претседателот/претседателката (на) (Владата)",
        "амбасадор/амбасадорот/амбасадорка/амбасадорката", "генерален/генералниот директор/директорот",
        "генерална/генералната директорка/директорката", "директор/директорот/директорката",
        "генерален/генералниот секретар/секретарот", "државен/државниот секретар/секретарот",
        "комесар/комесарот/еврокомесар/еврокомесарот/еврокомесарката", "висок/високиот комесар",
        "шеф/шефот на мисијата/мисија", "шефица/шефицата на мисијата/мисија",
        "градоначалник/градоначалникот",
    ),
    "sq": (
        *(f"{role} i/e/të {portfolio}" for role in (_SQ_MINISTER, _SQ_DEPUTY) for portfolio in _SQ_PORTFOLIOS),
        f"{_SQ_MINISTER} për Evropë/Evropën dhe Punë të Jashtme", _SQ_MINISTER, _SQ_DEPUTY,
        "kryeministri/kryeministrja/kryeministrit/kryeministres/kryeministrin",
        "zëvendëskryeministri/zëvendëskryeministrja/zëvendëskryeministrit",
        "presidenti/presidentja/presidentit/presidentes/presidentin",
        "ambasadori/ambasadorja/ambasadorit/ambasadores/ambasadorin",
        "drejtori/drejtoresha/drejtorit/drejtoreshës/drejtorin i/e/të përgjithshëm/përgjithshme",
        "drejtori/drejtoresha/drejtorit/drejtoreshës/drejtorin",
        "sekretari/sekretarja/sekretarit i/e/të përgjithshëm/përgjithshme", "sekretari/sekretarja i/e shtetit",
        "komisioneri/komisionerja/komisionerit", "shefi/shefja/shefit i/e/të misionit", "kreu i misionit",
        "kryetari/kryetarja/kryetarit i/e komunës",
    ),
    "sr": (
        *(f"{role} {portfolio}" for role in (_SR_MINISTER,) for portfolio in _SR_PORTFOLIOS),
        _SR_MINISTER, "помоћник/помоћница министра", "заменик министра",
        "државни/државна/државног секретар/секретарка/секретара",
        "премијер/премијерка/премијера/премијеру/премијером", "први потпредседник/потпредседница владе",
        "потпредседник/потпредседница/потпредседника владе",
        "председник/председница/председника/председнику/председником (владе)",
        "амбасадор/амбасадорка/амбасадора/амбасадору/амбасадором",
        "генерални/генералног/генералном/генералним директор/директора/директору/директором",
        "генерална директорка/директорке", "директор/директорка/директора/директору/директором",
        "генерални/генералног/генералном секретар/секретара/секретару", "генерална секретарка",
        "комесар/комесарка/комесара/еврокомесар/еврокомесарка/еврокомесара", "високи/високог комесар/комесара",
        "шеф/шефица/шефа мисије", "градоначелник/градоначелница/градоначелника",
    ),
}  # fmt: skip

#: Words of respect before a name ("Mr Oliver Spasovski", "г-дин Спасовски", "z. Vitorino").
HONORIFICS: dict[str, tuple[str, ...]] = {
    "en": ("Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "H.E.", "His Excellency", "Her Excellency", "Prof."),
    "mk": ("г-дин", "г-ѓа", "господин", "госпоѓа", "господинот", "госпоѓата", "д-р", "проф.", "Н.Е."),
    "sq": ("z.", "znj.", "zoti", "zonja", "dr.", "prof.", "Shkëlqesia e Tij", "Shkëlqesia e Saj"),
    "sr": ("господин", "госпођа", "г.", "гђа", "др", "проф.", "Његова екселенција"),
}  # fmt: skip

#: Verbs of speech: a name before or after one is a person's ("Oliver Spasovski said", "изјави Оливер Спасовски").
SPEECH_VERBS: dict[str, tuple[str, ...]] = {
    "en": ("said", "says", "stated", "told", "added", "stressed", "noted", "emphasised", "emphasized",
           "underlined", "pointed out", "announced"),
    "mk": ("изјави", "рече", "истакна", "посочи", "додаде", "нагласи", "потенцираше", "кажа"),
    "sq": ("tha", "deklaroi", "theksoi", "shtoi", "nënvizoi", "u shpreh", "pohoi"),
    "sr": ("рекао је", "изјавио је", "истакао је", "навео је", "казао је", "рекла је", "изјавила је", "истакла је",
           "навела је", "је рекао", "је изјавио", "је истакао", "је навео", "је рекла", "је изјавила", "је истакла"),
}  # fmt: skip
#: Verbs of meeting and acting: a full name before one is a person's ("Oliver Spasovski met").
ACTION_VERBS: dict[str, tuple[str, ...]] = {
    "en": ("met", "met with", "thanked", "welcomed", "expressed", "visited", "signed", "attended", "received",
           "will meet", "will visit", "will attend", "opened", "addressed", "has met", "held"),
    "mk": ("се сретна", "се средба", "оствари средба", "се состана", "изрази", "потпиша", "посети", "ќе присуствува",
           "ја отвори", "го отвори", "прими", "се заблагодари", "разговараше"),
    "sq": ("u takua", "falënderoi", "vizitoi", "nënshkroi", "priti", "mori pjesë", "hapi", "përshëndeti"),
    "sr": ("се састао", "састао се", "је разговарао", "разговарао је", "је потписао", "потписао је", "је посетио",
           "посетио је", "је примио", "примио је", "је отворио", "отворио је", "је захвалио", "захвалио је"),
}  # fmt: skip

#: Serbian Cyrillic → Serbian Latin (with diacritics; folding removes them where texts do).
SERBIAN_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z", "и": "i", "ј": "j",
    "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
}  # fmt: skip


def serbian_latin(text: str) -> str:
    """Serbian Cyrillic in Serbian Latin, case kept: "министар спољних послова" → "ministar spoljnih poslova"."""
    out = []
    for char in text:
        latin = SERBIAN_LATIN.get(char.lower())
        out.append(char if latin is None else (latin.capitalize() if char.isupper() else latin))
    return "".join(out)


def _forms(table: dict[str, tuple[str, ...]]) -> list[str]:
    """Every spelling of a table's phrases, Serbian also in Latin."""
    spellings: list[str] = []
    for language, phrases in table.items():
        for phrase in phrases:
            for spelling in expand(phrase):
                spellings.append(spelling)
                if language == "sr":
                    spellings.append(serbian_latin(spelling))
    return spellings


def _phrase_regex(phrases: Iterable[str]) -> re.Pattern[str]:
    """Whole-word alternation over folded text (``length_preserving_fold``), longest first."""
    folded = sorted({length_preserving_fold(phrase) for phrase in phrases}, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in folded)
    return re.compile(rf"(?<![\w\u0300-\u036f])(?:{alternatives})(?![\w\u0300-\u036f])")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    honorifics = [form.rstrip(".") for form in _forms(HONORIFICS)]
    return {
        "title": _phrase_regex(_forms(TITLES)),
        "honorific": re.compile(
            r"(?:(?<![\w\u0300-\u036f])(?:"
            + "|".join(
                re.escape(length_preserving_fold(form)) for form in sorted(set(honorifics), key=len, reverse=True)
            )
            + r")\.?\s+)+$"
        ),
        "speech": _phrase_regex(_forms(SPEECH_VERBS)),
        "action": _phrase_regex(_forms(ACTION_VERBS)),
    }


# ------------------------------------------------------------------------------------------------ names

#: Lower-case words that may stand inside a name ("Ursula von der Leyen", "Luis de Guindos").
PARTICLES = frozenset({"von", "van", "der", "den", "de", "da", "di", "dos", "du", "del", "della", "la", "le",
                       "bin", "ibn", "al", "el", "ter", "ten"})  # fmt: skip


def _folded_words(*lines: str) -> frozenset[str]:
    """The space-separated words of ``lines``, folded (``length_preserving_fold``)."""
    return frozenset(length_preserving_fold(word) for line in lines for word in line.split())


#: Capitalised words that begin sentences or phrases and are never names, per language (folded).
FUNCTION_WORDS = _folded_words(
    "The A An In On At As After Before During According Also However This That These Those Today Yesterday "
    "Tomorrow It He She They We Our His Her Their Its With For From By And But While When Following Within Both "
    "All Each Meanwhile Moreover Furthermore Further Thus Therefore Minister Ministers Mr Mrs Ms Dr Director "
    "Ambassador President Prime Deputy Secretary General Commissioner Head Chief State Representative Representatives "
    "Speaker Mayor Excellency His Her Delegation Delegations Press Release Statement Photo News Sources Source "
    "Later Earlier Then Now Here There Yet Still Again Finally First Second Additionally Besides Otherwise Instead "
    "Nevertheless Recently Currently Previously Together Such Some Many Most Several Other Another Every No Not "
    "Only Even Just Last Next What Which Who Where Why How If Since Until Because Although Though Whether Despite "
    "Between Among Under Over Through Upon Regarding Concerning Given Speaking Addressing Welcoming Thanks Dear "
    "Ladies Gentlemen Distinguished Honourable Honorable Colleagues Participants Guests Excellencies "
    "Во На Со Од За Тој Таа Тие Ние Според Денеска Вчера Утре Исто Притоа При По Министерот Министерката Министер "
    "Премиерот Претседателот Амбасадорот Директорот Генералниот Како Кога Но Иако Оттаму Потоа Пред Меѓу Во рамки "
    "Në Me Nga Për Ai Ajo Ata Ato Sipas Sot Dje Nesër Gjatë Pas Para Edhe Por Kur Si Ministri Ministrja "
    "Kryeministri Presidenti Ambasadori Drejtori Zëvendësministri Gjithashtu Këtë Kjo Ky "
    "У На Са Од За Он Она Они Ми Према Данас Јуче Сутра Током После Након Пре Министар Министарка Премијер "
    "Председник Амбасадор Директор Такође Као Када Али Ово Овај Ова "
    "U Na Sa Od Za On Ona Oni Mi Prema Danas Juče Sutra Tokom Posle Nakon Pre Ministar Ministarka Premijer "
    "Predsednik Ambasador Direktor Takođe Kao Kada Ali Ovo Ovaj Ova"
)  # fmt: skip

#: Places and their adjectives that releases write capitalised beside names (folded; Cyrillic as is).
PLACE_WORDS = _folded_words(
    "Skopje Скопје Shkup Shkupi Shkupit Shkupin Tirana Tiranë Tiranës Тирана Belgrade Beograd Beogradu Београд "
    "Београду Pristina Prishtina Prishtinë Prishtinës Priština Приштина Podgorica Подгорица Sarajevo Сарајево "
    "Zagreb Загреб Ljubljana Љубљана Sofia Софија Athens Атина Thessaloniki Солун Ohrid Охрид Bitola Битола "
    "Tetovo Тетово Tetovë Kumanovo Куманово Gevgelija Гевгелија Geneva Женева Gjenevë Gjenevë Ženeva Brussels Брисел "
    "Bruksel Brisel Vienna Виена Беч Vjenë Beč Prague Прага Pragë Praha Berlin Берлин Rome Рим Paris Париз Budapest "
    "Будимпешта Warsaw Варшава Strasbourg Стразбур Luxembourg Novi Sad Нови Сад Niš Ниш Struga Струга Durrës Drač "
    "Macedonia Macedonian North Northern Republic Serbia Serbian Albania Albanian Kosovo Montenegro Montenegrin "
    "Bosnia Herzegovina Croatia Croatian Slovenia Bulgaria Bulgarian Greece Greek Czech Czechia Austria Austrian "
    "Germany German Italy Italian Hungary Hungarian Turkey Türkiye Turkish France French Europe European Western "
    "Balkans Balkan Eastern Southeast Southern Central Mediterranean EU Union United States Kingdom Nations America "
    "American Macedonian-Greek "
    "Македонија Северна Република Србија Албанија Косово Црна Гора Грција Бугарија Чешка Европа Европската Балкан "
    "Западен Maqedonia Maqedonisë Veriut Republika Republikës Serbia Shqipëria Shqipërisë Kosova Kosovës Evropë "
    "Evropës Ballkan Ballkanit Perëndimor Србије Србија Републике Северне Македоније Чешке Европе Балкана Западног "
    "Srbija Srbije Republike Severne Makedonije Češke Evrope Balkana Zapadnog"
)  # fmt: skip

#: Words of organisations, events and documents that releases capitalise (folded).
ORGANISATION_WORDS = _folded_words(
    "Ministry Ministerial Conference Government Council Commission Office Agency Organization Organisation Embassy "
    "Center Centre International National Police Border Department Directorate Sector Unit Initiative Programme "
    "Program Project Fund Bank Committee Assembly Parliament Summit Forum Meeting Migration Management Sustainable "
    "Temporary Migrants Migrant Refugees Asylum Coast Guard Security Cooperation Co-operation Development Affairs "
    "Interior Foreign Defence Justice Labour Social Policy Association Institute University Court Mission Group "
    "Strategy Action Plan Agreement Memorandum Declaration Protocol Treaty Convention Law Day Week Year Regional "
    "Министерство Министерството Влада Владата Конференција Конференцијата Совет Советот Агенција Комисија "
    "Ministria Ministrisë Qeveria Qeverisë Konferenca Konferencës Këshilli Agjencia Komisioni "
    "Министарство Министарства Влада Владе Конференција Конференције Савет Агенција Комисија "
    "Ministarstvo Ministarstva Vlada Vlade Konferencija Konferencije Savet Agencija Komisija"
)  # fmt: skip


@lru_cache(maxsize=1)
def _never_names() -> frozenset[str]:
    """Folded words no name holds: the lists above, months, weekdays and every word of the curated names."""
    words: set[str] = set(FUNCTION_WORDS | PLACE_WORDS | ORGANISATION_WORDS)
    for months in (*MONTHS.values(), *WEEKDAYS.values()):
        for entry in months:
            words.update(length_preserving_fold(word) for word in entry.replace("|", " ").split() if "." not in word)
    phrases = [name for item in ORGANISATIONS for name in (item.name, *item.names)]
    phrases += [form for item in INSTITUTIONS for form in item.forms]
    phrases += [form for item in COUNTRIES for form in (*item.en, *item.adjectives, *item.mk, *item.sq, *item.sr)]
    for phrase in phrases:
        for spelling in expand(phrase):
            for word in re.findall(r"[\w\u0300-\u036f'’-]+", spelling):
                if word[:1].isupper():
                    words.add(length_preserving_fold(word))
    return frozenset(words)


_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*(?:[-'’][^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*)*")
#: Between two words of one name: one space (or a no-break space).
_NAME_GAP = re.compile(r"[ \u00a0]")


def _is_name_word(word: str) -> bool:
    """Capitalised, not all capitals ("IOM", "МВР"), and not a word that is never a name."""
    first = word[0]
    return (
        first.isupper() and any(char.islower() for char in word) and length_preserving_fold(word) not in _never_names()
    )


@dataclass(frozen=True)
class _Name:
    start: int
    end: int
    words: tuple[str, ...]


def _names(text: str, blocked: Sequence[tuple[int, int]]) -> list[_Name]:
    """Runs of one to four name words (particles inside), outside the ``blocked`` spans (organisations)."""
    words = [(match.start(), match.end(), match.group()) for match in _WORD.finditer(text)]
    found: list[_Name] = []
    run: list[tuple[int, int, str]] = []

    def close() -> None:
        while run and run[-1][2] in PARTICLES:
            run.pop()
        if run and len([word for word in run if word[2] not in PARTICLES]) <= 4:
            found.append(_Name(run[0][0], run[-1][1], tuple(word[2] for word in run if word[2] not in PARTICLES)))
        run.clear()

    for start, end, word in words:
        if any(block_start < end and start < block_end for block_start, block_end in blocked):
            close()
            continue
        adjacent = bool(run) and _NAME_GAP.fullmatch(text, run[-1][1], start) is not None
        if run and not adjacent:
            close()
        if _is_name_word(word) or (run and word in PARTICLES):
            run.append((start, end, word))
        else:
            close()
    close()
    return found


# ------------------------------------------------------------------------------------------------ positions

_AFTER_TITLE = re.compile(r"\s+(?:of|for|на|i|e|të|së|od|from)?\s*(?:the\s+)?", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\s*\([^()]{1,40}\)$")
#: Between a title and the name it introduces: spaces, an acronym in parentheses, a comma.
_TITLE_TO_NAME = re.compile(r"(?:\s*\([^()]{1,40}\))?\s*,?\s*")
#: Between a name and the title after it: a comma, maybe "the".
_NAME_TO_TITLE = re.compile(r"\s*,\s*(?:the\s+|a\s+)?", re.IGNORECASE)


@dataclass(frozen=True)
class _Title:
    start: int
    end: int  # where the position text ends
    reach: int  # where the name after it may begin (after "(IOM)")


_OF = re.compile(r"\s+(?:of|for|in)\s+(?:the\s+)?", re.IGNORECASE)
_PLACE_PART = re.compile(r"([^\W\d_][\w'’-]*)(\s+(?:of|and|for|the)\s+|\s+|)")


def _place_after(text: str, end: int) -> int | None:
    """Where "of Skopje", "for Migration Affairs" ends: capitalised words that are never names, after "of"/"for"."""
    gap = _OF.match(text, end)
    if gap is None:
        return None
    position, last = gap.end(), None
    while (part := _PLACE_PART.match(text, position)) is not None:
        word = part.group(1)
        if not word[:1].isupper() or (any(char.islower() for char in word) and not _never_name(word)):
            break
        last = part.end(1)
        position = part.end()
        if not part.group(2):
            break
    return last


def _never_name(word: str) -> bool:
    return length_preserving_fold(word) in _never_names()


def _titles(text: str, organisations: Sequence[OrganisationMention]) -> list[_Title]:
    folded = length_preserving_fold(text)
    titles = []
    for match in _patterns()["title"].finditer(folded):
        start, end = match.span()
        reach = end
        gap = _AFTER_TITLE.match(text, end)
        following = next((item for item in organisations if gap and item.span[0] == gap.end()), None)
        if following is not None:
            end = reach = following.span[1]
            written = _PARENTHESIS.sub("", text[match.start() : end])
            end = match.start() + len(written)
        elif (country := country_at(text, end)) is not None:
            end = reach = country[1]
        elif (place := _place_after(text, end)) is not None:
            end = reach = place
        before = next(
            (item for item in organisations if item.span[1] < start and not text[item.span[1] : start].strip()), None
        )
        if before is not None and before.span[1] >= start - 2:
            start = before.span[0]
        titles.append(_Title(start, end, reach))
    return titles


# ------------------------------------------------------------------------------------------------ people


def _surname_key(word: str) -> str:
    return romanise(word)


def _same_surname(word: str, surname: str) -> bool:
    """The same surname, or an inflection of it ("Вучића" of "Вучић", "Ramës" of "Rama")."""
    one, other = _surname_key(word), _surname_key(surname)
    if one == other:
        return True
    stem = other[:-1] if other[-1:] in "aeiou" else other
    return len(stem) >= 4 and one.startswith(stem) and len(one) - len(other) <= 3


#: Where a sentence begins: a capitalised word here may be any word ("Later Spasovski met …").
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;\n]\s*|[\"“”«»„]\s*)$")


@dataclass
class _Person:
    name: _Name
    text: str
    position: str | None


def find_people(text: str) -> list[PersonMention]:
    """One mention per person, in the order they are first named, with the fullest name and position given."""
    organisations = find_organisations(text)
    titles = _titles(text, organisations)
    names = _names(text, [item.span for item in organisations] + [(title.start, title.end) for title in titles])
    patterns = _patterns()
    folded = length_preserving_fold(text)
    people: list[_Person] = []
    order: dict[int, int] = {}  # person index → first mention offset

    def position_for(name: _Name) -> str | None:
        for title in titles:
            if _TITLE_TO_NAME.fullmatch(text, title.reach, name.start) and title.reach <= name.start:
                return text[title.start : title.end]
        after = _NAME_TO_TITLE.match(text, name.end)
        if after is not None:
            for title in titles:
                if title.start == after.end():
                    return text[title.start : title.end]
        return None

    def evidence(name: _Name) -> bool:
        if len(name.words) < 2:
            return False
        honorific = patterns["honorific"].search(folded, max(0, name.start - 40), name.start)
        after = folded[name.end : name.end + 40]
        before = folded[max(0, name.start - 40) : name.start]
        speech_after = patterns["speech"].match(after.lstrip(" ,"))
        action_after = patterns["action"].match(after.lstrip(" "))
        speech_before = re.search(patterns["speech"].pattern + r"[\s,]*$", before)
        return bool(honorific or speech_after or action_after or speech_before)

    def find_person(name: _Name) -> int | None:
        written = " ".join(name.words)
        for index in range(len(people) - 1, -1, -1):
            known = people[index]
            if len(name.words) >= 2 and same_name(written, " ".join(known.name.words), person=True):
                return index
            if len(name.words) == 1 and _same_surname(name.words[0], known.name.words[-1]):
                return index
            if (
                len(name.words) >= 2
                and _same_surname(name.words[-1], known.name.words[-1])
                and (_same_surname(name.words[0], known.name.words[0]) or len(known.name.words) == 1)
            ):
                return index
        return None

    pending: list[tuple[_Name, str | None]] = []
    for name in names:
        position = position_for(name)
        index = find_person(name)
        if index is None and len(name.words) >= 2 and _SENTENCE_START.search(text, max(0, name.start - 4), name.start):
            tail = _Name(name.start + len(name.words[0]) + 1, name.end, name.words[1:])
            if (found := find_person(tail)) is not None:
                name, index = tail, found
        if index is None and ((position is not None and len(name.words) >= 2) or evidence(name)):
            people.append(_Person(name, text[name.start : name.end], position))
            order[len(people) - 1] = name.start
            continue
        if index is None:
            if position is not None:
                pending.append((name, position))
            continue
        _fold_into(people[index], name, text, position)
    for name, position in pending:
        index = find_person(name)
        if index is None:
            people.append(_Person(name, text[name.start : name.end], position))
            order[len(people) - 1] = name.start
        else:
            _fold_into(people[index], name, text, position)
            order[index] = min(order[index], name.start)
    for name in names:
        if (index := find_person(name)) is not None:
            order[index] = min(order[index], name.start)
    ranked = sorted(range(len(people)), key=lambda index: order[index])
    return [
        PersonMention(people[index].text, people[index].position, (people[index].name.start, people[index].name.end),
                      people[index].text)
        for index in ranked
    ]  # fmt: skip


def _fold_into(person: _Person, name: _Name, text: str, position: str | None) -> None:
    """A further mention of ``person``: a fuller name or a longer position replaces what it had."""
    if len(name.words) > len(person.name.words):
        person.name, person.text = name, text[name.start : name.end]
    if position is not None and (person.position is None or len(position) > len(person.position)):
        person.position = position
