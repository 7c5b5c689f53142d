"""Harvesting partners' catalogues: real feeds served over loopback HTTP, paging, bad records, bad input."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from harvest_server import HarvestServer, Route
from interop_support import BASE, FIXTURES

from hdh_graph.harvest import HarvestError, HarvestLimits, harvest
from hdh_graph.settings import Settings
from hdh_graph.vocab import DCT, FOAF, PROV

SAMPLES = FIXTURES / "dcat-samples"
SPDX = "http://spdx.org/rdf/terms#"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(catalogue=tmp_path / "catalogue", base_iri=BASE)


@pytest.fixture
def server():
    with HarvestServer() as running:
        yield running


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def _serve_pages(server: HarvestServer, kind: str) -> str:
    """The udata paged files, with their page links pointing at this server."""
    url = f"{server.base}/{kind}/catalog.jsonld"
    for n in (1, 2):
        body = _sample(f"{kind}-collection-{n}.jsonld").replace(b"http://data.test.org/catalog.jsonld", url.encode())
        server.routes[f"/{kind}/catalog.jsonld?page={n}"] = Route(body, "application/ld+json")
    return url + "?page=1"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def _graph(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


@pytest.mark.parametrize("kind", ["partial", "paged"])
def test_hydra_paging_is_followed_over_http(server, settings, kind):
    start = _serve_pages(server, kind)
    report = harvest(start, settings, name="data-test")
    assert len(report.pages) == 2
    assert sorted(report.added) == [f"http://data.test.org/datasets/{n}" for n in (1, 2, 3, 4)]
    folder = settings.catalogue / "harvested" / "data-test"
    assert report.folder == folder
    files = sorted(p.name for p in folder.glob("*.ttl"))
    assert len(files) == 5 and "_harvest.ttl" in files
    # each record file stands alone: the dataset with its title and distributions
    one = next(p for p in folder.glob("1-*.ttl"))
    g = _graph(one)
    titles = [
        q.object.value
        for q in g.quads_for_pattern(
            ox.NamedNode("http://data.test.org/datasets/1"), ox.NamedNode(DCT.title), None, None
        )
    ]
    assert titles
    assert not list(g.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/ns/hydra/core#next"), None, None))


def test_provenance_records_source_time_and_content_hashes(server, settings):
    start = _serve_pages(server, "partial")
    harvest(start, settings, name="data-test")
    manifest = _graph(settings.catalogue / "harvested" / "data-test" / "_harvest.ttl")
    activity = ox.NamedNode(BASE + "harvest/data-test")
    used = sorted(q.object.value for q in manifest.quads_for_pattern(activity, ox.NamedNode(PROV.used), None, None))
    assert used == [start, start.replace("page=1", "page=2")]
    assert list(manifest.quads_for_pattern(activity, ox.NamedNode(PROV.startedAtTime), None, None))
    hashes = list(manifest.quads_for_pattern(None, ox.NamedNode(SPDX + "checksumValue"), None, None))
    assert len(hashes) == 2 + 4  # the two pages and the four records
    assert all(len(q.object.value) == 64 for q in hashes)
    topics = list(manifest.quads_for_pattern(None, ox.NamedNode(FOAF.primaryTopic), None, None))
    assert len(topics) == 4


@pytest.mark.parametrize(
    ("name", "content_type", "datasets"),
    [
        ("dataset_health.ttl", "text/turtle", 1),
        ("udata.xml", "application/rdf+xml", 2),
        ("example1.nt", "application/n-triples", 1),
        ("catalog_with_at_graph.jsonld", "application/ld+json", 1),
        ("example-ms_catalogue_hvd.ttl", "text/plain", 1),  # format guessed from the content
    ],
)
def test_each_rdf_format_is_harvested(server, settings, name, content_type, datasets):
    server.routes["/feed"] = Route(_sample(name), content_type)
    report = harvest(server.base + "/feed", settings, name="partner")
    assert report.kept == datasets
    assert report.skipped == []


def test_a_file_source_works_too(settings):
    report = harvest(str(SAMPLES / "dataset_health.ttl"), settings)
    assert report.name == "dataset_health"
    assert report.added == ["http://example.healthdata.nl/set/dataset"]


def test_bad_records_are_reported_with_the_reason_and_good_ones_land(server, settings):
    server.routes["/catalog.xml"] = Route(_sample("catalog.xml"), "application/rdf+xml")
    report = harvest(server.base + "/catalog.xml", settings, name="udata")
    assert report.skipped == [
        "http://data.test.org/datasets/1: dataset has no dct:description (mandatory in DCAT-AP)",
        "http://data.test.org/datasets/4: distribution <http://data.test.org/datasets/4/resources/1> has no "
        "dcat:accessURL (mandatory in DCAT-AP); distribution <http://data.test.org/datasets/4/resources/2> has no "
        "dcat:accessURL (mandatory in DCAT-AP)",
    ]
    assert report.kept == 2
    assert len(list((settings.catalogue / "harvested" / "udata").glob("*.ttl"))) == 3


def test_distributions_without_access_url_are_reported(server, settings):
    server.routes["/catalog.rdf"] = Route(_sample("catalog.rdf"), "application/rdf+xml")
    report = harvest(server.base + "/catalog.rdf", settings, name="ckan")
    assert len(report.skipped) == 2
    assert "has no dcat:accessURL" in report.skipped[0]


def test_reharvest_updates_changed_records_and_reports_removed_ones(server, settings):
    start = _serve_pages(server, "partial")
    first = harvest(start, settings, name="data-test")
    folder = settings.catalogue / "harvested" / "data-test"
    before = _snapshot(folder)
    # the partner edits dataset 2 and drops dataset 4 (its second page now lists nothing new)
    page1 = server.routes["/partial/catalog.jsonld?page=1"]
    page1.body = page1.body.replace(b'"Dataset 2"', b'"Dataset 2 (revised)"')
    assert b"(revised)" in page1.body
    page2 = server.routes["/partial/catalog.jsonld?page=2"]
    page2.body = page2.body.replace(b"http://www.w3.org/ns/dcat#Dataset", b"http://www.w3.org/ns/dcat#Resource")
    second = harvest(start, settings, name="data-test")
    assert len(first.added) == 4
    assert second.updated == ["http://data.test.org/datasets/2"]
    assert second.removed == ["http://data.test.org/datasets/4"]
    assert sorted(second.unchanged) == ["http://data.test.org/datasets/1", "http://data.test.org/datasets/3"]
    after = _snapshot(folder)
    unchanged = [n for n in before if n.startswith(("1-", "3-"))]
    assert unchanged and all(before[n] == after[n] for n in unchanged)
    assert not [n for n in after if n.startswith("4-")]


def test_harvesting_twice_gives_the_same_files(server, settings):
    server.routes["/feed"] = Route(_sample("dataset_health.ttl"), "text/turtle")
    harvest(server.base + "/feed", settings, name="p")
    first = _snapshot(settings.catalogue / "harvested" / "p")
    report = harvest(server.base + "/feed", settings, name="p")
    second = _snapshot(settings.catalogue / "harvested" / "p")
    assert report.unchanged == report.added + report.unchanged and report.kept == 1
    assert {k: v for k, v in first.items() if k != "_harvest.ttl"} == {
        k: v for k, v in second.items() if k != "_harvest.ttl"
    }


def test_duplicate_identifiers_across_sources_are_reported_not_merged(server, settings):
    server.routes["/a"] = Route(_sample("dataset_health.ttl"), "text/turtle")
    harvest(server.base + "/a", settings, name="source-a")
    report = harvest(server.base + "/a", settings, name="source-b")
    assert len(report.duplicates) == 1
    assert "source-a" in report.duplicates[0] and "not merged" in report.duplicates[0]
    for name in ("source-a", "source-b"):
        assert len(list((settings.catalogue / "harvested" / name).glob("*.ttl"))) == 2


# ---------------------------------------------------------------- bad input: clear error, previous harvest intact


def _bad(server: HarvestServer) -> dict[str, tuple[str, HarvestLimits, str]]:
    server.routes["/html"] = Route(b"<!DOCTYPE html><html><body>Catalogue</body></html>", "text/html")
    server.routes["/truncated.ttl"] = Route(_sample("dataset_health.ttl")[:5000], "text/turtle")
    server.routes["/invalid.ttl"] = Route(_sample("ckan-dataset-invalid.ttl"), "text/turtle")
    server.routes["/big.ttl"] = Route(_sample("dataset_health.ttl"), "text/turtle")
    server.routes["/big-undeclared.ttl"] = Route(_sample("dataset_health.ttl"), "text/turtle", declared_length=False)
    server.routes["/slow.ttl"] = Route(_sample("dataset_health.ttl"), "text/turtle", delay_per_chunk=0.3)
    server.routes["/loop"] = Route(b"", status=302, location=server.base + "/loop2")
    server.routes["/loop2"] = Route(b"", status=302, location=server.base + "/loop")
    server.routes["/missing"] = Route(b"gone", status=404)
    page = _sample("partial-collection-2.jsonld").replace(
        b"http://data.test.org/catalog.jsonld?page=1", f"{server.base}/circle?page=2".encode()
    )
    page = page.replace(b"http://www.w3.org/ns/hydra/core#previous", b"http://www.w3.org/ns/hydra/core#next")
    server.routes["/circle?page=2"] = Route(page, "application/ld+json")
    default = HarvestLimits()
    return {
        "/html": ("not valid Turtle", default, "line"),
        "/truncated.ttl": ("not valid Turtle", default, ":"),
        "/invalid.ttl": ("invalid.ttl:149:17", default, "prefix"),
        "/big.ttl": ("larger than 1000 bytes", HarvestLimits(max_bytes=1000), "--max-bytes"),
        "/big-undeclared.ttl": ("larger than 1000 bytes", HarvestLimits(max_bytes=1000), "--max-bytes"),
        "/slow.ttl": ("no complete answer within 1 s", HarvestLimits(timeout=1.0), "--timeout"),
        "/loop": ("redirects", HarvestLimits(max_redirects=5), "final address"),
        "/missing": ("HTTP 404", default, "address"),
        "/circle?page=2": ("paging loop", default, "circle"),
    }


def test_bad_input_is_a_clear_error_and_leaves_the_previous_harvest_intact(server, settings):
    cases = _bad(server)
    server.routes["/good"] = Route(_sample("dataset_health.ttl"), "text/turtle")
    harvest(server.base + "/good", settings, name="partner")
    folder = settings.catalogue / "harvested" / "partner"
    before = _snapshot(folder)
    for path, (message, limits, hint) in cases.items():
        with pytest.raises(HarvestError) as err:
            harvest(server.base + path, settings, name="partner", limits=limits)
        assert message in str(err.value), path
        assert hint in str(err.value), path
        assert _snapshot(folder) == before, path
        assert sorted(p.name for p in folder.parent.iterdir()) == ["partner"], path


def test_a_catalogue_without_datasets_is_refused(server, settings):
    server.routes["/empty.ttl"] = Route(b"<http://x.org/c> a <http://www.w3.org/ns/dcat#Catalog> .", "text/turtle")
    with pytest.raises(HarvestError, match="no dcat:Dataset"):
        harvest(server.base + "/empty.ttl", settings, name="empty")
    assert not (settings.catalogue / "harvested" / "empty").exists()


def test_a_bad_source_name_is_refused(settings):
    with pytest.raises(HarvestError, match="folder name"):
        harvest(str(SAMPLES / "dataset_health.ttl"), settings, name="../escape")


def test_with_shacl_the_projects_validation_findings_are_reported(server, settings):
    server.routes["/feed"] = Route(_sample("example1.nt"), "application/n-triples")
    report = harvest(server.base + "/feed", settings, name="semic", shacl=True)
    assert report.kept == 1 and report.skipped == []
    assert report.findings and all(f.startswith("https://myorg.eu/opendata/datasets/1: ") for f in report.findings)
