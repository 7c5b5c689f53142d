"""The MQA scores as W3C Data Quality Vocabulary (DQV) triples, for the feed to carry.

- :func:`metric_triples`: the five dimensions (``dqv:Dimension``) and one ``dqv:Metric`` per indicator, plus the
  total score and the points of each dimension,
  each with labels, its dimension (``dqv:inDimension``), its expected datatype and maximum;
- :func:`measurement_triples`: for each dataset, ``dqv:hasQualityMeasurement`` to one ``dqv:QualityMeasurement``
  per indicator checked,
  per dimension and for the total (``dqv:isMeasurementOf`` the metric, ``dqv:value`` the points, ``dqv:computedOn`` the
  dataset). Indicators not checked (they need the network, or no validation report) get no measurement.

Measurements are named ``<dataset>#mqa-<indicator>`` so that the same score always gives the same triples.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox

from hdh_graph.quality.indicators import INDICATORS, MAX_POINTS, Dimension, dimension_max
from hdh_graph.quality.score import NOT_CHECKED, CatalogueScore, DatasetScore

DQV = "http://www.w3.org/ns/dqv#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_DEFINITION = ox.NamedNode("http://www.w3.org/2004/02/skos/core#definition")
XSD = "http://www.w3.org/2001/XMLSchema#"
HDH = "https://w3id.org/hdh-graph/ns#"
TOTAL = "score"


def _dqv(name: str) -> ox.NamedNode:
    return ox.NamedNode(DQV + name)


def metric_iri(key: str) -> ox.NamedNode:
    """The metric of one indicator (``hdh:mqa-keyword``), or of the total (``hdh:mqa-score``)."""
    return ox.NamedNode(f"{HDH}mqa-{key}")


def dimension_iri(dimension: Dimension) -> ox.NamedNode:
    return ox.NamedNode(f"{HDH}mqa-{dimension.value}")


def dimension_metric_iri(dimension: Dimension) -> ox.NamedNode:
    """The metric of the points a dataset earns in one dimension (``hdh:mqa-findability-points``)."""
    return ox.NamedNode(f"{HDH}mqa-{dimension.value}-points")


def _decimal(value: float) -> ox.Literal:
    """Points to one decimal, in the canonical form a store reads back (``200``, ``12.5``)."""
    return ox.Literal(format(Decimal(f"{value:.1f}").normalize(), "f"), datatype=ox.NamedNode(XSD + "decimal"))


def metric_triples(*, indicators: bool = True) -> list[ox.Triple]:
    """The dimensions and metrics the measurements refer to (without the per-indicator ones: ``indicators``)."""
    triples: list[ox.Triple] = []
    for dimension in Dimension:
        node = dimension_iri(dimension)
        triples += [
            ox.Triple(node, RDF_TYPE, _dqv("Dimension")),
            ox.Triple(node, RDFS_LABEL, ox.Literal(f"MQA {dimension.value}", language="en")),
            ox.Triple(
                node,
                ox.NamedNode(HDH + "maxPoints"),
                ox.Literal(str(dimension_max(dimension)), datatype=ox.NamedNode(XSD + "integer")),
            ),
        ]
    for ind in INDICATORS if indicators else ():
        node = metric_iri(ind.key)
        triples += [
            ox.Triple(node, RDF_TYPE, _dqv("Metric")),
            ox.Triple(node, RDFS_LABEL, ox.Literal(f"MQA: {ind.label}", language="en")),
            ox.Triple(
                node, SKOS_DEFINITION, ox.Literal(f"Points earned out of {ind.points}: {ind.fix}.", language="en")
            ),
            ox.Triple(node, _dqv("inDimension"), dimension_iri(ind.dimension)),
            ox.Triple(node, _dqv("expectedDataType"), ox.NamedNode(XSD + "decimal")),
            ox.Triple(
                node,
                ox.NamedNode(HDH + "maxPoints"),
                ox.Literal(str(ind.points), datatype=ox.NamedNode(XSD + "integer")),
            ),
        ]
    for dimension in Dimension:
        node = dimension_metric_iri(dimension)
        triples += [
            ox.Triple(node, RDF_TYPE, _dqv("Metric")),
            ox.Triple(node, RDFS_LABEL, ox.Literal(f"MQA: {dimension.value} points", language="en")),
            ox.Triple(node, _dqv("inDimension"), dimension_iri(dimension)),
            ox.Triple(node, _dqv("expectedDataType"), ox.NamedNode(XSD + "decimal")),
            ox.Triple(
                node,
                ox.NamedNode(HDH + "maxPoints"),
                ox.Literal(str(dimension_max(dimension)), datatype=ox.NamedNode(XSD + "integer")),
            ),
        ]
    total = metric_iri(TOTAL)
    triples += [
        ox.Triple(total, RDF_TYPE, _dqv("Metric")),
        ox.Triple(total, RDFS_LABEL, ox.Literal("MQA: total score", language="en")),
        ox.Triple(total, _dqv("expectedDataType"), ox.NamedNode(XSD + "decimal")),
        ox.Triple(
            total, ox.NamedNode(HDH + "maxPoints"), ox.Literal(str(MAX_POINTS), datatype=ox.NamedNode(XSD + "integer"))
        ),
    ]
    return triples


def dataset_measurements(score: DatasetScore, *, indicators: bool = True) -> list[ox.Triple]:
    """One dataset's measurements: the points of each dimension, the total and (``indicators``) each indicator
    checked."""
    dataset = ox.NamedNode(score.iri)
    base = score.iri.split("#", 1)[0]
    triples: list[ox.Triple] = []
    checked = [r for r in score.results if r.status != NOT_CHECKED] if indicators else []
    values = [(r.indicator.key, metric_iri(r.indicator.key), r.points) for r in checked]
    dimensions = [(f"{d.value}-points", dimension_metric_iri(d), p) for d, p in score.dimension_points().items()]
    for key, metric, points in [*values, *dimensions, (TOTAL, metric_iri(TOTAL), score.points)]:
        node = ox.NamedNode(f"{base}#mqa-{key}")
        triples += [
            ox.Triple(dataset, _dqv("hasQualityMeasurement"), node),
            ox.Triple(node, RDF_TYPE, _dqv("QualityMeasurement")),
            ox.Triple(node, _dqv("isMeasurementOf"), metric),
            ox.Triple(node, _dqv("computedOn"), dataset),
            ox.Triple(node, _dqv("value"), _decimal(points)),
        ]
    return triples


def measurement_triples(catalogue: CatalogueScore, *, with_metrics: bool = True) -> list[ox.Triple]:
    """Every dataset's measurements, after the metric definitions (``with_metrics``)."""
    triples = metric_triples() if with_metrics else []
    for score in catalogue.datasets:
        triples += dataset_measurements(score)
    return triples
