"""The fixture catalogue of the site tests, loaded into a pyoxigraph store (one named graph per file)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

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


def rendered_copy(root: Path) -> Settings:
    """A copy of the fixture catalogue under ``root``, its site rendered with search into ``root/site``: the
    settings that name them (the store folder ``root/store`` is left for the caller to build)."""
    from hdh_graph.site.build import build_site

    catalogue = root / "catalogue"
    shutil.copytree(FIXTURES / "catalogue", catalogue)
    settings = Settings(catalogue=catalogue, store=root / "store", base_iri=BASE, site=root / "site")
    build_site(load_catalogue(catalogue, settings), settings, settings.site, search=True)
    return settings
