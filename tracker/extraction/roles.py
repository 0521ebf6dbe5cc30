"""The role each organisation plays in an event's sentence, from cue words in English, Macedonian, Albanian, Serbian.

After "organised by" ("во организација на", "organizuar nga", "у организацији"), the first of a list of mentions is
the host and the rest co-organisers; "co-organised by", "in cooperation with", "together with" make co-organisers;
"hosted by" a host; "with the support of", "funded by" supporters. Some cues follow their mentions ("the Ministry
will host", "МВР е домаќин", "MPB do të jetë nikoqir", "МУП ће бити домаћин"). Every other mention is a participant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Protocol, TypeVar

from tracker.extraction.phrases import length_preserving_fold

ROLES = ("host", "co_organiser", "supporter", "participant")


class _Spanned(Protocol):
    @property
    def span(self) -> tuple[int, int]: ...


M = TypeVar("M", bound=_Spanned)

#: Cue phrases per language (lower case; Serbian in both scripts): the role of the mentions that follow. After
#: "organiser" cues the first is the host and the rest co-organisers; after "partner" cues ("in cooperation with")
#: all are co-organisers, and the mention just before the cue ("IOM, in partnership with the Ministry") the host.
ROLE_CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "organiser": ("organised by", "organized by", "in the organisation of", "in the organization of",
                      "convened by", "hosted and organised by", "hosted and organized by", "jointly organised by",
                      "jointly organized by", "organised jointly by", "organized jointly by"),
        "co_organiser": ("co-organised by", "co-organized by", "co organised by", "co-hosted by",
                         "and co-organised by", "and co-organized by"),
        "partner": ("in cooperation with", "in co-operation with", "in partnership with", "jointly with",
                    "together with", "in collaboration with"),
        "host": ("hosted by", "the host", "as host", "as the host", "host country", "at the invitation of",
                 "on the invitation of", "upon the invitation of"),
        "supporter": ("under the auspices of", "under the patronage of",
                      "with the support of", "with support from", "with the support from", "supported by",
                      "funded by", "financed by", "sponsored by", "with the financial support of",
                      "with the assistance of", "with financial support from", "with funding from",
                      "with the funding of", "co-funded by", "co-financed by", "thanks to the support of"),
    },
    "mk": {
        "organiser": ("го организира", "ја организира", "го организираат", "ја организираат",
                      "во организација на", "организирана од", "организиран од", "организирано од",
                      "организирани од", "во организација од", "заеднички организирана од",
                      "заеднички организиран од"),
        "co_organiser": ("коорганизирана од", "коорганизиран од", "коорганизатор"),
        "partner": ("во соработка со", "заедно со", "во партнерство со"),
        "host": ("домаќин", "домаќин е", "чиј домаќин е", "домаќин на средбата е", "на покана на", "по покана на"),
        "supporter": ("под покровителство на", "под покровител на",
                      "со поддршка на", "со поддршка од", "со финансиска поддршка на", "поддржана од",
                      "поддржан од", "финансирана од", "финансиран од", "финансирано од", "кофинансиран од",
                      "кофинансирана од", "со финансиска поддршка од", "со средства од"),
    },
    "sq": {
        "organiser": ("organizohet nga", "organizohen nga",
                      "organizuar nga", "e organizuar nga", "i organizuar nga", "në organizim të", "ne organizim te",
                      "organizuar prej", "në organizimin e"),
        "co_organiser": ("bashkëorganizuar nga", "në bashkëorganizim me", "bashkëorganizuar me"),
        "partner": ("në bashkëpunim me", "bashkë me", "së bashku me", "në partneritet me"),
        "host": ("nikoqir", "nikoqir është", "nikoqire", "me ftesë të", "me ftesën e", "me ftesë nga"),
        "supporter": ("financohet nga", "financohen nga", "mbështetet nga",
                      "nën patronazhin e", "nën kujdesin e",
                      "me mbështetjen e", "me mbështetje të", "me përkrahjen e", "mbështetur nga", "financuar nga",
                      "me mbështetjen financiare të", "me financim nga", "me financimin e", "bashkëfinancuar nga"),
    },
    "sr": {
        "organiser": ("у организацији", "u organizaciji", "организован од стране", "organizovan od strane",
                      "организују", "organizuju", "организује", "organizuje", "организовао", "organizovao",
                      "организовала", "organizovala", "организовали", "organizovali", "организовало",
                      "organizovalo", "организоване од стране", "organizovane od strane"),
        "partner": ("у сарадњи са", "у сарадњи с", "заједно са", "u saradnji sa", "u saradnji s",
                    "zajedno sa", "у партнерству са", "u partnerstvu sa"),
        "host": ("домаћин", "domaćin", "на позив", "na poziv", "на позив од", "на позив од стране"),
        "supporter": ("под покровитељством", "pod pokroviteljstvom",
                      "уз подршку", "uz podršku", "уз финансијску подршку", "uz finansijsku podršku",
                      "уз помоћ", "uz pomoć", "финансиран од", "finansiran od", "подржан од", "podržan od",
                      "финансира", "finansira", "финансирају", "finansiraju", "суфинансиран од",
                      "sufinansiran od", "средствима", "sredstvima"),
    },
}  # fmt: skip

#: Cues that name the role of the mentions *before* them ("the Ministry will host", "МВР е домаќин").
ROLE_CUES_AFTER: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"host": ("will host", "hosts", "is hosting", "hosted", "will be hosting", "is the host", "will be the host",
                    "are hosting", "host"),
           "organiser": ("organises", "organizes", "organised", "organized", "is organising", "is organizing",
                         "will organise", "will organize", "are organising", "are organizing"),
           "supporter": ("supported", "supports", "will support", "funded", "funds", "financed", "sponsored")},
    "mk": {"host": ("е домаќин", "ќе биде домаќин", "беше домаќин", "ќе е домаќин", "се домаќини", "ќе бидат домаќини"),
           "organiser": ("организира", "ќе организира", "го организира", "ја организира", "организираат",
                         "ќе организираат", "го организираа", "ја организираа"),
           "supporter": ("поддржа", "ја поддржа", "ја поддржаа", "го поддржа", "го поддржаа", "ја финансира",
                         "го финансира", "ќе го поддржи", "ќе ја поддржи")},
    "sq": {"host": ("do të jetë nikoqir", "është nikoqir", "ishte nikoqir", "do të presë", "priti"),
           "organiser": ("organizon", "do të organizojë", "organizoi", "organizuan", "organizojnë"),
           "supporter": ("mbështeti", "mbështetën", "financoi", "financuan", "do të mbështesë")},
    "sr": {"host": ("ће бити домаћин", "је домаћин", "биће домаћин", "biće domaćin", "će biti domaćin",
                    "je domaćin", "угостиће", "ugostiće", "су домаћини", "su domaćini"),
           "organiser": ("организује", "organizuje", "организоваће", "organizovaće", "организују", "organizuju",
                         "организовали су", "organizovali su", "организовао је", "organizovao je"),
           "supporter": ("подржали су", "podržali su", "подржао је", "podržao je", "подржава", "podržava",
                         "финансирали су", "finansirali su", "финансира", "finansira")},
}  # fmt: skip

#: What may stand between the items of one list of organisations ("A, B and the C", "А и Б", "A dhe B").
_LIST_GAP = re.compile(
    r"(?:[\s,;/&]|\b(?:and|the|as well as|also|or|и|или|dhe|edhe|si dhe|e|i|të|te|ili|kao i|као и|the\s+other)\b)*",
    re.IGNORECASE,
)
#: At most this many characters between a cue and the first mention it governs ("organized by the ").
_CUE_REACH = 40
#: Between the mentions and a cue after them ("IOM will host", "МВР е домаќин", "A, which also hosts"): two words;
#: a comma only before "which" and its kin (", supports" after a list belongs to the sentence's subject).
_AFTER_GAP = re.compile(
    r"\s*(?:,\s*(?:which|who|that|што|кој|која|кое|që|i cili|e cila|који|која|које|koji|koja|koje)\s+)?"
    r"(?:[\w\u0300-\u036f]+\s+){0,2}",
    re.IGNORECASE,
)
#: Between a lead organiser and the partner cue after it ("IOM, in partnership with", "МВР во соработка со").
_LEAD_GAP = re.compile(r"\s*,?\s*")
#: A word between a host or organiser cue and a mention that makes the mention the other side ("host … with").
_WITH = re.compile(r"(?<!\w)(?:with|со|сo|me|sa|са|с|s)(?!\w)", re.IGNORECASE)
#: Words for the people an organisation sends: after "together with", they make it a participant.
_DELEGATES = re.compile(
    r"(?<!\w)(?:representatives?|delegat\w*|officials|претставниц\w*|përfaqësues\w*|predstavni\w*|представни\w*)",
    re.IGNORECASE,
)
#: How far into a sentence its subject may begin ("On Tuesday, the Ministry …").
_SUBJECT_REACH = 40
#: What a cue's reach may not cross.
_HARD_STOP = re.compile(r"[.;:!?\"“”«»]")


def _cue_regex(phrases: Iterable[str]) -> re.Pattern[str]:
    words = sorted({length_preserving_fold(phrase) for phrase in phrases}, key=len, reverse=True)
    alternatives = "|".join(r"[\s\-]+".join(re.escape(word) for word in re.split(r"[\s]+", phrase)) for phrase in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


@lru_cache(maxsize=1)
def _cue_patterns() -> tuple[list[tuple[str, re.Pattern[str]]], list[tuple[str, re.Pattern[str]]]]:
    def build(table: dict[str, dict[str, tuple[str, ...]]]) -> list[tuple[str, re.Pattern[str]]]:
        roles: dict[str, list[str]] = {}
        for cues in table.values():
            for role, phrases in cues.items():
                roles.setdefault(role, []).extend(phrases)
        return [(role, _cue_regex(phrases)) for role, phrases in roles.items()]

    return build(ROLE_CUES), build(ROLE_CUES_AFTER)


#: A cue found in a sentence: (start, end, role).
_Cue = tuple[int, int, str]


def _cues(sentence: str) -> tuple[list[_Cue], list[_Cue]]:
    """Cue occurrences (start, end, role) of both kinds, overlaps settled for the longest."""
    folded = length_preserving_fold(sentence)
    before_patterns, after_patterns = _cue_patterns()

    def scan(patterns: list[tuple[str, re.Pattern[str]]]) -> list[tuple[int, int, str]]:
        found = [(match.start(), match.end(), role) for role, pattern in patterns for match in pattern.finditer(folded)]
        found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
        kept: list[tuple[int, int, str]] = []
        for item in found:
            if kept and item[0] < kept[-1][1]:
                if item[1] - item[0] > kept[-1][1] - kept[-1][0]:
                    kept[-1] = item
                continue
            kept.append(item)
        return kept

    return scan(before_patterns), scan(after_patterns)


def _reaches(sentence: str, start: int, end: int) -> bool:
    return 0 <= end - start <= _CUE_REACH and _HARD_STOP.search(sentence, start, end) is None


def _list_after(sentence: str, spans: Sequence[tuple[int, int]], first: int, before: Sequence[_Cue]) -> list[int]:
    """The mentions from ``first`` on that one list joins ("A, B and the C"), up to the next cue."""
    members = [first]
    while members[-1] + 1 < len(spans):
        gap_start, gap_end = spans[members[-1]][1], spans[members[-1] + 1][0]
        if gap_end < gap_start or _LIST_GAP.fullmatch(sentence, gap_start, gap_end) is None:
            break
        if any(gap_start <= cue[0] < gap_end for cue in before):
            break
        members.append(members[-1] + 1)
    return members


def _list_before(sentence: str, spans: Sequence[tuple[int, int]], last: int, governed: Sequence[bool]) -> list[int]:
    """The mentions up to ``last`` that one list joins, not yet given a role by a cue before them."""
    members = [last]
    while members[-1] > 0:
        previous = members[-1] - 1
        if _LIST_GAP.fullmatch(sentence, spans[previous][1], spans[members[-1]][0]) is None or governed[previous]:
            break
        members.append(previous)
    return members[::-1]


def _give(roles: list[str], governed: list[bool], members: Sequence[int], cue_role: str) -> None:
    """An organiser cue makes the first of a list the host and the rest co-organisers; other cues are the role."""
    for position, member in enumerate(members):
        if cue_role in ("organiser", "host") and position > 0:
            roles[member] = "co_organiser"
        elif cue_role == "organiser":
            roles[member] = "host"
        elif cue_role == "partner":
            roles[member] = "co_organiser"
        else:
            roles[member] = cue_role
        governed[member] = True


def _subject(sentence: str, spans: Sequence[tuple[int, int]], governed: Sequence[bool], cue: _Cue) -> bool:
    """Whether the sentence opens with a mention that no cue governs and that stands before the verb ``cue``:
    the organiser or host, even with a clause between ("The Ministry, with the support of the OSCE, organises")."""
    return bool(spans) and spans[0][0] <= _SUBJECT_REACH and spans[0][1] <= cue[0] and not governed[0]


def _overlaps(cue: _Cue, other: _Cue) -> bool:
    return other[0] < cue[1] and cue[0] < other[1]


def assign_roles(sentence: str, mentions: Sequence[M], offset: int = 0) -> list[tuple[M, str]]:
    """Each mention of ``sentence`` (spans in the whole text, ``offset`` the sentence's start) with its role."""
    ordered = sorted(mentions, key=lambda mention: mention.span)
    spans = [(mention.span[0] - offset, mention.span[1] - offset) for mention in ordered]
    roles = ["participant"] * len(ordered)
    governed = [False] * len(ordered)
    before, after = _cues(sentence)
    inside_cue = {index for index, span in enumerate(spans) for cue in (*before, *after) if _overlaps(cue, span)}
    used: list[_Cue] = []
    for cue in before:
        if any(_overlaps(cue, other) and other[1] - other[0] > cue[1] - cue[0] for other in after):
            continue
        first = next((i for i, (start, _end) in enumerate(spans) if start >= cue[1] and i not in inside_cue), None)
        if first is None or not _reaches(sentence, cue[1], spans[first][0]):
            continue
        if cue[2] in ("organiser", "host") and _WITH.search(sentence, cue[1], spans[first][0]):
            continue  # "will host a meeting with the EUAA", "домаћин састанка са …": the other side takes part
        if cue[2] == "partner" and _DELEGATES.search(sentence, cue[1], spans[first][0]):
            continue  # "together with representatives of the European Commission": they take part
        if any(cue[1] <= other[0] < spans[first][0] for other in before if other is not cue):
            continue
        used.append(cue)
        _give(roles, governed, _list_after(sentence, spans, first, before), cue[2])
    for cue in after:
        if any(_overlaps(cue, other) for other in used):
            continue
        last = next((index for index in range(len(spans) - 1, -1, -1) if spans[index][1] <= cue[0]), None)
        if last is None or governed[last] or _AFTER_GAP.fullmatch(sentence, spans[last][1], cue[0]) is None:
            if cue[2] in ("organiser", "host") and _subject(sentence, spans, governed, cue):
                _give(roles, governed, [0], cue[2])  # "МУП Србије, уз подршку ОЕБС-а, организује …"
            continue
        _give(roles, governed, _list_before(sentence, spans, last, governed), cue[2])
    for cue in used:
        lead = next((index for index in range(len(spans) - 1, -1, -1) if spans[index][1] <= cue[0]), None)
        if (
            cue[2] == "partner"
            and lead is not None
            and not governed[lead]
            and _LEAD_GAP.fullmatch(sentence, spans[lead][1], cue[0]) is not None
        ):
            _give(roles, governed, [lead], "host")
    return list(zip(ordered, roles, strict=True))
