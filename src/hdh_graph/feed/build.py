"""The DCAT-AP 3 / HealthDCAT-AP feed: the catalogue, a page of its datasets, their records, agents and terms.

Datasets are ordered by IRI (stable across builds). Without ``page`` the whole catalogue is one document;
with ``page`` (1-based) and ``page_size`` the catalogue is a ``hydra:Collection`` whose ``hydra:view`` is a
``hydra:PartialCollectionView`` with first / previous / next / last links. ``modified_since`` keeps the
datasets whose catalogue record was modified at or after that instant.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from hdh_graph.errors import HdhError
from hdh_graph.feed.collect import (
    as_oxigraph,
    catalog_triples,
    describe,
    describe_agent,
    describe_codelist,
    describe_stub,
    graphs_of,
)
from hdh_graph.feed.ranges import range_types
from hdh_graph.feed.records import RecordDates, catalogue_dates
from hdh_graph.feed.vocabulary import term_triples
from hdh_graph.settings import Settings
from hdh_graph.vocab import ADMS, DCAT, DCT, EU_DATA_THEME, FOAF, HYDRA, RDF, XSD

DEFAULT_PAGE_SIZE = 100
DCAT_AP_SPEC = "https://semiceu.github.io/DCAT-AP/releases/3.0.1/"
"""The application profile the catalogue records conform to."""
ADMS_STATUS_COMPLETED = "http://purl.org/adms/status/Completed"
MAX_PAGE_SIZE = 1000


class FeedError(HdhError):
    """A feed request cannot be answered (page out of range, bad page size)."""


@dataclass
class FeedPage:
    """One document of the feed: its triples and where it sits in the paged collection."""

    triples: list[ox.Triple]
    datasets: list[str]
    total: int
    page: int = 1
    page_size: int | None = None
    last_page: int = 1
    record_sources: dict[str, str] = field(default_factory=dict)

    def serialize(self, fmt: str = "turtle") -> bytes:
        from hdh_graph.feed.serialize import serialize

        return serialize(self.triples, fmt)


def _nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _dt(value: datetime) -> ox.Literal:
    return ox.Literal(value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=_nn(XSD.dateTime))


def record_iri(settings: Settings, dataset: str) -> str:
    """The catalogue record of a dataset: ``catalog/record/{dataset path}`` (hashed for foreign IRIs)."""
    base = settings.base_iri
    rel = (
        dataset[len(base) :] if dataset.startswith(base) else "ext/" + hashlib.sha256(dataset.encode()).hexdigest()[:16]
    )
    return f"{base}catalog/record/{rel}"


def dataset_iris(store: ox.Store) -> list[str]:
    """Every dataset (IRI-named) in the store, sorted."""
    found = store.quads_for_pattern(None, _nn(RDF.type), _nn(DCAT.Dataset), None)
    return sorted({q.subject.value for q in found if isinstance(q.subject, ox.NamedNode)})


def dataset_dates(store: ox.Store, settings: Settings) -> dict[str, RecordDates]:
    """Each dataset's record dates: those of the catalogue file(s) that describe it."""
    files = catalogue_dates(settings.catalogue) if settings.catalogue.is_dir() else {}
    prefix = settings.graph_iri("")
    out: dict[str, RecordDates] = {}
    for iri in dataset_iris(store):
        dates = [files[g[len(prefix) :]] for g in graphs_of(store, iri, DCAT.Dataset) if g[len(prefix) :] in files]
        if dates:
            source = "git" if all(d.source == "git" for d in dates) else "mtime"
            out[iri] = RecordDates(min(d.issued for d in dates), max(d.modified for d in dates), source)
    return out


def _page_url(feed_url: str, page: int, modified_since: datetime | None, size: int = DEFAULT_PAGE_SIZE) -> str:
    query: dict[str, str] = {"page": str(page)}
    if size != DEFAULT_PAGE_SIZE:
        query["page_size"] = str(size)
    if modified_since is not None:
        query["modified_since"] = modified_since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{feed_url}?{urlencode(query)}"


def _hydra(
    catalog: str, feed_url: str, page: int, last: int, total: int, since: datetime | None, size: int
) -> list[ox.Triple]:
    def link(number: int) -> ox.NamedNode:
        return _nn(_page_url(feed_url, number, since, size))

    view = link(page)
    cat = _nn(catalog)
    out = [
        ox.Triple(cat, _nn(RDF.type), _nn(HYDRA.Collection)),
        ox.Triple(cat, _nn(HYDRA.totalItems), ox.Literal(str(total), datatype=_nn(XSD.integer))),
        ox.Triple(cat, _nn(HYDRA.view), view),
        ox.Triple(view, _nn(RDF.type), _nn(HYDRA.PartialCollectionView)),
        ox.Triple(view, _nn(HYDRA.first), link(1)),
        ox.Triple(view, _nn(HYDRA.last), link(last)),
    ]
    if page > 1:
        out.append(ox.Triple(view, _nn(HYDRA.previous), link(page - 1)))
    if page < last:
        out.append(ox.Triple(view, _nn(HYDRA.next), link(page + 1)))
    return out


def build_feed(
    store: Any,
    settings: Settings,
    page: int | None = None,
    page_size: int | None = None,
    modified_since: datetime | None = None,
    feed_url: str | None = None,
    include_harvested: bool = False,
) -> FeedPage:
    """One page of the feed (the whole catalogue when ``page`` and ``page_size`` are not given).

    Datasets harvested from partners (described only in ``catalogue/harvested/``) are left out unless
    ``include_harvested``: their publishers' own feeds are where portals harvest them.
    """
    ox_store = as_oxigraph(store)
    catalog = settings.base_iri + "catalog"
    dates = dataset_dates(ox_store, settings)
    datasets = dataset_iris(ox_store)
    if not include_harvested:
        datasets = [d for d in datasets if not _harvested_only(ox_store, settings, d)]
    if modified_since is not None:
        since = modified_since if modified_since.tzinfo else modified_since.replace(tzinfo=UTC)
        datasets = [d for d in datasets if d in dates and dates[d].modified >= since]
    total = len(datasets)
    paged = page is not None or page_size is not None
    size = page_size if page_size is not None else (DEFAULT_PAGE_SIZE if paged else max(total, 1))
    if size < 1 or (paged and size > MAX_PAGE_SIZE):
        raise FeedError(f"page size {size} is out of range", hint=f"ask for 1 to {MAX_PAGE_SIZE} datasets a page")
    number = page if page is not None else 1
    last = max(1, -(-total // size))
    if number < 1 or number > last:
        raise FeedError(f"page {number} does not exist", hint=f"pages run from 1 to {last}")
    chosen = datasets[(number - 1) * size : number * size]

    cat = catalog_triples(ox_store, catalog)
    triples: list[ox.Triple] = list(cat.triples)
    if not any(t.predicate.value == RDF.type and t.object.value == DCAT.Catalog for t in triples):
        triples.append(ox.Triple(_nn(catalog), _nn(RDF.type), _nn(DCAT.Catalog)))
    agents, codelists, stubs, used = set(cat.agents), set(), set(), set(cat.objects)
    sources: dict[str, str] = {}
    for iri in chosen:
        desc = describe(ox_store, iri)
        triples.extend(desc.triples)
        agents |= desc.agents
        codelists |= desc.codelists
        stubs |= desc.stubs
        used |= desc.objects
        triples.append(ox.Triple(_nn(catalog), _nn(DCAT.dataset), _nn(iri)))
        if iri in dates:
            record = _nn(record_iri(settings, iri))
            triples += [
                ox.Triple(_nn(catalog), _nn(DCAT.record), record),
                ox.Triple(record, _nn(RDF.type), _nn(DCAT.CatalogRecord)),
                ox.Triple(record, _nn(FOAF.primaryTopic), _nn(iri)),
                ox.Triple(record, _nn(DCT.issued), _dt(dates[iri].issued)),
                ox.Triple(record, _nn(DCT.modified), _dt(dates[iri].modified)),
                ox.Triple(record, _nn(DCT.conformsTo), _nn(DCAT_AP_SPEC)),
                ox.Triple(record, _nn(ADMS.status), _nn(ADMS_STATUS_COMPLETED)),
            ]
            sources[iri] = dates[iri].source
    for agent in sorted(agents):
        desc = describe_agent(ox_store, agent)
        triples.extend(desc.triples)
        used |= desc.objects
    for scheme in sorted(codelists):
        triples.extend(describe_codelist(ox_store, scheme))
    for iri in sorted(stubs):
        triples.extend(describe_stub(ox_store, iri))
    used |= {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)}
    triples.extend(term_triples(used))
    triples.extend(_catalog_summary(catalog, triples, dates, chosen, settings))
    triples.extend(range_types(triples))
    if paged:
        url = feed_url or settings.base_iri + "catalog.ttl"
        triples.extend(_hydra(catalog, url, number, last, total, modified_since, size))
    return FeedPage(
        triples=_unique(triples),
        datasets=chosen,
        total=total,
        page=number,
        page_size=size if paged else None,
        last_page=last,
        record_sources=sources,
    )


def _harvested_only(store: ox.Store, settings: Settings, dataset: str) -> bool:
    graphs = graphs_of(store, dataset, DCAT.Dataset)
    prefix = settings.graph_iri("harvested/")
    return bool(graphs) and all(g.startswith(prefix) for g in graphs)


def _catalog_summary(
    catalog: str, triples: list[ox.Triple], dates: dict[str, RecordDates], chosen: list[str], settings: Settings
) -> list[ox.Triple]:
    """What DCAT-AP recommends for the catalogue and the feed can state when the catalogue file does not:
    its issued and modified dates (from the records) and the EU theme taxonomy its datasets use."""
    cat = _nn(catalog)
    has = {t.predicate.value for t in triples if t.subject == cat}
    out: list[ox.Triple] = []
    stamps = list(dates.values())
    if stamps and DCT.issued not in has:
        out.append(ox.Triple(cat, _nn(DCT.issued), _dt(min(d.issued for d in stamps))))
    if stamps and DCT.modified not in has:
        out.append(ox.Triple(cat, _nn(DCT.modified), _dt(max(d.modified for d in stamps))))
    themes = str(EU_DATA_THEME)
    uses_eu_themes = any(t.predicate.value == DCAT.theme and t.object.value.startswith(themes) for t in triples)
    if uses_eu_themes and DCAT.themeTaxonomy not in has:
        out.append(ox.Triple(cat, _nn(DCAT.themeTaxonomy), _nn(themes.rstrip("/"))))
    return out


def _unique(triples: list[ox.Triple]) -> list[ox.Triple]:
    seen: set[ox.Triple] = set()
    out = []
    for t in triples:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out
