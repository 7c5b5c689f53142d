"""The quality triples the feed carries pass the catalogue's own shapes when they are loaded back.

``hdhsh:ehds-measurement`` checks every ``dqv:QualityMeasurement``: the feed's MQA measurements (``hdh:mqa-*``)
must not read as malformed EHDS statements, while an unknown metric still does (``bad-annotation.ttl``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner
from quality_support import BASE, FIXTURES, store_of

from hdh_graph.cli import main
from hdh_graph.quality.certificate import certificate_triples, label_metric_triples
from hdh_graph.quality.dqv import dataset_measurements, metric_triples
from hdh_graph.quality.ehds import labels
from hdh_graph.quality.score import assess


def test_feed_quality_triples_validate_with_our_shapes(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    shutil.copy(FIXTURES / "full.ttl", catalogue / "full.ttl")
    store = store_of([FIXTURES / "full.ttl"])
    triples = [*metric_triples(), *label_metric_triples()]
    for score in assess(store).datasets:
        triples += dataset_measurements(score)
    for label in labels(store):
        triples += certificate_triples(label)
    assert any(t.predicate.value == "http://www.w3.org/ns/dqv#hasQualityMeasurement" for t in triples)
    (catalogue / "quality.ttl").write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE))
    result = CliRunner().invoke(main, ["validate", "--catalogue", str(catalogue), "--base-iri", BASE])
    assert "dqv:isMeasurementOf" not in result.output, result.output
    assert "ehds-measurement" not in result.output, result.output
