"""Press-release extraction benchmark: ``extract_drafts`` against ``dateparser.search.search_dates`` in one run.

The issue's target: reading a 5,000-word release into drafts (dates, places, organisations, people, titles) costs
at most half of what ``dateparser`` needs only to find the dates of the same text, with the languages given
(auto-detection is far slower: 11.5 s measured when the issue was filed). Both run on the same text in the same
process, alternating, ROUNDS times; medians and the ratio are printed, so load from elsewhere on a shared machine
falls on both sides. Memory: the peak of Python allocations (tracemalloc) during one extraction, and the resident
size the loaded gazetteer and patterns add to the process.

Texts, 5,000 words each: the shared MIA release repeated (few date-like words: dateparser is at its fastest), the
English releases of the test corpus joined (dateparser takes the 0.34–0.6 s the issue measured), and the
Macedonian, Albanian and Serbian releases joined, read by dateparser with ``languages=["mk", "sq", "sr"]``.

Run: ``.venv/bin/python bench/extract.py`` (needs the test extras: ``dateparser``). Takes about a minute.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 5
WORDS = 5000
DATELINE = date(2022, 11, 10)
DATELINE_TIME = datetime(2022, 11, 10)
RELEASE = ROOT.parent / "shared" / "examples" / "press-release-mia-2022-11-10.txt"
CORPUS = ROOT / "tests" / "extraction_corpus"


def resident_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def of_words(text: str, count: int) -> str:
    words = text.split()
    return " ".join((words * (count // len(words) + 1))[:count])


def corpus_text(english: bool) -> str:
    """Releases of the corpus joined and repeated to WORDS words: the English ones, or the others."""
    paths = sorted(CORPUS.glob("en-*.txt" if english else "[!e]*.txt"))
    return of_words("\n\n".join(path.read_text(encoding="utf-8") for path in paths), WORDS)


def compare(name: str, text: str, languages: list[str]) -> None:
    from dateparser.search import search_dates

    from tracker.extraction.drafts import extract_drafts

    ours: list[float] = []
    theirs: list[float] = []
    drafts = extract_drafts(text, dateline=DATELINE)
    found = search_dates(text, languages=languages, settings={"RELATIVE_BASE": DATELINE_TIME}) or []
    for round_number in range(ROUNDS):
        sides: list[tuple[list[float], Callable[[], object]]] = [
            (ours, lambda: extract_drafts(text, dateline=DATELINE)),
            (theirs, lambda: search_dates(text, languages=languages, settings={"RELATIVE_BASE": DATELINE_TIME})),
        ]
        for results, function in sides if round_number % 2 == 0 else reversed(sides):
            results.append(timed(function))
    ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
    tracemalloc.start()
    extract_drafts(text, dateline=DATELINE)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{name}: {len(text.split()):,} words; extract_drafts median {ours_median * 1000:.0f} ms "
        f"({len(drafts)} drafts), search_dates(languages={languages}) median {theirs_median * 1000:.0f} ms "
        f"({len(found)} dates); ratio {ours_median / theirs_median:.2f}x (target <= 0.5x); "
        f"peak Python memory of one extraction {peak / 1024 / 1024:.1f} MiB"
    )


def main() -> None:
    before = resident_kib()
    from tracker.extraction.drafts import extract_drafts

    english = of_words(RELEASE.read_text(encoding="utf-8"), WORDS)
    started = time.perf_counter()
    extract_drafts(english[:2000], dateline=DATELINE)  # loads the gazetteer, compiles every pattern
    print(
        f"first use (gazetteer loaded, patterns compiled): {(time.perf_counter() - started) * 1000:.0f} ms, "
        f"resident size grew by {(resident_kib() - before) / 1024:.1f} MiB"
    )
    compare("shared release repeated", english, ["en"])
    compare("English corpus releases", corpus_text(english=True), ["en"])
    compare("mk/sq/sr corpus releases", corpus_text(english=False), ["mk", "sq", "sr"])


if __name__ == "__main__":
    main()
