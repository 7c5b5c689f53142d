"""What changed in the catalogue since the store's active snapshot, and whether the next build can start from it.

A build is *incremental* when the active snapshot was built from the same catalogue folder with the same base
IRI, and the files that changed since (added, modified or deleted, told apart by the modification times its
``build.json`` recorded) are a few Turtle files, none of which describes a code list kept as CSV (the build
recorded which files do). The build then copies the active database (a RocksDB checkpoint: hard links, near
instant) and reloads only the named graphs of those files. In every other case it reads the whole catalogue:
no store yet, another catalogue or base IRI, a ``build.json`` without what is needed, a database opened for
writing since its build (its RocksDB manifest changed: what was written is dropped), a CSV file added,
changed or removed, a code-list description changed, or more than one file and more than :data:`MOST_CHANGED`
of the files changed.

A file whose recorded time is within :data:`RACY_NS` of the moment the previous build listed the files counts
as changed: an edit made in the same clock tick, just after that listing, would otherwise go unnoticed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hdh_graph.catalogue_files import TURTLE_SUFFIX, fingerprint
from hdh_graph.settings import Settings
from hdh_graph.store import BUILD_INFO, active_snapshot, database_state, read_json

MOST_CHANGED = 0.2
"""Above this share of the catalogue's files changed (and more than one), a full build is done instead: it is
about as fast."""
RACY_NS = 2_000_000_000
"""File times this close to the previous listing are not trusted (coarse clocks, file systems with 2 s times)."""


@dataclass(frozen=True)
class BuildPlan:
    """What the next build reads: the whole catalogue, or a few files on top of the active snapshot."""

    inputs: dict[str, int]
    """Each source file's modification time (ns) when the plan was made: recorded in the new ``build.json``."""
    listed_ns: int
    """When the files were listed (to tell the next build which times it cannot trust)."""
    previous: Path | None = None
    """The snapshot to start from; ``None`` for a full build."""
    changed: tuple[str, ...] = ()
    """Turtle files added or modified since ``previous`` (paths relative to the catalogue)."""
    deleted: tuple[str, ...] = ()
    """Turtle files removed since ``previous``."""
    previous_info: dict[str, Any] | None = None
    """``previous``'s ``build.json``."""
    reason: str = ""
    """Why the build is full (or what the incremental one reloads), for the progress messages."""

    @property
    def incremental(self) -> bool:
        return self.previous is not None

    def as_full(self, reason: str) -> BuildPlan:
        """The same inputs, read in full."""
        return replace(self, previous=None, changed=(), deleted=(), previous_info=None, reason=reason)


def plan_build(settings: Settings, *, full: bool = False) -> BuildPlan:
    """List the catalogue's files and decide how the next build reads them (see the module's docstring)."""
    listed_ns = time.time_ns()
    inputs = fingerprint(settings)
    plan = BuildPlan(inputs, listed_ns)
    if full:
        return plan.as_full("a full build was asked for")
    snapshot = active_snapshot(settings)
    info = read_json(snapshot / BUILD_INFO) if snapshot is not None else None
    if snapshot is None or info is None:
        return plan.as_full("no store to start from")
    if info.get("base_iri") != settings.base_iri or info.get("catalogue") != str(settings.catalogue.resolve()):
        return plan.as_full("the store was built from another catalogue folder or base IRI")
    recorded, tabular, since = info.get("files"), info.get("tabular"), info.get("listed_ns")
    if not isinstance(recorded, dict) or not isinstance(tabular, list) or not isinstance(since, int):
        return plan.as_full("the store's build.json does not say enough to update it")
    if info.get("database") is None or info.get("database") != database_state(snapshot):
        return plan.as_full("the store was opened for writing since it was built")
    racy = since - RACY_NS
    changed = tuple(rel for rel, mtime in inputs.items() if recorded.get(rel) != mtime or mtime >= racy)
    deleted = tuple(rel for rel in recorded if rel not in inputs)
    touched = changed + deleted
    if not all(rel.endswith(TURTLE_SUFFIX) for rel in touched):
        return plan.as_full("a code-list CSV file was added, changed or removed")
    described = sorted(set(touched) & set(tabular))
    if described:
        return plan.as_full(f"{described[0]} describes code lists kept as CSV")
    if len(touched) > max(1.0, MOST_CHANGED * max(len(inputs), len(recorded))):
        return plan.as_full(f"{len(touched)} of {len(inputs)} files changed")
    return BuildPlan(
        inputs,
        listed_ns,
        previous=snapshot,
        changed=tuple(sorted(changed)),
        deleted=tuple(sorted(deleted)),
        previous_info=info,
        reason=f"{len(touched)} file(s) changed since {snapshot.name}",
    )
