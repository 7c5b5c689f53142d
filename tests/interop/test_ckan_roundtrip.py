"""Round trip with a real harvester: ckanext-dcat's RDF parser (DCAT-AP 3 + HealthDCAT-AP profiles) reads
our feed. The parser runs in its own virtual environment (build/ckan-venv, created on first use from
ckan-requirements.txt) because ckanext-dcat imports ckan, whose pinned dependencies differ from ours."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from ckan_roundtrip_support import FIELDS, ckan_parse, compare, ensure_ckan
from interop_support import BASE, load_catalogue

from hdh_graph.feed import build_feed
from hdh_graph.settings import Settings

# What the parser cannot carry, and why (docs/interop.md says the same).
NOT_CARRIED = {
    "custodian",  # geodcatap:custodian is not read by the euro_dcat_ap_3 / euro_health_dcat_ap profiles
    "has structured data",  # healthdcatap:hasStructuredData is not read by the health profile
    "variables",  # healthdcatap:hasVariables (CSVW tables and columns) has no CKAN field
    "part of",  # dct:isPartOf is not read (only dct:hasVersion / isVersionOf / relation)
}
MUST_CARRY = [name for name in FIELDS if name not in NOT_CARRIED]


@pytest.fixture(scope="module")
def ckan_python() -> Path:
    return ensure_ckan()


@pytest.mark.parametrize(("fmt", "ckan_format"), [("turtle", "turtle"), ("rdfxml", "xml"), ("jsonld", "json-ld")])
def test_ckanext_dcat_reads_every_field_of_every_dataset(ckan_python, store, settings, tmp_path, fmt, ckan_format):
    page = build_feed(store, settings)
    feed = tmp_path / f"catalog.{fmt}"
    feed.write_bytes(page.serialize(fmt))
    parsed = ckan_parse(ckan_python, feed, ckan_format)
    assert len(parsed["datasets"]) == 3
    graph = ox.Store()
    graph.load(page.serialize("turtle"), format=ox.RdfFormat.TURTLE)
    result = compare(graph, parsed["datasets"])
    for name in (
        "title",
        "description",
        "identifier",
        "access rights",
        "publisher",
        "contact point",
        "themes",
        "health categories",
        "number of records",
        "number of individuals",
        "legislation",
        "provenance",
        "distributions",
    ):
        assert result.present.get(name), f"the fixture lacks {name}"
    lost = {name: subjects for name, subjects in result.lost.items() if name in MUST_CARRY}
    assert lost == {}
    # the fields we document as not carried really are lost (if a new ckanext-dcat carries them, update the docs)
    assert set(result.lost) == {name for name in NOT_CARRIED if name in result.present}


def test_ckanext_dcat_follows_our_hydra_paging(ckan_python, store, settings, tmp_path):
    page = build_feed(store, settings, page=1, page_size=2, feed_url=BASE + "catalog.ttl")
    feed = tmp_path / "page1.ttl"
    feed.write_bytes(page.serialize("turtle"))
    parsed = ckan_parse(ckan_python, feed, "turtle")
    assert parsed["next_page"] == BASE + "catalog.ttl?page=2&page_size=2"
    assert len(parsed["datasets"]) == 2


@pytest.mark.parametrize(("ext", "ckan_format"), [("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")])
def test_ckanext_dcat_walks_the_static_feed_pages(ckan_python, store, settings, tmp_path, ext, ckan_format):
    from hdh_graph.site.publish.feed import feed_files

    for rel, data in feed_files(store, settings, page_size=2).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    url: str | None = f"{BASE}catalog.{ext}"
    titles: list[str] = []
    pages = 0
    while url:
        assert url.startswith(BASE) and pages < 5, url
        parsed = ckan_parse(ckan_python, tmp_path / url[len(BASE) :], ckan_format)
        titles += [ds["title"] for ds in parsed["datasets"]]
        pages += 1
        url = parsed["next_page"]
    assert pages == 2
    assert len(titles) == len(set(titles)) == 3


@pytest.mark.slow
def test_ckanext_dcat_reads_the_snds_catalogue(ckan_python, tmp_path):
    root = Path(__file__).resolve().parents[2]
    settings = Settings(catalogue=root / "catalogue", store=tmp_path / "store")
    page = build_feed(load_catalogue(settings), settings)
    feed = tmp_path / "catalog.ttl"
    feed.write_bytes(page.serialize("turtle"))
    parsed = ckan_parse(ckan_python, feed, "turtle")
    assert len(parsed["datasets"]) == page.total
    graph = ox.Store()
    graph.load(feed.read_bytes(), format=ox.RdfFormat.TURTLE)
    result = compare(graph, parsed["datasets"])
    assert {name: s for name, s in result.lost.items() if name in MUST_CARRY} == {}
