"""Hydra paging of the feed: the catalogue as a ``hydra:Collection`` whose ``hydra:view`` is the page at hand.

Each page is a ``hydra:PartialCollectionView`` with ``hydra:first``, ``hydra:last`` and, where they exist,
``hydra:previous`` and ``hydra:next``; the collection states ``hydra:totalItems`` on every page. Harvesters
follow ``hydra:next`` from the first page to the last (ckanext-dcat's RDF harvester; piveau's RDF importer,
which also reads ``hydra:totalItems``). The live feed's page URLs carry the page in the query string
(:func:`query_page_url`); the static site's are files (:mod:`hdh_graph.site.publish.feed`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlencode

import pyoxigraph as ox

from hdh_graph.vocab import HYDRA, RDF, XSD

DEFAULT_PAGE_SIZE = 100


def query_page_url(feed_url: str, page: int, modified_since: datetime | None, size: int = DEFAULT_PAGE_SIZE) -> str:
    """A live feed page: ``{feed_url}?page=2`` (with ``page_size`` when not the default, and ``modified_since``)."""
    query: dict[str, str] = {"page": str(page)}
    if size != DEFAULT_PAGE_SIZE:
        query["page_size"] = str(size)
    if modified_since is not None:
        query["modified_since"] = modified_since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{feed_url}?{urlencode(query)}"


def view_triples(collection: str, page_url: Callable[[int], str], page: int, last: int, total: int) -> list[ox.Triple]:
    """The collection's size and its view for ``page`` of ``last``, the pages named by ``page_url(number)``."""

    def link(number: int) -> ox.NamedNode:
        return ox.NamedNode(page_url(number))

    view = link(page)
    cat = ox.NamedNode(collection)
    out = [
        ox.Triple(cat, ox.NamedNode(RDF.type), ox.NamedNode(HYDRA.Collection)),
        ox.Triple(cat, ox.NamedNode(HYDRA.totalItems), ox.Literal(str(total), datatype=ox.NamedNode(XSD.integer))),
        ox.Triple(cat, ox.NamedNode(HYDRA.view), view),
        ox.Triple(view, ox.NamedNode(RDF.type), ox.NamedNode(HYDRA.PartialCollectionView)),
        ox.Triple(view, ox.NamedNode(HYDRA.first), link(1)),
        ox.Triple(view, ox.NamedNode(HYDRA.last), link(last)),
    ]
    if page > 1:
        out.append(ox.Triple(view, ox.NamedNode(HYDRA.previous), link(page - 1)))
    if page < last:
        out.append(ox.Triple(view, ox.NamedNode(HYDRA.next), link(page + 1)))
    return out
