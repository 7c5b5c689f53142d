"""Scoring and labelling only some datasets gives them the same figures as scoring the whole catalogue."""

from __future__ import annotations

from quality_support import BASE, FIXTURES, store_of

from hdh_graph.quality.ehds import labels
from hdh_graph.quality.score import assess


def test_assess_and_labels_of_chosen_datasets() -> None:
    store = store_of([FIXTURES / "full.ttl", FIXTURES / "half.ttl"])
    everything = {s.iri: s for s in assess(store).datasets}
    assert len(everything) == 2
    chosen = BASE + "dataset/half"
    [only] = assess(store, datasets=[chosen]).datasets
    assert only.iri == chosen and only.points == everything[chosen].points
    assert only.dimension_points() == everything[chosen].dimension_points()
    all_labels = {label.dataset: label for label in labels(store)}
    assert labels(store, datasets=[chosen]) == [all_labels[chosen]]
    assert assess(store, datasets=[]).datasets == [] and labels(store, datasets=[]) == []
