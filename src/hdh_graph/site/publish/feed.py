"""The catalogue feed at the site's root, in static pages a harvester follows from ``catalog.ttl``.

Up to ``page_size`` datasets (100 by default), the feed is one document: ``catalog.ttl``, ``catalog.jsonld``
and ``catalog.rdf``, without Hydra. Beyond, those three files are page 1 and page *n* is a file of its own::

    catalog.ttl  catalog.jsonld  catalog.rdf             page 1
    catalog/page/2.ttl  catalog/page/2.jsonld  ...       page 2, and so on to the last page

Each page is a ``hydra:PartialCollectionView`` whose ``hydra:first`` / ``previous`` / ``next`` / ``last`` name
the pages *of its own format* by absolute URL (a Turtle page links to Turtle pages): a harvester keeps the
format of the first document for the next ones (ckanext-dcat parses every page with the first one's media type).
The live feed of the server (:mod:`hdh_graph.feed.routes`) pages with query strings instead, which a plain
file host would ignore.

``plan_feed`` reads once what every page shares (the ordered datasets, their record dates, the catalogue's
own description) and cuts the datasets into pages; ``feed_page_files`` writes one page in the three formats;
``feed_files`` writes them all.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from functools import partial

import pyoxigraph as ox

from hdh_graph.feed.build import FeedCatalogue, FeedError, build_feed, page_triples, read_catalogue
from hdh_graph.feed.hydra import DEFAULT_PAGE_SIZE, view_triples
from hdh_graph.feed.serialize import with_triples, write
from hdh_graph.graph_store import GraphStore
from hdh_graph.settings import Settings
from hdh_graph.site.publish.output import Output
from hdh_graph.site.urls import FEED_NAME
from hdh_graph.vocab import DCAT, DCATAP, DCT, RDF

FEED_FORMATS: dict[str, str] = {"ttl": "turtle", "jsonld": "jsonld", "rdf": "rdfxml"}
"""File extension → feed format, for each file a page is written in."""


@dataclass(frozen=True)
class FeedPlanPage:
    """One page of the feed: its number (from 1) and its datasets, in feed order."""

    number: int
    datasets: tuple[str, ...]


@dataclass(frozen=True)
class FeedPlan:
    """The feed's pages and what they all share, read from the store once."""

    pages: tuple[FeedPlanPage, ...]
    page_size: int
    catalogue: FeedCatalogue

    @property
    def paged(self) -> bool:
        """Whether the feed is cut into pages (with Hydra links) or is one document."""
        return len(self.pages) > 1

    @property
    def last(self) -> int:
        return len(self.pages)

    def page(self, number: int) -> FeedPlanPage:
        if not 1 <= number <= self.last:
            raise FeedError(f"page {number} does not exist", hint=f"pages run from 1 to {self.last}")
        return self.pages[number - 1]

    def page_of(self, dataset: str) -> int | None:
        """The number of the page that holds ``dataset`` (None when the feed leaves it out)."""
        return next((page.number for page in self.pages if dataset in page.datasets), None)

    def paths(self, number: int | None = None) -> list[str]:
        """The site-relative files of page ``number``, or of every page."""
        numbers = range(1, self.last + 1) if number is None else [self.page(number).number]
        return [page_path(n, ext) for n in numbers for ext in FEED_FORMATS]


def page_path(number: int, ext: str) -> str:
    """Where page ``number`` of the feed is written: ``catalog.ttl`` for page 1, ``catalog/page/2.ttl`` after."""
    return f"{FEED_NAME}.{ext}" if number == 1 else f"{FEED_NAME}/page/{number}.{ext}"


def page_url(settings: Settings, ext: str, number: int) -> str:
    """The absolute URL of a page of the feed (the site is published at the base IRI)."""
    return settings.base_iri.rstrip("/#") + "/" + page_path(number, ext)


def plan_feed(store: GraphStore, settings: Settings, page_size: int = DEFAULT_PAGE_SIZE) -> FeedPlan:
    """The feed's datasets in order, cut into pages of ``page_size``; one page when they fit in one."""
    if page_size < 1:
        raise FeedError(f"page size {page_size} is out of range", hint="ask for at least 1 dataset a page")
    catalogue = read_catalogue(store, settings)
    datasets = catalogue.datasets
    starts = range(0, len(datasets), page_size) if datasets else [0]
    pages = tuple(
        FeedPlanPage(number, tuple(datasets[start : start + page_size])) for number, start in enumerate(starts, 1)
    )
    return FeedPlan(pages=pages, page_size=page_size, catalogue=catalogue)


def feed_page_files(store: GraphStore, settings: Settings, plan: FeedPlan, number: int) -> dict[str, bytes]:
    """Page ``number`` of the feed in Turtle, JSON-LD and RDF/XML, keyed by site-relative path."""
    page = plan.page(number)
    doc = page_triples(store, settings, plan.catalogue, list(page.datasets))
    if number > 1:
        doc.triples = only_catalogue_identity(doc.triples, plan.catalogue.iri)
    ordered = doc.ordered()  # relabelled and sorted once; the formats differ only in their Hydra links
    files: dict[str, bytes] = {}
    for ext, fmt in FEED_FORMATS.items():
        triples = ordered
        if plan.paged:
            links = partial(page_url, settings, ext)
            view = view_triples(plan.catalogue.iri, links, number, plan.last, doc.total)
            triples = with_triples(ordered, view)
        files[page_path(number, ext)] = write(triples, fmt)
    return files


CATALOGUE_IDENTITY = frozenset(
    {RDF.type, DCAT.dataset, DCAT.record, DCT.title, DCT.description, DCT.publisher, DCATAP.applicableLegislation}
)
"""What the pages after the first say of the catalogue itself (with the Hydra links): which catalogue they
page, and what the official shapes make mandatory for a catalogue (title, description, publisher, applicable
legislation), so that each page validated alone passes them. The rest of its description (dates...) is on the
first page only, so that a change to one dataset, which moves the catalogue's ``dct:modified``, rewrites the
first page and that dataset's page, not all pages."""


def only_catalogue_identity(triples: list[ox.Triple], catalogue: str) -> list[ox.Triple]:
    cat = ox.NamedNode(catalogue)
    return [t for t in triples if t.subject != cat or t.predicate.value in CATALOGUE_IDENTITY]


def feed_files(store: GraphStore, settings: Settings, page_size: int = DEFAULT_PAGE_SIZE) -> dict[str, bytes]:
    """Every page of the feed in the three formats, keyed by site-relative path."""
    plan = plan_feed(store, settings, page_size)
    files: dict[str, bytes] = {}
    for page in plan.pages:
        files.update(feed_page_files(store, settings, plan, page.number))
    return files


def feed_documents(store: GraphStore, settings: Settings) -> dict[str, bytes]:
    """The whole feed as one document in each format, keyed by file extension (before paging; use
    :func:`feed_files`)."""
    page = build_feed(store, settings)
    return {ext: page.serialize(fmt) for ext, fmt in FEED_FORMATS.items()}


FEED_PAGE_SIZE = 25
"""Datasets per page of the feed at the root (one document up to that many)."""


def write_feed(
    output: Output,
    store: GraphStore,
    settings: Settings,
    *,
    before: list[list[str]] | None = None,
    changed: set[str] | None = None,
    everything: bool = True,
    workers: int = 1,
) -> list[list[str]]:
    """Write the catalogue feed at the root, in pages beyond 100 datasets (see :mod:`feed`); its datasets by
    page, for the next build. An incremental build passes what the pages held ``before`` and the ``changed``
    datasets: only the pages whose datasets changed, or whose list of datasets did, are written again
    (``everything`` when what every page shares changed: the catalogue, an organisation). With ``workers`` (and a
    store in memory, which forked processes share), the pages are written on that many processes."""
    plan = plan_feed(store, settings, page_size=FEED_PAGE_SIZE)
    pages = [list(page.datasets) for page in plan.pages]
    old = before or []
    numbers = []
    for page in plan.pages:
        n = page.number
        touched = everything or n == 1 or n > len(old) or old[n - 1] != pages[n - 1]
        touched = touched or bool((changed or set()) & set(page.datasets))  # page 1 describes the catalogue
        if touched or len(old) != len(pages):  # the number of pages is on every page (hydra:last)
            numbers.append(n)
    _write_pages(_FeedJob(output, store, settings, plan), numbers, workers)
    current = set(plan.paths())
    for n in range(len(pages) + 1, len(old) + 1):
        for rel in (f"catalog/page/{n}.{ext}" for ext in ("ttl", "jsonld", "rdf")):
            if rel not in current:
                output.remove(rel)
    return pages


@dataclass
class _FeedJob:
    output: Output
    store: GraphStore
    settings: Settings
    plan: FeedPlan

    def run(self, numbers: list[int]) -> tuple[int, int]:
        files0, bytes0 = self.output.files, self.output.bytes
        for n in numbers:
            for rel, data in feed_page_files(self.store, self.settings, self.plan, n).items():
                self.output.write(rel, data)
        return self.output.files - files0, self.output.bytes - bytes0


_JOB: _FeedJob | None = None


def _run_pages(numbers: list[int]) -> tuple[int, int]:
    assert _JOB is not None
    return _JOB.run(numbers)


def _write_pages(job: _FeedJob, numbers: list[int], workers: int) -> None:
    global _JOB
    workers = min(workers, len(numbers) // 2)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        job.run(numbers)
        return
    chunks = [numbers[i :: workers * 4] for i in range(workers * 4)]
    _JOB = job
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            counts = pool.map(_run_pages, [c for c in chunks if c], chunksize=1)
    finally:
        _JOB = None
    job.output.files += sum(f for f, _ in counts)
    job.output.bytes += sum(b for _, b in counts)
