"""Round trip with a real harvester: ckanext-dcat's RDF parser (DCAT-AP 3 + HealthDCAT-AP profiles, and the
project's own profile ``ckanext-hdh`` for what those leave out) reads our feed, and its serializer writes the
datasets back. The parser runs in its own virtual environment (build/ckan-venv, created on first use from
ckan-requirements.txt) because ckanext-dcat imports ckan, whose pinned dependencies differ from ours."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from ckan_roundtrip_support import FIELDS, ckan_parse, compare, ensure_ckan
from interop_support import BASE, load_catalogue

from hdh_graph.feed import build_feed
from hdh_graph.settings import Settings

# Read by ckanext-hdh only (the standard profiles leave them out): docs/interop.md.
OURS = {"custodian", "has structured data", "variables", "part of"}
MUST_CARRY = list(FIELDS)
CSVW = "http://www.w3.org/ns/csvw#"


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
    assert result.lost == {}
    assert set(result.carried) == set(result.present)


def test_without_our_profile_the_standard_ones_lose_four_fields(ckan_python, store, settings, tmp_path):
    """The check can fail: ckanext-dcat's own profiles alone drop what ckanext-hdh reads."""
    feed = tmp_path / "catalog.ttl"
    feed.write_bytes(build_feed(store, settings).serialize("turtle"))
    parsed = ckan_parse(ckan_python, feed, "turtle", profiles=["euro_dcat_ap_3", "euro_health_dcat_ap"])
    graph = ox.Store()
    graph.load(feed.read_bytes(), format=ox.RdfFormat.TURTLE)
    result = compare(graph, parsed["datasets"])
    assert set(result.lost) == {name for name in OURS if name in result.present}


def _columns(graph: ox.Store, dataset: str) -> set[str]:
    rows = graph.query(
        f"SELECT ?c WHERE {{ <{dataset}> <http://healthdataportal.eu/ns/health#hasVariables> ?g . "
        f"?g <{CSVW}table> ?t . ?t <{CSVW}column> ?c }}"
    )
    return {row["c"].value for row in rows}  # type: ignore[union-attr]


def _carried_columns(dataset: dict) -> set[str]:
    return {c["uri"] for table in dataset.get("has_variables", []) for c in table["columns"]}


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
    assert result.lost == {}
    fields = sum(result.present.values())
    assert sum(result.carried.values()) == fields  # every field of every dataset (bench/RESULTS.md: N/N)
    for dataset in parsed["datasets"]:  # every variable of every table, not only the link to them
        uri = next(e["value"] for e in dataset["extras"] if e["key"] == "uri")
        assert _carried_columns(dataset) == _columns(graph, uri), uri


@pytest.mark.slow
def test_ckanext_dcat_writes_back_what_our_profile_read(ckan_python, tmp_path):
    """CKAN serialising a harvested dataset to DCAT again keeps the custodian, the series, "has structured
    data" and every variable."""
    root = Path(__file__).resolve().parents[2]
    settings = Settings(catalogue=root / "catalogue", store=tmp_path / "store")
    feed = tmp_path / "catalog.ttl"
    feed.write_bytes(build_feed(load_catalogue(settings), settings).serialize("turtle"))
    parsed = ckan_parse(ckan_python, feed, "turtle", back=True)
    dcir = settings.base_iri + "dataset/dcir"
    back = ox.Store()
    back.load(parsed["back"][dcir].encode(), format=ox.RdfFormat.TURTLE)
    original = ox.Store()
    original.load(feed.read_bytes(), format=ox.RdfFormat.TURTLE)
    for prop in ("http://data.europa.eu/930/custodian", "http://purl.org/dc/terms/isPartOf"):
        theirs = {q.object.value for q in back.quads_for_pattern(ox.NamedNode(dcir), ox.NamedNode(prop), None)}
        ours = {q.object.value for q in original.quads_for_pattern(ox.NamedNode(dcir), ox.NamedNode(prop), None)}
        assert theirs == ours and ours, prop
    structured = ox.NamedNode("http://healthdataportal.eu/ns/health#hasStructuredData")
    assert [q.object.value for q in back.quads_for_pattern(ox.NamedNode(dcir), structured, None)] == ["true"]
    columns = {
        row["c"].value  # type: ignore[union-attr]
        for row in back.query(
            f"SELECT ?c WHERE {{ <{dcir}> <http://healthdataportal.eu/ns/health#hasVariables> ?t . "
            f"?t <{CSVW}column> ?c }}"
        )
    }
    assert columns == _columns(original, dcir) and len(columns) > 100
