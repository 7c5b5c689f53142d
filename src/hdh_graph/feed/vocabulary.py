"""Vocabulary terms typed inside the feed: EU terms from the copy in ``vocab/`` (see its README), and our own
concepts (``ontology/hdh.ttl``, e.g. the dataset kinds used as ``dct:type``).

A harvester validates the feed alone, without our ontology: each concept the feed uses is described in it
(``rdf:type``, ``skos:prefLabel``, ``skos:inScheme``, its scheme, and its mappings to EU terms,
``skos:exactMatch`` / ``skos:broadMatch``, with the EU terms they name). The EU value is not added as a second
``dct:type``: ckanext-dcat keeps one ``dct:type`` per dataset, and would drop ours.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from hdh_graph.vocab import DCT, RDF, SKOS

VOCABULARY_FILES = ("healthdcat-ap-nal-subset.ttl", "adms-status.ttl")
MATCHES = frozenset({str(SKOS.exactMatch), str(SKOS.broadMatch)})
# What the feed copies of one of our concepts and of its scheme.
CONCEPT_KEEP = frozenset(
    {str(RDF.type), str(SKOS.prefLabel), str(SKOS.inScheme), str(SKOS.notation), str(SKOS.definition), *MATCHES}
)
SCHEME_KEEP = frozenset({str(RDF.type), str(DCT.title), str(SKOS.prefLabel)})


def ontology_file() -> Path:
    """``ontology/hdh.ttl`` of the project in the current directory, else of the source tree."""
    here = Path.cwd() / "ontology" / "hdh.ttl"
    return here if here.is_file() else Path(__file__).resolve().parents[3] / "ontology" / "hdh.ttl"


@lru_cache(maxsize=1)
def _terms() -> dict[str, tuple[ox.Triple, ...]]:
    """Every subject of the vocabulary copy → its triples."""
    by_subject: dict[str, list[ox.Triple]] = {}
    for name in VOCABULARY_FILES:
        data = resources.files("hdh_graph.feed").joinpath("vocab", name).read_bytes()
        for triple in ox.parse(data, format=ox.RdfFormat.TURTLE):
            by_subject.setdefault(triple.subject.value, []).append(triple)
    return {s: tuple(ts) for s, ts in by_subject.items()}


@lru_cache(maxsize=4)
def _own_terms(path: Path) -> dict[str, tuple[ox.Triple, ...]]:
    """Our SKOS concepts and schemes (``ontology/hdh.ttl``) → the triples the feed copies of each."""
    if not path.is_file():
        return {}
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    rdf_type = ox.NamedNode(str(RDF.type))
    concepts = {t.subject for t in triples if t.predicate == rdf_type and t.object == ox.NamedNode(str(SKOS.Concept))}
    schemes = {
        t.subject for t in triples if t.predicate == rdf_type and t.object == ox.NamedNode(str(SKOS.ConceptScheme))
    }
    out: dict[str, list[ox.Triple]] = {}
    for t in triples:
        keep = CONCEPT_KEEP if t.subject in concepts else SCHEME_KEEP if t.subject in schemes else frozenset()
        if isinstance(t.subject, ox.NamedNode) and t.predicate.value in keep:
            out.setdefault(t.subject.value, []).append(t)
    return {s: tuple(ts) for s, ts in out.items()}


def all_terms() -> dict[str, tuple[ox.Triple, ...]]:
    return {**_terms(), **_own_terms(ontology_file())}


def known_terms() -> frozenset[str]:
    return frozenset(_terms())


def term_triples(used: Iterable[str]) -> list[ox.Triple]:
    """The triples of each used vocabulary term (EU or ours), of the schemes they belong to and of the EU terms
    ours map to, in a stable order."""
    terms = all_terms()
    wanted: set[str] = set()
    todo = [iri for iri in used if iri in terms]
    while todo:
        iri = todo.pop()
        if iri in wanted:
            continue
        wanted.add(iri)
        for triple in terms[iri]:
            linked = triple.predicate.value == SKOS.inScheme or triple.predicate.value in MATCHES
            if linked and isinstance(triple.object, ox.NamedNode) and triple.object.value in terms:
                todo.append(triple.object.value)
    return [t for iri in sorted(wanted) for t in terms[iri]]
