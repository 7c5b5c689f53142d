from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

FIXTURES = Path(__file__).parent / "fixtures"
CATALOGUE = Path(__file__).parents[2] / "catalogue"
BASE = "https://data.example.org/hub/"


def store_of(paths: Iterable[Path], base: str = BASE, root: Path = FIXTURES) -> ox.Store:
    """An in-memory store with each file in its own named graph (graph/<path>), as ``hdh build`` does."""
    store = ox.Store()
    for path in paths:
        graph = ox.NamedNode(f"{base}graph/{path.relative_to(root).as_posix()}")
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base, to_graph=graph)
    return store
