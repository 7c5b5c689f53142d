"""Virtuoso's result and time limits (virtuoso.ini [SPARQL]): a reader of the store gets an error naming the setting
to raise, never a cut result taken for the whole."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from virtuoso_support import start_virtuoso, virtuoso_settings

from hdh_graph.remote_load import publish
from hdh_graph.remote_store import RemoteStoreError, SparqlStore
from hdh_graph.settings import Settings
from hdh_graph.store import open_store
from hdh_graph.virtuoso import LocalVirtuoso

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalVirtuoso]:
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-limits"), max_rows=50, max_seconds=1)
    try:
        yield server
    finally:
        server.stop()


def test_a_result_cut_at_result_set_max_rows_is_an_error_naming_the_setting(
    settings: Settings, limited: LocalVirtuoso, tmp_path: Path
) -> None:
    publish(virtuoso_settings(settings, limited, tmp_path), open_store(settings, read_only=True))
    store = SparqlStore(limited.sparql_endpoint, graphs=settings.graph_iri(""))
    assert len(store) == len(open_store(settings, read_only=True))  # one row: within the limit
    with pytest.raises(RemoteStoreError, match="cut a result at 50 rows") as caught:
        list(store.quads_for_pattern(None, None, None))
    assert "ResultSetMaxRows" in (caught.value.hint or "")


def test_a_query_past_max_query_execution_time_is_an_error_naming_the_setting(limited: LocalVirtuoso) -> None:
    store = SparqlStore(limited.sparql_endpoint)
    with pytest.raises(RemoteStoreError, match="answered 500") as caught:
        store.query("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert "MaxQueryExecutionTime" in (caught.value.hint or "")
