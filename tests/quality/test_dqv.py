"""The MQA scores as DQV triples: metrics defined with their dimension, one measurement per indicator checked."""

from __future__ import annotations

import pyoxigraph as ox
from quality_support import BASE, FIXTURES, store_of

from hdh_graph.quality.dqv import measurement_triples, metric_triples
from hdh_graph.quality.indicators import INDICATORS, Dimension
from hdh_graph.quality.score import assess

PREFIXES = {"dqv": "http://www.w3.org/ns/dqv#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}


def _graph(triples: list[ox.Triple]) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


def test_every_metric_has_a_label_and_a_dimension() -> None:
    store = _graph(metric_triples())
    rows = list(
        store.query(
            "SELECT ?m ?d WHERE { ?m a dqv:Metric ; rdfs:label ?l ; dqv:inDimension ?d . ?d a dqv:Dimension }",
            prefixes=PREFIXES,
        )
    )
    # one metric per indicator, and one per dimension for the points a dataset earns in it
    assert len(rows) == len(INDICATORS) + len(Dimension)


def test_measurements_of_a_full_dataset() -> None:
    scores = assess(store_of([FIXTURES / "full.ttl"]), {"results": []})
    store = _graph(measurement_triples(scores))
    query = """SELECT ?metric ?value WHERE {
        ?dataset dqv:hasQualityMeasurement ?m . ?m a dqv:QualityMeasurement ;
        dqv:isMeasurementOf ?metric ; dqv:computedOn ?dataset ; dqv:value ?value . ?metric a dqv:Metric }"""
    values = {s["metric"].value.rsplit("mqa-", 1)[1]: s["value"].value for s in store.query(query, prefixes=PREFIXES)}
    assert float(values["keyword"]) == 30 and float(values["score"]) == 325
    # the two checks not made have no measurement: a harvester does not read a 0 that was never measured
    assert "accessUrlAccessible" not in values and len(values) == len(INDICATORS) - 2 + len(Dimension) + 1
    assert float(values["findability-points"]) == scores.datasets[0].dimension_points()[Dimension.FINDABILITY]
    assert sum(float(values[f"{d.value}-points"]) for d in Dimension) == 325
    node = ox.NamedNode(BASE + "dataset/full#mqa-keyword")
    [value] = [q.object for q in store.quads_for_pattern(node, ox.NamedNode(PREFIXES["dqv"] + "value"), None)]
    assert isinstance(value, ox.Literal) and value.datatype.value.endswith("#decimal")


def test_the_same_score_gives_the_same_triples() -> None:
    scores = assess(store_of([FIXTURES / "half.ttl"]), None)
    assert measurement_triples(scores) == measurement_triples(scores)
