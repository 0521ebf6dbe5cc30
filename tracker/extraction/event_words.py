"""The words that say a sentence reports or announces an event, its kind, its tense and its time of day.

Stems are matched at a word's start with any ending, so one stem covers every inflection ("конференциј" →
"конференција", "конференцијата"; "takim" → "takimi", "takimin"). Kinds, strongest first: a sentence that names a
conference is about the conference even when somebody also met somebody there.
"""

from __future__ import annotations

import re

#: Kind → stems (any ending) and whole words, in English, Macedonian, Albanian and Serbian (both scripts).
KIND_STEMS: dict[str, tuple[str, ...]] = {
    "conference": (
        "conference", "summit", "forum", "symposium", "congress", "ministerial meeting",
        "конференциј", "самит", "форум", "симпозиум", "конгрес", "министерски состан", "министерска средб",
        "konferenc", "samit", "simpozium", "kongres", "takim ministror", "takimi ministror",
        "симпозијум", "konferencij", "simpozijum", "министарски састан", "ministarski sastan",
    ),
    "official_visit": (
        "visit", "посет", "vizit", "poset", "posjet", "посјет",
    ),
    "meeting": (
        "meeting", "met ", "meets ", "meet ", "talks", "consultations", "round table", "roundtable", "workshop",
        "signing", "will sign", "signed a", "signed an", "signed the", "received ", "receives ", "will receive ",
        "средб", "се сретна", "се сретнаа", "ќе се сретне", "ќе се сретнат", "состан", "се состана", "потпиш",
        "прими ", "ја прими ", "го прими ", "ги прими ", "тркалезна маса", "работилниц",
        "takim", "u takua", "u takuan", "takohet", "takohen", "do të takohet", "takoi", "nënshkr", "nenshkr",
        "priti ", "tryezë", "tryeze", "punëtori",
        "састан", "sastan", "сусрет", "susret", "састао", "sastao", "састала", "sastala", "састали", "sastali",
        "потпис", "potpis", "примио", "primio", "примила", "primila", "округл", "okrugl",
        "радиониц", "radionic",
    ),
}  # fmt: skip

#: Words before an event word that make it the frame of another ("during the visit", "gjatë vizitës").
DURING = re.compile(
    r"(?:during|in the course of|on the sidelines of|on the margins of|за време на|во рамките на|на маргините на|"
    r"gjatë|në kuadër të|në margjinat e|tokom|током|за време|u okviru|у оквиру|na marginama|на маргинама)"
    r"(?:\s+(?:the|this|its|his|her))?\s+$",
    re.IGNORECASE,
)

#: Words that speak of an event named before ("the ceremony", "настанот", "ngjarja", "скуп"): they add to it.
ANAPHORS = (
    "ceremony", "event", "gathering", "церемониј", "настан", "собир", "ceremoni", "ngjarj", "eveniment", "takimi",
    "догађај", "događaj", "скуп", "skup", "svečanost", "свечаност", "manifestim",
)  # fmt: skip

#: Words that say who takes part in an event named before: a sentence with them adds to it.
TAKE_PART = (
    "attend", "participa", "take part", "took part", "taking part", "will gather", "bring together",
    "brought together", "bringing together", "will be opened by", "will open", "delegations",
    "учеств", "учесни", "присуств", "ќе се обрат", "делегаци",
    "marrin pjesë", "morën pjesë", "mori pjesë", "merr pjesë", "pjesëmarr", "do të marrë pjesë", "prania",
    "učestv", "učešć", "učesni", "prisustv", "учешћ", "присуство", "делегациј", "delegacij",
)  # fmt: skip

#: Phrases that look like events and are not what the calendar tracks.
NOT_EVENTS: tuple[str, ...] = (
    "press conference", "news conference", "прес-конференциј", "прес конференциј", "конференција за новинари",
    "konferencë për shtyp", "konference për shtyp", "konferencën për shtyp", "конференција за медије",
    "konferencija za medije", "конференцији за медије", "konferenciji za medije", "конференцији за новинаре",
    "konferenciji za novinare", "visitors", "visa", "posetilac", "посетител", "vizitor",
)  # fmt: skip


def _stem_pattern(stems: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for the stems, folded into a trie so that each word start tries each letter once (an
    alternation of a hundred stems would try them all at every position). A stem written with a trailing space
    is a whole word; the others take any ending."""
    trie: dict[str, dict] = {}
    for stem in stems:
        node = trie
        for char in " ".join(stem.lower().split()):
            node = node.setdefault(char, {})
        ending = r"(?!\w)" if stem.endswith(" ") else r"\w*"
        node[""] = {"end": r"\w*" if node.get("", {}).get("end") == r"\w*" else ending}
    return re.compile(r"(?<!\w)" + _trie_regex(trie), re.IGNORECASE)


def _trie_regex(node: dict[str, dict]) -> str:
    options = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_regex(child) for char, child in node.items() if char
    ]
    if "" in node:
        options.append(node[""]["end"])
    return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"


KIND_PATTERNS: dict[str, re.Pattern[str]] = {kind: _stem_pattern(stems) for kind, stems in KIND_STEMS.items()}
NOT_EVENT_PATTERN = _stem_pattern(NOT_EVENTS)
ANAPHOR_PATTERN = _stem_pattern(ANAPHORS)
TAKE_PART_PATTERN = _stem_pattern(TAKE_PART)

#: A verb in the past: what the sentence reports has happened.
PAST = re.compile(
    r"(?<!\w)(?:met|held|visited|took\s+place|was|were|signed|attended|hosted|concluded|ended|discussed|"
    r"се\s+одржа|се\s+сретна|се\s+сретнаа|се\s+состана|беше|беа|потпишаа|учествуваше|оствари|остварија|"
    r"u\s+mbajt|u\s+takua|u\s+takuan|vizitoi|zhvilloi|nënshkruan|nënshkroi|mori\s+pjesë|ishte|"
    r"одржан\w*|održan\w*|састао|sastao|састали|sastali|посетио|posetio|био|bio|била|bila|потписали|potpisali)"
    r"(?!\w)",
    re.IGNORECASE,
)

#: Words before a date that make it a deadline, not an event's day: "by Monday, 12 February", "најдоцна до".
DEADLINE = re.compile(
    r"(?<!\w)(?:by|until|no\s+later\s+than|deadline|најдоцна(?:\s+до)?|до\s+(?=\w+,?\s*$)|најкасније(?:\s+до)?|"
    r"najkasnije(?:\s+do)?|jo\s+më\s+vonë\s+se|deri\s+më|deri\s+në|afati)\s+(?:on\s+|the\s+)?$",
    re.IGNORECASE,
)

#: A verb of saying next to a relative date: the day something was said ("said today", "изјави денеска").
_SAID = (
    r"(?:said|says|stated|announced|told|added|declared|stressed|emphasised|emphasized|noted|"
    r"изјави|рече|соопшти|истакна|најави|информира|изјавија|"
    r"tha|deklaroi|njoftoi|theksoi|u\s+shpreh|"
    r"рекао|изјавио|саопштио|најавио|истакао|рекла|изјавила|саопштило|"
    r"rekao|izjavio|saopštio|najavio|istakao|rekla|izjavila|saopštilo)"
)
SAID_BEFORE = re.compile(_SAID + r"(?:\s+(?:је|je|е|се|on|that))?\s+(?:on\s+|this\s+)?$", re.IGNORECASE)
SAID_AFTER = re.compile(r"\s*(?:је\s+|je\s+|е\s+)?" + _SAID + r"(?!\w)", re.IGNORECASE)

#: "two-day", "дводневна", "dvodnevni", "dyditore": how many days an event lasts when only its first is given.
DAYS_LONG = re.compile(
    r"(?<!\w)(?:(?P<en>two|three|four|five)[-\s]day|(?P<sl>dvo|tro|tri|četvoro|pet)dnevn\w*|"
    r"(?P<mk>дво|три|четири|пет)дневн\w*|(?P<sq>dy|tre|katër|pesë)[-\s]?ditor\w*)",
    re.IGNORECASE,
)
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "дво": 2, "три": 3, "четири": 4, "пет": 5, "dvo": 2,
           "tro": 3, "tri": 3, "četvoro": 4, "dy": 2, "tre": 3, "katër": 4, "pesë": 5}  # fmt: skip

#: A locative word just before a country: "to Austria", "во Австрија", "në Austri", "у Аустрији", "u Austriji".
WHERE_BEFORE = re.compile(r"(?<!\w)(?:to|in|into|visit(?:ed|s)?|во|в|на|у|u|në|ne|nё|ku|в|до)\s+(?:the\s+)?$",
                          re.IGNORECASE)  # fmt: skip

#: Words that open a sentence and are no part of a name ("The", "Mbahet", "Денеска"), lower case.
SENTENCE_OPENERS = frozenset(
    ("the", "a", "an", "this", "today", "yesterday", "tomorrow", "during", "at", "in", "on", "after", "before",
     "mbahet", "gjatë", "sot", "nesër", "dje", "në", "më", "pas", "денеска", "денес", "вчера", "утре", "во", "на",
     "за", "по", "у", "u", "danas", "juče", "sutra", "данас", "јуче", "сутра", "tokom", "током", "posle", "после",
     "након", "nakon", "od", "од", "održana", "одржана", "održan", "одржан", "се", "ќе", "do", "u")
)  # fmt: skip

#: Words that date an event without naming it: "It will take place on 15 May", "ќе се одржи", "do të mbahet".
HELD = re.compile(
    r"(?<!\w)(?:take\s+place|takes\s+place|took\s+place|be\s+held|was\s+held|is\s+held|will\s+last|"
    r"се\s+одржува|ќе\s+се\s+одржи|се\s+одржа|ќе\s+трае|mbahet|do\s+të\s+mbahet|u\s+mbajt|zhvillohet|"
    r"do\s+të\s+zhvillohet|u\s+zhvillua|одржаће|održaće|одржава|održava|одржан\w*|održan\w*|биће|biće)(?!\w)",
    re.IGNORECASE,
)

#: A verb in the future (the same words the date reader uses for weekdays).
FUTURE = re.compile(
    r"(?<!\w)(?:will|shall|going\s+to|to\s+be\s+held|is\s+to|are\s+to|upcoming|scheduled|expected\s+to|"
    r"ќе|do\s+të|do\s+te|ће|ћемо|će|ćemo)(?!\w)",
    re.IGNORECASE,
)

#: Words that open a time of day ("at 10:00", "во 10 часот", "në orën 10", "у 10 часова") and close one.
_TIME_BEFORE = r"(?:at|from|starting\s+at|во|од|у|u|od|në\s+orën|ne\s+oren|në\s+ora|ora|nga\s+ora|prej\s+orës|в)"
_TIME_AFTER = r"(?:a\.?\s?m\.?|p\.?\s?m\.?|h|hrs|hours|o'clock|часот|часа|часови|часова|сати|časova|casova|sati|č|ч)"
_CLOCK = r"(?P<{h}>[01]?\d|2[0-3])(?:[:.](?P<{m}>[0-5]\d))?\s*(?P<{s}>" + _TIME_AFTER + r")?"
TIME = re.compile(
    r"(?<!\w)" + _TIME_BEFORE + r"\s+" + _CLOCK.format(h="h1", m="m1", s="s1")
    + r"(?:\s*(?:[-–—]|to|until|till|до|deri(?:\s+në)?|deri\s+më|do)\s*" + _CLOCK.format(h="h2", m="m2", s="s2")
    + r")?(?!\w)",
    re.IGNORECASE,
)  # fmt: skip

#: Words before a place that say where something is (rather than whose it is: "Ambassador of Austria").
WHOSE = re.compile(r"(?:\bof(?:\s+the)?|\bна|\bод|\bиз|\biz|\bod|\bsë|\bтë|\be|\bi)\s+$", re.IGNORECASE)

#: Title words the app writes itself, per language: (meeting, visit, "and").
TITLE_WORDS: dict[str, tuple[str, str, str]] = {
    "en": ("Meeting", "Visit", "and"),
    "mk": ("Средба", "Посета", "и"),
    "sq": ("Takim", "Vizitë", "dhe"),
    "sr": ("Sastanak", "Poseta", "i"),
    "sr-Cyrl": ("Састанак", "Посета", "и"),
}

#: Small words a title may hold between its capitalised words.
TITLE_GLUE = frozenset(
    (
        "on",
        "of",
        "the",
        "in",
        "for",
        "and",
        "to",
        "at",
        "with",
        "a",
        "an",
        "за",
        "на",
        "во",
        "и",
        "со",
        "од",
        "за",
        "во",
        "по",
        "е",
        "i",
        "të",
        "në",
        "për",
        "dhe",
        "me",
        "mbi",
        "о",
        "у",
        "и",
        "за",
        "са",
        "на",
        "o",
        "u",
        "za",
        "sa",
        "na",
        "od",
    )
)
