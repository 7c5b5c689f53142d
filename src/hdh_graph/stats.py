"""Counts that describe the store: triples, resources by class, triples by source file."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from hdh_graph.catalogue_files import relative_of_graph
from hdh_graph.graph_store import GraphStore, select
from hdh_graph.settings import Settings

_BY_CLASS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class"""

_BY_GRAPH = """
SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }
GROUP BY ?g ORDER BY ?g"""


@dataclass(frozen=True)
class StoreStats:
    """How big the store is and where its triples come from."""

    triples: int
    by_class: list[tuple[str, int]] = field(default_factory=list)
    """(class IRI, number of resources of that class), most frequent first."""
    by_file: list[tuple[str, int]] = field(default_factory=list)
    """(source file relative to the catalogue, or graph IRI when not a catalogue file, triples), by name."""

    def as_dict(self) -> dict[str, object]:
        return {
            "triples": self.triples,
            "classes": [{"class": c, "resources": n} for c, n in self.by_class],
            "files": [{"file": f, "triples": n} for f, n in self.by_file],
        }


def _int(term: object) -> int:
    return int(term.value) if isinstance(term, ox.Literal) else 0


def store_stats(store: GraphStore, settings: Settings) -> StoreStats:
    """Count triples in total, resources by ``rdf:type`` (across all files) and triples by source file."""
    by_class = [
        (str(row["class"].value), _int(row["n"]))
        for row in select(store, _BY_CLASS, use_default_graph_as_union=True)
        if row["class"] is not None
    ]
    by_file = []
    for row in select(store, _BY_GRAPH):
        graph = str(row["g"].value)
        by_file.append((relative_of_graph(settings, graph) or graph, _int(row["n"])))
    by_file.sort()
    return StoreStats(triples=len(store), by_class=by_class, by_file=by_file)
