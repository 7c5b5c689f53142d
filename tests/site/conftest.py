"""Fixtures of the site tests: a pyoxigraph store loaded from the small Turtle catalogue in fixtures/, and that
catalogue built, rendered and served as ``hdh serve`` serves it (for the browser tests)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from site_catalogue import BASE, FIXTURES, load_catalogue, rendered_copy

from hdh_graph.api.app import create_app
from hdh_graph.api.server import BackgroundServer
from hdh_graph.build import build_store
from hdh_graph.settings import Settings

CHROMIUM = "/usr/bin/chromium"


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


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture catalogue's store and site (with search), served with the query editor by ``hdh serve``'s app:
    its base URL. Skips when Debian's chromium, which every test using it drives, is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    settings = rendered_copy(tmp_path_factory.mktemp("served"))
    build_store(settings)
    with BackgroundServer(create_app(settings, workers=2)) as server:
        yield server.url
