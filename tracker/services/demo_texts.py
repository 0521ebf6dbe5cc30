"""The demo events' texts: their source line, titles and short descriptions in Macedonian and Albanian (``demo``).

Written in the register of the institutions' own announcements. One internal event has no Albanian text, so
the fallback to the event's own language (with its note) shows in the demo too.
"""

from __future__ import annotations

#: The source line of the two events of the MIA press release (``demo``).
PRESS_RELEASE = (
    "Source: MIA press release “MoI Spasovski meets IOM Director General Vitorino”, Skopje, 10 November 2022."
)

#: Demo key → language → title and description (an empty description: the English one is shown, marked).
TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "mia-2022-geneva-visit": {
        "mk": {
            "title": "Средба на министерот за внатрешни работи Спасовски со генералниот директор на ММО Виторино "
            "(работна посета на Женева)",
            "description": "Висока делегација предводена од министерот за внатрешни работи Оливер Спасовски се "
            "сретна со генералниот директор на Меѓународната организација за миграција, Антонио Виторино, за време "
            "на работна посета на Женева.\n\nТеми: безбедносната состојба на државните граници, спречувањето на "
            "криумчарењето мигранти и на трговијата со луѓе, поддршката на ММО во Привремениот транзитен центар за "
            "мигранти на македонско-грчката граница и заедничките проекти за националните капацитети.",
        },
        "sq": {
            "title": "Takim i ministrit të Punëve të Brendshme Spasovski me drejtorin e përgjithshëm të ONM-së "
            "Vitorino (vizitë pune në Gjenevë)",
            "description": "Një delegacion i lartë i udhëhequr nga ministri i Punëve të Brendshme Oliver Spasovski "
            "u takua me drejtorin e përgjithshëm të Organizatës Ndërkombëtare për Migracion, António Vitorino, "
            "gjatë një vizite pune në Gjenevë.\n\nTemat: situata e sigurisë në kufijtë shtetërorë, parandalimi i "
            "kontrabandës së migrantëve dhe i trafikimit të qenieve njerëzore, mbështetja e ONM-së në Qendrën e "
            "Përkohshme për Migrantë në kufirin maqedonas-grek dhe projektet e përbashkëta për kapacitetet "
            "kombëtare.",
        },
    },
    "mia-2022-skopje-ministerial": {
        "mk": {
            "title": "Министерска конференција за одржливо управување со миграциите на Западен Балкан",
            "description": "Во организација на Министерството за внатрешни работи на Република Северна Македонија "
            "и Министерството за внатрешни работи на Чешката Република, со поддршка на ММО. Конференцијата ги "
            "опфаќа сите теми што ги засегаат земјите од Западен Балкан и меѓународните организации што "
            "учествуваат, за поголема синергија меѓу земјите во справувањето со миграцијата.",
        },
        "sq": {
            "title": "Konferenca Ministrore për Menaxhimin e Qëndrueshëm të Migracionit në Ballkanin Perëndimor",
            "description": "E organizuar nga Ministria e Punëve të Brendshme e Republikës së Maqedonisë së Veriut "
            "dhe Ministria e Punëve të Brendshme e Republikës Çeke, me mbështetjen e ONM-së. Konferenca përfshin "
            "të gjitha temat që prekin vendet e Ballkanit Perëndimor dhe organizatat ndërkombëtare pjesëmarrëse, "
            "për një sinergji më të mirë ndërmjet vendeve në përballimin e migracionit.",
        },
    },
    "salzburg-forum-past": {
        "mk": {
            "title": "Министерска конференција на Салцбуршкиот форум",
            "description": "Министрите за внатрешни работи од Централна Европа и Западен Балкан за управувањето "
            "со границите.",
        },
        "sq": {
            "title": "Konferenca Ministrore e Forumit të Salzburgut",
            "description": "Ministrat e Punëve të Brendshme të Evropës Qendrore dhe të Ballkanit Perëndimor për "
            "menaxhimin e kufijve.",
        },
    },
    "frontex-briefing-past": {
        "mk": {"title": "Брифинг на Фронтекс за западнобалканската рута", "description": ""},
        "sq": {"title": "Informim i Frontex-it për rrugën e Ballkanit Perëndimor", "description": ""},
    },
    "berlin-process-interior": {
        "mk": {
            "title": "Берлински процес: Средба на министрите за внатрешни работи",
            "description": "Годишна средба на министрите за внатрешни работи од Берлинскиот процес за миграцијата "
            "и безбедноста.",
        },
        "sq": {
            "title": "Procesi i Berlinit: Takimi i ministrave të Punëve të Brendshme",
            "description": "Takimi vjetor i ministrave të Punëve të Brendshme të Procesit të Berlinit për "
            "migracionin dhe sigurinë.",
        },
    },
    "unhcr-geneva-consultations": {
        "mk": {"title": "Консултации со УНХЦР за капацитетите за азил", "description": ""},
        "sq": {"title": "Konsultime me UNHCR-në për kapacitetet e azilit", "description": ""},
    },
    "europol-operational-meeting": {
        "mk": {"title": "Оперативна средба на Европол за криумчарењето мигранти", "description": ""},
    },
    "osce-ohrid-seminar": {
        "mk": {"title": "Регионален семинар на ОБСЕ за трговијата со луѓе", "description": ""},
        "sq": {"title": "Seminar rajonal i OSBE-së për trafikimin e qenieve njerëzore", "description": ""},
    },
    "prague-bilateral": {
        "mk": {"title": "Официјална посета на чешкиот министер за внатрешни работи на Скопје", "description": ""},
        "sq": {"title": "Vizitë zyrtare e ministrit çek të Punëve të Brendshme në Shkup", "description": ""},
    },
    "eu-wb-jha-forum": {
        "mk": {"title": "Министерски форум ЕУ – Западен Балкан за правда и внатрешни работи", "description": ""},
        "sq": {
            "title": "Forumi Ministror BE – Ballkani Perëndimor për Drejtësi dhe Punë të Brendshme",
            "description": "",
        },
    },
    "belgrade-border-talks": {
        "mk": {
            "title": "Разговори за управувањето со границите Скопје – Белград",
            "description": "Одложено на барање на домаќинот; новиот датум ќе биде објавен.",
        },
        "sq": {
            "title": "Bisedime për menaxhimin e kufijve Shkup – Beograd",
            "description": "U shty me kërkesë të nikoqirit; data e re do të njoftohet.",
        },
    },
    "euaa-valletta-workshop": {
        "mk": {"title": "Работилница на ЕУАА за стандардите за прием", "description": ""},
        "sq": {"title": "Punëtori e EUAA-së për standardet e pritjes", "description": ""},
    },
    "dcaf-geneva-roundtable": {
        "mk": {"title": "Тркалезна маса на ДКАФ за управувањето со безбедносниот сектор", "description": ""},
        "sq": {"title": "Tryezë e rrumbullakët e DCAF-it për qeverisjen e sektorit të sigurisë", "description": ""},
    },
    "coe-strasbourg-committee": {
        "mk": {"title": "Комитет за миграција на Советот на Европа: сослушување", "description": ""},
        "sq": {"title": "Komiteti i Këshillit të Evropës për migracionin: seancë dëgjimore", "description": ""},
    },
    "iom-dg-visit-skopje": {
        "mk": {"title": "Посета на генералниот директор на ММО на Северна Македонија", "description": ""},
        "sq": {"title": "Vizita e drejtorit të përgjithshëm të ONM-së në Maqedoninë e Veriut", "description": ""},
    },
    "rcc-sarajevo-summit": {
        "mk": {"title": "Годишна средба на Советот за регионална соработка", "description": ""},
        "sq": {"title": "Takimi vjetor i Këshillit për Bashkëpunim Rajonal", "description": ""},
    },
    "new-york-side-event": {
        "mk": {
            "title": "Придружен настан: партнерства за миграција на Западен Балкан (седиште на ОН)",
            "description": "",
        },
        "sq": {
            "title": "Ngjarje anësore: partneritetet për migracionin në Ballkanin Perëndimor (selia e OKB-së)",
            "description": "",
        },
    },
}

#: The demo organisations' names and acronyms in Macedonian and Albanian, by stored acronym (``demo``): the
#: names the institutions use themselves; an empty acronym keeps the stored one.
ORGANISATION_NAMES: dict[str, dict[str, dict[str, str]]] = {
    "MoI MK": {
        "mk": {"name": "Министерство за внатрешни работи на Република Северна Македонија", "acronym": "МВР"},
        "sq": {"name": "Ministria e Punëve të Brendshme e Republikës së Maqedonisë së Veriut", "acronym": "MPB"},
    },
    "MoI CZ": {
        "mk": {"name": "Министерство за внатрешни работи на Република Чешка", "acronym": ""},
        "sq": {"name": "Ministria e Punëve të Brendshme e Republikës Çeke", "acronym": ""},
    },
    "IOM": {
        "mk": {"name": "Меѓународна организација за миграција", "acronym": "ММО"},
        "sq": {"name": "Organizata Ndërkombëtare për Migracion", "acronym": "ONM"},
    },
    "UNHCR": {
        "mk": {"name": "Висок комесаријат на Обединетите нации за бегалци", "acronym": "УНХЦР"},
        "sq": {"name": "Komisariati i Lartë i Kombeve të Bashkuara për Refugjatët", "acronym": ""},
    },
    "Frontex": {
        "mk": {"name": "Европска агенција за гранична и крајбрежна стража", "acronym": "Фронтекс"},
        "sq": {"name": "Agjencia Evropiane e Kufijve dhe e Rojës Bregdetare", "acronym": ""},
    },
    "Europol": {
        "mk": {"name": "Агенција на Европската унија за соработка во спроведувањето на законот", "acronym": "Европол"},
        "sq": {"name": "Agjencia e Bashkimit Evropian për Bashkëpunim në Zbatimin e Ligjit", "acronym": ""},
    },
    "EUAA": {
        "mk": {"name": "Агенција на Европската унија за азил", "acronym": ""},
        "sq": {"name": "Agjencia e Bashkimit Evropian për Azil", "acronym": ""},
    },
    "OSCE": {
        "mk": {"name": "Организација за безбедност и соработка во Европа", "acronym": "ОБСЕ"},
        "sq": {"name": "Organizata për Siguri dhe Bashkëpunim në Evropë", "acronym": "OSBE"},
    },
    "ICMPD": {
        "mk": {"name": "Меѓународен центар за развој на миграциски политики", "acronym": ""},
        "sq": {"name": "Qendra Ndërkombëtare për Zhvillimin e Politikave të Migracionit", "acronym": ""},
    },
    "DCAF": {
        "mk": {"name": "Женевски центар за управување со безбедносниот сектор", "acronym": ""},
        "sq": {"name": "Qendra e Gjenevës për Qeverisjen e Sektorit të Sigurisë", "acronym": ""},
    },
    "EC": {
        "mk": {"name": "Европска комисија", "acronym": "ЕК"},
        "sq": {"name": "Komisioni Evropian", "acronym": "KE"},
    },
    "MFA MK": {
        "mk": {"name": "Министерство за надворешни работи на Република Северна Македонија", "acronym": "МНР"},
        "sq": {"name": "Ministria e Punëve të Jashtme e Republikës së Maqedonisë së Veriut", "acronym": "MPJ"},
    },
    "MoI RS": {
        "mk": {"name": "Министерство за внатрешни работи на Република Србија", "acronym": ""},
        "sq": {"name": "Ministria e Punëve të Brendshme e Republikës së Serbisë", "acronym": ""},
    },
    "MoI ME": {
        "mk": {"name": "Министерство за внатрешни работи на Црна Гора", "acronym": ""},
        "sq": {"name": "Ministria e Punëve të Brendshme e Malit të Zi", "acronym": ""},
    },
    "MoS BA": {
        "mk": {"name": "Министерство за безбедност на Босна и Херцеговина", "acronym": ""},
        "sq": {"name": "Ministria e Sigurisë e Bosnjës dhe Hercegovinës", "acronym": ""},
    },
    "MoI AL": {
        "mk": {"name": "Министерство за внатрешни работи на Република Албанија", "acronym": ""},
        "sq": {"name": "Ministria e Brendshme e Republikës së Shqipërisë", "acronym": ""},
    },
    "BMI": {
        "mk": {"name": "Сојузно министерство за внатрешни работи на Република Австрија", "acronym": ""},
        "sq": {"name": "Ministria Federale e Punëve të Brendshme e Republikës së Austrisë", "acronym": ""},
    },
    "RCC": {
        "mk": {"name": "Совет за регионална соработка", "acronym": "СРС"},
        "sq": {"name": "Këshilli i Bashkëpunimit Rajonal", "acronym": "KBR"},
    },
    "CoE": {
        "mk": {"name": "Совет на Европа", "acronym": ""},
        "sq": {"name": "Këshilli i Evropës", "acronym": ""},
    },
}
