"""Shared fixtures of the interoperability tests: a small catalogue (docs/model.md) in git, loaded into a store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from interop_support import BASE, FIXTURES, git, load_catalogue

from hdh_graph.settings import Settings


@pytest.fixture
def catalogue_repo(tmp_path: Path) -> Path:
    """The fixture catalogue in a fresh git repository: everything committed on 2024-01-10, DCIR changed on
    2025-03-01."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "catalogue", root / "catalogue")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first", date="2024-01-10T10:00:00Z")
    dcir = root / "catalogue" / "snds" / "dcir.ttl"
    text = dcir.read_text(encoding="utf-8").replace('"reimbursement"@en', '"reimbursement"@en, "claims"@en')
    dcir.write_text(text, encoding="utf-8")
    git(root, "commit", "-q", "-am", "second", date="2025-03-01T12:00:00Z")
    return root / "catalogue"


@pytest.fixture
def settings(catalogue_repo: Path, tmp_path: Path) -> Settings:
    return Settings(catalogue=catalogue_repo, store=tmp_path / "store", base_iri=BASE, site=tmp_path / "site")


@pytest.fixture
def store(settings: Settings) -> ox.Store:
    return load_catalogue(settings)
