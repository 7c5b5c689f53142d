"""The EHDS quality and utility label: elements derived from the graph, stated by curators, malformed ones refused."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from quality_support import BASE, CATALOGUE, FIXTURES, store_of

from hdh_graph.cli import main
from hdh_graph.quality.ehds import ELEMENTS, labels


def test_nothing_filled_leaves_every_element_unstated() -> None:
    [label] = labels(store_of([FIXTURES / "empty.ttl"]))
    assert [e.key for e in label.unstated] == [e.key for e in ELEMENTS]


def test_stated_and_derived_elements() -> None:
    [label] = labels(store_of([FIXTURES / "full.ttl", FIXTURES / "bad-annotation.ttl"]))
    assert label.status["accuracy"] == "stated"
    # a measurement of an unknown metric states nothing
    assert label.status["uniqueness"] == "unstated"
    # title without description: the metadata element is not shown
    assert label.status["metadata"] == "unstated"


def test_snds_documentation_is_derived_from_the_graph() -> None:
    files = [*sorted((CATALOGUE / "snds").glob("*.ttl")), CATALOGUE / "mappings" / "snds-omop.ttl"]
    by_iri = {label.dataset: label for label in labels(store_of(files, root=CATALOGUE))}
    dcir = by_iri[BASE + "dataset/dcir"]
    for key in ("metadata", "data-model", "dictionary", "standards", "provenance", "enrichments"):
        assert dcir.status[key] == "derived", key
    assert dcir.status["completeness"] == "unstated"


def test_malformed_annotation_gets_file_line_and_fix(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    for name in ("full.ttl", "bad-annotation.ttl"):
        shutil.copy(FIXTURES / name, catalogue / name)
    result = CliRunner().invoke(main, ["validate", "--catalogue", str(catalogue), "--base-iri", BASE])
    assert result.exit_code == 1
    out = result.output
    block = out[out.index("bad-annotation.ttl") :]
    assert "9:1 violation <dataset/full#completeness> dqv:value" in block  # 97 is not a ratio
    assert "13:1 violation <dataset/full#delay> dqv:value" in block  # a string is not an xsd:duration
    assert "17:1 violation <dataset/full#unknown> dqv:isMeasurementOf" in block  # unknown metric
    assert "hint: Write a ratio, e.g. dqv:value 0.97" in block
    assert "<dataset/full#good>" not in out
