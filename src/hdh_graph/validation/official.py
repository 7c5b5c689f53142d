"""A document checked as a harvester checks it: the official shapes only, the EU vocabularies as background.

This is not the catalogue's validation (:mod:`hdh_graph.validation.runner`): neither our own shapes
(``shapes/hdh.ttl``) nor our ontology nor the store take part. Two profiles:

- ``dcat-ap``: DCAT-AP 3.0.1 (mandatory, ranges, recommended, deprecated URIs, controlled vocabularies);
- ``healthdcat-ap``: HealthDCAT-AP Release 8 at an access level (its shapes and recommendations, ranges,
  controlled vocabularies) with the DCAT-AP 3.0.1 files it imports, and the documented overlay that restates
  the one rule pyshacl cannot read (shapes/SOURCES.md).

Each dataset is checked at the level its ``dct:accessRights`` names: the document is validated once per level
its datasets use, and a result counts at a level when its focus node is a dataset of that level or is not a
dataset at all (the levels differ only in the dataset shape). Results are deduplicated across levels.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import DCTERMS, RDF, SH

from hdh_graph.validation.shapes import (
    LEVEL_FILES,
    LEVELS,
    OVERLAY_FILE,
    VOCABULARY_FILES,
    _apply_overlay,
    default_shapes_dir,
    parse_shapes_file,
)

DCAT_DATASET = rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset")
DCAT_AP_FILES = [
    "dcat-ap-3.0.1/shapes.ttl",
    "dcat-ap-3.0.1/range.ttl",
    "dcat-ap-3.0.1/shapes_recommended.ttl",
    "dcat-ap-3.0.1/deprecateduris.ttl",
    "dcat-ap-3.0.1/mdr-vocabularies.shape.ttl",
]
HEALTHDCAT_AP_COMMON = [
    "dcat-ap-3.0.1/shapes.ttl",
    "dcat-ap-3.0.1/range.ttl",
    "dcat-ap-3.0.1/shapes_recommended.ttl",
    "dcat-ap-3.0.1/deprecateduris.ttl",
    "healthdcat-ap-r8/ranges/range.ttl",
    "healthdcat-ap-r8/controlled-vocabularies/mdr-vocabularies.shape.ttl",
]
PROFILES = ("dcat-ap", "healthdcat-ap")


@dataclass(frozen=True)
class Finding:
    """One result of the official shapes on a document."""

    severity: str
    """``Violation``, ``Warning`` or ``Info``."""
    focus: str
    path: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.focus} {self.path or ''} {self.value or ''}: {self.message}"


def profile_files(profile: str, level: str) -> list[str]:
    """The files under ``shapes/`` that make a profile at a level (``PUBLIC``, ``RESTRICTED``, ``NON_PUBLIC``)."""
    if profile == "dcat-ap":
        return list(DCAT_AP_FILES)
    if profile == "healthdcat-ap":
        return [*HEALTHDCAT_AP_COMMON, *(name for _, name in LEVEL_FILES[level]), OVERLAY_FILE[1]]
    raise ValueError(f"unknown profile {profile!r}: expected one of {', '.join(PROFILES)}")


@lru_cache(maxsize=8)
def official_shapes(shapes_dir: Path, profile: str, level: str) -> rdflib.Graph:
    """The shapes graph of a profile at a level (official files, plus the overlay for HealthDCAT-AP)."""
    graph = rdflib.Graph()
    parsed = []
    for name in profile_files(profile, level):
        part = parse_shapes_file(shapes_dir / name)
        parsed.append((shapes_dir / name, part))
        graph += part
    _apply_overlay(graph, parsed)
    return graph


@lru_cache(maxsize=2)
def eu_vocabularies(shapes_dir: Path) -> rdflib.Graph:
    """The EU controlled vocabularies shipped with the project (``shapes/vocabularies/``), and nothing else."""
    graph = rdflib.Graph()
    for name in VOCABULARY_FILES:
        graph += parse_shapes_file(shapes_dir / name)
    return graph


def dataset_levels(data: rdflib.Graph) -> dict[rdflib.term.Node, str]:
    """Each dataset of ``data`` → the level its ``dct:accessRights`` names (``PUBLIC`` when it names none)."""
    by_iri = {iri: name for name, iri in LEVELS.items()}
    out: dict[rdflib.term.Node, str] = {}
    for ds in data.subjects(RDF.type, DCAT_DATASET):
        rights = {str(o) for o in data.objects(ds, DCTERMS.accessRights)}
        names = sorted(by_iri[r] for r in rights if r in by_iri)
        out[ds] = names[0] if names else "PUBLIC"
    return out


def validate_alone(data: rdflib.Graph, profile: str, shapes_dir: Path | None = None) -> list[Finding]:
    """The findings of the official ``profile`` on ``data`` alone (EU vocabularies as background)."""
    folder = (shapes_dir or default_shapes_dir()).resolve()
    levels = dataset_levels(data)
    wanted = ["PUBLIC"] if profile == "dcat-ap" else sorted(set(levels.values()) or {"PUBLIC"})
    found: set[Finding] = set()
    merged = rdflib.Graph()  # pyshacl mixes an ont_graph in only when it infers: the background is merged here
    merged += data
    merged += eu_vocabularies(folder)
    for level in wanted:
        _, report, _ = pyshacl.validate(
            merged,
            shacl_graph=official_shapes(folder, profile, level),
            inference="none",
            advanced=False,
            allow_warnings=True,
        )
        assert isinstance(report, rdflib.Graph)
        nested = set(report.objects(None, SH.detail))
        for result in report.subjects(RDF.type, SH.ValidationResult):
            if result in nested:  # the reason of a result already counted (sh:node, sh:or...)
                continue
            focus = report.value(result, SH.focusNode)
            if profile == "healthdcat-ap" and focus in levels and levels[focus] != level:
                continue
            found.add(_finding(report, result))
    return sorted(found, key=str)


def _finding(report: rdflib.Graph, result: rdflib.term.Node) -> Finding:
    def text(pred: rdflib.URIRef) -> str | None:
        value = report.value(result, pred)
        return None if value is None or isinstance(value, rdflib.BNode) else str(value)

    severity = report.value(result, SH.resultSeverity)
    return Finding(
        severity=str(severity).rsplit("#", 1)[-1],
        focus=str(report.value(result, SH.focusNode)),
        path=text(SH.resultPath),
        value=text(SH.value),
        message=text(SH.resultMessage) or "",
    )


def violations(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "Violation"]
