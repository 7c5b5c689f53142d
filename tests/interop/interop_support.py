"""Helpers of the interoperability tests: the fixture catalogue and how to load it into a store."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pyoxigraph as ox

from hdh_graph.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://catalogue.example.org/"


def load_catalogue(settings: Settings) -> ox.Store:
    """Each catalogue file into its own named graph, relative IRIs resolved (as the build does)."""
    store = ox.Store()
    for path in sorted(settings.catalogue.rglob("*.ttl")):
        rel = path.relative_to(settings.catalogue).as_posix()
        graph = ox.NamedNode(settings.graph_iri(rel))
        triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=settings.base_iri)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return store


def git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "HOME": str(cwd),
    }
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)
