"""Exporting the whole store and counting what is in it."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from hdh_graph.build import build_store
from hdh_graph.errors import HdhError
from hdh_graph.export import export_store, export_to_file
from hdh_graph.settings import Settings
from hdh_graph.stats import store_stats
from hdh_graph.store import open_store
from hdh_graph.vocab import CSVW, DCAT, SKOS

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://data.example.org/hub/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, ox.Store]:
    folder = tmp_path_factory.mktemp("export")
    settings = Settings(catalogue=FIXTURES / "mini-catalogue", store=folder / "store", base_iri=BASE)
    build_store(settings)
    return settings, open_store(settings)


@pytest.mark.parametrize(("fmt", "rdf_format"), [("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)])
def test_export_parses_back_to_the_same_quads(built: tuple[Settings, ox.Store], fmt: str, rdf_format) -> None:
    _, store = built
    out = io.BytesIO()
    export_store(store, fmt, out)
    copy = ox.Store()
    copy.load(input=out.getvalue(), format=rdf_format)
    assert len(copy) == len(store)
    assert {g.value for g in copy.named_graphs()} == {g.value for g in store.named_graphs()}
    no_blank = [q for q in store if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))]
    assert all(q in copy for q in no_blank)


def test_trig_uses_the_project_prefixes(built: tuple[Settings, ox.Store]) -> None:
    out = io.BytesIO()
    export_store(built[1], "trig", out)
    assert b"@prefix dcat: <http://www.w3.org/ns/dcat#> ." in out.getvalue()


def test_export_to_file_leaves_no_temporary_file(built: tuple[Settings, ox.Store], tmp_path: Path) -> None:
    target = tmp_path / "out" / "catalogue.nq"
    export_to_file(built[1], "nquads", target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["catalogue.nq"]
    assert len(list(ox.parse(path=target, format=ox.RdfFormat.N_QUADS))) == len(built[1])


def test_unknown_export_format(built: tuple[Settings, ox.Store], tmp_path: Path) -> None:
    with pytest.raises(HdhError) as caught:
        export_to_file(built[1], "rdfxml", tmp_path / "x.rdf")
    assert "nquads" in str(caught.value)
    assert not (tmp_path / "x.rdf").exists()


def test_stats_by_class_and_by_file(built: tuple[Settings, ox.Store]) -> None:
    settings, store = built
    stats = store_stats(store, settings)
    assert stats.triples == len(store)
    classes = dict(stats.by_class)
    assert classes[SKOS.Concept] == 7
    assert classes[CSVW.Column] == 5
    assert classes[SKOS.ConceptScheme] == 3
    assert classes[DCAT.Dataset] == 1
    assert stats.by_class[0] == (SKOS.Concept, 7)  # most frequent first
    files = dict(stats.by_file)
    assert list(files) == sorted(files)
    assert set(files) == {
        "agents.ttl",
        "catalog.ttl",
        "codelists/DEMO.ttl",
        "codelists/DEMO/GEO.csv",
        "codelists/DEMO/SEX.csv",
        "products/demo.ttl",
    }
    assert files["codelists/DEMO/GEO.csv"] == 2 * 3  # two concepts: type, inScheme, notation (no label)
    assert sum(files.values()) == stats.triples
    assert stats.as_dict()["files"][0] == {"file": "agents.ttl", "triples": files["agents.ttl"]}
