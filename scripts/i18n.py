"""The interface's catalogues: extract, update, fill from a translator's file, compile, check.

    python scripts/i18n.py extract      # templates and code → tracker/translations/messages.pot, then update
    python scripts/i18n.py fill F.json  # {"msgid": {"mk": "…", "sq": "…"}} (plurals: lists) into the .po files
    python scripts/i18n.py compile      # .po → .mo (make install runs this)
    python scripts/i18n.py check        # exit 1 when an mk or sq entry is untranslated or fuzzy

Locations are left out of the catalogue so that a change to one template does not rewrite every entry's lines.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tracker" / "translations"
POT = FOLDER / "messages.pot"
LANGUAGES = ("mk", "sq")
KEYWORDS = ["-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "-k", "N_", "-k", "lazy_gettext"]


def babel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", *args])


def po_path(language: str) -> Path:
    return FOLDER / language / "LC_MESSAGES" / "messages.po"


def extract() -> None:
    babel("extract", "-F", str(ROOT / "babel.cfg"), *KEYWORDS, "--no-location", "--sort-output",
          "--project", "tracker", "--copyright-holder", "Conference Tracker contributors",
          "-o", str(POT), str(ROOT))  # fmt: skip
    for language in LANGUAGES:
        command = "update" if po_path(language).is_file() else "init"
        extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []
        babel(command, "-i", str(POT), "-d", str(FOLDER), "-l", language, "--no-wrap", *extra)


def fill(source: Path) -> None:
    """Set translations from ``source``; an entry not in the catalogue is reported, not added."""
    wanted = json.loads(source.read_text(encoding="utf-8"))
    for language in LANGUAGES:
        path = po_path(language)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        missing = []
        for msgid, texts in wanted.items():
            if language not in texts:
                continue
            message = catalog.get(msgid)
            if message is None:
                missing.append(msgid)
                continue
            value = texts[language]
            message.string = tuple(value) if isinstance(message.id, tuple | list) else value
            message.flags.discard("fuzzy")
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0, omit_header=False, ignore_obsolete=True)
        for msgid in missing:
            print(f"{language}: not in the catalogue: {msgid[:80]!r}", file=sys.stderr)


def untranslated(language: str) -> list[str]:
    with po_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(str(message.id if isinstance(message.id, str) else message.id[0]))
    return problems


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"extract", "fill", "compile", "check"}:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "extract":
        extract()
    elif argv[0] == "fill":
        fill(Path(argv[1]))
    elif argv[0] == "compile":
        babel("compile", "-d", str(FOLDER), "--statistics")
    else:
        failed = False
        for language in LANGUAGES:
            for msgid in untranslated(language):
                failed = True
                print(f"{language}: untranslated or fuzzy: {msgid[:100]!r}")
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
