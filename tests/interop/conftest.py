"""Shared fixtures of the interoperability tests: a small catalogue (docs/model.md) loaded into a store."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

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


def _git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
    }
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.fixture
def catalogue_repo(tmp_path: Path) -> Path:
    """The fixture catalogue in a fresh git repository: everything committed on 2024-01-10, DCIR changed on
    2025-03-01."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "catalogue", root / "catalogue")
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first", date="2024-01-10T10:00:00Z")
    dcir = root / "catalogue" / "snds" / "dcir.ttl"
    dcir.write_text(
        dcir.read_text(encoding="utf-8").replace('"reimbursement"@en', '"reimbursement"@en, "claims"@en'),
        encoding="utf-8",
    )
    _git(root, "commit", "-q", "-am", "second", date="2025-03-01T12:00:00Z")
    return root / "catalogue"


@pytest.fixture
def settings(catalogue_repo: Path, tmp_path: Path) -> Settings:
    return Settings(catalogue=catalogue_repo, store=tmp_path / "store", base_iri=BASE, site=tmp_path / "site")


@pytest.fixture
def store(settings: Settings) -> ox.Store:
    return load_catalogue(settings)
