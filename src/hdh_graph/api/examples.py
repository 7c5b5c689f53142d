"""The library of example queries: ``queries/*.rq`` files, each with a comment header.

Header lines come first, as ``# title: ...`` and ``# description: ...`` (a description may continue on
following ``#`` lines); the query follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    description: str
    query: str


def queries_dir() -> Path:
    return Path(str(files("hdh_graph.api") / "queries"))


def parse_example(name: str, text: str) -> Example:
    meta: dict[str, str] = {}
    current = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        key, sep, value = body.partition(":")
        if sep and key.strip().lower() in ("title", "description"):
            current = key.strip().lower()
            meta[current] = value.strip()
        elif current and body:
            meta[current] += " " + body
    if "title" not in meta:
        raise ValueError(f"queries/{name}.rq: the first lines must include '# title: ...'")
    return Example(name, meta["title"], meta.get("description", ""), text)


def load_examples(folder: Path | None = None) -> list[Example]:
    """Every example query, in file-name order."""
    folder = folder or queries_dir()
    return [parse_example(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))]
