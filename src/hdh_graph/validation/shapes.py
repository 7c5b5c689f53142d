"""The shape files: which ones make each HealthDCAT-AP access level, loading them, checking them.

Each level's shapes graph is the union of DCAT-AP 3.0.1 (mandatory, ranges, recommended, deprecated URIs),
HealthDCAT-AP Release 8 (the level's shapes and recommendations, ranges, controlled vocabularies), the
documented overlay that makes the official files readable by a SHACL engine, and our own ``hdh.ttl``.
The official files are never edited; see shapes/SOURCES.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, SH

from hdh_graph.errors import HdhError
from hdh_graph.vocab import EU_ACCESS_RIGHT

PUBLIC = EU_ACCESS_RIGHT + "PUBLIC"
RESTRICTED = EU_ACCESS_RIGHT + "RESTRICTED"
NON_PUBLIC = EU_ACCESS_RIGHT + "NON_PUBLIC"
LEVELS: dict[str, str] = {"PUBLIC": PUBLIC, "RESTRICTED": RESTRICTED, "NON_PUBLIC": NON_PUBLIC}

# (origin, path under shapes/) shared by every level
COMMON_FILES: list[tuple[str, str]] = [
    ("dcat-ap", "dcat-ap-3.0.1/shapes.ttl"),
    ("dcat-ap", "dcat-ap-3.0.1/range.ttl"),
    ("dcat-ap", "dcat-ap-3.0.1/shapes_recommended.ttl"),
    ("dcat-ap", "dcat-ap-3.0.1/deprecateduris.ttl"),
    ("healthdcat-ap", "healthdcat-ap-r8/ranges/range.ttl"),
    ("healthdcat-ap", "healthdcat-ap-r8/controlled-vocabularies/mdr-vocabularies.shape.ttl"),
]
LEVEL_FILES: dict[str, list[tuple[str, str]]] = {
    level: [
        ("healthdcat-ap", f"healthdcat-ap-r8/shapes/{stem}-shapes.ttl"),
        ("healthdcat-ap", f"healthdcat-ap-r8/recommended/{stem}-shapes_recommended.ttl"),
    ]
    for level, stem in (("PUBLIC", "public"), ("RESTRICTED", "restricted"), ("NON_PUBLIC", "non-public"))
}
OVERLAY_FILE = ("healthdcat-ap", "overlay/healthdcat-ap-r8-pyshacl.ttl")
OUR_FILE = ("hdh", "hdh.ttl")
VOCABULARY_FILES = [
    "vocabularies/healthdcat-ap-nal-subset.ttl",
    "vocabularies/eu-filetype-mediatype-frequency.ttl",
]

OVERLAY_REPLACES = rdflib.URIRef("https://w3id.org/hdh-graph/shapes/overlay#replacesPathlessPropertyOf")


class ShapesError(HdhError):
    """A shapes file is missing, does not parse or is not usable SHACL: validation cannot run."""

    exit_code = 2


@dataclass
class LevelShapes:
    """One access level's shapes graph and, for each shape node, the origin of the file it came from."""

    level: str
    graph: rdflib.Graph
    origin: dict[rdflib.term.Node, str]


def default_shapes_dir() -> Path:
    """``shapes/`` next to the catalogue folder's project (the current directory), else the source tree's."""
    here = Path.cwd() / "shapes"
    if (here / OUR_FILE[1]).is_file():
        return here
    return Path(__file__).resolve().parents[3] / "shapes"


def shape_files(shapes_dir: Path) -> list[Path]:
    """Every file the validation reads from ``shapes/`` (used for cache keys)."""
    names = [p for _, p in COMMON_FILES] + [p for files in LEVEL_FILES.values() for _, p in files]
    names += [OVERLAY_FILE[1], OUR_FILE[1], *VOCABULARY_FILES]
    return [shapes_dir / n for n in names] + [shapes_dir.parent / "ontology" / "hdh.ttl"]


def parse_shapes_file(path: Path) -> rdflib.Graph:
    if not path.is_file():
        raise ShapesError(f"shapes file {path} is missing", hint="restore it from git (shapes/ is versioned)")
    try:
        return rdflib.Graph().parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many types for bad Turtle
        raise ShapesError(
            f"shapes file {path} does not parse: {exc}", hint="fix its Turtle syntax or restore it from git"
        ) from exc


def load_level(shapes_dir: Path, level: str) -> LevelShapes:
    """Parse and merge the files of one level, apply the overlay, and check the result."""
    graph = rdflib.Graph()
    origin: dict[rdflib.term.Node, str] = {}
    parsed: list[tuple[Path, rdflib.Graph]] = []
    for who, name in [*COMMON_FILES, *LEVEL_FILES[level], OVERLAY_FILE, OUR_FILE]:
        path = shapes_dir / name
        part = parse_shapes_file(path)
        for s in part.subjects(unique=True):
            origin.setdefault(s, who)
        parsed.append((path, part))
        graph += part
    _apply_overlay(graph, parsed)
    for path, part in parsed:
        check_shapes(part, graph, path)
    return LevelShapes(level, graph, origin)


def _apply_overlay(graph: rdflib.Graph, parsed: list[tuple[Path, rdflib.Graph]]) -> None:
    replaced = set(graph.objects(None, OVERLAY_REPLACES))
    for node_shape in replaced:
        for prop in list(graph.objects(node_shape, SH.property)):
            if (prop, SH.path, None) not in graph:
                graph.remove((node_shape, SH.property, prop))


def check_shapes(part: rdflib.Graph, merged: rdflib.Graph, path: Path) -> None:
    """Raise :class:`ShapesError` naming ``path`` when one of its shapes is not usable SHACL."""
    problems: list[str] = []
    for shape, prop in part.subject_objects(SH.property):
        if (shape, SH.property, prop) not in merged:
            continue  # removed by the overlay
        paths = list(merged.objects(prop, SH.path))
        if len(paths) != 1:
            problems.append(f"a property shape of {shape} has {len(paths)} sh:path (exactly one is needed)")
    for constraint in part.objects(None, SH.sparql):
        if (constraint, SH.select, None) not in merged:
            problems.append(f"SPARQL constraint {constraint} has no sh:select")
    for node, count in part.subject_objects(SH.minCount):
        if not isinstance(count, rdflib.Literal) or not isinstance(count.toPython(), int):
            problems.append(f"{node} has sh:minCount {count!s}, not an integer")
    for holder, head in part.subject_objects(SH["in"]):
        if head != RDF.nil and (head, RDF.first, None) not in merged:
            problems.append(f"{holder} has an sh:in that is not a list")
    if problems:
        raise ShapesError(
            f"shapes file {path} is not valid SHACL: " + "; ".join(problems[:5]),
            hint="fix the shape (or, for an official file, add a documented fix to shapes/overlay/)",
        )


def load_vocabularies(shapes_dir: Path) -> list[Path]:
    """The vocabulary data the shapes check against, loaded with every data graph: the EU code lists
    subset, and our own vocabulary (``ontology/hdh.ttl``, e.g. the dataset kinds used as ``dct:type``)."""
    paths = [shapes_dir / name for name in VOCABULARY_FILES]
    ours = shapes_dir.parent / "ontology" / "hdh.ttl"
    if ours.is_file():
        paths.append(ours)
    for path in paths:
        if not path.is_file():
            raise ShapesError(f"vocabulary file {path} is missing", hint="restore it from git")
    return paths
