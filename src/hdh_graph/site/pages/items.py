"""The site as items: each resource's pages, the parts catalogue-wide pages are assembled from, and those pages.

An *item* is what is rebuilt as one: a resource (its page, or its pages for a long code list), a part (one
dataset's entry on the home page, one table's rows on the crossing page, one entry of a listing), or a
catalogue-wide page. Each item is built while the facts record what it reads (:meth:`Facts.tracking`), so
that an incremental build knows which items a change touches.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from hdh_graph.site.i18n import Localized
from hdh_graph.site.pages.context import DatasetEntry, Page, Ref, TablePage, VariablePage
from hdh_graph.site.pages.overview import OverviewBuilder
from hdh_graph.site.pages.resolve import kind_of, sort_key
from hdh_graph.site.read.curation import Curation
from hdh_graph.site.read.facts import Node
from hdh_graph.vocab import CSVW, DCAT, DCT, FOAF, HEALTHDCATAP, SKOS

FILTER_PROPERTIES = (DCAT.theme, HEALTHDCATAP.healthCategory, DCT.accessRights, DCT.publisher)
"""What a dataset's search filters (see :mod:`filters`) are made of."""
RESOURCE_KINDS = frozenset({"dataset", "table", "variable", "codelist", "agent"})
PART_PREFIXES = ("home:", "cross:", "agents:", "codelists:")
GLOBAL_PAGES = ("page:home", "page:crossing", "page:agents", "page:codelists", "page:about", "page:search")
LISTINGS: dict[str, tuple[str, Localized]] = {
    "agents": ("agent", Localized((("en", "Organisations"), ("fr", "Organisations")))),
    "codelists": ("codelist", Localized((("en", "Code lists"), ("fr", "Nomenclatures")))),
}
STATIC: dict[str, Localized] = {
    "about": Localized((("en", "How to access the data"), ("fr", "Accéder aux données"))),
    "search": Localized((("en", "Search"), ("fr", "Rechercher"))),
}


@dataclass
class Built:
    key: str
    pages: list[Page] = field(default_factory=list)
    deps: set[str] = field(default_factory=set)
    part: Any = None


def resource_item(builder: OverviewBuilder, node: Node) -> Built | None:
    """The pages of one resource, or ``None`` when the resource has no page."""
    kind = kind_of(node)
    if kind not in RESOURCE_KINDS:
        return None
    item = Built(node.key)
    with builder.facts.tracking() as deps:
        if kind == "dataset":
            item.pages = [builder.dataset(node)]
        elif kind == "table":
            item.pages = [builder.table(node)]
        elif kind == "variable":
            item.pages = [builder.variable(node)]
        elif kind == "codelist":
            item.pages = list(builder.codelist(node))
        else:
            item.pages = [builder.agent(node)]
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


def all_resources(builder: OverviewBuilder) -> list[Node]:
    f = builder.facts
    nodes: dict[str, Node] = {}
    for cls in (DCAT.Dataset, DCAT.DatasetSeries, CSVW.Table, CSVW.Column, SKOS.ConceptScheme, FOAF.Agent):
        nodes.update((n.key, n) for n in f.of_type(cls))
    nodes.update((n.key, n) for n in f.of_type(FOAF.Organization))
    return [nodes[k] for k in sorted(nodes)]


def home_part(builder: OverviewBuilder, iri: str) -> Built:
    item = Built("home:" + iri)
    with builder.facts.tracking() as deps:
        item.part = builder.home_entry(iri)
    item.deps = deps
    return item


def crossing_part(builder: OverviewBuilder, table: str) -> Built:
    item = Built("cross:" + table)
    with builder.facts.tracking() as deps:
        item.part = builder.crossing_row(table)
    item.deps = deps
    return item


def listing_part(builder: OverviewBuilder, listing: str, iri: str) -> Built:
    item = Built(f"{listing}:{iri}")
    with builder.facts.tracking() as deps:
        item.part = builder.r.ref(iri)
    item.deps = deps
    return item


def all_parts(builder: OverviewBuilder, resources: list[Node]) -> Iterator[Built]:
    datasets = [n for n in resources if kind_of(n) == "dataset"]
    for iri in builder.top_datasets(datasets):
        yield home_part(builder, iri)
    for node in resources:
        kind = kind_of(node)
        if kind == "table":
            yield crossing_part(builder, node.key)
        elif kind == "agent":
            yield listing_part(builder, "agents", node.key)
        elif kind == "codelist":
            yield listing_part(builder, "codelists", node.key)


def global_pages(
    builder: OverviewBuilder,
    catalog: Node | None,
    parts: dict[str, Any],
    counts: tuple[tuple[str, int], ...],
    only: set[str] | None = None,
) -> dict[str, Page]:
    """The catalogue-wide pages, assembled from the parts (``only``: just these ones)."""
    want = set(GLOBAL_PAGES) if only is None else only
    out: dict[str, Page] = {}
    if "page:home" in want:
        entries: list[DatasetEntry] = [v for k, v in parts.items() if k.startswith("home:")]
        out["page:home"] = builder.home(catalog, entries, counts)
    if "page:crossing" in want:
        rows = [v for k, v in sorted(parts.items()) if k.startswith("cross:")]
        out["page:crossing"] = builder.crossing(rows)
    for listing, (path, title) in LISTINGS.items():
        if "page:" + listing in want:
            refs: list[Ref] = [v for k, v in parts.items() if k.startswith(listing + ":")]
            out["page:" + listing] = builder.listing(listing, path, title, tuple(sorted(refs, key=sort_key)))
    for name, title in STATIC.items():
        if "page:" + name in want:
            out["page:" + name] = builder.static(name, name, title)
    return out


def with_notes(pages: list[Page], curation: Curation | None) -> list[Page]:
    """The pages, each first page of a resource (or the home page) with the validation notes about it."""
    if curation is None or not len(curation):
        return pages
    out = []
    for page in pages:
        first = getattr(page, "page_number", 1) == 1 and (page.kind in RESOURCE_KINDS or page.kind == "home")
        notes = curation.for_resource(page.iri) if first else ()
        out.append(replace(page, notes=notes) if notes else page)
    return out
