"""Date-expression benchmark: ``find_dates`` against one plain regular-expression scan of the same text.

The baseline is the cheapest thing any date finder must do — one pass of a compiled pattern for month names
over the text — so the ratio says what our rules cost on top of reading the text once, and load from elsewhere
on a shared machine falls on both sides (they alternate, ROUNDS times, medians printed).

Texts: the shared MIA release repeated to 5,000 words, and a hostile one (10,000 weekdays and 2,000 ranges in one
sentence), which once took 38 s before overlaps were settled by bisection.

Run: ``.venv/bin/python bench/dates.py``. Takes a few seconds.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.extraction.dates import find_dates

ROUNDS = 9
DATELINE = date(2022, 11, 10)
RELEASE = Path(__file__).resolve().parent.parent.parent / "shared" / "examples" / "press-release-mia-2022-11-10.txt"
MONTHS = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b")


def timed(function: object, text: str) -> float:
    started = time.perf_counter()
    function(text)  # type: ignore[operator]
    return time.perf_counter() - started


def measure(name: str, text: str) -> None:
    ours: list[float] = []
    baseline: list[float] = []
    for round_number in range(ROUNDS):
        sides = [("ours", ours), ("baseline", baseline)]
        for side, results in sides if round_number % 2 == 0 else reversed(sides):
            if side == "ours":
                results.append(timed(lambda t: find_dates(t, DATELINE), text))
            else:
                results.append(timed(lambda t: list(MONTHS.finditer(t)), text))
    ours_median, base_median = statistics.median(ours), statistics.median(baseline)
    print(
        f"{name}: {len(text.split()):,} words, find_dates median {ours_median * 1000:.1f} ms "
        f"(worst {max(ours) * 1000:.1f} ms), one regex scan {base_median * 1000:.2f} ms, "
        f"ratio {ours_median / base_median:.0f}x"
    )


def main() -> None:
    words = RELEASE.read_text(encoding="utf-8").split()
    release = " ".join((words * (5000 // len(words) + 1))[:5000])
    find_dates(release, DATELINE)  # warm-up: patterns compiled, caches filled
    measure("release", release)
    measure("hostile", "Monday " * 10000 + "15–16 November " * 2000)


if __name__ == "__main__":
    main()
