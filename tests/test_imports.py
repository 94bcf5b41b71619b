"""The package's import graph: no cycles, and every import points the right way.

The graph is read from the sources (``ast``), not by importing them, so an
import inside a function counts as much as one at the top: a lazy import still
ties two modules together, and today's lazy import becomes tomorrow's top-level
one. Imports under ``if TYPE_CHECKING:`` are left out (they never run).

Layers, from the bottom: ``core`` (no Textual, CLI, commands or UI) <-
``commands`` (the CLI's sub-commands; never the UI) <- ``ui`` (may use core;
never ``commands`` or ``cli``: the workbench is started through
``ui/launch.py``, which the CLI imports, not the other way round) <- ``cli``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "coprod_tui"

#: (importer prefix, forbidden prefixes, why)
RULES = [
    (
        "coprod_tui.core",
        ("coprod_tui.cli", "coprod_tui.commands", "coprod_tui.ui", "textual"),
        "core never imports the CLI, the commands, the UI or Textual",
    ),
    (
        "coprod_tui.commands",
        ("coprod_tui.ui", "coprod_tui.cli", "textual"),
        "commands never import the UI (or the front door that imports them)",
    ),
    (
        "coprod_tui.ui",
        ("coprod_tui.commands", "coprod_tui.cli"),
        "the UI uses core; the CLI starts it through ui/launch.py, never the other way",
    ),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import that can run (all but the body of ``if TYPE_CHECKING:``)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def imports_of(name: str, path: Path) -> set[str]:
    """The modules ``name`` imports: package-internal ones resolved, others by top name."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
            continue
        if node.level:
            base = name.split(".")
            base = base[: len(base) - node.level + (1 if is_package else 0)]
            target = ".".join([*base, node.module] if node.module else base)
        else:
            target = node.module or ""
        for alias in node.names:
            # `from x import y`: y is a module when x.y is one, else a name in x.
            submodule = f"{target}.{alias.name}"
            found.add(submodule if submodule in MODULES else target)
    return {module for module in found if module != name}


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work: list[tuple[str, Iterator[str]]] = []
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        work.append((start, iter(sorted(graph.get(start, ())))))
        while work:
            node, children = work[-1]
            child = next((c for c in children if c in graph), None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(groups)


def test_the_graph_is_read_from_every_module():
    assert "coprod_tui.core.store.case_store" in GRAPH
    # A relative import and a `from package import module` both resolve to the module.
    assert "coprod_tui.core.locations" in GRAPH["coprod_tui.ui.launch"]
    assert "coprod_tui.commands.cases" in GRAPH["coprod_tui.cli"]


def test_the_cycle_finder_finds_a_planted_cycle():
    planted = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(planted) == [["a", "b", "c"]]


def test_no_import_cycle_anywhere_in_the_package():
    assert find_cycles(GRAPH) == []


@pytest.mark.parametrize(("importer", "forbidden", "why"), RULES, ids=[r[0] for r in RULES])
def test_imports_point_one_way(importer, forbidden, why):
    wrong = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if _within(name, importer)
        for target in targets
        if any(_within(target, prefix) for prefix in forbidden)
    )
    assert wrong == [], why
