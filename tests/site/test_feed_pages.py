"""The catalogue feed at the site's root: one document when small, static pages linked by Hydra when large."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from site_catalogue import BASE

from hdh_graph.api import site_files
from hdh_graph.api.server import BackgroundServer
from hdh_graph.feed import FeedError, build_feed
from hdh_graph.feed.serialize import canonical
from hdh_graph.settings import Settings
from hdh_graph.site.publish.feed import FEED_FORMATS, feed_files, feed_page_files, only_catalogue_identity, plan_feed
from hdh_graph.vocab import DCAT, DCT, HYDRA, RDF

PARSERS = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "rdf": ox.RdfFormat.RDF_XML}
CATALOG = BASE + "catalog"


def _graph(data: bytes, ext: str) -> ox.Store:
    graph = ox.Store()
    graph.load(data, format=PARSERS[ext])
    return graph


def _objects(graph: ox.Store, subject: str, predicate: str) -> list[str]:
    found = graph.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)
    return sorted(q.object.value for q in found)


def _write(files: dict[str, bytes], folder: Path) -> None:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


def _file_of(url: str, site: Path) -> Path:
    assert url.startswith(BASE), url
    return site / url[len(BASE) :]


def test_a_small_page_size_gives_static_pages_a_harvester_walks_in_each_format(store, settings, tmp_path):
    plan = plan_feed(store, settings, page_size=2)
    datasets = list(plan.catalogue.datasets)
    assert len(datasets) >= 3 and plan.paged and plan.last == -(-len(datasets) // 2)
    files = feed_files(store, settings, page_size=2)
    expected = {f"catalog.{ext}" for ext in FEED_FORMATS} | {
        f"catalog/page/{n}.{ext}" for n in range(2, plan.last + 1) for ext in FEED_FORMATS
    }
    assert set(files) == expected == set(plan.paths())
    site = tmp_path / "site"
    _write(files, site)

    for ext in FEED_FORMATS:
        url: str | None = f"{BASE}catalog.{ext}"
        seen: list[str] = []
        pages = 0
        while url is not None:  # what ckanext-dcat and piveau do: follow hydra:next from the first page
            path = _file_of(url, site)
            graph = _graph(path.read_bytes(), ext)
            pages += 1
            assert _objects(graph, CATALOG, HYDRA.view) == [url]
            assert _objects(graph, CATALOG, HYDRA.totalItems) == [str(len(datasets))]
            assert HYDRA.PartialCollectionView in _objects(graph, url, RDF.type)
            for link in (HYDRA.first, HYDRA.last, HYDRA.next, HYDRA.previous):
                for target in _objects(graph, url, link):
                    assert target.endswith(f".{ext}") and _file_of(target, site).is_file(), (url, link, target)
            assert _objects(graph, url, HYDRA.first) == [f"{BASE}catalog.{ext}"]
            assert _objects(graph, url, HYDRA.last) == [f"{BASE}catalog/page/{plan.last}.{ext}"]
            listed = _objects(graph, CATALOG, DCAT.dataset)
            described = sorted(
                q.subject.value
                for q in graph.quads_for_pattern(None, None, None, None)
                if q.predicate.value == RDF.type and q.object.value == DCAT.Dataset
            )
            assert listed == described == list(plan.page(pages).datasets)
            seen += listed
            nexts = _objects(graph, url, HYDRA.next)
            assert len(nexts) <= 1
            url = nexts[0] if nexts else None
        assert pages == plan.last
        assert seen == datasets  # each dataset once, in feed order


def test_a_static_page_says_what_the_live_feed_page_says_but_links_files(store, settings):
    plan = plan_feed(store, settings, page_size=2)
    static = _graph(feed_page_files(store, settings, plan, 2)["catalog/page/2.ttl"], "ttl")
    live = build_feed(store, settings, page=2, page_size=2, feed_url=BASE + "catalog.ttl")

    def static_link(term: Any) -> Any:
        if not isinstance(term, ox.NamedNode) or not term.value.startswith(BASE + "catalog.ttl?page="):
            return term
        number = int(term.value.split("page=")[1].split("&")[0])
        return ox.NamedNode(f"{BASE}catalog.ttl" if number == 1 else f"{BASE}catalog/page/{number}.ttl")

    # after the first page, the catalogue is named with what the official shapes make mandatory (title...), and
    # the rest of its description (its dates) is on the first page only
    hydra = [t for t in live.triples if t.predicate.value.startswith(str(HYDRA))]
    said = only_catalogue_identity(live.triples, CATALOG) + [t for t in hydra if t.subject.value == CATALOG]
    expected = [ox.Triple(static_link(t.subject), t.predicate, static_link(t.object)) for t in said]
    first = _graph(feed_page_files(store, settings, plan, 1)["catalog.ttl"], "ttl")
    assert _objects(first, CATALOG, DCT.modified) and not _objects(static, CATALOG, DCT.modified)
    assert _objects(static, CATALOG, DCT.title) == _objects(first, CATALOG, DCT.title)
    # blank nodes labelled from their content on both sides: the parser gives them new labels
    assert canonical(q.triple for q in static) == canonical(expected)


def test_a_catalogue_within_one_page_is_one_document_without_hydra(store, settings):
    plan = plan_feed(store, settings)
    assert not plan.paged and plan.paths() == ["catalog.ttl", "catalog.jsonld", "catalog.rdf"]
    files = feed_files(store, settings)
    assert list(files) == plan.paths()
    whole = build_feed(store, settings)
    for ext, fmt in FEED_FORMATS.items():
        assert files[f"catalog.{ext}"] == whole.serialize(fmt)
        graph = _graph(files[f"catalog.{ext}"], ext)
        assert not _objects(graph, CATALOG, HYDRA.view) and not _objects(graph, CATALOG, HYDRA.totalItems)
        assert _objects(graph, CATALOG, DCAT.dataset) == list(plan.catalogue.datasets)


def test_the_plan_says_where_each_dataset_is(store, settings):
    plan = plan_feed(store, settings, page_size=2)
    first, last = plan.catalogue.datasets[0], plan.catalogue.datasets[-1]
    assert plan.page_of(first) == 1 and plan.page_of(last) == plan.last
    assert plan.page_of(BASE + "dataset/nothing") is None
    assert plan.paths(2) == ["catalog/page/2.ttl", "catalog/page/2.jsonld", "catalog/page/2.rdf"]
    with pytest.raises(FeedError):
        plan.page(plan.last + 1)
    with pytest.raises(FeedError):
        plan_feed(store, settings, page_size=0)


def test_an_empty_catalogue_is_one_document(settings: Settings):
    plan = plan_feed(ox.Store(), settings)
    assert not plan.paged and plan.pages[0].datasets == ()
    graph = _graph(feed_page_files(ox.Store(), settings, plan, 1)["catalog.ttl"], "ttl")
    assert _objects(graph, CATALOG, RDF.type) == [DCAT.Catalog]


def test_hdh_serve_gives_feed_pages_their_media_type(store, settings, tmp_path):
    site = tmp_path / "site"
    _write(feed_files(store, settings, page_size=2), site)
    app = FastAPI()

    @app.get("/{rel:path}")
    def page(request: Request, rel: str) -> Response:
        return site_files.serve(request, site, rel)

    media = {"ttl": "text/turtle", "jsonld": "application/ld+json", "rdf": "application/rdf+xml"}
    with BackgroundServer(app) as server:
        for path in ("/catalog.ttl", "/catalog/page/2.ttl", "/catalog/page/2.jsonld", "/catalog/page/2.rdf"):
            response = httpx.get(server.url + path, headers={"Accept": "*/*"})
            ext = path.rsplit(".", 1)[1]
            assert response.status_code == 200
            assert response.headers["content-type"].split(";")[0] == media[ext]
            _graph(response.content, ext)
