"""The compiled checks of all access levels, cached on disk by the content of the shape files.

Official shapes that target ``dcat:Dataset`` are compiled once per level (and only see that level's
datasets); every other check is the same at each level and is kept once.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from hdh_graph.validation.compile import Check, UnsupportedShape, compile_checks
from hdh_graph.validation.reach import merge, predicate_reach
from hdh_graph.validation.shapes import LEVEL_FILES, LEVELS, OUR_FILE, ShapesError, load_level, shape_files

PLAN_VERSION = "5"


@dataclass
class Plan:
    checks: list[Check]
    origin: dict[str, str]
    reach: dict[str, int] = field(default_factory=dict)
    """How many links from its focus node each predicate is read (see :mod:`hdh_graph.validation.reach`)."""


def _signature(check: Check) -> tuple[object, ...]:
    import re

    query = re.sub(r"\?v\d+", "?v", check.query)
    return (check.rule, check.component, check.path, check.severity, query, check.message_en, check.dataset_level)


def build_plan(shapes_dir: Path) -> Plan:
    checks: list[Check] = []
    seen: set[tuple[object, ...]] = set()
    origin: dict[str, str] = {}
    reach: dict[str, int] = {}
    for level, iri in LEVELS.items():
        shapes = load_level(shapes_dir, level)
        origin.update({str(k): v for k, v in shapes.origin.items()})
        merge(reach, predicate_reach(shapes.graph))
        try:
            compiled = compile_checks(shapes.graph, shapes.origin, iri)
        except UnsupportedShape as exc:
            files = ", ".join(str(shapes_dir / p) for _, p in [*LEVEL_FILES[level], OUR_FILE])
            raise ShapesError(
                f"a shape cannot be evaluated: {exc} (shapes of level {level}: {files})",
                hint="use the SHACL core constraints listed in docs/validation.md",
            ) from exc
        for check in compiled:
            key = _signature(check)
            if key not in seen:
                seen.add(key)
                checks.append(check)
    return Plan(checks, origin, reach)


def cache_key(shapes_dir: Path) -> str:
    digest = hashlib.sha256(PLAN_VERSION.encode())
    # the compiler's own source too: a change of how shapes become queries invalidates the cache
    here = Path(__file__).parent
    for module in ("compile.py", "messages.py", "shapes.py", "plan.py", "reach.py"):
        digest.update((here / module).read_bytes())
    for path in shape_files(shapes_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    return digest.hexdigest()[:24]


def load_plan(shapes_dir: Path, cache_dir: Path | None) -> Plan:
    """The plan from the cache when the shape files have not changed, else compiled (and cached)."""
    if cache_dir is None:
        return build_plan(shapes_dir)
    cached = cache_dir / f"plan-{cache_key(shapes_dir)}.pickle"
    if cached.is_file():
        try:
            with cached.open("rb") as fh:
                plan = pickle.load(fh)
            if isinstance(plan, Plan):
                return plan
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    plan = build_plan(shapes_dir)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(plan, fh)
        tmp.replace(cached)
    except OSError:
        pass  # a read-only tree still validates, only slower
    return plan
