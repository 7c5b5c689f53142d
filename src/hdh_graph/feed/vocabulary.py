"""EU vocabulary terms typed inside the feed, from the copy in ``vocab/`` (see its README)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import pyoxigraph as ox

from hdh_graph.vocab import SKOS

VOCABULARY_FILES = ("healthdcat-ap-nal-subset.ttl", "adms-status.ttl")


@lru_cache(maxsize=1)
def _terms() -> dict[str, tuple[ox.Triple, ...]]:
    """Every subject of the vocabulary copy → its triples."""
    by_subject: dict[str, list[ox.Triple]] = {}
    for name in VOCABULARY_FILES:
        data = resources.files("hdh_graph.feed").joinpath("vocab", name).read_bytes()
        for triple in ox.parse(data, format=ox.RdfFormat.TURTLE):
            by_subject.setdefault(triple.subject.value, []).append(triple)
    return {s: tuple(ts) for s, ts in by_subject.items()}


def known_terms() -> frozenset[str]:
    return frozenset(_terms())


def term_triples(used: Iterable[str]) -> list[ox.Triple]:
    """The triples of each used vocabulary term, and of the schemes they belong to, in a stable order."""
    terms = _terms()
    wanted: set[str] = set()
    for iri in used:
        if iri not in terms:
            continue
        wanted.add(iri)
        for triple in terms[iri]:
            if triple.predicate.value == SKOS.inScheme and isinstance(triple.object, ox.NamedNode):
                wanted.add(triple.object.value)
    return [t for iri in sorted(wanted) for t in terms[iri]]
