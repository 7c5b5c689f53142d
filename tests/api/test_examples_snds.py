"""Every example query answers rows on the real SNDS catalogue of the repository (slow: builds the store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyoxigraph import Store

from hdh_graph.api.examples import load_examples
from hdh_graph.api.execution import QueryJob, run_query
from hdh_graph.build import build_store
from hdh_graph.settings import Settings
from hdh_graph.sparql import keywords as search
from hdh_graph.store import database_path, open_store

CATALOGUE = Path(__file__).resolve().parents[2] / "catalogue"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def snds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Store, search.SearchIndex]:
    if not (CATALOGUE / "snds").is_dir():
        pytest.fail("catalogue/snds is missing: run `hdh import snds` first")
    settings = Settings(catalogue=CATALOGUE, store=tmp_path_factory.mktemp("snds") / "store")
    build_store(settings)
    store = open_store(settings)
    path = search.index_path(database_path(settings).parent)
    search.ensure_index(path, "test", lambda: search.store_rows(store))
    return settings, store, search.SearchIndex(path)


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.name)
def test_example_answers_rows_on_snds(snds: tuple[Settings, Store, search.SearchIndex], example) -> None:  # type: ignore[no-untyped-def]
    settings, store, index = snds
    outcome = run_query(
        store, QueryJob(example.query, base_iri=settings.base_iri), index, search.matches_function(index)
    )
    assert outcome.status == 200, outcome.body[:500]
    assert json.loads(outcome.body)["results"]["bindings"], example.name
