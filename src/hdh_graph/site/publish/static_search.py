"""The site's search index: built from the graph's text (the rows of :func:`hdh_graph.sparql.keywords.text_rows`)
and the search facets of the rendered pages (kept in the site state), not from the rendered HTML. The search page
(``site/static/search.js``) queries it with plain ``fetch`` calls: no code runs but the site's own.

One record per page in the search (:data:`hdh_graph.site.kinds.SEARCHED_KINDS`): the text of its resource and of
the resources inside it (the statements of a page for citizens, ``citizens/snds/rights#2``); a glossary term,
which has no page of its own, is a record of its own pointing at its place on the glossary page. Per language,
under ``search-index/<lang>/``:

- ``meta.json``: ``{"version", "records", "chunk", "shards": [prefixes], "facets": {name: [values]}}``;
- ``t/<prefix>.json``: the tokens whose folded form starts with ``prefix`` (its first 2 characters),
  ``{token: [[record, weight], ...]}``; a token's weight is that of the best field it occurs in
  (:data:`WEIGHTS`);
- ``f/<facet>.json``: for each value of ``meta.facets[facet]``, in that order, the records that have it: loaded
  only when a reader filters on that facet;
- ``r/<n>.json``: records ``n * chunk`` to ``(n + 1) * chunk - 1``, each ``[url, title, kind, database,
  excerpt]``.

Records come datasets first, then series, projects, pages for citizens, tables, code lists, terms and variables
(the order of equal scores). The index is written into a fresh folder which then replaces the old one, so a build
killed midway leaves the previous index whole.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hdh_graph.graph_store import GraphStore
from hdh_graph.resource_kinds import SEARCH_KINDS
from hdh_graph.site.pages.across import anchor_of
from hdh_graph.site.urls import LANGUAGES, page_url, resource_path
from hdh_graph.sparql.keywords import KINDS, Row, text_rows
from hdh_graph.vocab import HDH

FOLDER = "search-index"
VERSION = 2
CHUNK = 1_000
EXCERPT = 160
WEIGHTS = {"name": 8, "title": 4, "alt": 4, "body": 1}
SITE_KINDS: dict[str, str] = {**KINDS, HDH.CitizenTopic: "citizen", HDH.CitizenStatement: "citizen"}
"""The classes whose text the site's search reads, and their kinds."""
ORDER = {"dataset": 0, "series": 1, "project": 2, "citizen": 3, "table": 4, "codelist": 5, "term": 6, "variable": 7}
TERM_KIND = "term"
"""The kind of the records with no page of their own (a glossary's terms, on their glossary's page)."""
PRODUCT = "product"
"""The facet that names the database a record belongs to (shown beside each result)."""
KIND = "kind"
_WORD = re.compile(r"[0-9a-z]+")

PageFacets = dict[str, dict[str, list[list[str]]]]
"""Page path -> language -> ``[[facet, value], ...]`` (:meth:`hdh_graph.site.state.SiteState.search_facets`)."""


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
    """The kind as the reader sees it (the page's ``kind`` facet)."""
    dataset: str
    """The database the resource belongs to (its ``product`` facet), ``""`` for none."""
    fields: dict[str, str]
    """The searched text by field (``name``, ``title``, ``alt``, ``body``)."""
    facets: tuple[tuple[str, str], ...] = ()


@dataclass
class _Doc:
    kind: str
    main: str
    """The IRI whose title is the record's (the page's own resource)."""
    values: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(IRI, field, language, text)."""


def _postings(records: list[Record]) -> dict[str, dict[str, list[list[int]]]]:
    shards: dict[str, dict[str, list[list[int]]]] = {}
    for number, record in enumerate(records):
        best: dict[str, int] = {}
        for name, text in record.fields.items():
            weight = WEIGHTS[name]
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
    for sub in ("t", "r", "f"):
        (fresh / sub).mkdir(parents=True)
    shards = _postings(listed)
    for prefix, postings in shards.items():
        _write(fresh / "t" / f"{prefix}.json", postings)
    for start in range(0, len(listed), CHUNK):
        chunk = [
            [r.url, r.title, r.kind, r.dataset, " ".join(r.fields.get("body", "").split())[:EXCERPT]]
            for r in listed[start : start + CHUNK]
        ]
        _write(fresh / "r" / f"{start // CHUNK}.json", chunk)
    holders: dict[str, dict[str, list[int]]] = {}
    for number, record in enumerate(listed):
        for name, value in record.facets:
            holders.setdefault(name, {}).setdefault(value, []).append(number)
    facets = {name: sorted(values) for name, values in sorted(holders.items())}
    for name, values in facets.items():
        _write(fresh / "f" / f"{name}.json", [holders[name][v] for v in values])
    _write(
        fresh / "meta.json",
        {"version": VERSION, "records": len(listed), "chunk": CHUNK, "shards": sorted(shards), "facets": facets},
    )
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    return len(listed)


def _place(iri: str, kind: str, base_iri: str, facets: PageFacets) -> tuple[str, str] | None:
    """The page a resource's text is searched on, and the anchor on it (``""``: the page itself); ``None`` for
    a resource on no page in the search."""
    path = resource_path(iri, base_iri)
    if path is None:
        return None
    if path in facets:
        return path, ""
    if kind != TERM_KIND:
        return None
    while "/" in path:
        path = path.rsplit("/", 1)[0]
        if path in facets:
            return path, anchor_of(iri)
    return None


def documents(
    rows: Iterable[Row], kinds: Mapping[str, str], base_iri: str, facets: PageFacets
) -> dict[tuple[str, str], _Doc]:
    """The rows grouped by the record they belong to: (page path, anchor) -> its text."""
    docs: dict[tuple[str, str], _Doc] = {}
    places: dict[str, tuple[str, str] | None] = {}
    for row in rows:
        iri, kind = row["r"], kinds[row["type"]]
        if iri not in places:
            places[iri] = _place(iri, kind, base_iri, facets)
        place = places[iri]
        if place is None:
            continue
        doc = docs.get(place)
        own = "#" not in iri
        if doc is None:
            doc = docs[place] = _Doc(kind, iri)
        elif own and "#" in doc.main:
            doc.kind, doc.main = kind, iri
        doc.values.append((iri, row["field"], row.get("lang", ""), row["v"]))
    return docs


def _facets_of(page: dict[str, list[list[str]]], lang: str, kind_label: str | None) -> tuple[tuple[str, str], ...]:
    found = [(name, value) for name, value in page.get(lang, [])]
    if kind_label is not None:
        found = [(KIND, kind_label)] + [(n, v) for n, v in found if n != KIND]
    return tuple(found)


def records_of(docs: dict[tuple[str, str], _Doc], facets: PageFacets, lang: str, term_label: str) -> list[Record]:
    """The records of one language: the title in ``lang`` first (then untagged, then French); each field's text in
    ``lang`` or untagged, else in any language (a description written in French only is searched from the English
    page too); names always."""
    order = {lang: 0, "": 1, "fr": 2}
    found: list[tuple[tuple[int, str], Record]] = []
    for (path, anchor), doc in docs.items():
        mine = [(f, value_lang, v) for iri, f, value_lang, v in doc.values if iri == doc.main]
        labels = sorted(
            [(value_lang, v) for f, value_lang, v in mine if f == "title"]
            or [(value_lang, v) for f, value_lang, v in mine if f == "alt"],
            key=lambda t: (order.get(t[0], 3), t),
        )
        names = [v for f, _, v in mine if f == "name"]
        title = labels[0][1] if labels else min(names, default=doc.main)
        by_field: dict[str, list[tuple[str, str]]] = {}
        for _, name, value_lang, v in doc.values:
            by_field.setdefault(name, []).append((value_lang, v))
        text = {}
        for name, values in by_field.items():
            chosen = [v for value_lang, v in values if value_lang in (lang, "") or name == "name"]
            text[name] = " ".join(chosen or [v for _, v in values])
        page_facets = _facets_of(facets[path], lang, term_label if anchor else None)
        kind_label = next((v for n, v in page_facets if n == KIND), doc.kind)
        product = next((v for n, v in page_facets if n == PRODUCT), "")
        url = page_url(path, lang) + (f"#{anchor}" if anchor else "")
        record = Record(url, title, kind_label, product, text, page_facets)
        found.append(((ORDER.get(doc.kind, len(ORDER)), url), record))
    found.sort(key=lambda pair: pair[0])
    return [record for _, record in found]


def write_search_index(
    root: Path, store: GraphStore, base_iri: str, facets: PageFacets, term_labels: Mapping[str, str]
) -> int:
    """Write the index of every language under ``root/search-index``; the number of records of a language."""
    classes = [*SEARCH_KINDS, HDH.CitizenTopic, HDH.CitizenStatement]
    docs = documents(text_rows(store, classes), SITE_KINDS, base_iri, facets)
    count = 0
    for lang in LANGUAGES:
        records = records_of(docs, facets, lang, term_labels.get(lang, TERM_KIND))
        (root / FOLDER).mkdir(parents=True, exist_ok=True)
        count = write_language(root / FOLDER / lang, records)
    return count
