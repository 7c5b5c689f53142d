"""Validating again only the files an edit can affect, with the results a full validation gives for them.

``hdh build`` saves the results of each validation with the store snapshot. When a few files changed since,
:func:`revalidate` finds the files whose results can differ (:mod:`hdh_graph.validation.impact`) and reports
on those only; the caller keeps the previous results of the other files (:func:`carried_over`). The checks
still read the whole catalogue: the files reported on and the other files describing their resources are
parsed as a full validation parses them, every other file is loaded as it is into the store, and only the
nodes of the files reported on are checked.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from hdh_graph.catalogue_files import turtle_files
from hdh_graph.graph_store import Subject
from hdh_graph.settings import Settings
from hdh_graph.validation.engine_sparql import load_store, run_checks
from hdh_graph.validation.impact import CatalogueState, Description, affected_files, changes, describe
from hdh_graph.validation.index import CatalogueIndex, refresh
from hdh_graph.validation.messages import expand
from hdh_graph.validation.model import Result, Severity, ValidationReport
from hdh_graph.validation.plan import cache_key, load_plan
from hdh_graph.validation.runner import cache_dir_for
from hdh_graph.validation.shapes import default_shapes_dir, load_vocabularies
from hdh_graph.validation.sources import CatalogueFile, read_file
from hdh_graph.validation.workspace import Workspace

MOST_AFFECTED = 0.5
"""Beyond this share of the catalogue's files to report on, a full validation is done instead."""
FEWEST = 20
"""Below this many files, checking them all again is always done incrementally (it costs nothing)."""
_UNREADABLE = {"hdh:syntax": "file", "hdh:encoding": "file"}


def revalidate(
    settings: Settings,
    changed: Sequence[str],
    deleted: Sequence[str],
    previous: Mapping[str, Sequence[ox.Triple]],
    *,
    shapes_dir: Path | None = None,
) -> ValidationReport | None:
    """Validate the files that the change of ``changed`` (added or modified) and ``deleted`` files can affect,
    with every other file as background; ``previous`` holds the triples the changed and deleted files had
    before, as the store gave them back (none for an added file). The report's ``files_checked`` are the files
    reported on: their results are those of a full validation. ``None`` when that is more than
    :data:`MOST_AFFECTED` of the catalogue."""
    started = time.perf_counter()
    shapes_dir = shapes_dir or default_shapes_dir()
    cache = cache_dir_for(settings)
    vocabularies = load_vocabularies(shapes_dir)
    plan = load_plan(shapes_dir, cache)
    base = settings.base_iri
    paths = {f.relative: f.path for f in turtle_files(settings)}
    gone = sorted({*deleted, *(rel for rel in changed if rel not in paths)})
    files = {rel: read_file(paths[rel], rel, base) for rel in sorted(set(changed) & set(paths))}

    def quick(rel: str) -> CatalogueFile:
        return read_file(paths[rel], rel, base, with_positions=False)

    index = CatalogueIndex(cache / "index.sqlite")
    try:
        refresh(index, {rel: path for rel, path in paths.items() if rel not in files}, quick)
        before: dict[str, Description | None] = {
            rel: describe(previous[rel]) if rel in previous else None for rel in [*files, *gone]
        }
        after: dict[str, Description | None] = {rel: describe(_as_stored(f.triples)) for rel, f in files.items()}
        after.update(dict.fromkeys(gone))
        found = {rel: changes(before[rel], after[rel]) for rel in before}
        limit = max(FEWEST, int(MOST_AFFECTED * len(paths)))
        states = [CatalogueState(index, before), CatalogueState(index, after)]
        scope = affected_files(found, states, plan.reach, limit)
        index.update(files.values(), paths)
        if scope is None:
            return None
        targets = scope & set(paths)
        files.update({rel: read_file(paths[rel], rel, base) for rel in sorted(targets - set(files))})
        subjects = set().union(*(files[rel].subjects for rel in targets)) if targets else set()
        homes = index.describers(subjects)
    finally:
        index.close()
    owned = {iri for iri, rels in homes.items() if min(rels) in targets}
    context = set().union(*(homes[iri] for iri in owned)) - targets if owned else set()
    parsed = {**{rel: files[rel] for rel in targets}, **{rel: quick(rel) for rel in context}}
    workspace = Workspace({rel: parsed[rel] for rel in sorted(parsed)}, targets, foreign=subjects - owned)
    focus = _focus(workspace, targets)
    background = [paths[rel] for rel in sorted(paths) if rel not in parsed]
    store = load_store(workspace, vocabularies, focus, background, base)
    results = [p for p in (files[rel].problem for rel in targets) if p is not None]
    results += run_checks(store, workspace, plan.checks, plan.origin, marked=True)
    return ValidationReport(results, sorted(targets), "sparql", time.perf_counter() - started)


def _as_stored(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The triples as a store gives them back: typed literals in their canonical form (``"007"^^xsd:integer`` is
    ``"7"``, an ``xsd:nonNegativeInteger`` an ``xsd:integer``), as the previous version comes from the store and
    as the checks see them."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return [q.triple for q in store]


def _focus(workspace: Workspace, targets: set[str]) -> set[Subject | ox.Triple]:
    """The nodes whose results belong to the files reported on: every node of those files, and the blank nodes
    other files hang on their resources."""
    nodes: set[Subject | ox.Triple] = set()
    for rel, f in workspace.files.items():
        for t in f.triples:
            if rel in targets:
                nodes.add(t.subject)
                if isinstance(t.object, ox.BlankNode):
                    nodes.add(t.object)
            elif isinstance(t.subject, ox.BlankNode) and workspace.locate(t.subject) is not None:
                nodes.add(t.subject)
    return nodes


def carried_over(record: Mapping[str, Any], files: set[str], origin: Mapping[str, str]) -> list[Result]:
    """The results a saved report (:func:`hdh_graph.publishing.validation_record`) holds about ``files``, as
    results again. The report does not keep columns: they are ``None``; ``origin`` gives each rule's source."""
    sources: dict[str, str] = {}
    severities = {s.value: s for s in Severity}
    found: list[Result] = []
    for entry in record.get("results", []):
        if entry.get("file") not in files:
            continue
        hint = entry.get("hint") or {}
        rule = entry["rule"]
        if rule not in sources:
            sources[rule] = _UNREADABLE.get(rule) or origin.get(expand(rule), "hdh")
        found.append(
            Result(
                file=entry["file"],
                line=entry.get("line"),
                column=None,
                resource=entry.get("resource"),
                property=entry.get("property"),
                value=entry.get("value"),
                message_fr=entry["message"]["fr"],
                message_en=entry["message"]["en"],
                severity=severities[entry["severity"]],
                rule=rule,
                component=entry.get("component"),
                source=sources[rule],
                hint_fr=hint.get("fr"),
                hint_en=hint.get("en"),
            )
        )
    return found


def rule_sources(settings: Settings, shapes_dir: Path | None = None) -> dict[str, str]:
    """Each rule's source (``dcat-ap``, ``healthdcat-ap``, ``hdh``) by rule IRI, from the compiled shapes."""
    return load_plan(shapes_dir or default_shapes_dir(), cache_dir_for(settings)).origin


def rules_version(shapes_dir: Path | None = None) -> str:
    """A digest of the shape files and of how they are compiled: results saved under another one are stale."""
    return cache_key(shapes_dir or default_shapes_dir())
