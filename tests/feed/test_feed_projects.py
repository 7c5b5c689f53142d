"""Projects of the register in the feed: each dataset a project uses says so with ``dct:isReferencedBy`` (DCAT-AP
3; recommended by HealthDCAT-AP for non-public data), and the feed describes the project (DPV and PROV-O: its
purpose, controller, decision and results), so that the document still passes the official shapes alone."""

from __future__ import annotations

import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from hdh_graph.feed import build_feed
from hdh_graph.settings import Settings
from hdh_graph.validation.official import PROFILES, validate_alone, violations

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tests" / "fixtures" / "projects" / "register-examples.ttl"
DCT = rdflib.DCTERMS
DPV = rdflib.Namespace("https://w3id.org/dpv#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")


def _load(settings: Settings, extra: list[Path]) -> ox.Store:
    store = ox.Store()
    for path in [*sorted(settings.catalogue.rglob("*.ttl")), *extra]:
        name = path.name if path in extra else path.relative_to(settings.catalogue).as_posix()
        graph = ox.NamedNode(settings.graph_iri(name))
        triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=settings.base_iri)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return store


def _feed(store: ox.Store, settings: Settings) -> rdflib.Graph:
    data = build_feed(store, settings).serialize("turtle")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        return rdflib.Graph().parse(data=data, format="turtle", publicID=settings.base_iri)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(catalogue=ROOT / "catalogue", store=tmp_path_factory.mktemp("unused-store"))


@pytest.fixture(scope="module")
def feed(settings: Settings) -> rdflib.Graph:
    return _feed(_load(settings, [EXAMPLES]), settings)


def iri(settings: Settings, path: str) -> rdflib.URIRef:
    return rdflib.URIRef(settings.base_iri + path)


def test_each_dataset_a_project_uses_is_referenced_by_it(feed: rdflib.Graph, settings: Settings) -> None:
    heart, warehouse = iri(settings, "project/example-heart-failure"), iri(settings, "project/example-warehouse-study")
    referenced = {
        str(s).removeprefix(settings.base_iri): {
            str(o).removeprefix(settings.base_iri) for o in feed.objects(s, DCT.isReferencedBy)
        }
        for s in feed.subjects(DCT.isReferencedBy, None)
    }
    assert referenced == {
        "dataset/dcir": {"project/example-heart-failure"},
        "dataset/beneficiaires": {"project/example-heart-failure"},
        "dataset/pmsi-mco": {"project/example-heart-failure", "project/example-warehouse-study"},
        "dataset/omop-cdm": {"project/example-warehouse-study"},
    }
    assert (heart, rdflib.RDF.type, DPV.Process) in feed
    titles = {t.language: str(t) for t in feed.objects(heart, DCT.title) if isinstance(t, rdflib.Literal)}
    assert titles["fr"].startswith("EXEMPLE") and titles["en"].startswith("EXAMPLE")
    assert (heart, DPV.hasActivityStatus, DPV.ActivityCompleted) in feed
    decision = feed.value(heart, DPV.hasLegalBasis)
    assert str(feed.value(decision, DCT.issued)) == "2021-06-10"
    assert feed.value(decision, PROV.wasAttributedTo) == iri(settings, "agent/cnil")
    assert feed.value(feed.value(heart, PROV.generated), DCT.title) is not None
    controller = feed.value(warehouse, DPV.hasDataController)
    assert feed.value(controller, rdflib.FOAF.name) is not None  # the team is described, as an agent


@pytest.mark.parametrize("profile", PROFILES)
def test_the_feed_with_projects_passes_the_official_shapes_alone(feed: rdflib.Graph, profile: str) -> None:
    found = violations(validate_alone(feed, profile))
    assert [str(v) for v in found] == []


def test_without_a_register_no_dataset_is_referenced(settings: Settings) -> None:
    feed = _feed(_load(settings, []), settings)
    assert list(feed.subjects(DCT.isReferencedBy, None)) == []
