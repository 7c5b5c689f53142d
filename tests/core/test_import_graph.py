"""The top-level packages import one another in one direction only: the loaders build on the library, and the
library reaches the loaders' ``hdh import`` verbs through an entry point, never through an import."""

from __future__ import annotations

import ast
from pathlib import Path

import hdh_loaders

import hdh_graph

PACKAGES = {"hdh_graph": Path(hdh_graph.__file__).parent, "hdh_loaders": Path(hdh_loaders.__file__).parent}


def _imported_packages(path: Path) -> set[str]:
    """Top-level packages an absolute import of the file names (relative imports stay in their package)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
    return found & set(PACKAGES)


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, root in PACKAGES.items():
        files = (p for p in root.rglob("*.py") if "sources" not in p.relative_to(root).parts)
        graph[name] = set().union(*(_imported_packages(p) for p in files)) - {name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path that ends where it starts, or None."""

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        for nxt in sorted(graph.get(node, ())):
            found = visit(nxt, [*path, node])
            if found:
                return found
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


def test_cycle_finder_finds_a_cycle_and_accepts_a_chain() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_cycle_between_top_level_packages() -> None:
    graph = _graph()
    assert "hdh_graph" in graph["hdh_loaders"]  # the scan sees the loaders' imports of the library
    assert _cycle(graph) is None, f"import cycle between top-level packages: {' -> '.join(_cycle(graph) or [])}"


def test_the_library_never_imports_the_loaders() -> None:
    importers = sorted(
        str(p.relative_to(PACKAGES["hdh_graph"]))
        for p in PACKAGES["hdh_graph"].rglob("*.py")
        if "hdh_loaders" in _imported_packages(p)
    )
    assert importers == []
