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


def _pagers(page: ox.Store) -> set[object]:
    rdf_type = ox.NamedNode(RDF.type)
    return {q.subject for cls in PAGING_CLASSES for q in page.quads_for_pattern(None, rdf_type, ox.NamedNode(cls))}


def next_page(page: ox.Store, current: str) -> str | None:
    """The address of the next page named by a paging node of this page, resolved against it."""
    links = sorted(
        q.object.value
        for pager in _pagers(page)
        for link in NEXT_LINKS
        for q in page.quads_for_pattern(pager, ox.NamedNode(link), None)  # type: ignore[arg-type]
        if isinstance(q.object, (ox.NamedNode, ox.Literal))
    )
    return urljoin(current, links[0].strip()) if links else None


def drop_paging(page: ox.Store) -> None:
    """Remove the paging machinery from a page, leaving what describes the catalogue."""
    doomed = [q for pager in _pagers(page) for q in page.quads_for_pattern(pager, None, None)]  # type: ignore[arg-type]
    doomed += [q for term in PAGING_TERMS for q in page.quads_for_pattern(None, ox.NamedNode(term), None)]
    hydra = str(HYDRA)
    doomed += [
        q
        for q in page.quads_for_pattern(None, ox.NamedNode(RDF.type), None)
        if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(hydra)
    ]
    for quad in doomed:
        page.remove(quad)
