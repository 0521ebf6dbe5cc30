"""The shape of the imports: the layers below the web import no Flask, and no tracker modules import in a cycle.

Both read the code itself (a fresh interpreter's ``sys.modules``; the import statements parsed with ``ast``),
so they hold for every module that exists, including ones added later.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "tracker"

#: Everything below the web layer: each package here stands for all of its modules.
FLASK_FREE = [
    "tracker.services",
    "tracker.models",
    "tracker.ical",
    "tracker.mail",
    "tracker.db",
    "tracker.formatting",
    "tracker.filters",
    "tracker.validation",
    "tracker.visibility",
    "tracker.timezones",
    "tracker.parsing",
    "tracker.countries",
    "tracker.dialects",
    "tracker.resources",
    "tracker.fulltext",
    "tracker.lookup",
    "tracker.text",
    "tracker.zone_guess",
    "tracker.event_form",
]

#: Cycles accepted for now, as sets of the modules in each (none). A cycle not listed fails, and so does a listed
#: one that is gone.
KNOWN_CYCLES: set[frozenset[str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def tracker_modules() -> dict[str, Path]:
    """Every importable module of the package, by dotted name (migrations' revision files included)."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in path.parts}


def expand(names: list[str], modules: dict[str, Path]) -> list[str]:
    """Each name with, if it is a package, every module inside it."""
    return sorted({module for module in modules for name in names if module == name or module.startswith(name + ".")})


def test_expand_takes_a_package_with_its_modules_and_a_module_alone() -> None:
    modules = {name: Path() for name in ("tracker.a", "tracker.a.b", "tracker.ab", "tracker.c")}
    assert expand(["tracker.a"], modules) == ["tracker.a", "tracker.a.b"]
    assert expand(["tracker.c"], modules) == ["tracker.c"]


def test_layers_below_the_web_import_no_flask() -> None:
    modules = expand(FLASK_FREE, tracker_modules())
    assert "tracker.services.events" in modules and "tracker.mail" in modules  # the list found the packages
    program = (
        "import importlib, json, sys\n"
        "for name in json.loads(sys.argv[1]):\n"
        "    importlib.import_module(name)\n"
        "    if 'flask' in sys.modules:\n"
        "        sys.exit('importing ' + name + ' loaded flask')\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", program, json.dumps(modules)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


# ------------------------------------------------------------------------------------------------- cycles


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth (inside functions too), except under ``if TYPE_CHECKING:``."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
        return
    if isinstance(node, ast.If) and _is_type_checking(node.test):
        children: list[ast.AST] = list(node.orelse)
    else:
        children = list(ast.iter_child_nodes(node))
    for child in children:
        yield from _import_nodes(child)


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The tracker modules whose code ``name`` runs by importing: ``from pkg import sub`` means ``pkg.sub``
    when ``sub`` is a module, and ``pkg`` itself (its ``__init__``) when ``sub`` is a name defined there."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return {target for target in found if target in modules and target != name}


def import_graph() -> dict[str, set[str]]:
    modules = tracker_modules()
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules (Tarjan), written ``a → b → … → a``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_one_cycle(graph, group) for group in groups]


def _one_cycle(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest path from the group's first module back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & group):
                if target == start:
                    return paths[node] + [start]
                if target not in paths:
                    paths[target] = paths[node] + [target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover - a strongly connected group has one


def test_cycle_finder_names_each_cycle_and_ignores_one_way_imports() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"d"}, "f": {"g"}, "g": {"f"}}
    assert cycles(graph) == [["a", "b", "c", "a"], ["f", "g", "f"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_import_reader_resolves_submodules_relative_imports_and_skips_type_checking(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "import tracker.x.y\n"
        "from tracker import x, helper_name\n"
        "from tracker.x import y as why, CONSTANT\n"
        "from . import z\n"
        "if TYPE_CHECKING:\n"
        "    from tracker import hidden\n"
        "else:\n"
        "    from tracker import shown\n"
        "def later():\n"
        "    from tracker.w import thing\n"
    )
    modules = {name: Path() for name in ("tracker", "tracker.x", "tracker.x.y", "tracker.z", "tracker.w")}
    modules |= {"tracker.hidden": Path(), "tracker.shown": Path(), "tracker.sample": source}
    found = imported_modules("tracker.sample", source, modules)
    assert found == {"tracker", "tracker.x", "tracker.x.y", "tracker.z", "tracker.w", "tracker.shown"}


def test_no_import_cycles_among_tracker_modules() -> None:
    found = {frozenset(cycle): " → ".join(cycle) for cycle in cycles(import_graph())}
    new = [text for members, text in found.items() if members not in KNOWN_CYCLES]
    gone = [sorted(members) for members in KNOWN_CYCLES if members not in found]
    assert not new, "import cycles: " + "; ".join(new)
    assert not gone, f"these cycles are gone, remove them from KNOWN_CYCLES: {gone}"


def test_nothing_below_the_app_imports_the_package_init() -> None:
    """``tracker/__init__`` builds the app; a module it (indirectly) imports must not reach back up into it."""
    graph = import_graph()
    importers = sorted(name for name, targets in graph.items() if "tracker" in targets and name != "tracker.cli")
    assert importers == [], importers


# --------------------------------------------------------------------------------------- direction, README

#: The floors of the house, top first: a module may import from its own floor and the floors below, never above.
#: ``tracker`` (``create_app``), the CLI and the scheduler on top; then the views, then the web layer they use.
FLOORS: list[list[str]] = [
    ["tracker", "tracker.cli", "tracker.scheduler"],
    ["tracker.views"],
    ["tracker.web"],
    ["tracker.services", "tracker.migrations"],
    ["tracker.config"],
    ["tracker.mail", "tracker.ical"],
    ["tracker.filters", "tracker.validation", "tracker.visibility", "tracker.formatting", "tracker.fulltext",
     "tracker.lookup", "tracker.matching", "tracker.extraction", "tracker.event_texts", "tracker.validation_messages",
     "tracker.organisation_names", "tracker.organisation_form"],
    ["tracker.models", "tracker.db", "tracker.dialects"],
    ["tracker.timezones", "tracker.countries", "tracker.parsing", "tracker.text", "tracker.resources",
     "tracker.tokens", "tracker.zone_guess", "tracker.event_form", "tracker.i18n", "tracker.phrases"],
]  # fmt: skip


def floor_of(module: str) -> int:
    """The floor of ``module``: that of the longest listed name that is the module or a package holding it."""
    best = max(
        (
            name
            for floor in FLOORS
            for name in floor
            if module == name or (name != "tracker" and module.startswith(name + "."))
        ),
        key=len,
        default=None,
    )
    assert best is not None, f"{module} is on no floor: add it to FLOORS"
    return next(number for number, floor in enumerate(FLOORS) if best in floor)


def test_floor_of_takes_the_longest_matching_name() -> None:
    assert floor_of("tracker") == 0
    with pytest.raises(AssertionError, match="on no floor"):
        floor_of("tracker.unlisted")
    assert floor_of("tracker.views.public") == 1
    assert floor_of("tracker.web.auth") == 2
    assert floor_of("tracker.services.search") == 3
    assert floor_of("tracker.timezones") == len(FLOORS) - 1


def test_imports_run_down_the_floors_only() -> None:
    """views → services → mail/ical → rules and helpers → models → pure helpers, never back up."""
    upward = [
        f"{name} imports {target}"
        for name, targets in sorted(import_graph().items())
        for target in sorted(targets)
        if floor_of(target) < floor_of(name) and not (name == "tracker.cli" and target == "tracker")
    ]
    assert upward == []


def readme_module_table() -> set[str]:
    """The paths named in the first column of the README's module table."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Where a request goes", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| `")]
    return {row.strip("`") for row in rows}


def test_the_readme_module_table_names_every_module_and_only_modules_that_exist() -> None:
    listed = readme_module_table()
    modules = {
        str(path.relative_to(PROJECT_ROOT))
        for path in PACKAGE.rglob("*.py")
        if "__pycache__" not in path.parts and "migrations" not in path.parts
    }
    # A package's ``__init__.py`` may be named by the package's folder; migrations by their folder.
    covered = {m for m in modules if m in listed or (m.endswith("/__init__.py") and m[: -len("__init__.py")] in listed)}
    assert "tracker/migrations/" in listed
    assert sorted(modules - covered) == [], "modules missing from the README's module table"
    assert sorted(name for name in listed if not (PROJECT_ROOT / name).exists()) == [], "stale rows"


# ---------------------------------------------------------------------------------------------------- sizes

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
#: A longer function says why in its docstring, with these words.
LONG_REASON = "Long because"


def test_no_module_is_over_400_lines_and_no_function_over_60_without_a_reason() -> None:
    too_long: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts or "__pycache__" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        name = str(path.relative_to(PROJECT_ROOT))
        if source.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{name}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES and LONG_REASON not in (ast.get_docstring(node) or ""):
                    too_long.append(f"{name}: {node.name}() {length} lines")
    assert too_long == []
