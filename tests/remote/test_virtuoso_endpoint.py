"""Virtuoso as the remote store: the endpoint tests through forwarding, keyword search, and the site and the feed
read from Virtuoso equal to those of the embedded store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from endpoint_support import count_triples
from test_examples import *  # noqa: F403  (the same tests, run through forwarding)
from test_protocol import *  # noqa: F403
from test_safety import (  # noqa: F401
    test_every_update_form_is_refused_through_every_route,
    test_local_files_cannot_be_read_with_from,
    test_service_is_refused_but_the_word_in_a_string_or_iri_is_not,
)
from test_search_index import (  # noqa: F401
    test_hdh_search_magic_property_in_sparql,
    test_search_by_kind_and_by_name,
    test_search_ignores_case_and_accents_and_matches_word_starts,
)

from hdh_graph.settings import Settings
from hdh_graph.store import open_store
from hdh_graph.virtuoso import LocalVirtuoso

pytestmark = pytest.mark.server


def test_publish_copies_every_named_graph_and_only_the_catalogue_shows(
    settings: Settings, client: httpx.Client, virtuoso: LocalVirtuoso
) -> None:
    local = len(open_store(settings, read_only=True))
    assert count_triples(client) == local
    direct = httpx.post(
        virtuoso.sparql_endpoint,
        data={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert int(direct.json()["results"]["bindings"][0]["n"]["value"]) == local  # no system graph in the union


def test_health_reports_the_remote_mode(client: httpx.Client, virtuoso: LocalVirtuoso) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["mode"] == "remote"
    assert body["endpoint"] == virtuoso.sparql_endpoint
    assert body["search_index"] == 19


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_site_and_the_feed_read_from_virtuoso_are_those_of_the_embedded_store(
    settings: Settings, remote_settings: Settings, tmp_path: Path
) -> None:
    from hdh_graph.graph_store import open_graph_store
    from hdh_graph.remote_store import SparqlStore
    from hdh_graph.site.build import build_site
    from hdh_graph.site.publish.feed import feed_documents
    from hdh_graph.site.state import STATE

    remote = open_graph_store(remote_settings)
    assert isinstance(remote, SparqlStore)
    local = open_store(settings, read_only=True)
    assert feed_documents(remote, settings) == feed_documents(local, settings)
    for name, store in (("embedded", local), ("remote", remote)):
        build_site(store, settings, tmp_path / name, search=False, workers=1)
    embedded, served = _tree(tmp_path / "embedded"), _tree(tmp_path / "remote")
    embedded.pop(STATE), served.pop(STATE)  # the state records timings
    assert len(embedded) > 50
    assert sorted(embedded) == sorted(served)
    assert [f for f in embedded if embedded[f] != served[f]] == []


def test_the_keyword_index_built_from_virtuoso_is_the_embedded_one(
    settings: Settings, remote_settings: Settings
) -> None:
    from hdh_graph.graph_store import open_graph_store
    from hdh_graph.sparql.keywords import store_rows

    def rows(store: Any) -> list[tuple[tuple[str, str], ...]]:
        return sorted(tuple(sorted(r.items())) for r in store_rows(store))

    assert rows(open_graph_store(remote_settings)) == rows(open_store(settings, read_only=True))
