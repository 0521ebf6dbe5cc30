#!/usr/bin/env python3
"""Mutation testing, one module at a time: does each rule-holding module have tests that notice it breaking?

For every module in ``MODULES``, mutmut 3 mutates that file alone and runs only the tests named beside it, so a
module costs seconds rather than the whole suite per mutant. Each run happens in a throw-away copy of the tracked
tree (mutmut rewrites the tree it runs in, and its ``mutants/`` folder must not land in the repository), with
``../shared`` reachable from the copy as the tests expect. The kill rate counts timeouts as kills and leaves
skipped mutants out, as mutmut's own badge does. Database tests run on PostgreSQL too when
``TRACKER_TEST_DATABASE_URL`` is set (as in CI); some mutants only PostgreSQL notices.

mutmut 3 does not mutate decorated functions (``@lru_cache`` ones included); their tests still run for the rest.

    python scripts/mutation.py                       # every module; exit 1 if one is below the threshold
    python scripts/mutation.py --module tracker/timezones.py --show-survivors
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Source file → the tests that cover it (files or node ids, as pytest takes them). Narrow on purpose: every
#: mutant runs these tests, so a broad selection multiplies the run time without killing more.
#: Each module beside the tests that cover it (pytest arguments: files, node ids, ``-k`` expressions).
ICAL_TESTS = [
    "tests/test_ical_units.py",
    "tests/test_ical.py",
    "-k",
    "test_ical_units or clean_text or clean_uri or yearly_rules or observance or byte_identical or fold_cuts"
    " or same_bytes or statuses_in or dtstamp or event_data_of",
]
#: The press-release reader: its rules one by one, and the corpus measured against expected.json.
EXTRACTION_TESTS = [
    "tests/test_extraction_sentences.py",
    "tests/test_extraction_gathering.py",
    "tests/test_extraction_drafts.py",
    "tests/test_extraction_corpus.py",
]

MODULES: dict[str, list[str]] = {
    "tracker/timezones.py": ["tests/test_timezones.py"],
    "tracker/parsing.py": ["tests/test_parsing.py"],
    "tracker/visibility.py": ["tests/test_visibility_rules.py"],
    "tracker/dialects.py": ["tests/test_dialects.py"],
    "tracker/countries.py": ["tests/test_countries.py"],
    "tracker/text.py": ["tests/test_text.py", "tests/test_validation.py", "tests/test_slugs.py"],
    "tracker/validation.py": ["tests/test_validation.py"],
    "tracker/filters.py": ["tests/test_filters.py"],
    "tracker/lookup.py": [
        "tests/test_filters.py",
        "tests/test_directory_merge.py::test_find_organisation_by_alias_key_and_composite_name",
        "tests/test_directory_merge.py::test_the_oldest_organisation_wins_a_shared_alias_or_key",
        "tests/test_directory_merge.py::test_filters_find_by_alias_only_what_the_audience_may_know",
        "tests/test_directory_merge.py::test_find_person_by_name_alias_and_key",
    ],
    "tracker/matching.py": ["tests/test_matching.py"],
    "tracker/tokens.py": ["tests/reminders/test_rules.py"],
    "tracker/services/reminders/rules.py": ["tests/reminders/test_rules.py", "tests/reminders/test_eligibility.py"],
    "tracker/services/reminders/leads.py": ["tests/reminders/test_rules.py"],
    "tracker/services/reminders/planning.py": ["tests/reminders/test_planning.py"],
    "tracker/ical/text.py": ICAL_TESTS,
    "tracker/ical/event.py": ICAL_TESTS,
    "tracker/ical/writer.py": ICAL_TESTS,
    "tracker/ical/vtimezone.py": ICAL_TESTS,
    "tracker/ical/calendar.py": ICAL_TESTS,
    "tracker/services/feeds/specs.py": ["tests/test_feed_cache.py", "tests/test_feeds.py"],
    "tracker/services/duplicates.py": ["tests/test_duplicates.py"],
    "tracker/services/clashes.py": ["tests/test_clashes.py"],
    "tracker/services/change_text.py": ["tests/test_change_text.py"],
    "tracker/zone_guess.py": ["tests/test_zone_guess.py"],
    "tracker/event_form.py": ["tests/test_event_form_rules.py"],
    "tracker/extraction/dates.py": ["tests/test_extraction_dates.py"],
    "tracker/extraction/sentences.py": EXTRACTION_TESTS,
    "tracker/extraction/gathering.py": EXTRACTION_TESTS,
    "tracker/extraction/titles.py": EXTRACTION_TESTS,
    "tracker/extraction/drafts.py": EXTRACTION_TESTS,
    "tracker/extraction/roles.py": ["tests/test_extraction_organisations.py", *EXTRACTION_TESTS],
    "tracker/i18n.py": ["tests/test_i18n.py"],
    "tracker/phrases.py": ["tests/test_phrases.py", "tests/test_import_languages.py"],
    "tracker/event_texts.py": ["tests/test_event_texts.py", "tests/test_event_languages.py"],
    "tracker/web/language.py": ["tests/test_language_choice.py"],
    "tracker/formatting.py": ["tests/test_formatting_languages.py", "tests/test_timezones.py"],
}

#: Not copied: the browser tests need Chromium and are never selected.
EXCLUDED_PREFIXES = ("tests/browser/",)


@dataclass
class Outcome:
    """What mutmut found for one module."""

    module: str
    mutants: int = 0
    killed: int = 0
    survived: int = 0
    timeout: int = 0
    no_tests: int = 0
    skipped: int = 0
    survivors: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)

    @property
    def tested(self) -> int:
        return self.mutants - self.skipped

    @property
    def kill_rate(self) -> float:
        """Killed or timed-out mutants among those tested; 0 when nothing was tested."""
        return (self.killed + self.timeout) / self.tested if self.tested > 0 else 0.0

    def below(self, threshold: float) -> bool:
        """Whether the kill rate is under ``threshold`` per cent (compared in integers: 17 of 20 is 85 %)."""
        return (self.killed + self.timeout) * 100 < threshold * self.tested

    def add(self, other: Outcome) -> None:
        self.mutants += other.mutants
        self.killed += other.killed
        self.survived += other.survived
        self.timeout += other.timeout
        self.no_tests += other.no_tests
        self.skipped += other.skipped


def tracked_files(root: Path) -> list[str]:
    """Files git tracks or would track (untracked but not ignored), minus the excluded folders."""
    listing = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    names = [name for name in listing.split("\0") if name]
    # A file deleted in the worktree but still in the index is listed too; there is nothing to copy.
    return [name for name in names if not name.startswith(EXCLUDED_PREFIXES) and (root / name).is_file()]


def copy_tree(root: Path, files: Sequence[str], destination: Path) -> None:
    for name in files:
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)


def write_config(tree: Path, module: str, tests: Sequence[str]) -> None:
    """A setup.cfg whose [mutmut] section mutates ``module`` only and runs ``tests`` only."""
    selection = "".join(f"\n    {test}" for test in tests)
    (tree / "setup.cfg").write_text(
        "[mutmut]\n"
        "source_paths = tracker/\n"
        f"only_mutate = {module}\n"
        # mutmut copies tracker/ and tests/ into mutants/; the pages need their templates beside them, and the
        # press-release corpus test reads its committed levels from the README.
        "also_copy =\n    templates/\n    README.md\n"
        f"pytest_add_cli_args_test_selection ={selection}\n",
        encoding="utf-8",
    )


def mutmut(tree: Path, *args: str, quiet: bool = False) -> str:
    """Run mutmut (the one installed beside this Python) in ``tree``; its standard output."""
    executable = Path(sys.executable).with_name("mutmut")
    command = [str(executable) if executable.exists() else "mutmut", *args]
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    result = subprocess.run(
        command,
        cwd=tree,
        env=environment,
        stdout=subprocess.DEVNULL if quiet else subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else subprocess.STDOUT,
        text=True,
        check=False,
    )
    return result.stdout or ""


def run_module(module: str, tests: Sequence[str], files: Sequence[str], *, max_children: int, diffs: bool) -> Outcome:
    """Mutate ``module`` in a scratch copy of the tree and collect mutmut's counts and survivors."""
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        tree = Path(scratch) / "tree"
        copy_tree(PROJECT_ROOT, files, tree)
        shared = (PROJECT_ROOT.parent / "shared").resolve()
        if shared.exists():
            # The tests look for ../shared from the tree they run in: the copy, and mutmut's mutants/ inside it.
            for link in (Path(scratch) / "shared", tree / "shared"):
                link.symlink_to(shared, target_is_directory=True)
        write_config(tree, module, tests)
        mutmut(tree, "run", "--max-children", str(max_children), quiet=True)
        mutmut(tree, "export-cicd-stats", quiet=True)
        stats_path = tree / "mutants" / "mutmut-cicd-stats.json"
        if not stats_path.exists():
            # mutmut found no mutants or failed before testing any; show why and count the module as untested.
            print(mutmut(tree, "run", "--max-children", str(max_children)), file=sys.stderr)
            return Outcome(module)
        stats = json.loads(stats_path.read_text(encoding="utf-8"))
        outcome = Outcome(
            module,
            mutants=stats["total"],
            killed=stats["killed"],
            survived=stats["survived"],
            timeout=stats["timeout"],
            no_tests=stats["no_tests"],
            skipped=stats["skipped"],
        )
        for line in mutmut(tree, "results").splitlines():
            name, _, status = line.strip().rpartition(": ")
            if status == "survived":
                outcome.survivors.append(name)
        if diffs:
            outcome.diffs = [mutmut(tree, "show", name) for name in outcome.survivors]
        return outcome


def print_row(name: str, outcome: Outcome, width: int) -> None:
    counts = (outcome.mutants, outcome.killed, outcome.survived, outcome.timeout, outcome.no_tests)
    cells = "".join(f"{count:>9}" for count in counts)
    print(f"{name:<{width}}{cells}{outcome.kill_rate:>10.1%}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", choices=sorted(MODULES), help="run only this module (repeatable)")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 1, help="parallel mutmut workers")
    parser.add_argument("--threshold", type=float, default=85.0, help="lowest acceptable kill rate, in per cent")
    parser.add_argument("--show-survivors", action="store_true", help="print the diff of every surviving mutant")
    options = parser.parse_args(argv)

    modules = options.module or list(MODULES)
    files = tracked_files(PROJECT_ROOT)
    width = max(len(name) for name in [*modules, "total"]) + 2
    header = "".join(f"{title:>9}" for title in ("mutants", "killed", "survived", "timeout", "no-tests"))
    print(f"{'module':<{width}}{header}{'kill rate':>10}", flush=True)

    total = Outcome("total")
    below: list[str] = []
    survivors: list[Outcome] = []
    for module in modules:
        outcome = run_module(
            module, MODULES[module], files, max_children=options.max_children, diffs=options.show_survivors
        )
        print_row(module, outcome, width)
        total.add(outcome)
        survivors.append(outcome)
        if outcome.below(options.threshold) or outcome.tested == 0:
            below.append(module)
    print_row("total", total, width)
    if not os.environ.get("TRACKER_TEST_DATABASE_URL"):
        # SQLite forgives some faults PostgreSQL refuses (a scalar sub-query yielding two rows, for one).
        print("(database tests ran on SQLite only; set TRACKER_TEST_DATABASE_URL to add PostgreSQL)", file=sys.stderr)

    for outcome in survivors:
        if options.show_survivors:
            for diff in outcome.diffs:
                print(f"\n{diff.rstrip()}")
        elif outcome.survivors:
            print(f"\n{outcome.module} survivors: {', '.join(outcome.survivors)}")
    if below:
        print(f"\nbelow {options.threshold:g} %: {', '.join(below)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
