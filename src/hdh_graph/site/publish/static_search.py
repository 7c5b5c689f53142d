"""A static search index built from the graph's text (the rows of :func:`hdh_graph.sparql.keywords.store_rows`),
not from the rendered HTML; the search page queries it with plain ``fetch`` calls.

Per language, under ``search/<lang>/``:

- ``meta.json``: ``{"version", "records", "shards": [prefixes], "kinds": "<one char a record>",
  "datasets": [dataset index a record, -1 for none], "dataset_titles": [...]}``: filtering by kind or dataset
  needs no record download;
- ``t/<prefix>.json``: the tokens whose folded form starts with ``prefix`` (its first 2 characters),
  ``{token: [[record, weight], ...]}``; a token's weight is that of the best field it occurs in
  (:data:`WEIGHTS`);
- ``r/<n>.json``: records ``n * CHUNK`` to ``(n + 1) * CHUNK - 1``, each ``[url, title, kind, dataset title,
  excerpt]``.

The index is written into a fresh folder which then replaces the old one, so a build killed midway leaves the
previous index whole.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

VERSION = 1
CHUNK = 1_000
EXCERPT = 160
WEIGHTS = {"name": 8, "title": 4, "alt": 4, "body": 1}
KIND_CODES = {
    "dataset": "d",
    "series": "s",
    "project": "p",
    "table": "t",
    "codelist": "c",
    "term": "g",
    "variable": "v",
}
_WORD = re.compile(r"[0-9a-z]+")


def fold(text: str) -> str:
    """Lower case without accents (NFD, combining marks dropped), as the search page folds queries."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def tokens(text: str) -> list[str]:
    """The folded words of a text (runs of ASCII letters and digits once folded)."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class Record:
    url: str
    title: str
    kind: str
    dataset: str
    """The title of the dataset the resource belongs to, ``""`` for none."""
    fields: dict[str, str]
    """The searched text by field (``name``, ``title``, ``alt``, ``body``)."""


def _postings(records: list[Record]) -> dict[str, dict[str, list[list[int]]]]:
    shards: dict[str, dict[str, list[list[int]]]] = {}
    for number, record in enumerate(records):
        best: dict[str, int] = {}
        for field, text in record.fields.items():
            weight = WEIGHTS[field]
            for token in tokens(text):
                if best.get(token, 0) < weight:
                    best[token] = weight
        for token, weight in best.items():
            shards.setdefault(token[:2], {}).setdefault(token, []).append([number, weight])
    return shards


def _write(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def write_language(folder: Path, records: Iterable[Record]) -> int:
    """Write the index of ``records`` (in their order) to ``folder``, replacing it whole; the record count."""
    listed = list(records)
    fresh = folder.with_name(f".{folder.name}.building")
    shutil.rmtree(fresh, ignore_errors=True)
    (fresh / "t").mkdir(parents=True)
    (fresh / "r").mkdir()
    shards = _postings(listed)
    for prefix, postings in shards.items():
        _write(fresh / "t" / f"{prefix}.json", postings)
    for start in range(0, len(listed), CHUNK):
        chunk = [
            [r.url, r.title, r.kind, r.dataset, " ".join(r.fields.get("body", "").split())[:EXCERPT]]
            for r in listed[start : start + CHUNK]
        ]
        _write(fresh / "r" / f"{start // CHUNK}.json", chunk)
    titles = sorted({r.dataset for r in listed if r.dataset})
    index = {title: n for n, title in enumerate(titles)}
    _write(
        fresh / "meta.json",
        {
            "version": VERSION,
            "records": len(listed),
            "chunk": CHUNK,
            "shards": sorted(shards),
            "kinds": "".join(KIND_CODES.get(r.kind, "?") for r in listed),
            "datasets": [index.get(r.dataset, -1) for r in listed],
            "dataset_titles": titles,
        },
    )
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    return len(listed)


def records_from_rows(rows: Iterable[dict[str, str]], kinds: dict[str, str], base_iri: str, lang: str) -> list[Record]:
    """The records of one language from the keyword index's rows (:func:`hdh_graph.sparql.keywords.store_rows`):
    the title in ``lang`` first (then untagged, then French), every field's text searched; resources without a page
    in the site are left out. ``kinds`` maps a row's class to its kind (:data:`hdh_graph.sparql.keywords.KINDS`)."""
    from hdh_graph.site.urls import iri_url

    docs: dict[str, tuple[str, dict[str, list[tuple[str, str]]]]] = {}
    for row in rows:
        kind, fields = docs.setdefault(row["r"], (kinds[row["type"]], {}))
        fields.setdefault(row["field"], []).append((row.get("lang", ""), row["v"]))
    order = {lang: 0, "": 1, "fr": 2}
    records = []
    for iri, (kind, fields) in docs.items():
        url = iri_url(iri, base_iri, lang)
        if url is None:
            continue
        labels = sorted(fields.get("title", []) or fields.get("alt", []), key=lambda t: (order.get(t[0], 3), t))
        title = labels[0][1] if labels else min((v for _, v in fields.get("name", [])), default=iri)
        text = {
            field: " ".join(v for value_lang, v in values if value_lang in (lang, "") or field == "name")
            for field, values in fields.items()
        }
        records.append(Record(url, title, kind, "", text))
    records.sort(key=lambda r: (r.kind != "dataset", r.url))
    return records
