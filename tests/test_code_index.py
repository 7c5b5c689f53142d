"""The table of codes beside the store holds exactly the concepts the store's CSV graphs hold, and the site built
from it is the site built from the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hdh_graph.build import build_store
from hdh_graph.code_index import CodeIndex
from hdh_graph.settings import Settings
from hdh_graph.site.build import build_site
from hdh_graph.site.read.facts import read_codes
from hdh_graph.store import active_snapshot, open_store

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://data.example.org/hub/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("codes")
    catalogue = folder / "catalogue"
    shutil.copytree(FIXTURES / "mini-catalogue", catalogue)
    settings = Settings(catalogue=catalogue, store=folder / "store", base_iri=BASE)
    build_store(settings)
    return settings


def test_the_table_gives_the_codes_the_store_gives(built: Settings) -> None:
    index = CodeIndex.of_snapshot(active_snapshot(built))
    assert index is not None and len(index.graphs()) == 2  # SEX.csv and GEO.csv
    store = open_store(built)
    from_store, graphs_store = read_codes(store)
    from_index, graphs_index = read_codes(store, None, index)
    assert from_index == from_store and graphs_index == graphs_store
    assert sum(len(codes) for codes in from_index.values()) == 7
    scheme = next(iter(from_index))
    assert read_codes(store, [scheme], index) == read_codes(store, [scheme])


def test_an_incremental_build_keeps_the_table(built: Settings) -> None:
    first = active_snapshot(built)
    products = next((built.catalogue / "products").glob("*.ttl"))
    products.write_text(products.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    build_store(built)
    second = active_snapshot(built)
    assert first != second and second is not None
    index = CodeIndex.of_snapshot(second)
    assert index is not None
    assert read_codes(open_store(built), None, index) == read_codes(open_store(built))


def test_the_site_from_the_table_is_the_site_from_the_store(built: Settings, tmp_path: Path) -> None:
    store = open_store(built)
    build_site(store, built, tmp_path / "store", search=False, workers=1)
    index = CodeIndex.of_snapshot(active_snapshot(built))
    build_site(store, built, tmp_path / "table", search=False, workers=1, codes=index)
    a = {p.relative_to(tmp_path / "store"): p.read_bytes() for p in (tmp_path / "store").rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "table"): p.read_bytes() for p in (tmp_path / "table").rglob("*") if p.is_file()}
    a.pop(Path(".hdh-site.sqlite")), b.pop(Path(".hdh-site.sqlite"))
    assert len(a) > 10 and a.keys() == b.keys()
    assert [f for f in a if a[f] != b[f]] == []
