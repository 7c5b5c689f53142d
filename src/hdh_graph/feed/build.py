"""The DCAT-AP 3 / HealthDCAT-AP feed: the catalogue, a page of its datasets, their records, agents and terms.

Datasets are ordered by IRI (stable across builds). Without ``page`` the whole catalogue is one document;
with ``page`` (1-based) and ``page_size`` the catalogue is a ``hydra:Collection`` whose ``hydra:view`` is a
``hydra:PartialCollectionView`` with first / previous / next / last links (:mod:`hdh_graph.feed.hydra`).
Each dataset carries its MQA score and EHDS label (:mod:`hdh_graph.feed.quality`), computed once by
:func:`read_catalogue`. ``modified_since`` keeps the datasets whose catalogue record was modified at or after
that instant.

``build_feed`` answers one page. Writing every page reads what they share once (:func:`read_catalogue`:
the ordered datasets, their record dates, the catalogue's own description) and then each page's datasets
(:func:`page_triples`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyoxigraph as ox

from hdh_graph.errors import HdhError
from hdh_graph.feed.collect import (
    Description,
    as_graph_store,
    catalog_iri,
    catalog_triples,
    describe_agent,
    describe_codelist,
    describe_concepts,
    describe_dataset,
    describe_stub,
)
from hdh_graph.feed.hydra import DEFAULT_PAGE_SIZE, query_page_url, view_triples
from hdh_graph.feed.quality import FeedQuality, read_quality
from hdh_graph.feed.ranges import range_types, with_datatypes
from hdh_graph.feed.records import RecordDates, catalogue_dates
from hdh_graph.feed.serialize import canonical, write
from hdh_graph.feed.vocabulary import term_triples
from hdh_graph.graph_store import GraphStore
from hdh_graph.settings import Settings
from hdh_graph.vocab import ADMS, DCAT, DCT, EU_DATA_THEME, FOAF, RDF, XSD

DCAT_AP_SPEC = "https://semiceu.github.io/DCAT-AP/releases/3.0.1/"
"""The application profile the catalogue records conform to."""
ADMS_STATUS_COMPLETED = "http://purl.org/adms/status/Completed"
MAX_PAGE_SIZE = 1000
CONCEPT_LINKS = frozenset({DCAT.theme, DCT.type, "http://healthdataportal.eu/ns/health#healthCategory"})
"""Properties whose values the official ranges ask to be ``skos:Concept``: values the catalogue describes (local
themes…) are described in the feed (:func:`describe_concepts`)."""


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
    _ordered: list[ox.Triple] | None = field(default=None, init=False, repr=False, compare=False)

    def ordered(self) -> list[ox.Triple]:
        """The triples in the order they are written (worked out once for all formats)."""
        if self._ordered is None:
            self._ordered = canonical(self.triples)
        return self._ordered

    def serialize(self, fmt: str = "turtle") -> bytes:
        return write(self.ordered(), fmt)


@dataclass
class FeedCatalogue:
    """What every page of the feed shares, read from the store once."""

    iri: str
    datasets: list[str]
    """The datasets of the feed, in feed order (by IRI), after the harvested and ``modified_since`` filters."""
    dates: dict[str, RecordDates]
    """Record dates of every dataset of the store (the catalogue's own dates are the span of them all)."""
    description: Description
    """The catalogue's own triples, and the agents and terms they cite."""
    quality: FeedQuality = field(default_factory=FeedQuality)
    """Each dataset's MQA measurements and EHDS certificate, computed once for all pages."""
    issued: datetime | None = field(init=False)
    modified: datetime | None = field(init=False)

    def __post_init__(self) -> None:
        stamps = self.dates.values()
        self.issued = min((d.issued for d in stamps), default=None)
        self.modified = max((d.modified for d in stamps), default=None)


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


def _dataset_graphs(store: GraphStore) -> dict[str, set[str]]:
    """Every IRI-named dataset → the named graphs (catalogue files) that type it, in one pass over the store."""
    out: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, _nn(RDF.type), _nn(DCAT.Dataset), None):
        if isinstance(quad.subject, ox.NamedNode):
            graphs = out.setdefault(quad.subject.value, set())
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.add(quad.graph_name.value)
    return out


def _dates(graphs: dict[str, set[str]], settings: Settings) -> dict[str, RecordDates]:
    files = catalogue_dates(settings.catalogue) if settings.catalogue.is_dir() else {}
    prefix = settings.graph_iri("")
    out: dict[str, RecordDates] = {}
    for iri in sorted(graphs):
        dates = [files[g[len(prefix) :]] for g in sorted(graphs[iri]) if g[len(prefix) :] in files]
        if dates:
            source = "git" if all(d.source == "git" for d in dates) else "mtime"
            out[iri] = RecordDates(min(d.issued for d in dates), max(d.modified for d in dates), source)
    return out


def read_catalogue(
    store: Any,
    settings: Settings,
    modified_since: datetime | None = None,
    include_harvested: bool = False,
    quality: bool = True,
) -> FeedCatalogue:
    """The catalogue, its datasets in feed order and their record dates (see :class:`FeedCatalogue`), with every
    dataset's quality unless not ``quality`` (a caller that answers one page scores only its datasets).

    Datasets harvested from partners (described only in ``catalogue/harvested/``) are left out unless
    ``include_harvested``: their publishers' own feeds are where portals harvest them.
    """
    ox_store = as_graph_store(store)
    catalog = catalog_iri(ox_store, settings.base_iri + "catalog", settings.graph_iri("harvested/"))
    graphs = _dataset_graphs(ox_store)
    dates = _dates(graphs, settings)
    datasets = sorted(graphs)
    if not include_harvested:
        harvested = settings.graph_iri("harvested/")
        datasets = [d for d in datasets if not (graphs[d] and all(g.startswith(harvested) for g in graphs[d]))]
    if modified_since is not None:
        since = modified_since if modified_since.tzinfo else modified_since.replace(tzinfo=UTC)
        datasets = [d for d in datasets if d in dates and dates[d].modified >= since]
    scores = read_quality(ox_store, settings) if quality else FeedQuality()
    return FeedCatalogue(catalog, datasets, dates, catalog_triples(ox_store, catalog), scores)


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
    ``include_harvested``: their publishers' own feeds are where portals harvest them. Page links are
    ``feed_url`` (default ``{base}catalog.ttl``) with the page in the query string.
    """
    ox_store = as_graph_store(store)
    catalogue = read_catalogue(ox_store, settings, modified_since, include_harvested, quality=False)
    total = len(catalogue.datasets)
    paged = page is not None or page_size is not None
    size = page_size if page_size is not None else (DEFAULT_PAGE_SIZE if paged else max(total, 1))
    if size < 1 or (paged and size > MAX_PAGE_SIZE):
        raise FeedError(f"page size {size} is out of range", hint=f"ask for 1 to {MAX_PAGE_SIZE} datasets a page")
    number = page if page is not None else 1
    last = max(1, -(-total // size))
    if number < 1 or number > last:
        raise FeedError(f"page {number} does not exist", hint=f"pages run from 1 to {last}")
    chosen = catalogue.datasets[(number - 1) * size : number * size]
    catalogue.quality = read_quality(ox_store, settings, chosen)
    result = page_triples(ox_store, settings, catalogue, chosen)
    if paged:
        url = feed_url or settings.base_iri + "catalog.ttl"
        view = view_triples(catalogue.iri, lambda n: query_page_url(url, n, modified_since, size), number, last, total)
        result.triples = _unique(result.triples + view)
        result.page, result.page_size, result.last_page = number, size, last
    return result


def page_triples(store: Any, settings: Settings, catalogue: FeedCatalogue, chosen: list[str]) -> FeedPage:
    """The catalogue with the ``chosen`` datasets, their records, agents, code lists and vocabulary terms,
    without paging links (an unpaged document of ``len(catalogue.datasets)`` datasets)."""
    ox_store = as_graph_store(store)
    catalog, dates = catalogue.iri, catalogue.dates
    cat = catalogue.description
    triples: list[ox.Triple] = list(cat.triples)
    if not any(t.predicate.value == RDF.type and t.object == _nn(DCAT.Catalog) for t in triples):
        triples.append(ox.Triple(_nn(catalog), _nn(RDF.type), _nn(DCAT.Catalog)))
    agents, codelists, stubs, used = set(cat.agents), set(), set(), set(cat.objects)
    sources: dict[str, str] = {}
    for iri in chosen:
        desc = describe_dataset(ox_store, iri)
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
    triples.extend(catalogue.quality.for_datasets(list(chosen)))
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
    concept_links = {
        t.object.value for t in triples if t.predicate.value in CONCEPT_LINKS and isinstance(t.object, ox.NamedNode)
    }
    described = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    triples.extend(describe_concepts(ox_store, concept_links - described))
    triples.extend(_catalog_summary(catalogue, triples))
    triples.extend(range_types(triples))
    total = len(catalogue.datasets)
    triples = with_datatypes(triples)
    return FeedPage(triples=_unique(triples), datasets=list(chosen), total=total, record_sources=sources)


def _catalog_summary(catalogue: FeedCatalogue, triples: list[ox.Triple]) -> list[ox.Triple]:
    """What DCAT-AP recommends for the catalogue and the feed can state when the catalogue file does not:
    its issued and modified dates (from the records) and the EU theme taxonomy its datasets use."""
    cat = _nn(catalogue.iri)
    has = {t.predicate.value for t in triples if t.subject == cat}
    out: list[ox.Triple] = []
    if catalogue.issued is not None and DCT.issued not in has:
        out.append(ox.Triple(cat, _nn(DCT.issued), _dt(catalogue.issued)))
    if catalogue.modified is not None and DCT.modified not in has:
        out.append(ox.Triple(cat, _nn(DCT.modified), _dt(catalogue.modified)))
    themes = str(EU_DATA_THEME)
    uses_eu_themes = any(
        t.predicate.value == DCAT.theme and isinstance(t.object, ox.NamedNode) and t.object.value.startswith(themes)
        for t in triples
    )
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
