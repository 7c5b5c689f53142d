"""site/ is laid out as its pipeline, and its imports say so: what the site reads, the page contexts, rendering,
publishing, and the planning of rebuilds, which only the top-level build imports."""

from __future__ import annotations

import ast
from pathlib import Path

import hdh_graph.site

SITE = Path(hdh_graph.site.__file__).parent
STAGES = ("read", "pages", "render", "publish", "rebuild")
ALLOWED: dict[str, set[str]] = {
    # a stage may import the stages before it (and the modules at site/'s top: urls, i18n, kinds, state, report)
    "read": set(),
    "pages": {"read"},
    "render": {"read", "pages"},
    "publish": {"read", "pages", "render"},
    "rebuild": {"read", "pages"},
}


def _module(path: Path) -> str:
    rel = path.relative_to(SITE.parent).with_suffix("")
    return "hdh_graph." + ".".join(p for p in rel.parts if p != "__init__")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m.startswith("hdh_graph.site")}


MODULES = {_module(p): _imports(p) for p in sorted(SITE.rglob("*.py"))}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 3 and parts[2] in STAGES else None


def test_only_the_top_level_build_imports_the_rebuild_planning() -> None:
    importers = {m for m, imports in MODULES.items() if any(i.startswith("hdh_graph.site.rebuild") for i in imports)}
    assert {m for m in importers if not m.startswith("hdh_graph.site.rebuild")} == {"hdh_graph.site.build"}


def test_each_stage_imports_only_the_stages_before_it() -> None:
    wrong = []
    for module, imports in MODULES.items():
        stage = _stage(module)
        if stage is None:
            continue
        for imported in imports:
            other = _stage(imported)
            if other is not None and other != stage and other not in ALLOWED[stage]:
                wrong.append(f"{module} imports {imported}")
            if imported in ("hdh_graph.site.engine", "hdh_graph.site.build"):
                wrong.append(f"{module} imports {imported}")
    assert wrong == []


def test_the_site_stays_below_the_api_and_the_command_line() -> None:
    for path in SITE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("hdh_graph.api", "hdh_graph.cli")), f"{path}: {node.module}"
