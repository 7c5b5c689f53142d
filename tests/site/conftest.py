"""Fixtures of the site tests: a pyoxigraph store loaded from the small Turtle catalogue in fixtures/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from hdh_graph.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://catalogue.example.org/"


def load_catalogue(folder: Path, settings: Settings) -> ox.Store:
    """Load every Turtle file into its own named graph, relative IRIs resolved against the base."""
    store = ox.Store()
    for path in sorted(folder.rglob("*.ttl")):
        rel = path.relative_to(folder).as_posix()
        store.load(
            path=str(path),
            format=ox.RdfFormat.TURTLE,
            base_iri=settings.base_iri,
            to_graph=ox.NamedNode(settings.graph_iri(rel)),
        )
    return store


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "catalogue", target)
    return target


@pytest.fixture
def settings(tmp_path: Path, catalogue: Path) -> Settings:
    return Settings(catalogue=catalogue, store=tmp_path / "store", base_iri=BASE, site=tmp_path / "site")


@pytest.fixture
def store(settings: Settings) -> ox.Store:
    return load_catalogue(settings.catalogue, settings)
