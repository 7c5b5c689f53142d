"""The site as items: each resource's pages, the parts catalogue-wide pages are assembled from, and those pages.

An *item* is what is rebuilt as one: a resource (its page, or its pages for a long code list), a part (one
dataset's entry on the home page, one table's rows on the crossing page, one entry of a listing), or a
catalogue-wide page. Each item is built while the facts record what it reads (:meth:`Facts.tracking`), so
that an incremental build knows which items a change touches.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from hdh_graph.site.kinds import GLOBAL_KEYS, RESOURCE_PAGES, SITE_PAGES, maker_of_part
from hdh_graph.site.pages.context import Page, TablePage, VariablePage
from hdh_graph.site.pages.overview import OverviewBuilder
from hdh_graph.site.pages.resolve import kind_of
from hdh_graph.site.read.curation import Curation
from hdh_graph.site.read.facts import Node
from hdh_graph.vocab import DCAT, DCT, HEALTHDCATAP

FILTER_PROPERTIES = (DCAT.theme, HEALTHDCATAP.healthCategory, DCT.accessRights, DCT.publisher)
"""What a dataset's search filters (see :mod:`filters`) are made of."""


@dataclass
class Built:
    key: str
    pages: list[Page] = field(default_factory=list)
    deps: set[str] = field(default_factory=set)
    part: Any = None


def resource_item(builder: OverviewBuilder, node: Node) -> Built | None:
    """The pages of one resource, or ``None`` when the resource has no page."""
    kind = RESOURCE_PAGES.get(kind_of(node))
    if kind is None:
        return None
    item = Built(node.key)
    with builder.facts.tracking() as deps:
        item.pages = kind.build(builder, node)
        for page in item.pages:
            if isinstance(page, (TablePage, VariablePage)) and page.dataset is not None:
                _read_filters(builder, page.dataset.iri)
    item.deps = deps
    return item


def _read_filters(builder: OverviewBuilder, dataset: str) -> None:
    """A table or variable page takes its dataset's search filters: it reads what they are made of."""
    facts = builder.facts
    node = facts.nodes.get(dataset)
    facts.track("l:" + dataset)  # the "product" filter is the dataset's title
    for pred in FILTER_PROPERTIES:
        facts.track(f"p:{dataset}|{pred}")
        for iri in node.iris(pred) if node else []:
            facts.track("l:" + iri)


def part_item(builder: OverviewBuilder, key: str) -> Built:
    """One part of a catalogue-wide page (``home:<iri>``, ``cross:<iri>``...), tracked like a page."""
    page = maker_of_part(key)
    assert page.part is not None
    item = Built(key)
    with builder.facts.tracking() as deps:
        item.part = page.part(builder, key.split(":", 1)[1])
    item.deps = deps
    return item


def global_pages(
    builder: OverviewBuilder,
    catalog: Node | None,
    parts: dict[str, Any],
    counts: tuple[tuple[str, int], ...],
    only: set[str] | None = None,
) -> dict[str, list[Page]]:
    """The catalogue-wide pages, assembled from the parts (``only``: just these ones)."""
    want = set(GLOBAL_KEYS) if only is None else only
    out: dict[str, list[Page]] = {}
    for page in SITE_PAGES.values():
        if page.key in want and page.assemble is not None:
            mine = {k: v for k, v in parts.items() if page.parts and k.startswith(page.parts + ":")}
            out[page.key] = page.assemble(builder, page, catalog, mine, counts)
    return out


def with_notes(pages: list[Page], curation: Curation | None) -> list[Page]:
    """The pages, each first page of a resource (or the home page) with the validation notes about it."""
    if curation is None or not len(curation):
        return pages
    out = []
    for page in pages:
        first = getattr(page, "page_number", 1) == 1 and (page.kind in RESOURCE_PAGES or page.kind == "home")
        notes = curation.for_resource(page.iri) if first else ()
        out.append(replace(page, notes=notes) if notes else page)
    return out
