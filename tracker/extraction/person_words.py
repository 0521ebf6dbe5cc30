"""The words people are named with in releases, per language: titles, honorifics, verbs, and words never in a name.

Titles are in the phrase syntax of ``known_organisations.expand`` ("ministri/ministrja i/e Punëve të Brendshme");
Serbian is written in Cyrillic and read in Latin too (``serbian_latin``). Word lists are folded for comparison
(``phrases.length_preserving_fold``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from tracker.extraction.date_words import MONTHS, WEEKDAYS
from tracker.extraction.known_countries import COUNTRIES
from tracker.extraction.known_institutions import INSTITUTIONS
from tracker.extraction.known_organisations import ORGANISATIONS, expand
from tracker.extraction.phrases import length_preserving_fold

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
                  "Arsimit", "Punës dhe Politikës Sociale", "Ekonomisë", "Integrimit Evropian",
                  "Punëve të Brendshme dhe Administratës Publike", "Punëve të Jashtme dhe Diasporës")  # fmt: skip
_SR_PORTFOLIOS = ("унутрашњих послова", "спољних послова", "одбране", "правде", "финансија", "здравља", "просвете",
                  "за рад, запошљавање, борачка и социјална питања", "за европске интеграције",
                  "за људска и мањинска права и друштвени дијалог", "безбедности")  # fmt: skip

_MK_MINISTER = "министер/министерот/министерка/министерката"
_MK_DEPUTY = "заменик-министер/заменик-министерот/заменик-министерка/заменик-министерката"
_SQ_MINISTER = "ministri/ministrja/ministrit/ministres/ministrin/ministren/ministër/ministre"
_SQ_DEPUTY = "zëvendësministri/zëvendësministrja/zëvendësministrit/zëvendësministres/zëvendësministër"
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
        "Spokesperson", "Spokesman", "Spokeswoman", "Adviser", "Advisor", "Chairman", "Chairwoman", "Chair", "Consul",
        "Consul General", "Coordinator", "National Coordinator", "Chief Negotiator", "Chief Inspector", "Inspector",
        "Commander", "Police Commander", "General Director", "Chief of Police",
        "UN Secretary-General", "UN Secretary General", "UN High Commissioner for Refugees", "Head", "Chief",
        "counterpart", "Representative", "Country Representative", "Regional Representative", "High Representative",
        "EU High Representative", "High Representative for Foreign Affairs and Security Policy",
        "Head of the EU Delegation", "EU Ambassador", "Head of the OSCE Mission", "Head of the IOM Mission",
        "Chairperson-in-Office", "Speaker", "Mayor", "Chief of Staff",
    ),
    "mk": (
        *(f"{role} за {portfolio}" for role in (_MK_MINISTER, _MK_DEPUTY) for portfolio in _MK_PORTFOLIOS),
        _MK_MINISTER, _MK_DEPUTY, "премиер/премиерот/премиерката", "вицепремиер/вицепремиерот/вицепремиерката",
        "прв/првиот вицепремиер/вицепремиерот", "претседател/претседателот/претседателката",
        "претседател/претседателот/претседателката на Владата",
        "амбасадор/амбасадорот/амбасадорка/амбасадорката", "генерален/генералниот директор/директорот",
        "генерална/генералната директорка/директорката", "директор/директорот/директорката",
        "генерален/генералниот секретар/секретарот", "државен/државниот секретар/секретарот",
        "комесар/комесарот/еврокомесар/еврокомесарот/еврокомесарката", "висок/високиот комесар",
        "шеф/шефот на мисијата/мисија", "шефица/шефицата на мисијата/мисија",
        "портпарол/портпаролот/портпаролката", "советник/советникот/советничката", "конзул/конзулот",
        "колега/колегата/колешка/колешката", "висок/високиот претставник",
        "претставник/претставникот/претставничка/претставничката",
        "шеф/шефот на Делегацијата на ЕУ", "амбасадор/амбасадорот на ЕУ",
        "градоначалник/градоначалникот",
    ),
    "sq": (
        *(f"{role} i/e/të {portfolio}" for role in (_SQ_MINISTER, _SQ_DEPUTY) for portfolio in _SQ_PORTFOLIOS),
        f"{_SQ_MINISTER} për Evropë/Evropën dhe Punë të Jashtme", _SQ_MINISTER, _SQ_DEPUTY,
        "kryeministri/kryeministrja/kryeministrit/kryeministres/kryeministrin/kryeministër/kryeministre",
        "ministri/ministrit/ministrin i/të Brendshëm", "ministrja/ministres e/së Brendshme",
        "ministri/ministrit/ministrin i/të Jashtëm", "ministrja/ministres e/së Jashtme",
        "zëdhënësi/zëdhënësja/zëdhënësit", "këshilltari/këshilltarja/këshilltarit", "konsulli/konsullit",
        "homologu/homologun/homologut/homologia/homologen", "homologu/homologun i/e tij/saj",
        "përfaqësuesi/përfaqësuesja/përfaqësuesit i/e lartë", "përfaqësuesi/përfaqësuesja/përfaqësuesit",
        "zëvendëskryeministri/zëvendëskryeministrja/zëvendëskryeministrit",
        "presidenti/presidentja/presidentit/presidentes/presidentin",
        "ambasadori/ambasadorja/ambasadorit/ambasadores/ambasadorin/ambasador/ambasadore",
        "drejtori/drejtoresha/drejtorit/drejtoreshës/drejtorin i/e/të përgjithshëm/përgjithshme",
        "drejtori/drejtoresha/drejtorit/drejtoreshës/drejtorin/drejtor/drejtore",
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
        "портпарол/портпаролка/портпарола", "саветник/саветница/саветника", "конзул/конзула",
        "колега/колегом/колегиница/колегиницом", "високи/високог/високим представник/представника/представником",
        "представник/представница/представника",
        "шеф/шефица/шефа делегације ЕУ", "амбасадор/амбасадорка ЕУ",
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

#: Words after which a full name is a person's ("met with Vít Rakušan", "talks between … and …").
MEETING_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("met with", "met", "meeting with", "talks with", "received", "welcomed", "thanked", "congratulated",
           "between", "hosted", "a meeting with", "in talks with"),
    "mk": ("се сретна со", "средба со", "средбата со", "разговараше со", "разговори со", "се заблагодари на", "меѓу",
           "го прими", "ја прими", "го пречека", "ја пречека"),
    "sq": ("u takua me", "takim me", "takimin me", "bisedoi me", "falënderoi", "priti", "midis", "ndërmjet"),
    "sr": ("састао се са", "састао се с", "се састао са", "се састао с", "састала се са", "се састала са",
           "састанак са", "разговарао са", "разговор са", "захвалио се", "између",
           "примио је", "дочекао је"),
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
    "Inspector Sergeant Colonel Captain Commander Officer Spokesperson Spokesman Adviser Advisor Chairman Chair "
    "Coordinator Consul Judge Prosecutor Counterpart Colleague "
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
    "Zagreb Загреб Ljubljana Љубљана Athens Атина Thessaloniki Солун Ohrid Охрид Bitola Битола "
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
    "Srbija Srbije Republike Severne Makedonije Češke Evrope Balkana Zapadnog "
    "Србији Srbiji Македонији Makedoniji Скопљу Skoplju Тирани Tirani Приштини Prištini Бриселу Briselu "
    "Женеви Ženevi Бечу Beču Загребу Zagrebu Сарајеву Sarajevu Подгорици Podgorici Охриду Ohridu "
    "Македонија Македонии Скопје Албанија Србија Shqipëri Maqedoni Serbi Kosovë Shkup Tiranë"
)  # fmt: skip

#: Words of organisations, events and documents that releases capitalise (folded).
ORGANISATION_WORDS = _folded_words(
    "Ministry Ministerial Conference Government Council Commission Office Agency Organization Organisation Embassy "
    "Center Centre International National Police Border Department Directorate Sector Unit Initiative Programme "
    "Program Project Fund Bank Committee Assembly Parliament Summit Forum Meeting Migration Management Sustainable "
    "Temporary Migrants Migrant Refugees Asylum Coast Guard Security Cooperation Co-operation Development Affairs "
    "Interior Foreign Defence Justice Labour Social Policy Association Institute University Court Mission Group "
    "Strategy Action Plan Agreement Memorandum Declaration Protocol Treaty Convention Law Day Week Year Regional "
    "Public Bureau Service Services Administration Customs Inspectorate Prosecutor Authority Crisis Intelligence "
    "Investigation Criminal Organised Organized Crime Trafficking Human Rights Protection Rescue Emergency Health "
    "Education Finance Economy Unit Units Division Section Academy Training Operations Operational Coordination "
    "Министерство Министерството Влада Владата Конференција Конференцијата Совет Советот Агенција Комисија "
    "Ministria Ministrisë Qeveria Qeverisë Konferenca Konferencës Këshilli Agjencia Komisioni "
    "Министарство Министарства Влада Владе Конференција Конференције Савет Агенција Комисија "
    "Ministarstvo Ministarstva Vlada Vlade Konferencija Konferencije Savet Agencija Komisija"
)  # fmt: skip


@lru_cache(maxsize=1)
def never_names() -> frozenset[str]:
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
