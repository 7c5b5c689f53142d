"""Which files make a catalogue, in which order, and which named graph each one fills."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hdh_graph.catalogue_files import (
    catalogue_file,
    fingerprint,
    graph_iri,
    relative_of_graph,
    source_files,
    tabular_files,
    turtle_files,
)
from hdh_graph.errors import SettingsError
from hdh_graph.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini-catalogue"
BASE = "https://example.org/cat/"


def settings_for(folder: Path, base: str = BASE) -> Settings:
    return Settings(catalogue=folder, store=folder / "unused-store", base_iri=base)


def test_turtle_files_in_stable_order_without_hidden_or_other_files() -> None:
    files = turtle_files(settings_for(MINI))
    assert [f.relative for f in files] == ["agents.ttl", "catalog.ttl", "codelists/DEMO.ttl", "products/demo.ttl"]
    assert all(f.path.is_file() for f in files)


def test_each_file_has_its_graph_under_the_base() -> None:
    files = {f.relative: f for f in turtle_files(settings_for(MINI, "https://data.example.com/x/"))}
    assert files["products/demo.ttl"].graph == "https://data.example.com/x/graph/products/demo.ttl"


def test_tabular_and_source_files() -> None:
    settings = settings_for(MINI)
    assert [f.relative for f in tabular_files(settings)] == ["codelists/DEMO/GEO.csv", "codelists/DEMO/SEX.csv"]
    assert len(source_files(settings)) == 6
    assert tabular_files(settings)[1].graph == BASE + "graph/codelists/DEMO/SEX.csv"


def test_graph_names_encode_what_an_iri_cannot_hold_and_read_back() -> None:
    settings = settings_for(MINI)
    graph = graph_iri(settings, "my lists/Données.ttl")
    assert graph == BASE + "graph/my%20lists/Donn%C3%A9es.ttl"
    assert relative_of_graph(settings, graph) == "my lists/Données.ttl"
    assert relative_of_graph(settings, "https://elsewhere.org/g") is None


def test_catalogue_file_from_a_path() -> None:
    described = catalogue_file(settings_for(MINI), MINI / "codelists" / "DEMO.ttl")
    assert described.relative == "codelists/DEMO.ttl"
    assert described.graph == BASE + "graph/codelists/DEMO.ttl"


def test_fingerprint_follows_edits_additions_and_removals(tmp_path: Path) -> None:
    folder = tmp_path / "cat"
    shutil.copytree(MINI, folder)
    settings = settings_for(folder)
    before = fingerprint(settings)
    assert set(before) == {f.relative for f in source_files(settings)}
    target = folder / "catalog.ttl"
    os.utime(target, ns=(before["catalog.ttl"] + 10**9, before["catalog.ttl"] + 10**9))
    assert fingerprint(settings) != before
    (folder / "extra.ttl").write_text("", encoding="utf-8")
    assert "extra.ttl" in fingerprint(settings)
    (folder / "extra.ttl").unlink()
    (folder / "agents.ttl").unlink()
    assert "agents.ttl" not in fingerprint(settings)


def test_missing_catalogue_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        turtle_files(settings_for(tmp_path / "nowhere"))
    assert "--catalogue" in str(caught.value)
