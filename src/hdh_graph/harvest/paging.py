"""Follow Hydra paging: ``hydra:PartialCollectionView`` (``hydra:next``) and the older ``hydra:PagedCollection``
(``hydra:nextPage``), whose links some publishers write as literals rather than IRIs."""

from __future__ import annotations

from urllib.parse import urljoin

import pyoxigraph as ox

from hdh_graph.vocab import HYDRA, RDF

PAGING_CLASSES = (HYDRA.PartialCollectionView, HYDRA.PagedCollection)
NEXT_LINKS = (HYDRA.next, HYDRA.nextPage)
PAGING_TERMS = frozenset(
    {
        HYDRA.view,
        HYDRA.totalItems,
        HYDRA.itemsPerPage,
        HYDRA.member,
        HYDRA.first,
        HYDRA.last,
        HYDRA.next,
        HYDRA.previous,
        HYDRA.firstPage,
        HYDRA.lastPage,
        HYDRA.nextPage,
        HYDRA.previousPage,
    }
)


def next_page(triples: list[ox.Triple], current: str) -> str | None:
    """The address of the next page named by a paging node of this document, resolved against it."""
    pagers = {
        t.subject
        for t in triples
        if t.predicate.value == RDF.type and isinstance(t.object, ox.NamedNode) and t.object.value in PAGING_CLASSES
    }
    links = sorted(
        t.object.value
        for t in triples
        if t.subject in pagers and t.predicate.value in NEXT_LINKS and not isinstance(t.object, ox.BlankNode)
    )
    return urljoin(current, links[0].strip()) if links else None


def without_paging(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The triples that describe the catalogue, less the paging machinery."""
    pagers = {
        t.subject
        for t in triples
        if t.predicate.value == RDF.type and isinstance(t.object, ox.NamedNode) and t.object.value in PAGING_CLASSES
    }
    return [
        t
        for t in triples
        if t.subject not in pagers
        and t.predicate.value not in PAGING_TERMS
        and not (t.predicate.value == RDF.type and t.object.value.startswith(str(HYDRA)))
    ]
