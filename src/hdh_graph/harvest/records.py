"""Split a harvested catalogue into one self-contained record per dataset, and check each record on its own.

A record holds the dataset, its blank nodes and every resource the document describes that it points to
(distributions, agents, contact points, concepts…), but not other datasets, series, catalogues or catalogue
records, nor what lies beyond links such as ``dct:isPartOf`` or ``skos:hasTopConcept``: those stay links.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from hdh_graph.vocab import DCAT, DCT, RDF, SKOS

RECORD_CLASSES = (DCAT.Dataset, DCAT.DatasetSeries)
STOP_AT_CLASSES = frozenset({DCAT.Dataset, DCAT.DatasetSeries, DCAT.Catalog, DCAT.CatalogRecord})
LINKS_NOT_FOLLOWED = frozenset(
    {
        DCAT.dataset,
        DCAT.record,
        DCAT.catalog,
        DCAT.inSeries,
        DCAT.seriesMember,
        DCAT.prev,
        DCAT.next,
        DCAT.first,
        DCAT.last,
        DCT.hasPart,
        DCT.isPartOf,
        DCT.relation,
        DCT.source,
        DCT.isVersionOf,
        DCT.hasVersion,
        DCT.replaces,
        DCT.isReplacedBy,
        DCT.requires,
        DCT.isRequiredBy,
        DCT.references,
        DCT.isReferencedBy,
        SKOS.hasTopConcept,
        SKOS.narrower,
        SKOS.broader,
        SKOS.member,
        "http://www.w3.org/ns/prov#wasDerivedFrom",
    }
)


@dataclass
class Record:
    """One dataset's description as harvested."""

    subject: ox.NamedNode | ox.BlankNode
    triples: list[ox.Triple]
    identifiers: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was dropped from the record and why (:mod:`hdh_graph.harvest.confine`); the rest is kept."""

    @property
    def key(self) -> str:
        """The dataset IRI, or for a blank-node dataset its identifier or a hash of its content."""
        if isinstance(self.subject, ox.NamedNode):
            return self.subject.value
        if self.identifiers:
            return "urn:identifier:" + self.identifiers[0]
        body = "\n".join(sorted(f"{t.predicate} {t.object}" for t in self.triples if t.subject == self.subject))
        return "urn:sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()

    @property
    def slug(self) -> str:
        """A file name stem: readable end of the key plus a short hash, stable across harvests."""
        tail = re.split(r"[/#:]", self.key.rstrip("/#"))[-1]
        tail = re.sub(r"[^A-Za-z0-9._-]+", "-", tail).strip("-.")[:60] or "dataset"
        return f"{tail}-{hashlib.sha256(self.key.encode('utf-8')).hexdigest()[:10]}"


def split(store: ox.Store) -> list[Record]:
    """One record per dataset or dataset series of the harvested graph, in a stable order."""
    typed: dict[object, set[str]] = {}  # only the classes that matter here: records and where to stop
    for cls in STOP_AT_CLASSES:
        for q in store.quads_for_pattern(None, ox.NamedNode(RDF.type), ox.NamedNode(cls)):
            typed.setdefault(q.subject, set()).add(cls)
    roots = [s for s, types in typed.items() if types & set(RECORD_CLASSES)]
    records = [_record(store, root, typed) for root in roots]  # type: ignore[arg-type]
    return sorted(records, key=lambda r: r.key)


def _record(store: ox.Store, root: ox.NamedNode | ox.BlankNode, typed: dict[object, set[str]]) -> Record:
    out: list[ox.Triple] = []
    todo: list[object] = [root]
    done: set[object] = set()
    while todo:
        node = todo.pop()
        if node in done:
            continue
        done.add(node)
        for quad in store.quads_for_pattern(node, None, None, None):  # type: ignore[arg-type]
            out.append(ox.Triple(quad.subject, quad.predicate, quad.object))
            obj = quad.object
            if isinstance(obj, ox.Literal) or quad.predicate.value in LINKS_NOT_FOLLOWED:
                continue
            if typed.get(obj, set()) & STOP_AT_CLASSES:
                continue
            todo.append(obj)
    identifiers = sorted(
        t.object.value
        for t in out
        if t.subject == root and t.predicate.value == DCT.identifier and not isinstance(t.object, ox.Triple)
    )
    record = Record(root, out, identifiers)
    record.problems = check(record)
    return record


def _literals(record: Record, subject: object, predicate: str) -> list[ox.Literal]:
    return [
        t.object
        for t in record.triples
        if t.subject == subject and t.predicate.value == predicate and isinstance(t.object, ox.Literal)
    ]


def check(record: Record) -> list[str]:
    """What DCAT-AP 3.0.1 makes mandatory and this record lacks (an empty list when it is usable)."""
    problems = []
    for prop, name in ((DCT.title, "dct:title"), (DCT.description, "dct:description")):
        values = [v for v in _literals(record, record.subject, prop) if v.value.strip()]
        if not values:
            problems.append(f"dataset has no {name} (mandatory in DCAT-AP)")
    distributions = sorted(
        (t.object for t in record.triples if t.subject == record.subject and t.predicate.value == DCAT.distribution),
        key=str,
    )
    for dist in distributions:
        if isinstance(dist, ox.Literal):
            problems.append(f"dcat:distribution {dist.value!r} is a literal, not a resource")
        elif not any(t.subject == dist and t.predicate.value == DCAT.accessURL for t in record.triples):
            problems.append(f"distribution {dist} has no dcat:accessURL (mandatory in DCAT-AP)")
    return problems
