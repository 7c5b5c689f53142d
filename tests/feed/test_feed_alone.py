"""The feed as a harvester receives it passes the official shapes on its own.

The project's SNDS catalogue (its Turtle files) is loaded into a store, the feed is written as the site publishes
it (``catalog.ttl|.jsonld|.rdf`` and its Hydra pages) and as the server answers it (``/api/catalog.ttl?page=N``),
every document is parsed back from its bytes and validated with the official DCAT-AP 3.0.1 and HealthDCAT-AP
Release 8 shapes only, with only the shipped EU vocabularies as background: not our shapes, not our ontology,
not the store.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from hdh_graph.feed import build_feed
from hdh_graph.feed.vocabulary import ontology_file
from hdh_graph.settings import Settings
from hdh_graph.site.publish.feed import feed_files
from hdh_graph.validation.official import PROFILES, official_shapes, validate_alone, violations

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PAGE_SIZE = 7  # the 14 SNDS datasets make two pages
RDFLIB = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}


def load(settings: Settings) -> ox.Store:
    """Each Turtle file of the catalogue in its own named graph, as the build does (code-list CSVs left out:
    the feed names code lists, not their codes)."""
    store = ox.Store()
    for path in sorted(settings.catalogue.rglob("*.ttl")):
        graph = ox.NamedNode(settings.graph_iri(path.relative_to(settings.catalogue).as_posix()))
        triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=settings.base_iri)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return store


@pytest.fixture(scope="module")
def snds(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, Settings]:
    settings = Settings(catalogue=ROOT / "catalogue", store=tmp_path_factory.mktemp("unused-store"))
    return load(settings), settings


@pytest.fixture(scope="module")
def documents(snds: tuple[ox.Store, Settings]) -> dict[str, rdflib.Graph]:
    store, settings = snds
    raw: dict[str, tuple[bytes, str]] = {}
    for path, data in feed_files(store, settings).items():  # as the site publishes it: one document
        raw[path] = (data, RDFLIB[path.rsplit(".", 1)[1]])
    for path, data in feed_files(store, settings, PAGE_SIZE).items():  # in Hydra pages
        raw[f"{PAGE_SIZE} a page: {path}"] = (data, RDFLIB[path.rsplit(".", 1)[1]])
    first = build_feed(store, settings, page=1, page_size=PAGE_SIZE)
    for number in range(1, first.last_page + 1):
        page = build_feed(store, settings, page=number, page_size=PAGE_SIZE)
        raw[f"api/catalog.ttl?page={number}&pageSize={PAGE_SIZE}"] = (page.serialize("turtle"), "turtle")
    return {name: parse(data, fmt, settings.base_iri) for name, (data, fmt) in raw.items()}


def parse(data: bytes, fmt: str, base: str) -> rdflib.Graph:
    """A document read back as a harvester reads it (rdflib, as ckanext-dcat does)."""
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return rdflib.Graph().parse(data=data, format=fmt, publicID=base)


def test_every_document_of_the_feed_is_written(documents: dict[str, rdflib.Graph]) -> None:
    """Three formats of the whole catalogue, of each of the two static pages, and two live pages."""
    assert len(documents) == 3 + 6 + 2
    datasets = rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset")
    assert len(set(documents["catalog.ttl"].subjects(rdflib.RDF.type, datasets))) == 14
    dqv = rdflib.Namespace("http://www.w3.org/ns/dqv#")
    for name, g in documents.items():  # the quality figures are among what the official shapes see
        shown = set(g.subjects(rdflib.RDF.type, datasets))
        assert set(g.subjects(dqv.hasQualityAnnotation, None)) == shown, name
        assert set(g.subjects(dqv.hasQualityMeasurement, None)) == shown, name
        assert len(set(g.subjects(rdflib.RDF.type, dqv.QualityCertificate))) == len(shown), name


@pytest.mark.parametrize("profile", PROFILES)
def test_each_document_alone_has_no_violation(documents: dict[str, rdflib.Graph], profile: str) -> None:
    failing = {name: violations(validate_alone(graph, profile)) for name, graph in documents.items()}
    found = [f"{name}: {v}" for name, vs in sorted(failing.items()) for v in vs]
    assert found == [], "\n".join(found[:40])


def test_our_dataset_kinds_are_described_and_mapped_in_the_feed(documents: dict[str, rdflib.Graph]) -> None:
    """The dct:type values of ours are SKOS concepts of a described scheme, mapped to the EU dataset type broader
    than them where there is one (the dataset keeps one dct:type: ckanext-dcat reads one)."""
    g = documents["catalog.ttl"]
    skos = rdflib.namespace.SKOS
    hdh = rdflib.Namespace("https://w3id.org/hdh-graph/ns#")
    statistical = rdflib.URIRef("http://publications.europa.eu/resource/authority/dataset-type/STATISTICAL")
    assert (hdh.ClaimsDatabase, rdflib.RDF.type, skos.Concept) in g
    assert (hdh.ClaimsDatabase, skos.inScheme, hdh.DatasetKinds) in g
    assert (hdh.DatasetKinds, rdflib.RDF.type, skos.ConceptScheme) in g
    assert g.value(hdh.ClaimsDatabase, skos.prefLabel) is not None
    damir = rdflib.URIRef(Settings().base_iri + "dataset/damir")
    assert set(g.objects(damir, rdflib.DCTERMS.type)) == {hdh.AggregatedStatistics}
    assert (hdh.AggregatedStatistics, skos.broadMatch, statistical) in g
    assert (statistical, rdflib.RDF.type, skos.Concept) in g


def test_structured_data_comes_with_its_variables(documents: dict[str, rdflib.Graph]) -> None:
    health = rdflib.Namespace("http://healthdataportal.eu/ns/health#")
    for name, g in documents.items():
        for ds in g.subjects(health.hasStructuredData, rdflib.Literal(True)):
            assert g.value(ds, health.hasVariables) is not None, f"{name}: {ds}"


def test_without_the_described_kinds_the_official_shapes_fail(documents: dict[str, rdflib.Graph]) -> None:
    """The check can fail: the feed without the description of our concepts is rejected."""
    g = rdflib.Graph()
    g += documents["catalog.ttl"]
    hdh = "https://w3id.org/hdh-graph/ns#"
    for s, p, o in list(g):
        if str(s).startswith(hdh):
            g.remove((s, p, o))
    found = violations(validate_alone(g, "healthdcat-ap"))
    assert {f.message for f in found} == {"Value does not have class skos:Concept"}
    assert len(found) == 14


def test_the_check_uses_neither_our_shapes_nor_our_ontology() -> None:
    shapes = official_shapes((ROOT / "shapes").resolve(), "healthdcat-ap", "NON_PUBLIC")
    ours = rdflib.Graph().parse(ROOT / "shapes" / "hdh.ttl")
    assert not set(ours.subjects()) & set(shapes.subjects()) - {rdflib.BNode()}
    assert not any(str(s).startswith("https://w3id.org/hdh-graph/ns#") for s in shapes.subjects())
    assert ontology_file().is_file()  # the feed reads our concepts from there, the validation does not
