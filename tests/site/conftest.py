"""Fixtures of the site tests: a pyoxigraph store loaded from the small Turtle catalogue in fixtures/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from site_catalogue import BASE, FIXTURES, load_catalogue

from hdh_graph.settings import Settings


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
