"""Press releases → draft events, measured on a hand-written corpus: the oracle for issue 11.

``tests/extraction_corpus/`` holds releases in English, Macedonian, Albanian and Serbian (both scripts), written in
the register of ministries and news agencies, and ``expected.json``: file name → language, dateline and the events
a careful editor would draft from it (``[]`` for statements, statistics, incidents, votes and vague plans). The
shared example is read from ``../shared/examples/`` (its key is that path, relative to the project root). Nothing
here is computed by the extractor: the only thing imported from it is ``tracker.extraction.drafts.extract_json``.

How a prediction is scored
--------------------------
* **Matching.** Within one release a predicted draft can match an expected one when their day ranges overlap
  and, if both name a city, the cities are equal (folded, see ``fold``). Pairs are taken greedily by the best
  overlap (shared days / days in either range), each draft at most once.
* **Event recall** = matched expected / all expected; **event precision** = matched predicted / all predicted
  (a draft from a release that announces nothing counts as predicted and unmatched).
* Per matched pair:
  - **start**: with a time in the expected start, the same wall time and the same ``timezone`` name; without,
    a plain date equal to it (a time the text does not give is wrong);
  - **end**: an expected date-time must be equal; an expected date (the text gives no end time) is met by a
    date or a date-time on that day;
  - **city** (folded), **country** and **status** equal (status: ``past`` when the event ended before the
    dateline, ``upcoming`` when it starts after it, else ``ongoing``);
  - **organisations by role**: 1 when every expected organisation is found among the predicted ones with its
    role (or one of its ``other_roles``, listed where the text leaves host and co-organiser open), and no
    predicted organisation contradicts: one that matches an expected organisation but with a role accepted for
    none it matches, or a predicted ``host`` matching no expected organisation when the expected event names a
    host. Other predicted organisations (a participant the corpus does not list) are tolerated. A predicted
    organisation matches an expected one when its folded name or acronym equals one of the accepted spellings.
  - people, kind and title words are reported, not judged.

The levels are read from README.md ("Press releases → draft events"), so the committed figure and the checked
figure are one number.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "tests" / "extraction_corpus"
EXPECTED: dict[str, dict[str, Any]] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
README_SECTION = "### Press releases → draft events"
#: The README's measure names, each a key of the figures.
JUDGED = ["event recall", "event precision", "start", "end", "city", "country", "organisations by role", "status"]
INFORMATIONAL = ["people", "kind", "title words"]
KINDS = {"conference", "official_visit", "meeting", "other"}
STATUSES = {"past", "ongoing", "upcoming"}
ROLES = {"host", "co_organiser", "supporter", "participant"}
LANGUAGES = {"en", "mk", "sq", "sr-Cyrl", "sr-Latn"}
DRAFT_KEYS = {"title", "kind", "status", "start", "end", "timezone", "city", "country", "organisations", "people"}
DRAFT_KEYS |= {"evidence"}
WINDOW = timedelta(days=60)

Extract = Callable[..., dict[str, Any]]


def release_path(name: str) -> Path:
    """A key with a folder is relative to the project root (the shared example); a plain name is in the corpus."""
    return (PROJECT_ROOT / name) if "/" in name else CORPUS / name


def release_text(name: str) -> str:
    return release_path(name).read_text(encoding="utf-8")


def fold(value: str | None) -> str:
    """Casefold, strip accents (NFKD, combining marks dropped), collapse spaces, drop a leading "the"."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    bare = " ".join(bare.split())
    return bare[4:] if bare.startswith("the ") else bare


def parse_when(value: Any) -> date | datetime | None:
    """An ISO date or a naive ISO date-time; anything else (an offset included) is None."""
    if not isinstance(value, str):
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is None else None


def day_of(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def day_range(draft: dict[str, Any]) -> tuple[date, date] | None:
    start, end = day_of(parse_when(draft.get("start"))), day_of(parse_when(draft.get("end")))
    if start is None:
        return None
    end = end or start
    return (start, end) if start <= end else None


def overlap(expected: dict[str, Any], predicted: dict[str, Any]) -> float:
    """Shared days / days in either range, 0 when the ranges miss each other or the named cities differ."""
    first, second = day_range(expected), day_range(predicted)
    if first is None or second is None:
        return 0.0
    if expected.get("city") and predicted.get("city") and fold(expected["city"]) != fold(predicted["city"]):
        return 0.0
    shared = (min(first[1], second[1]) - max(first[0], second[0])).days + 1
    if shared <= 0:
        return 0.0
    return shared / ((max(first[1], second[1]) - min(first[0], second[0])).days + 1)


def match(expected: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one pairs (expected index, predicted index), greedy by best overlap."""
    candidates = sorted(
        ((-overlap(e, p), i, j) for i, e in enumerate(expected) for j, p in enumerate(predicted) if overlap(e, p) > 0)
    )
    pairs: list[tuple[int, int]] = []
    used_expected: set[int] = set()
    used_predicted: set[int] = set()
    for _, i, j in candidates:
        if i not in used_expected and j not in used_predicted:
            pairs.append((i, j))
            used_expected.add(i)
            used_predicted.add(j)
    return sorted(pairs)


def start_right(expected: dict[str, Any], predicted: dict[str, Any]) -> bool:
    want, got = parse_when(expected["start"]), parse_when(predicted.get("start"))
    if isinstance(want, datetime):
        return isinstance(got, datetime) and got == want and predicted.get("timezone") == expected["timezone"]
    return got is not None and not isinstance(got, datetime) and got == want


def end_right(expected: dict[str, Any], predicted: dict[str, Any]) -> bool:
    want, got = parse_when(expected["end"]), parse_when(predicted.get("end"))
    if isinstance(want, datetime):
        return isinstance(got, datetime) and got == want
    return got is not None and day_of(got) == want


def organisation_keys(organisation: dict[str, Any]) -> set[str]:
    return {fold(organisation.get("name")), fold(organisation.get("acronym"))} - {""}


def organisations_right(expected: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> bool:
    """Every expected organisation found with an accepted role, and no predicted one contradicting (docstring)."""
    accepted = [({fold(name) for name in e["names"]}, {e["role"], *e.get("other_roles", [])}) for e in expected]
    for spellings, roles in accepted:
        if not any(organisation_keys(p) & spellings and p.get("role") in roles for p in predicted):
            return False
    names_a_host = any(e["role"] == "host" for e in expected)
    for p in predicted:
        matched_roles = [roles for spellings, roles in accepted if organisation_keys(p) & spellings]
        if matched_roles and not any(p.get("role") in roles for roles in matched_roles):
            return False
        if not matched_roles and names_a_host and p.get("role") == "host":
            return False
    return True


def people_found(expected: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> int:
    """Expected people whose name (any spelling) is a predicted name or inside one."""
    names = [fold(p.get("name")) for p in predicted]
    return sum(any(fold(spelling) in name for spelling in e["names"] for name in names if name) for e in expected)


def title_right(expected: dict[str, Any], predicted: dict[str, Any]) -> bool:
    title = fold(predicted.get("title"))
    return all(fold(word) in title for word in expected["title_words"])


FIELD_CHECKS: dict[str, Callable[[dict[str, Any], dict[str, Any]], bool]] = {
    "start": start_right,
    "end": end_right,
    "city": lambda e, p: fold(e["city"]) == fold(p.get("city")),
    "country": lambda e, p: e["country"] == p.get("country"),
    "organisations by role": lambda e, p: organisations_right(e["organisations"], p.get("organisations") or []),
    "status": lambda e, p: e["status"] == p.get("status"),
    "kind": lambda e, p: e["kind"] == p.get("kind"),
    "title words": title_right,
}


class Tally:
    """Counts for one language (or all), turned into the figures."""

    def __init__(self) -> None:
        self.expected = self.predicted = self.matched = self.people = self.people_found = 0
        self.right: dict[str, int] = defaultdict(int)

    def add(
        self, expected: list[dict[str, Any]], predicted: list[dict[str, Any]], misses: list[str], name: str
    ) -> None:
        pairs = match(expected, predicted)
        self.expected += len(expected)
        self.predicted += len(predicted)
        self.matched += len(pairs)
        for i, j in pairs:
            wrong = [field for field, check in FIELD_CHECKS.items() if not check(expected[i], predicted[j])]
            for field in FIELD_CHECKS:
                self.right[field] += field not in wrong
            self.people += len(expected[i]["people"])
            self.people_found += people_found(expected[i]["people"], predicted[j].get("people") or [])
            judged_wrong = [field for field in wrong if field in JUDGED]
            if judged_wrong:
                misses.append(
                    f"{name} #{i}: {', '.join(judged_wrong)} (got {json.dumps(predicted[j], ensure_ascii=False)})"
                )
        paired_expected, paired_predicted = {i for i, _ in pairs}, {j for _, j in pairs}
        misses.extend(f"{name} #{i}: not found" for i in range(len(expected)) if i not in paired_expected)
        misses.extend(
            f"{name}: extra draft {predicted[j].get('title')!r} {predicted[j].get('start')}"
            for j in range(len(predicted))
            if j not in paired_predicted
        )

    def figures(self) -> dict[str, float | int]:
        pairs = self.matched
        result: dict[str, float | int] = {
            "expected events": self.expected,
            "predicted": self.predicted,
            "matched": pairs,
            "event recall": self.matched / self.expected if self.expected else 1.0,
            "event precision": self.matched / self.predicted if self.predicted else 1.0,
        }
        for field in FIELD_CHECKS:
            result[field] = self.right[field] / pairs if pairs else 0.0
        result["people"] = self.people_found / self.people if self.people else 1.0
        return result


def evaluate(predictions: dict[str, list[dict[str, Any]]]) -> tuple[dict[str, dict[str, float | int]], list[str]]:
    """The figures per language and overall ("all"), and one line per miss."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    misses: list[str] = []
    for name, entry in EXPECTED.items():
        predicted = predictions.get(name, [])
        for language in (entry["language"], "all"):
            tallies[language].add(entry["drafts"], predicted, misses if language == "all" else [], name)
    return {language: tally.figures() for language, tally in sorted(tallies.items())}, misses


def committed_levels(readme: str) -> dict[str, float]:
    """The rows "| measure | level |" of the README's section on press releases."""
    if README_SECTION not in readme:
        raise AssertionError(f"README.md has no section {README_SECTION!r}")
    section = readme.split(README_SECTION, 1)[1]
    section = re.split(r"\n#+ ", section, maxsplit=1)[0]
    levels: dict[str, float] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2 and re.fullmatch(r"\d+(\.\d+)?", cells[1]):
            levels[cells[0]] = float(cells[1])
    return levels


def table(figures: dict[str, dict[str, float | int]]) -> str:
    columns = ["predicted", "matched", "expected events", *JUDGED, *INFORMATIONAL]
    header = ["measure", *figures]
    rows = [header] + [
        [column]
        + [
            f"{figures[lang][column]:.2f}" if column in JUDGED + INFORMATIONAL else str(figures[lang][column])
            for lang in figures
        ]
        for column in columns
    ]
    widths = [max(len(row[k]) for row in rows) for k in range(len(header))]
    return "\n".join("  ".join(cell.ljust(widths[k]) for k, cell in enumerate(row)) for row in rows)


# ------------------------------------------------------------------------------------- the extractor, run once


def load_extract() -> Extract:
    try:
        from tracker.extraction.drafts import extract_json
    except ImportError as error:
        raise ImportError(
            f"tracker.extraction.drafts.extract_json is not importable ({error}); the corpus test needs it"
        ) from error
    return extract_json


@pytest.fixture(scope="module")
def runs() -> dict[str, tuple[dict[str, Any] | str, dict[str, Any] | str]]:
    """Each release → (extract_json(text), extract_json(text, dateline=None)); an exception as its text."""
    extract = load_extract()
    results: dict[str, tuple[dict[str, Any] | str, dict[str, Any] | str]] = {}
    for name in EXPECTED:
        text = release_text(name)
        pair: list[dict[str, Any] | str] = []
        for kwargs in ({}, {"dateline": None}):
            try:
                pair.append(extract(text, **kwargs))
            except Exception as error:  # a crash on one release is reported with the others
                pair.append(f"{type(error).__name__}: {error}")
        results[name] = (pair[0], pair[1])
    return results


def drafts_of(result: dict[str, Any] | str) -> list[dict[str, Any]]:
    return result.get("drafts", []) if isinstance(result, dict) else []


# ------------------------------------------------------------------------------------------------ the figures


def test_figures_reach_the_levels_committed_in_the_readme(
    runs: dict[str, tuple[dict[str, Any] | str, dict[str, Any] | str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    levels = committed_levels((PROJECT_ROOT / "README.md").read_text(encoding="utf-8"))
    assert sorted(levels) == sorted(JUDGED), f"README levels must name exactly {JUDGED}, found {sorted(levels)}"
    figures, misses = evaluate({name: drafts_of(first) for name, (first, _) in runs.items()})
    crashes = [f"{name}: {first}" for name, (first, _) in runs.items() if isinstance(first, str)]
    report = tmp_path_factory.mktemp("extraction_corpus") / "figures.json"
    report.write_text(
        json.dumps(
            {"figures": figures, "levels": levels, "misses": misses, "crashes": crashes}, indent=1, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    print(f"\nPress releases → draft events ({len(EXPECTED)} releases; figures in {report})\n{table(figures)}")
    print("\n".join(["misses:", *misses]) if misses else "misses: none")
    overall = figures["all"]
    below = {
        measure: (round(float(overall[measure]), 3), level)
        for measure, level in levels.items()
        if overall[measure] < level
    }
    summary = ", ".join(f"{measure} {float(overall[measure]):.3f} (level {levels[measure]:.2f})" for measure in JUDGED)
    assert not crashes, f"extract_json raised on: {crashes}"
    assert below == {}, f"below the committed levels: {below}; all figures: {summary}"


# --------------------------------------------------------------------------------------- separate behaviours

NEGATIVES = sorted(name for name, entry in EXPECTED.items() if not entry["drafts"])
SHARED_EXAMPLE = "../shared/examples/press-release-mia-2022-11-10.txt"


@pytest.mark.parametrize("name", NEGATIVES)
def test_a_release_that_announces_nothing_gives_no_drafts(
    name: str, runs: dict[str, tuple[dict[str, Any] | str, dict[str, Any] | str]]
) -> None:
    assert runs[name][0] == {"drafts": []}


def test_the_dateline_is_read_from_the_text_not_needed_as_an_argument(
    runs: dict[str, tuple[dict[str, Any] | str, dict[str, Any] | str]],
) -> None:
    differing = [name for name, (first, second) in runs.items() if first != second]
    assert differing == [], "extract_json(text) and extract_json(text, dateline=None) differ"


def test_the_shared_example_gives_its_two_events_exactly(
    runs: dict[str, tuple[dict[str, Any] | str, dict[str, Any] | str]],
) -> None:
    drafts = sorted(drafts_of(runs[SHARED_EXAMPLE][0]), key=lambda draft: str(draft.get("start")))
    got = [(d.get("start"), d.get("end"), d.get("city"), d.get("country"), d.get("status")) for d in drafts]
    assert got == [
        ("2022-11-07", "2022-11-07", "Geneva", "CH", "past"),
        ("2022-11-15", "2022-11-16", "Skopje", "MK", "upcoming"),
    ]
    visit, conference = drafts
    assert visit["kind"] == "official_visit" and conference["kind"] == "conference"
    roles = {fold(o["acronym"] or o["name"]): o["role"] for o in conference["organisations"]}
    assert roles.get("iom") == "supporter", conference["organisations"]
    hosts = [fold(o["name"]) for o in conference["organisations"] if o["role"] == "host"]
    co_organisers = [fold(o["name"]) for o in conference["organisations"] if o["role"] == "co_organiser"]
    assert len(hosts) == 1, conference["organisations"]
    assert len(co_organisers) == 1 and "czech" in co_organisers[0], conference["organisations"]
    expected = EXPECTED[SHARED_EXAMPLE]["drafts"]
    for want, draft in zip(expected, drafts, strict=True):
        assert organisations_right(want["organisations"], draft["organisations"]), draft["organisations"]
    assert people_found(expected[0]["people"], visit["people"]) == 2, visit["people"]


def shape_problems(result: dict[str, Any] | str, text: str) -> list[str]:
    """Everything about one answer that breaks the JSON contract (an empty list when it keeps it)."""
    if not isinstance(result, dict) or set(result) != {"drafts"} or not isinstance(result["drafts"], list):
        return [f"not {{'drafts': [...]}}: {str(result)[:200]}"]
    problems: list[str] = []
    flat_text = " ".join(text.split())
    for n, draft in enumerate(result["drafts"]):
        where = f"draft {n}"
        missing = DRAFT_KEYS - set(draft)
        problems += [f"{where}: missing {sorted(missing)}"] if missing else []
        if missing:
            continue
        start, end = parse_when(draft["start"]), parse_when(draft["end"])
        checks = {
            "title is a non-empty string": isinstance(draft["title"], str) and draft["title"].strip() != "",
            "kind is one of the four": draft["kind"] in KINDS,
            "status is past/ongoing/upcoming": draft["status"] in STATUSES,
            "start and end are ISO dates or naive date-times": start is not None and end is not None,
            "start is not after end": start is not None and end is not None and day_of(start) <= day_of(end),
            "a time comes with a zone": not isinstance(start, datetime) or isinstance(draft["timezone"], str),
            "timezone is None or an IANA name": draft["timezone"] is None or zone_exists(draft["timezone"]),
            "city is None or a string": draft["city"] is None or isinstance(draft["city"], str),
            "country is None or two capitals": draft["country"] is None
            or bool(re.fullmatch(r"[A-Z]{2}", str(draft["country"]))),
            "organisations are {name, acronym, role}": all(
                isinstance(o, dict)
                and set(o) >= {"name", "acronym", "role"}
                and isinstance(o["name"], str)
                and (o["acronym"] is None or isinstance(o["acronym"], str))
                and o["role"] in ROLES
                for o in draft["organisations"]
            ),
            "people are {name, position}": all(
                isinstance(p, dict)
                and set(p) >= {"name", "position"}
                and isinstance(p["name"], str)
                and (p["position"] is None or isinstance(p["position"], str))
                for p in draft["people"]
            ),
            "evidence maps fields to sentences of the text": isinstance(draft["evidence"], dict)
            and all(
                isinstance(k, str) and isinstance(v, str) and " ".join(v.split()) in flat_text
                for k, v in draft["evidence"].items()
            ),
        }
        problems += [
            f"{where}: {rule} ({json.dumps(draft, ensure_ascii=False)[:300]})" for rule, ok in checks.items() if not ok
        ]
    return problems


def zone_exists(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return False
    return True


def test_every_answer_keeps_the_json_contract(
    runs: dict[str, tuple[dict[str, Any] | str, dict[str, Any] | str]],
) -> None:
    problems = [
        f"{name}: {problem}"
        for name, (first, _) in runs.items()
        for problem in shape_problems(first, release_text(name))
    ]
    serialisable = [name for name, (first, _) in runs.items() if isinstance(first, dict) and not round_trips(first)]
    assert problems == [] and serialisable == [], "\n".join(problems + [f"{n}: not JSON" for n in serialisable])


def round_trips(result: dict[str, Any]) -> bool:
    try:
        return json.loads(json.dumps(result)) == result
    except (TypeError, ValueError):
        return False


# ------------------------------------------------------------------------------------ the corpus is well formed


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def test_the_corpus_is_well_formed() -> None:
    languages = [entry["language"] for entry in EXPECTED.values()]
    assert len(EXPECTED) >= 30 and set(languages) <= LANGUAGES
    assert languages.count("mk") >= 5 and languages.count("sq") >= 5
    assert languages.count("sr-Cyrl") + languages.count("sr-Latn") >= 5 and languages.count("en") >= 12
    assert len(NEGATIVES) >= 6
    assert SHARED_EXAMPLE in EXPECTED and len(EXPECTED[SHARED_EXAMPLE]["drafts"]) == 2
    missing = [name for name in EXPECTED if not release_path(name).is_file()]
    unlisted = sorted(path.name for path in CORPUS.glob("*.txt") if path.name not in EXPECTED)
    assert missing == [] and unlisted == [], (missing, unlisted)
    lengths = {name: words(release_text(name)) for name in EXPECTED}
    assert [name for name, n in lengths.items() if not 120 <= n <= 450] == [], lengths


def entry_problems(name: str, entry: dict[str, Any]) -> Iterable[str]:
    """What is wrong with one hand-written entry: fields, enums, dates within the window, status against them."""
    if set(entry) - {"language", "dateline", "drafts", "note", "reason"}:
        yield f"unknown keys {sorted(set(entry) - {'language', 'dateline', 'drafts', 'note', 'reason'})}"
    dateline = date.fromisoformat(entry["dateline"])
    for n, draft in enumerate(entry["drafts"]):
        where = f"#{n}"
        if set(draft) - {"timezone"} != DRAFT_KEYS - {"title", "evidence", "timezone"} | {"title_words"}:
            yield f"{where}: keys {sorted(draft)}"
            continue
        start, end = parse_when(draft["start"]), parse_when(draft["end"])
        if start is None or end is None or day_of(start) > day_of(end):
            yield f"{where}: start/end {draft['start']} {draft['end']}"
            continue
        if isinstance(start, datetime) != ("timezone" in draft) or (
            "timezone" in draft and not zone_exists(draft["timezone"])
        ):
            yield f"{where}: a time needs a zone and a zone needs a time"
        first, last = day_of(start), day_of(end)
        status = "past" if last < dateline else "upcoming" if first > dateline else "ongoing"
        if draft["status"] != status:
            yield f"{where}: status {draft['status']}, dates say {status}"
        if "reason" not in entry and (abs(first - dateline) > WINDOW or abs(last - dateline) > WINDOW):
            yield f"{where}: more than 60 days from the dateline"
        if draft["kind"] not in KINDS or not re.fullmatch(r"[A-Z]{2}", draft["country"] or ""):
            yield f"{where}: kind or country"
        for o in draft["organisations"]:
            if o["role"] not in ROLES or not set(o.get("other_roles", [])) <= ROLES - {o["role"]} or not o["names"]:
                yield f"{where}: organisation {o['names'][:1]} role"
        if not 2 <= len(draft["title_words"]) <= 4 or not all(p["names"] for p in draft["people"]):
            yield f"{where}: title words or people"


#: Month names as datelines write them (Serbian: nominative in Cyrillic, genitive in Latin, as the releases do).
DATELINE_MONTHS = {
    "en": "january february march april may june july august september october november december",
    "mk": "јануари февруари март април мај јуни јули август септември октомври ноември декември",
    "sq": "janar shkurt mars prill maj qershor korrik gusht shtator tetor nëntor dhjetor",
    "sr-Cyrl": "јануар фебруар март април мај јун јул август септембар октобар новембар децембар",
    "sr-Latn": "januara februara marta aprila maja juna jula avgusta septembra oktobra novembra decembra",
}
#: Spaces may be no-break spaces (the shared example has one before its dash).
DATELINE = re.compile(r"^[^\W\d][^,\n]{1,30},\s(\d{1,2})\.?\s(\w+)\s(\d{4})\.?(?:\s\((?:MIA|МИА)\))?\s–", re.MULTILINE)


def written_dateline(text: str, language: str) -> date | None:
    """The first "City, day month year –" line of a release, read with this language's month names."""
    found = DATELINE.search(text)
    months = DATELINE_MONTHS[language].split()
    if found is None or found.group(2).casefold() not in months:
        return None
    return date(int(found.group(3)), months.index(found.group(2).casefold()) + 1, int(found.group(1)))


def test_every_expected_entry_is_consistent_and_its_dateline_is_in_its_text() -> None:
    problems = [f"{name} {problem}" for name, entry in EXPECTED.items() for problem in entry_problems(name, entry)]
    assert problems == []
    assert all(entry["language"] in LANGUAGES for entry in EXPECTED.values())
    datelines = {name: written_dateline(release_text(name), entry["language"]) for name, entry in EXPECTED.items()}
    wrong = {name: str(day) for name, day in datelines.items() if str(day) != EXPECTED[name]["dateline"]}
    assert wrong == {}, "the dateline line of these releases says another day (or none)"


def test_a_dateline_is_read_in_its_language() -> None:
    assert written_dateline("Title\nBeograd, 10. novembra 2022. – Text", "sr-Latn") == date(2022, 11, 10)
    assert written_dateline("Скопје, 10 ноември 2022 (МИА)\u00a0– Текст", "mk") == date(2022, 11, 10)
    assert written_dateline("Скопје, 10 ноември 2022 (МИА) – Текст", "sq") is None
    assert written_dateline("Released on 10 November 2022 – Text", "en") is None


# -------------------------------------------------------------------------------- the oracle's own rules, checked


def test_fold_drops_case_accents_spaces_and_a_leading_the() -> None:
    assert fold("  The  Ministry of Interior ") == "ministry of interior"
    assert fold("Bledi Çuçi") == "bledi cuci"
    assert fold("Durrës") == fold("DURRES")
    assert fold("Theatre") == "theatre"


def test_matching_needs_overlapping_days_and_equal_cities_and_pairs_each_draft_once() -> None:
    conference = {"start": "2022-11-15", "end": "2022-11-16", "city": "Skopje"}
    visit = {"start": "2022-11-07", "end": "2022-11-07", "city": "Geneva"}
    assert match([visit, conference], [{"start": "2022-11-16", "end": "2022-11-16", "city": "skopje"}]) == [(1, 0)]
    assert match([conference], [{"start": "2022-11-15", "end": "2022-11-16", "city": "Tirana"}]) == []
    assert match([conference], [{"start": "2022-11-15", "end": "2022-11-16", "city": None}]) == [(0, 0)]
    assert match([conference], [{"start": "2022-11-14T10:00:00", "end": "2022-11-14", "city": "Skopje"}]) == []
    exact = {"start": "2022-11-15", "end": "2022-11-16", "city": "Skopje"}
    partial = {"start": "2022-11-16", "end": "2022-11-16", "city": "Skopje"}
    assert match([conference], [partial, exact]) == [(0, 1)]


def test_start_and_end_rules() -> None:
    timed = {"start": "2023-06-06T10:00:00", "end": "2023-06-06", "timezone": "Europe/Skopje"}
    assert start_right(timed, {"start": "2023-06-06T10:00:00", "timezone": "Europe/Skopje"})
    assert not start_right(timed, {"start": "2023-06-06T10:00:00", "timezone": "UTC"})
    assert not start_right(timed, {"start": "2023-06-06", "timezone": None})
    assert end_right(timed, {"end": "2023-06-06T10:00:00"}) and end_right(timed, {"end": "2023-06-06"})
    day = {"start": "2023-06-06", "end": "2023-06-07"}
    assert not start_right(day, {"start": "2023-06-06T09:45:00"}) and not end_right(day, {"end": "2023-06-06"})


def test_organisations_by_role_rules() -> None:
    expected = [
        {"names": ["Ministry of Interior", "MoI"], "role": "host"},
        {"names": ["IOM", "International Organization for Migration"], "role": "supporter"},
    ]
    right = [
        {"name": "The Ministry of Interior", "acronym": None, "role": "host"},
        {"name": "International Organisation", "acronym": "IOM", "role": "supporter"},
    ]
    assert organisations_right(expected, right)
    assert organisations_right(expected, [*right, {"name": "UNHCR", "acronym": None, "role": "participant"}])
    assert not organisations_right(expected, right[:1])
    assert not organisations_right(expected, [right[0], {**right[1], "role": "participant"}])
    assert not organisations_right(expected, [*right, {"name": "OSCE", "acronym": None, "role": "host"}])
    assert not organisations_right(expected, [*right, {"name": "MoI", "acronym": None, "role": "participant"}])
    assert organisations_right([], [{"name": "OSCE", "acronym": None, "role": "host"}])


def test_the_readme_levels_are_parsed_from_their_rows() -> None:
    readme = f"intro\n{README_SECTION}\n\n| measure | committed level | measured |\n|---|---|---|\n"
    readme += "| event recall | 0.90 | to be filled |\n| start | 0.85 | |\n\n## Next\n| city | 0.10 |\n"
    assert committed_levels(readme) == {"event recall": 0.90, "start": 0.85}
    with pytest.raises(AssertionError):
        committed_levels("no section")
