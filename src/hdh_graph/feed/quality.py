"""The quality figures the feed carries: each dataset's MQA score and EHDS label, computed once per build.

:func:`read_quality` scores every dataset of the store once (:func:`hdh_graph.quality.score.assess`, with the
validation report ``hdh build`` saved, as ``hdh quality`` does) and labels them
(:func:`hdh_graph.quality.ehds.labels`); each page then takes its datasets' triples (:meth:`FeedQuality.for_datasets`)
and the metric definitions, so that every document is self-contained. Per dataset: the total score, the points
of each of the five dimensions, the count of EHDS label elements met and the certificate (the 20-odd
per-indicator measurements would more than double the feed's size; ``hdh quality --format json`` lists them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from hdh_graph.graph_store import GraphStore
from hdh_graph.quality.certificate import certificate_triples, label_metric_triples
from hdh_graph.quality.dqv import dataset_measurements, metric_triples
from hdh_graph.quality.ehds import labels
from hdh_graph.quality.score import assess
from hdh_graph.settings import Settings
from hdh_graph.store import VALIDATION_REPORT, read_snapshot_json


@dataclass
class FeedQuality:
    """Each dataset's quality triples (measurements and certificate), and the metrics they refer to."""

    by_dataset: dict[str, list[ox.Triple]] = field(default_factory=dict)
    metrics: list[ox.Triple] = field(default_factory=list)

    def for_datasets(self, datasets: list[str]) -> list[ox.Triple]:
        """The metric definitions and the triples of ``datasets`` (none at all when none is scored)."""
        chosen = [t for d in datasets for t in self.by_dataset.get(d, ())]
        return [*self.metrics, *chosen] if chosen else []


def read_quality(store: GraphStore, settings: Settings, datasets: list[str] | None = None) -> FeedQuality:
    """Score and label every dataset of the store (or only ``datasets``) once."""
    validation = None if settings.sparql_endpoint else read_snapshot_json(settings, VALIDATION_REPORT)
    by_dataset: dict[str, list[ox.Triple]] = {}
    for score in assess(store, validation, datasets=datasets).datasets:
        by_dataset.setdefault(score.iri, []).extend(dataset_measurements(score, indicators=False))
    for label in labels(store, datasets=datasets):
        by_dataset.setdefault(label.dataset, []).extend(certificate_triples(label))
    return FeedQuality(by_dataset, [*metric_triples(indicators=False), *label_metric_triples()])
