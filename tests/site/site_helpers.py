"""Shared helpers of the site tests (built site reading)."""

from __future__ import annotations

import re
from pathlib import Path


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def jsonld_blocks(html: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)


def all_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def search_records(site: Path, lang: str = "fr") -> dict[str, list[str]]:
    """The records of the site's search index of a language, by URL: ``[url, title, kind, database, excerpt]``."""
    import json

    folder = site / "search-index" / lang
    chunks = sorted(folder.glob("r/*.json"), key=lambda p: int(p.stem))
    return {r[0]: r for chunk in chunks for r in json.loads(chunk.read_text(encoding="utf-8"))}
