"""hdh build validates first: a catalogue with violations is not published unless the curator insists."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from hdh_graph.cli import main

MINI = Path(__file__).resolve().parents[1] / "loaders" / "fixtures" / "schema-snds-mini"
ROOT = Path(__file__).resolve().parents[2]


def _catalogue(tmp_path: Path) -> Path:
    """A small conforming catalogue: the curated files and a fresh import of the mini SNDS schema."""
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    for name in ("catalog.ttl", "agents.ttl"):
        shutil.copy(ROOT / "catalogue" / name, catalogue / name)
    # the SNDS import's documented values cite pages of the imported SNDS documentation (landing pages, sources)
    shutil.copytree(ROOT / "catalogue" / "docs-snds", catalogue / "docs-snds")
    result = CliRunner().invoke(main, ["import", "snds", str(MINI), "--catalogue", str(catalogue)])
    assert result.exit_code == 0, result.output
    return catalogue


def _build(catalogue: Path, store: Path, *flags: str) -> object:
    return CliRunner().invoke(main, ["build", "-q", "--catalogue", str(catalogue), "--store", str(store), *flags])


def _fix_dangling_code_list(catalogue: Path) -> None:
    """What a curator does with the mini schema's one violation: drop the link to a code list nobody defines."""
    dcir = catalogue / "snds" / "dcir.ttl"
    text = dcir.read_text(encoding="utf-8")
    dangling = " ;\n    qb:codeList <codelist/IR_NOPE_V> ."
    assert dangling in text
    dcir.write_text(text.replace(dangling, " ."), encoding="utf-8")


def test_a_violation_stops_the_build_until_the_curator_fixes_it(tmp_path: Path) -> None:
    catalogue, store = _catalogue(tmp_path), tmp_path / "store"
    refused = _build(catalogue, store)
    assert refused.exit_code == 1
    assert "snds/dcir.ttl" in refused.output and "qb:codeList" in refused.output
    assert "The store was not rebuilt" in refused.output
    assert not (store / "active").exists()

    _fix_dangling_code_list(catalogue)
    result = _build(catalogue, store)
    assert result.exit_code == 0, result.output
    assert "Built" in result.output
    assert (store / "active" / "search.sqlite").is_file()  # keyword index built with the store


def test_violations_stop_the_build_and_keep_the_previous_store(tmp_path: Path) -> None:
    catalogue, store = _catalogue(tmp_path), tmp_path / "store"
    _fix_dangling_code_list(catalogue)
    assert _build(catalogue, store).exit_code == 0
    before = CliRunner().invoke(main, ["stats", "--store", str(store), "--catalogue", str(catalogue)]).output

    dcir = catalogue / "snds" / "dcir.ttl"
    text = dcir.read_text(encoding="utf-8")
    dcir.write_text(text.replace("dct:accessRights", "dct:rightsHolder", 1), encoding="utf-8")
    refused = _build(catalogue, store)
    assert refused.exit_code == 1
    assert "snds/dcir.ttl" in refused.output
    assert "dct:accessRights" in refused.output
    assert "The store was not rebuilt" in refused.output
    assert "--allow-violations" in refused.output
    after = CliRunner().invoke(main, ["stats", "--store", str(store), "--catalogue", str(catalogue)]).output
    assert after.splitlines()[0] == before.splitlines()[0]  # same store: same triples, same build time

    forced = _build(catalogue, store, "--allow-violations")
    assert forced.exit_code == 0, forced.output
    assert "built with" in forced.output and "violation" in forced.output
