"""Full-text search over the catalogue: variables, tables, datasets, dataset series, code lists, the terms of
glossaries and the projects of the register.

The index is an SQLite FTS5 table built from the store and kept beside it (``<store>.search.sqlite``); it
is rebuilt when the store changes. Matching ignores case and French accents (``unicode61
remove_diacritics 2``), and every word of the query must match the start of a word of the resource
(``diagnos`` finds "Diagnostic principal"). SPARQL reaches it through the ``hdh:search`` magic property
(rewritten to a ``VALUES`` block before the query runs, see :func:`rewrite_search`) and the ``hdh:matches``
function; HTTP clients through ``/api/search?q=``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Store, Triple

from hdh_graph.graph_store import GraphStore, open_graph_store
from hdh_graph.resource_kinds import SEARCH_KINDS
from hdh_graph.settings import Settings
from hdh_graph.sparql import text as sparql_text
from hdh_graph.store import database_path, open_store, store_version
from hdh_graph.vocab import CSVW, DCAT, DCT, HDH, PREFIXES, RDF, RDFS, SKOS

TERM_CLASS = SKOS.Concept
"""The terms of a glossary are indexed as ``term``: the ``skos:Concept`` resources with a definition or that
catalogue resources use (``dct:isReferencedBy``), as the glossary pages list them; the codes of code lists (plain
concepts, hundreds of thousands of them) are not."""
TERM_LINKS = (SKOS.definition, DCT.isReferencedBy)
KINDS: dict[str, str] = {**SEARCH_KINDS, TERM_CLASS: "term"}
"""Indexed classes and the kind each gives (:mod:`hdh_graph.resource_kinds`, and the glossaries' terms)."""
SEARCH_PROPERTY = HDH.search
RDF_TYPE = RDF.type
MATCHES_FUNCTION = HDH.matches
MAX_SPARQL_HITS = 1_000
"""The most resources ``?r hdh:search "words"`` binds (best ranked first)."""
RANK_LIMIT = 2_000
"""Above this many matches, results come in the index's own order (see :func:`build_index`), not by score:
scoring every match of a very common word would take hundreds of milliseconds."""
KIND_ORDER = {"dataset": 0, "series": 1, "project": 2, "table": 3, "codelist": 4, "term": 5, "variable": 6}
"""The order of the kinds when there are too many matches to rank them."""
INDEX_VERSION = "3"
"""Part of the fingerprint: a new version rebuilds every index."""

_EXTRACT = """
SELECT ?r ?type ?field ?v ?lang WHERE {
  { VALUES ?type { $TYPES } ?r a ?type . }
  UNION
  { SELECT DISTINCT ?r ?type WHERE { ?r a skos:Concept ; skos:definition|dct:isReferencedBy [] .
                                     BIND(skos:Concept AS ?type) } }
  { ?r csvw:name|dct:identifier|skos:notation ?v BIND("name" AS ?field) }
  UNION { ?r dct:title|csvw:title|skos:prefLabel|rdfs:label ?v BIND("title" AS ?field) }
  UNION { ?r skos:altLabel ?v BIND("alt" AS ?field) }
  UNION { ?r dct:description|dcat:keyword|skos:note|skos:definition|rdfs:comment ?v BIND("body" AS ?field) }
  BIND(LANG(?v) AS ?lang)
}
"""


def extract_query(classes: Iterable[str]) -> str:
    """The query of the text of the resources of ``classes`` and of the glossaries' terms, one value per row
    (prefixes from :data:`hdh_graph.vocab.PREFIXES`)."""
    return _EXTRACT.replace("$TYPES", " ".join(f"<{iri}>" for iri in classes))


EXTRACT_QUERY = extract_query(SEARCH_KINDS)
"""The text of every indexed resource, one value per row (prefixes from :data:`hdh_graph.vocab.PREFIXES`)."""
Row = dict[str, str]


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    label: str
    name: str
    score: float | None
    """bm25 relevance (higher is better); ``None`` when there were too many matches to score them all."""


def index_path(snapshot: Path) -> Path:
    """Where the index of a store snapshot lives: inside the snapshot, so it goes when the snapshot goes."""
    return snapshot / "search.sqlite"


FIELDS: dict[str, tuple[str, ...]] = {
    "name": (CSVW.name, DCT.identifier, SKOS.notation),
    "title": (DCT.title, CSVW.title, SKOS.prefLabel, RDFS.label),
    "alt": (SKOS.altLabel,),
    "body": (DCT.description, DCAT.keyword, SKOS.note, SKOS.definition, RDFS.comment),
}
"""The properties :data:`EXTRACT_QUERY` reads, for the direct index scan of :func:`store_rows`."""


def store_rows(store: GraphStore, classes: Iterable[str] = tuple(SEARCH_KINDS)) -> Iterator[Row]:
    """The rows of :data:`EXTRACT_QUERY` (of :func:`extract_query` for other ``classes``), read by pattern (on
    the embedded store, a direct scan of its indexes: several times faster than evaluating the query)."""
    kinds: dict[str, str] = {}
    for cls in classes:
        for quad in store.quads_for_pattern(None, NamedNode(RDF.type), NamedNode(cls)):
            if not isinstance(quad.subject, Triple):
                kinds.setdefault(quad.subject.value, cls)
    rdf_type, concept = NamedNode(RDF.type), NamedNode(TERM_CLASS)
    for link in TERM_LINKS:
        for quad in store.quads_for_pattern(None, NamedNode(link), None):
            term = quad.subject
            if (
                isinstance(term, NamedNode)
                and term.value not in kinds
                and next(iter(store.quads_for_pattern(term, rdf_type, concept)), None) is not None
            ):
                kinds[term.value] = TERM_CLASS
    # Subject by subject: the properties read are shared with the many codes of the code lists, which a scan
    # property by property would walk through only to drop them.
    for subject, kind in kinds.items():
        node = NamedNode(subject)
        seen: set[tuple[str, str, str]] = set()
        for field, properties in FIELDS.items():
            for prop in properties:
                for quad in store.quads_for_pattern(node, NamedNode(prop), None):
                    value = quad.object
                    if not isinstance(value, Literal):
                        continue
                    key = (field, value.value, value.language or "")
                    if key in seen:  # the same triple in several named graphs
                        continue
                    seen.add(key)
                    yield {"r": subject, "type": kind, "field": field, "v": value.value, "lang": value.language or ""}


def query_rows(store: GraphStore, classes: Iterable[str] = tuple(SEARCH_KINDS)) -> Iterator[Row]:
    """The rows of :data:`EXTRACT_QUERY` (of :func:`extract_query` for other ``classes``) by evaluating it: one
    request to a remote server (where reading pattern by pattern would take one request per property and page of
    results)."""
    result = store.query(extract_query(classes), prefixes=PREFIXES, use_default_graph_as_union=True)
    for row in result:  # type: ignore[union-attr]
        r, cls, field, value, lang = (row[v] for v in ("r", "type", "field", "v", "lang"))
        if r is None or cls is None or field is None or value is None:
            continue
        yield {
            "r": r.value,
            "type": cls.value,
            "field": field.value,
            "v": value.value,
            "lang": lang.value if lang else "",
        }


def text_rows(store: GraphStore, classes: Iterable[str] = tuple(SEARCH_KINDS)) -> Iterator[Row]:
    """The rows of the text of ``classes``, the fastest way for the store: index scans on the embedded store,
    one query to a remote server."""
    return store_rows(store, classes) if isinstance(store, Store) else query_rows(store, classes)


def _documents(rows: Iterable[Row]) -> Iterator[tuple[str, str, str, str, str, str]]:
    """One document per resource: its label is its title (French first), else an alternative label (an acronym
    is searched as a title but is not the label when there is a title), else its name."""
    docs: dict[str, tuple[str, list[str], list[tuple[str, str]], list[tuple[str, str]], list[str]]] = {}
    for row in rows:
        iri = row["r"]
        if iri not in docs:
            docs[iri] = (KINDS[row["type"]], [], [], [], [])
        _kind, names, titles, alts, body = docs[iri]
        if row["field"] == "name":
            names.append(row["v"])
        elif row["field"] == "title":
            titles.append((row.get("lang", ""), row["v"]))
        elif row["field"] == "alt":
            alts.append((row.get("lang", ""), row["v"]))
        else:
            body.append(row["v"])
    for iri, (kind, names, titles, alts, body) in docs.items():
        for labels in (titles, alts):
            labels.sort(key=lambda t: (t[0] != "fr", t[0] != "", t[0], t[1]))
        first = titles or alts
        label = first[0][1] if first else (names[0] if names else iri)
        title_text = " ".join(t for _, t in [*titles, *alts])
        yield (iri, kind, label, " ".join(sorted(set(names))), title_text, " ".join(body))


def build_index(rows: Iterable[Row], path: Path, fingerprint: str) -> int:
    """Write the index of the rows to ``path`` atomically; return the number of resources indexed."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.execute(
            "CREATE VIRTUAL TABLE doc USING fts5(iri UNINDEXED, kind UNINDEXED, label UNINDEXED,"
            " name, title, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        con.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
        # Stored datasets first, then series, tables, code lists and variables, shorter labels first: the order
        # in which the matches of a very common word are listed when there are too many to score.
        documents = sorted(_documents(rows), key=lambda d: (KIND_ORDER[d[1]], len(d[2]), d[0]))
        con.executemany("INSERT INTO doc VALUES (?, ?, ?, ?, ?, ?)", documents)
        count = con.execute("SELECT count(*) FROM doc").fetchone()[0]
        con.execute("INSERT INTO doc(doc) VALUES ('optimize')")
        con.executemany("INSERT INTO meta VALUES (?, ?)", [("fingerprint", fingerprint), ("documents", str(count))])
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)
    return int(count)


def _current_fingerprint(path: Path) -> str | None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def ensure_index(path: Path, fingerprint: str, rows: Callable[[], Iterable[Row]]) -> Path:
    """Build the index at ``path`` unless the one there was built from the same data; return the path."""
    if not path.exists() or _current_fingerprint(path) != fingerprint:
        build_index(rows(), path, fingerprint)
    return path


def ensure_store_index(settings: Settings, store: GraphStore | None = None) -> Path:
    """The keyword index of the store the settings name, built now unless it is already up to date: inside the
    active snapshot for the embedded store; in the store folder for a remote server (rebuilt when its number of
    triples changes)."""
    if settings.sparql_endpoint:
        remote = store if store is not None else open_graph_store(settings)
        settings.store.mkdir(parents=True, exist_ok=True)
        fingerprint = f"{INDEX_VERSION}:remote:{settings.sparql_endpoint}:{len(remote)}"
        return ensure_index(settings.store / "remote-search.sqlite", fingerprint, lambda: query_rows(remote))
    database = database_path(settings)
    opened = store if store is not None else open_store(settings, read_only=True)
    return ensure_index(
        index_path(database.parent), f"{INDEX_VERSION}:{store_version(settings)}", lambda: store_rows(opened)
    )


def fts_query(text: str) -> str | None:
    """The FTS5 expression for a user's words: every word must start a word of the resource.

    Quotes and control characters (which SQLite refuses in a query, NUL first) separate words.
    """
    cleaned = "".join(" " if ch == '"' or (ch < " " and ch not in "\t\n\r") else ch for ch in text)
    words = [w for w in cleaned.split() if any(ch.isalnum() for ch in w)]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


class SearchIndex:
    """Read access to the index; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _con(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    def search(self, text: str, limit: int = 20, kinds: list[str] | None = None) -> list[Hit]:
        """Best matches first: a hit in the name weighs more than one in the title, then the text.

        When more than :data:`RANK_LIMIT` resources match, they come in the index's order instead (datasets,
        then tables, code lists and variables), with no score.
        """
        expression = fts_query(text)
        if expression is None:
            return []
        where = "FROM doc WHERE doc MATCH ?"
        params: list[object] = [expression]
        if kinds:
            where += f" AND kind IN ({', '.join('?' * len(kinds))})"
            params.extend(kinds)
        con = self._con()
        matches = con.execute(f"SELECT count(*) {where}", params).fetchone()[0]
        if matches > RANK_LIMIT:
            rows = con.execute(f"SELECT iri, kind, label, name, NULL {where} LIMIT ?", [*params, limit])
        else:
            score = "bm25(doc, 0, 0, 0, 10.0, 4.0, 1.0)"
            rows = con.execute(
                f"SELECT iri, kind, label, name, {score} AS s {where} ORDER BY s LIMIT ?", [*params, limit]
            )
        return [Hit(iri, kind, label, name, None if s is None else -s) for iri, kind, label, name, s in rows]

    def iris(self, text: str, limit: int = MAX_SPARQL_HITS, kinds: list[str] | None = None) -> list[str]:
        return [hit.iri for hit in self.search(text, limit, kinds)]

    def count(self) -> int:
        return int(self._con().execute("SELECT count(*) FROM doc").fetchone()[0])


def _declared_kinds(toks: list[sparql_text.Token], declared: dict[str, str]) -> dict[str, list[str]]:
    """The indexed classes the query states for its variables (``?r a csvw:Column``), as index kinds."""
    kinds: dict[str, list[str]] = {}
    for subject, predicate, obj in zip(toks, toks[1:], toks[2:], strict=False):
        if subject.kind != "var":
            continue
        if predicate.text != "a" and sparql_text.expand(predicate, declared) != RDF_TYPE:
            continue
        kind = KINDS.get(sparql_text.expand(obj, declared) or "")
        if kind:
            kinds.setdefault(subject.text[1:], []).append(kind)
    return kinds


def rewrite_search(query: str, toks: list[sparql_text.Token], index: SearchIndex | None) -> str:
    """Replace each ``?r hdh:search "words"`` triple with ``{ SELECT ?r { VALUES ?r { ...matches... } } }``.

    The triple must stand alone (ended by ``.`` or ``}``), with a variable as subject and a string as object.
    When the query also says ``?r a <class>`` for an indexed class, only resources of that class are looked up.
    """
    declared = {**PREFIXES, **sparql_text.prefixes(toks)}
    pieces: list[str] = []
    last = 0
    kinds: dict[str, list[str]] | None = None
    for i in range(len(toks) - 2):
        subject, predicate, obj = toks[i], toks[i + 1], toks[i + 2]
        if subject.kind != "var" or obj.kind != "string":
            continue
        if sparql_text.expand(predicate, declared) != SEARCH_PROPERTY:
            continue
        if kinds is None:
            kinds = _declared_kinds(toks, declared)
        end = obj.end
        if i + 3 < len(toks) and toks[i + 3].text == ".":
            end = toks[i + 3].end
        words = sparql_text.unquote(obj)
        hits = index.iris(words, kinds=kinds.get(subject.text[1:])) if index is not None else []
        values = " ".join(f"<{iri}>" for iri in hits)
        pieces.append(query[last : subject.start])
        # A sub-select keeps the engine from joining the other patterns first (much slower in Oxigraph).
        pieces.append(f"{{ SELECT {subject.text} WHERE {{ VALUES {subject.text} {{ {values} }} }} }}")
        last = end
    if not pieces:
        return query
    pieces.append(query[last:])
    return "".join(pieces)


def matches_function(index: SearchIndex | None):  # type: ignore[no-untyped-def]
    """The ``hdh:matches(?resource, "words")`` SPARQL function: true when the resource matches the words."""

    @lru_cache(maxsize=64)
    def hits(text: str) -> frozenset[str]:
        return frozenset(index.iris(text)) if index is not None else frozenset()

    true, false = Literal(True), Literal(False)

    def matches(resource: object, words: object) -> Literal | None:
        if not isinstance(resource, NamedNode) or not isinstance(words, Literal):
            return None
        return true if resource.value in hits(words.value) else false

    return {NamedNode(MATCHES_FUNCTION): matches}
