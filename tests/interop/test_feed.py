"""The DCAT-AP / HealthDCAT-AP feed built from a small catalogue in a git repository."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from interop_support import BASE, FIXTURES, load_catalogue

from hdh_graph.feed import FeedError, build_feed
from hdh_graph.settings import Settings
from hdh_graph.vocab import DCAT, DCT, FOAF, HYDRA, RDF, SKOS

DCIR = BASE + "dataset/dcir"


def _graph(data: bytes, fmt: ox.RdfFormat) -> ox.Store:
    store = ox.Store()
    store.load(data, format=fmt)
    return store


def _objects(store: ox.Store, s: str, p: str) -> list[str]:
    return sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, None))


def test_whole_feed_lists_every_dataset_with_its_description(store, settings):
    page = build_feed(store, settings)
    assert page.datasets == [DCIR, BASE + "dataset/pmsi-mco", BASE + "dataset/snds"]
    g = _graph(page.serialize("turtle"), ox.RdfFormat.TURTLE)
    assert _objects(g, BASE + "catalog", DCAT.dataset) == page.datasets
    # owned resources down to the columns and foreign keys
    assert _objects(g, BASE + "dataset/dcir/variables", "http://www.w3.org/ns/csvw#table") == [BASE + "table/ER_PRS_F"]
    assert _objects(g, BASE + "table/ER_PRS_F/BEN_AMA_COD", "http://www.w3.org/ns/csvw#name") == ["BEN_AMA_COD"]
    assert _objects(g, BASE + "table/ER_PRS_F#fk-BEN_AMA_COD-IR_BEN_R-ref", "http://www.w3.org/ns/csvw#resource") == [
        BASE + "table/IR_BEN_R"
    ]
    # agents with their contact point, code lists named but not their codes
    assert _objects(g, BASE + "agent/hdh", FOAF.name) == ["Health Data Hub", "Health Data Hub"]
    assert _objects(g, BASE + "agent/hdh#contact", "http://www.w3.org/2006/vcard/ns#hasURL")
    assert _objects(g, BASE + "codelist/IR_AMA_V", DCT.identifier) == ["IR_AMA_V"]
    assert not _objects(g, BASE + "codelist/IR_AMA_V/1", SKOS.notation)
    # not paged: no Hydra
    assert not list(g.quads_for_pattern(None, ox.NamedNode(HYDRA.view), None, None))


def test_eu_vocabulary_terms_are_typed_inside_the_feed(store, settings):
    g = _graph(build_feed(store, settings).serialize("turtle"), ox.RdfFormat.TURTLE)
    hrad = "https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/HRAD"
    assert _objects(g, hrad, SKOS.inScheme) == [
        "https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories"
    ]
    fra = "http://publications.europa.eu/resource/authority/language/FRA"
    assert DCT.LinguisticSystem in _objects(g, fra, RDF.type)
    assert _objects(g, "http://publications.europa.eu/resource/authority/access-right", RDF.type) == [
        SKOS.ConceptScheme
    ]


def test_catalogue_records_carry_dates_from_git_history(store, settings):
    page = build_feed(store, settings)
    g = _graph(page.serialize("turtle"), ox.RdfFormat.TURTLE)
    record = BASE + "catalog/record/dataset/dcir"
    assert _objects(g, record, FOAF.primaryTopic) == [DCIR]
    assert _objects(g, record, DCT.issued) == ["2024-01-10T10:00:00Z"]
    assert _objects(g, record, DCT.modified) == ["2025-03-01T12:00:00Z"]
    assert _objects(g, BASE + "catalog/record/dataset/snds", DCT.modified) == ["2024-01-10T10:00:00Z"]
    assert set(page.record_sources.values()) == {"git"}


def test_outside_git_the_file_time_is_used_and_said(tmp_path):
    shutil.copytree(FIXTURES / "catalogue", tmp_path / "catalogue")
    settings = Settings(catalogue=tmp_path / "catalogue", base_iri=BASE)
    page = build_feed(load_catalogue(settings), settings)
    assert set(page.record_sources.values()) == {"mtime"}


def test_uncommitted_change_dates_the_record_by_the_file(store, settings):
    path = settings.catalogue / "snds" / "pmsi-mco.ttl"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    page = build_feed(store, settings)
    assert page.record_sources[BASE + "dataset/pmsi-mco"] == "mtime"
    assert page.record_sources[DCIR] == "git"


def test_modified_since_keeps_recently_changed_datasets(store, settings):
    page = build_feed(store, settings, modified_since=datetime(2025, 1, 1, tzinfo=UTC))
    assert page.datasets == [DCIR]
    assert page.total == 1
    assert build_feed(store, settings, modified_since=datetime(2026, 1, 1)).datasets == []


def test_hydra_paging_walks_every_dataset_once_in_a_stable_order(store, settings):
    url = "https://catalogue.example.org/catalog.ttl"
    seen = []
    for number in (1, 2, 3):
        page = build_feed(store, settings, page=number, page_size=1, feed_url=url)
        g = _graph(page.serialize("turtle"), ox.RdfFormat.TURTLE)
        view = f"{url}?page={number}&page_size=1"
        assert _objects(g, BASE + "catalog", HYDRA.view) == [view]
        assert _objects(g, BASE + "catalog", HYDRA.totalItems) == ["3"]
        assert HYDRA.PartialCollectionView in _objects(g, view, RDF.type)
        assert _objects(g, view, HYDRA.next) == ([f"{url}?page={number + 1}&page_size=1"] if number < 3 else [])
        assert _objects(g, view, HYDRA.previous) == ([f"{url}?page={number - 1}&page_size=1"] if number > 1 else [])
        assert _objects(g, view, HYDRA.last) == [f"{url}?page=3&page_size=1"]
        seen += page.datasets
    assert seen == [DCIR, BASE + "dataset/pmsi-mco", BASE + "dataset/snds"]


def test_page_links_keep_the_modified_since_filter(store, settings):
    page = build_feed(store, settings, page=1, page_size=1, modified_since=datetime(2020, 1, 1, tzinfo=UTC))
    text = page.serialize("turtle").decode()
    assert "?page=2&page_size=1&modified_since=2020-01-01T00%3A00%3A00Z" in text


@pytest.mark.parametrize(("page", "size"), [(4, 1), (0, 1), (1, 0), (1, 5000)])
def test_a_page_out_of_range_is_a_clear_error(store, settings, page, size):
    with pytest.raises(FeedError) as err:
        build_feed(store, settings, page=page, page_size=size)
    assert err.value.hint


def test_the_three_formats_carry_the_same_graph_and_bytes_are_stable(store, settings):
    page = build_feed(store, settings)
    turtle = _graph(page.serialize("turtle"), ox.RdfFormat.TURTLE)
    rdfxml = _graph(page.serialize("rdfxml"), ox.RdfFormat.RDF_XML)
    jsonld = _graph(page.serialize("jsonld"), ox.RdfFormat.JSON_LD)
    assert len(turtle) == len(rdfxml) == len(jsonld) == len(page.triples)

    def named(g: ox.Store) -> set[str]:
        return {
            str(q.triple)
            for q in g
            if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
        }

    assert named(turtle) == named(rdfxml) == named(jsonld)
    again = build_feed(load_catalogue(settings), settings)
    for fmt in ("turtle", "rdfxml", "jsonld"):
        assert again.serialize(fmt) == page.serialize(fmt)
    doc = json.loads(page.serialize("jsonld"))
    assert doc["@context"]["dcat"] == DCAT.Dataset.removesuffix("Dataset")


def test_feed_reads_a_store_on_disk(settings, tmp_path: Path):
    disk = ox.Store(str(tmp_path / "db"))
    disk.extend(load_catalogue(settings))
    assert build_feed(disk, settings).total == 3


def test_harvested_datasets_stay_out_of_the_feed_unless_asked(store, settings):
    from interop_support import load_catalogue

    from hdh_graph.harvest import harvest

    harvest(str(FIXTURES / "dcat-samples" / "dataset_health.ttl"), settings, name="partner")
    with_partner = load_catalogue(settings)
    assert build_feed(with_partner, settings).total == 3
    page = build_feed(with_partner, settings, include_harvested=True)
    assert page.total == 4 and "http://example.healthdata.nl/set/dataset" in page.datasets


def test_json_writer_gives_the_standard_library_bytes():
    from hdh_graph.feed.serialize import dump_json

    doc = {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#"},
        "@graph": [
            {"@id": "a", "@type": ["dcat:Dataset"], "p": [{"@value": 'quote " back \\ tab \t é ☃ \u2028 \x01'}]},
            {"@id": "b", "empty": [], "nothing": {}},
        ],
        "none": [],
    }
    assert dump_json(doc) == json.dumps(doc, ensure_ascii=False, indent=1)
    assert dump_json({}) == "{}" and dump_json([]) == "[]"


def test_paging_links_added_to_a_written_order_match_a_fresh_order(store, settings):
    from hdh_graph.feed.hydra import view_triples
    from hdh_graph.feed.serialize import canonical, with_triples

    page = build_feed(store, settings)
    links = view_triples(BASE + "catalog", lambda n: f"{BASE}catalog/page/{n}.ttl", 2, 3, 3)
    assert with_triples(page.ordered(), links) == canonical(page.triples + links)
    with pytest.raises(ValueError):
        with_triples(page.ordered(), [ox.Triple(ox.BlankNode("x"), ox.NamedNode(RDF.type), ox.NamedNode(DCAT.Dataset))])
