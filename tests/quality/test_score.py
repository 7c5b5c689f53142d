"""The MQA score of small fixtures and of the SNDS descriptions of the catalogue."""

from __future__ import annotations

from quality_support import BASE, CATALOGUE, FIXTURES, store_of

from hdh_graph.quality.indicators import INDICATORS, MAX_POINTS, Dimension, dimension_max, rating
from hdh_graph.quality.score import MET, MISSING, NOT_CHECKED, PARTIAL, assess

NO_VIOLATION: dict[str, object] = {"results": []}


def test_points_add_up_to_the_methodology() -> None:
    assert sum(i.points for i in INDICATORS) == MAX_POINTS == 405
    assert [dimension_max(d) for d in Dimension] == [100, 100, 110, 75, 20]
    assert [rating(p) for p in (405, 351, 350, 221, 220, 121, 120, 0)] == [
        "excellent", "excellent", "good", "good", "sufficient", "sufficient", "bad", "bad",
    ]  # fmt: skip


def test_a_dataset_with_nothing_scores_zero_and_lists_everything() -> None:
    scores = assess(store_of([FIXTURES / "empty.ttl"]), NO_VIOLATION)
    [ds] = scores.datasets
    assert ds.iri == BASE + "dataset/empty"
    # compliance holds (no violation) but nothing else
    assert {r.indicator.key for r in ds.results if r.points} == {"dcatApCompliance"}
    without = assess(store_of([FIXTURES / "empty.ttl"]), None).datasets[0]
    assert without.points == 0 and without.rating == "bad"
    assert len(without.missing) == len(INDICATORS)
    texts = [r.explanation for r in without.missing]
    assert "Keyword usage: add dcat:keyword (30 points)" in texts
    assert "DownloadURL: add a dcat:distribution, then add dcat:downloadURL (20 points)" in texts
    assert "DCAT-AP compliance: not checked, no validation report in the store (30 points)" in texts


def test_a_full_dataset_meets_every_indicator_checked_offline() -> None:
    scores = assess(store_of([FIXTURES / "full.ttl"]), NO_VIOLATION)
    [ds] = scores.datasets
    statuses = {r.indicator.key: r.status for r in ds.results}
    assert {k for k, s in statuses.items() if s == NOT_CHECKED} == {"accessUrlAccessible", "downloadUrlAccessible"}
    assert all(s == MET for k, s in statuses.items() if s != NOT_CHECKED)
    assert ds.points == MAX_POINTS - 80
    assert ds.dimension_points()[Dimension.CONTEXTUALITY] == 20
    assert scores.catalog == BASE + "catalog"


def test_a_violation_on_the_dataset_or_its_distribution_costs_compliance() -> None:
    report = {"results": [{"severity": "violation", "resource": BASE + "dataset/full#csv"}]}
    ds = assess(store_of([FIXTURES / "full.ttl"]), report).datasets[0]
    [compliance] = [r for r in ds.results if r.indicator.key == "dcatApCompliance"]
    assert compliance.status == MISSING and ds.points == MAX_POINTS - 80 - 30
    warning = {"results": [{"severity": "warning", "resource": BASE + "dataset/full"}]}
    assert assess(store_of([FIXTURES / "full.ttl"]), warning).datasets[0].points == MAX_POINTS - 80


def test_distribution_indicators_score_in_proportion() -> None:
    ds = assess(store_of([FIXTURES / "half.ttl"]), None).datasets[0]
    by_key = {r.indicator.key: r for r in ds.results}
    assert by_key["license"].status == MET and by_key["license"].points == 20
    vocabulary = by_key["licenseVocabulary"]
    assert (vocabulary.status, vocabulary.points, vocabulary.met, vocabulary.total) == (PARTIAL, 5.0, 1, 2)
    assert vocabulary.explanation.endswith("in dct:license on 1 of 2 distributions (5 points)")


def test_snds_descriptions_score() -> None:
    files = sorted((CATALOGUE / "snds").glob("*.ttl"))
    scores = assess(store_of(files, root=CATALOGUE), NO_VIOLATION)
    iris = {ds.iri.removeprefix(BASE) for ds in scores.datasets}
    assert {"dataset/dcir", "dataset/pmsi-mco", "dataset/snds"} <= iris
    dcir = next(ds for ds in scores.datasets if ds.iri == BASE + "dataset/dcir")
    statuses = {r.indicator.key: r.status for r in dcir.results}
    # what dcir.ttl states (keywords, EU theme, spatial, temporal, EU access right, contact, publisher)
    for key in ("keyword", "theme", "spatial", "temporal", "accessRights", "accessRightsVocabulary", "contactPoint"):
        assert statuses[key] == MET, key
    assert 0 < dcir.points < MAX_POINTS
    assert scores.points == round(sum(d.points for d in scores.datasets) / len(scores.datasets), 1)
    assert sum(scores.ratings().values()) == len(scores.datasets)
