"""What the documentation links to: the datasets, tables and variables the catalogue describes, with their texts.

The catalogue's own Turtle files are read (every folder but the one this import writes), so that the links
name only resources that exist, whichever database described them (the SNDS, the OMOP CDM...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from hdh_graph.vocab import CSVW, DCAT, DCT

PLACEHOLDER_BASE = "https://catalogue.invalid/"


@dataclass
class CatalogueIndex:
    """Relative IRIs of the catalogue's datasets, tables (by name) and described tables and variables."""

    datasets: set[str] = field(default_factory=set)
    tables: dict[str, str] = field(default_factory=dict)  # table name -> IRI
    texts: dict[str, str] = field(default_factory=dict)  # table or variable IRI -> its descriptions, joined


def _relative(term: ox.NamedNode) -> str | None:
    value = term.value
    return value[len(PLACEHOLDER_BASE) :] if value.startswith(PLACEHOLDER_BASE) else None


def read_catalogue(catalogue: Path, skip: str) -> CatalogueIndex:
    store = ox.Store()
    for path in sorted(catalogue.rglob("*.ttl")):
        parts = path.relative_to(catalogue).parts
        if parts[0] == skip or any(p.startswith(".") for p in parts):
            continue
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=PLACEHOLDER_BASE)
    index = CatalogueIndex()
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for quad in store.quads_for_pattern(None, rdf_type, ox.NamedNode(DCAT.Dataset)):
        iri = _relative(quad.subject) if isinstance(quad.subject, ox.NamedNode) else None
        if iri:
            index.datasets.add(iri)
    query = f"""
        SELECT ?r ?kind ?name ?text WHERE {{
            VALUES ?kind {{ <{CSVW.Table}> <{CSVW.Column}> }}
            ?r a ?kind .
            OPTIONAL {{ ?r <{DCT.identifier}> ?name }}
            OPTIONAL {{ ?r <{DCT.description}> ?text }}
        }}"""
    texts: dict[str, list[str]] = {}
    for row in store.query(query):  # type: ignore[union-attr]
        iri = _relative(row["r"])
        if iri is None:
            continue
        if row["kind"].value == CSVW.Table and row["name"] is not None:
            index.tables[row["name"].value] = iri
        if row["text"] is not None:
            texts.setdefault(iri, []).append(row["text"].value)
    index.texts = {iri: "\n".join(sorted(set(values))) for iri, values in texts.items()}
    return index
