"""Stores for the endpoint tests, built from Turtle fixtures with the project's own build."""

from __future__ import annotations

from pathlib import Path

import httpx

from hdh_graph.build import build_store
from hdh_graph.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"


def build_fixture_store(catalogue: Path, store_path: Path, base_iri: str) -> Settings:
    """Build the store of ``catalogue`` at ``store_path`` (one named graph per file); return its settings."""
    settings = Settings(catalogue=catalogue, store=store_path, base_iri=base_iri, site=store_path / "no-site")
    build_store(settings)
    return settings


TIMEOUT = 2.0
"""The query time limit of the shared test server, in seconds."""


def count_triples(client: httpx.Client) -> int:
    response = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"})
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])
