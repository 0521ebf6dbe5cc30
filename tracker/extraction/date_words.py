"""The words dates are written with in English, Macedonian, Albanian and Serbian (both scripts), every inflection.

Forms are lower case; a trailing "." marks an abbreviation whose dot is optional ("nov." reads "Nov" and "Nov.").
Albanian weekdays carry their article ("të hënën"), which is what tells them from other words; entries holding
"|" are split there rather than at spaces.
"""

from __future__ import annotations

LANGUAGES = ("en", "mk", "sq", "sr")


def _albanian(stem: str, suffixes: str = "i it in") -> str:
    """A month stem with its definite endings ("nëntor" → "nëntori nëntorit nëntorin"), with and without ë."""
    forms = [stem] + [stem + suffix for suffix in suffixes.split()]
    return " ".join(forms + [form.replace("ë", "e") for form in forms if "ë" in form])


#: Twelve entries per language, January first: space-separated forms of that month.
MONTHS: dict[str, list[str]] = {
    "en": ["january jan.", "february feb.", "march mar.", "april apr.", "may", "june jun.", "july jul.",
           "august aug.", "september sept. sep.", "october oct.", "november nov.", "december dec."],
    "mk": ["јануари јан.", "февруари фев.", "март мар.", "април апр.", "мај", "јуни јун.", "јули јул.",
           "август авг.", "септември септ. сеп.", "октомври окт.", "ноември ное. нов.", "декември дек."],
    "sq": [_albanian("janar") + " jan.", _albanian("shkurt") + " shk.", _albanian("mars") + " mar.",
           _albanian("prill") + " pri.", _albanian("maj"), _albanian("qershor") + " qer.",
           _albanian("korrik", "u ut un") + " korr.", _albanian("gusht") + " gush.", _albanian("shtator") + " sht.",
           _albanian("tetor") + " tet.", _albanian("nëntor") + " nën. nen.", _albanian("dhjetor") + " dhj."],
    "sr": ["јануар јануара јан. januar januara jan.", "фебруар фебруара феб. februar februara feb.",
           "март марта мар. mart marta mar.", "април априла апр. april aprila apr.", "мај маја maj maja",
           "јун јуна јуни jun juna juni", "јул јула јули jul jula juli", "август августа авг. avgust avgusta avg.",
           "септембар септембра сеп. септ. septembar septembra sep. sept.",
           "октобар октобра окт. oktobar oktobra okt.", "новембар новембра нов. novembar novembra nov.",
           "децембар децембра дец. decembar decembra dec."],
}  # fmt: skip

_SQ_WEEKDAYS = ["hënë hënën hënës", "martë martën martës", "mërkurë mërkurën mërkurës", "enjte enjten enjtes",
                "premte premten premtes", "shtunë shtunën shtunës", "diel dielën dielës"]  # fmt: skip

#: Seven entries per language, Monday first.
WEEKDAYS: dict[str, list[str]] = {
    "en": ["monday mon.", "tuesday tue. tues.", "wednesday", "thursday thu. thur. thurs.", "friday fri.",
           "saturday", "sunday"],
    "mk": ["понеделник понеделникот", "вторник вторникот", "среда средата", "четврток четвртокот",
           "петок петокот", "сабота саботата", "недела неделата"],
    "sq": ["|".join(f"{article} {form}" for article in ("e", "të", "te")
                    for form in (day + " " + day.replace("ë", "e")).split()) for day in _SQ_WEEKDAYS],
    "sr": ["понедељак понедељка ponedeljak ponedeljka", "уторак уторка utorak utorka",
           "среда среду среде sreda sredu srede",
           "четвртак четвртка četvrtak četvrtka cetvrtak cetvrtka", "петак петка petak petka",
           "субота суботу суботе subota subotu subote",
           "недеља недељу недеље nedelja nedelju nedelje nedjelja nedjelju"],
}  # fmt: skip

#: Words before a weekday: what they say about which one is meant ("on" says nothing; the tense decides).
WEEKDAY_WORDS: dict[str, dict[str, str]] = {
    "en": {"on": "", "next": "next", "coming": "next", "this coming": "next", "this": "", "last": "last",
           "past": "last", "on next": "next", "on last": "last", "on this": ""},
    "mk": {"во": "", "в": "", "на": "", "следниот": "next", "следната": "next", "идниот": "next", "идната": "next",
           "овој": "", "оваа": "", "минатиот": "last", "минатата": "last", "изминатиот": "last", "изминатата": "last"},
    "sq": {"këtë": "", "kete": ""},
    "sr": {"у": "", "u": "", "в": "", "v": "", "следећег": "next", "следеће": "next", "следећи": "next",
           "sledećeg": "next", "sledeće": "next", "sledeći": "next", "наредног": "next", "наредне": "next",
           "наредни": "next", "narednog": "next", "naredne": "next", "naredni": "next", "овог": "", "ове": "",
           "овај": "", "ову": "", "ovog": "", "ove": "", "ovaj": "", "ovu": "", "прошлог": "last", "прошле": "last",
           "прошли": "last", "prošlog": "last", "prošle": "last", "prošli": "last", "proslog": "last",
           "у следећи": "next", "u sledeći": "next", "у прошли": "last", "u prošli": "last"},
}  # fmt: skip

#: Albanian says "next" and "last" after the weekday: "të hënën e ardhshme".
WEEKDAY_AFTER: dict[str, str] = {"e ardhshme": "next", "që vjen": "next", "qe vjen": "next", "e kaluar": "last",
                                 "që shkoi": "last", "qe shkoi": "last"}  # fmt: skip

#: Words for a day counted from the dateline.
RELATIVE_DAYS: dict[str, dict[str, int]] = {
    "en": {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "tomorrow": 1,
           "the day after tomorrow": 2, "yesterday": -1, "last night": -1, "the day before yesterday": -2},
    "mk": {"денес": 0, "вечерва": 0, "утре": 1, "задутре": 2, "вчера": -1, "синоќа": -1, "завчера": -2},
    "sq": {"sot": 0, "sonte": 0, "nesër": 1, "neser": 1, "pasnesër": 2, "pasneser": 2, "dje": -1, "mbrëmë": -1,
           "mbreme": -1, "pardje": -2},
    "sr": {"данас": 0, "danas": 0, "вечерас": 0, "večeras": 0, "veceras": 0, "сутра": 1, "sutra": 1,
           "прекосутра": 2, "prekosutra": 2, "јуче": -1, "juče": -1, "juce": -1, "jučer": -1, "синоћ": -1,
           "sinoć": -1, "sinoc": -1, "прекјуче": -2, "prekjuče": -2},
}  # fmt: skip

#: Words for a working week counted from the dateline's (Monday to Friday).
RELATIVE_WEEKS: dict[str, dict[str, int]] = {
    "en": {"next week": 1, "the coming week": 1, "the following week": 1, "this week": 0, "last week": -1,
           "the past week": -1},
    "mk": {"следната недела": 1, "следнава недела": 1, "идната недела": 1, "наредната недела": 1,
           "оваа недела": 0, "минатата недела": -1, "изминатата недела": -1},
    "sq": {"javën e ardhshme": 1, "javen e ardhshme": 1, "javën tjetër": 1, "javen tjeter": 1, "java e ardhshme": 1,
           "këtë javë": 0, "kete jave": 0, "javën e kaluar": -1, "javen e kaluar": -1},
    "sr": {"следеће недеље": 1, "наредне недеље": 1, "идуће недеље": 1, "sledeće nedelje": 1, "sledece nedelje": 1,
           "naredne nedelje": 1, "iduće nedelje": 1, "следеће седмице": 1, "sledeće sedmice": 1, "ове недеље": 0,
           "ove nedelje": 0, "прошле недеље": -1, "prošle nedelje": -1, "prosle nedelje": -1},
}  # fmt: skip

#: "From" before a range's first day, and what stands between its two days.
RANGE_FROM: dict[str, str] = {"en": "from between", "mk": "од помеѓу меѓу", "sq": "nga prej midis",
                              "sr": "од od између između izmedju"}  # fmt: skip
RANGE_JOIN: dict[str, str] = {"en": "to until till through and", "mk": "до и", "sq": "deri|deri më|deri me|dhe|e",
                              "sr": "до do и i"}  # fmt: skip

#: A verb in the future: a weekday in its sentence is the coming one.
FUTURE: dict[str, str] = {
    "en": r"will|shall|going\s+to|to\s+be\s+held|is\s+to|are\s+to|upcoming|scheduled|expected\s+to",
    "mk": r"ќе",
    "sq": r"do\s+të|do\s+te",
    "sr": r"ће|ћемо|ћу|ћете|ћеш|će|ćemo|ću|ćete|ćeš",
}


def forms(entry: str) -> list[str]:
    """The forms in one entry: split at "|" when it has one (forms with spaces), else at spaces."""
    return [form.strip() for form in entry.split("|")] if "|" in entry else entry.split()
