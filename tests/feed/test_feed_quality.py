"""The feed carries each dataset's MQA score and EHDS label, the same figures as ``hdh quality``.

The SNDS catalogue (its Turtle files) is loaded into a store; the feed, written as Turtle and parsed back, must
give each dataset the total score :func:`hdh_graph.quality.score.assess` reports, its points per dimension, and one
``dqv:QualityCertificate`` whose body states the label of :func:`hdh_graph.quality.ehds.labels`; the metrics the
measurements refer to are defined in the same document, the whole catalogue's and each Hydra page's.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from hdh_graph.feed import build_feed
from hdh_graph.quality.certificate import label_text
from hdh_graph.quality.ehds import labels
from hdh_graph.quality.indicators import Dimension
from hdh_graph.quality.score import assess
from hdh_graph.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PREFIXES = (
    "PREFIX dqv: <http://www.w3.org/ns/dqv#> PREFIX oa: <http://www.w3.org/ns/oa#>\n"
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
)
HDH = "https://w3id.org/hdh-graph/ns#"


@pytest.fixture(scope="module")
def snds(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, Settings]:
    settings = Settings(catalogue=ROOT / "catalogue", store=tmp_path_factory.mktemp("unused-store"))
    store = ox.Store()
    for path in sorted(settings.catalogue.rglob("*.ttl")):
        graph = ox.NamedNode(settings.graph_iri(path.relative_to(settings.catalogue).as_posix()))
        triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=settings.base_iri)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return store, settings


def _parsed(data: bytes) -> ox.Store:
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.TURTLE)
    return store


def _select(doc: ox.Store, query: str) -> list[ox.QuerySolution]:
    solutions = doc.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return list(solutions)


def _value(solution: ox.QuerySolution, name: str) -> str:
    term = solution[name]
    assert term is not None
    return str(term.value)


def _measured(doc: ox.Store, dataset: str, metric: str) -> list[Decimal]:
    query = PREFIXES + (
        f"SELECT ?v WHERE {{ <{dataset}> dqv:hasQualityMeasurement ?m . ?m dqv:isMeasurementOf <{metric}> ; "
        f"dqv:computedOn <{dataset}> ; dqv:value ?v . <{metric}> a dqv:Metric }}"
    )
    return [Decimal(_value(row, "v")) for row in _select(doc, query)]


def test_the_feed_carries_the_score_assess_reports(snds: tuple[ox.Store, Settings]) -> None:
    store, settings = snds
    doc = _parsed(build_feed(store, settings).serialize("turtle"))
    scores = assess(store).datasets
    assert len(scores) > 1
    for score in scores:
        assert _measured(doc, score.iri, HDH + "mqa-score") == [Decimal(f"{score.points:.1f}")]
        for dimension, points in score.dimension_points().items():
            assert _measured(doc, score.iri, f"{HDH}mqa-{dimension.value}-points") == [Decimal(f"{points:.1f}")]
    dimensions = {_value(row, "d") for row in _select(doc, PREFIXES + "SELECT ?d WHERE { ?d a dqv:Dimension }")}
    assert len(dimensions) == len(Dimension)


def test_each_dataset_has_one_certificate_stating_its_label(snds: tuple[ox.Store, Settings]) -> None:
    store, settings = snds
    doc = _parsed(build_feed(store, settings).serialize("turtle"))
    for label in labels(store):
        query = PREFIXES + (
            f"SELECT ?text WHERE {{ <{label.dataset}> dqv:hasQualityAnnotation ?c . ?c a dqv:QualityCertificate ; "
            f"oa:hasTarget <{label.dataset}> ; oa:motivatedBy dqv:qualityAssessment ; oa:hasBody ?b . "
            "?b rdf:value ?text }"
        )
        texts = [_value(row, "text") for row in _select(doc, query)]
        assert texts == [label_text(label)]


def test_each_hydra_page_defines_the_metrics_of_its_own_datasets(snds: tuple[ox.Store, Settings]) -> None:
    store, settings = snds
    first = build_feed(store, settings, page=1, page_size=5)
    assert first.last_page > 1
    for number in range(1, first.last_page + 1):
        page = build_feed(store, settings, page=number, page_size=5)
        doc = _parsed(page.serialize("turtle"))
        query = PREFIXES + "SELECT ?d WHERE { ?d dqv:hasQualityMeasurement ?m }"
        measured = {_value(row, "d") for row in _select(doc, query)}
        assert measured == set(page.datasets)
        undefined = PREFIXES + "ASK { ?m dqv:isMeasurementOf ?metric FILTER NOT EXISTS { ?metric a dqv:Metric } }"
        assert not bool(doc.query(undefined))
