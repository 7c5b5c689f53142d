"""The shape files: official copies unchanged, our rules documented, the curator's page in step with fixtures."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import rdflib
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ROOT / "shapes"
FIXTURES = Path(__file__).parent / "fixtures"
HINT = rdflib.URIRef("https://w3id.org/hdh-graph/shapes#hint")


def test_official_files_are_unchanged() -> None:
    table = re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|$", (SHAPES / "SOURCES.md").read_text(), re.M)
    assert len(table) >= 19
    for name, digest in table:
        assert hashlib.sha256((SHAPES / name).read_bytes()).hexdigest() == digest, name


def test_every_rule_speaks_french_and_english_and_gives_a_hint() -> None:
    graph = rdflib.Graph().parse(SHAPES / "hdh.ttl")
    holders = set(graph.subjects(SH.message, None))
    assert len(holders) >= 16
    for holder in holders:
        langs = {getattr(m, "language", None) for m in graph.objects(holder, SH.message)}
        assert langs == {"fr", "en"}, holder
        assert {getattr(h, "language", None) for h in graph.objects(holder, HINT)} == {"fr", "en"}, holder


def _snippet(text: str) -> str:
    lines = [line for line in text.splitlines() if not line.startswith(("@prefix", "#"))]
    return "\n".join(lines).strip()


def test_curator_page_shows_each_rule_with_its_fixtures() -> None:
    page = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    for folder in sorted(p for p in FIXTURES.iterdir() if (p / "ok.ttl").is_file()):
        assert f"### `{folder.name}`" in page
        for kind in ("ok", "bad"):
            assert _snippet((folder / f"{kind}.ttl").read_text(encoding="utf-8")) in page, (folder.name, kind)
