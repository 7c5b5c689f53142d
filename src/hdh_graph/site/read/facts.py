"""Read what the site shows from the store, in a few bulk SPARQL queries (never one query per page).

Each query returns every triple of every resource of one class, with the named graph (catalogue file) it
comes from. The result is an in-memory index of :class:`Node` objects, keyed by IRI, that the page-context
builders read. Restricting the queries to a set of subjects (``only``) serves incremental rebuilds.

While a page context is built, :meth:`Facts.tracking` records what it read, as dependency keys:

- ``n:<iri>``: a resource the page read (or looked for and did not find);
- ``l:<iri>``: a resource the page links to (its label and class);
- ``s:<iri>``: how a resource hangs with others (the links and names :mod:`structure` reads);
- ``p:<iri>|<property>``: one property of a resource;
- ``r:<iri>``: a reverse look-up (which resources point to this one);
- ``name:<name>``: the columns that have this ``csvw:name``;
- ``t:<class>``: every resource of a class.

A change to a catalogue file then re-renders exactly the pages whose keys it touches (see :mod:`incremental`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple, TypeGuard

import pyoxigraph as ox

from hdh_graph.code_index import CodeIndex, natural_key
from hdh_graph.errors import QueryError
from hdh_graph.graph_store import AnyTerm, GraphStore
from hdh_graph.vocab import CSVW, CV, DCAT, DCT, DPV, FOAF, HDH, OWL, PROV, RDF, SKOS, VCARD, sparql_prefixes

# The classes whose resources the site reads, in the order they are queried.
CLASSES: tuple[str, ...] = (
    DCAT.Catalog,
    DCAT.Dataset,
    DCAT.DatasetSeries,
    DCAT.Distribution,
    CSVW.TableGroup,
    CSVW.Table,
    CSVW.Column,
    CSVW.ForeignKey,
    CSVW.TableReference,
    SKOS.ConceptScheme,
    FOAF.Agent,
    FOAF.Organization,
    PROV.Activity,
    PROV.Entity,
    PROV.Attribution,
    VCARD.Kind,
    VCARD.Organization,
    VCARD.Individual,
    CV.ContactPoint,
    DCT.ProvenanceStatement,
    DCT.PeriodOfTime,
    OWL.Axiom,
    FOAF.Document,
    HDH.CitizenTopic,
    DPV.Process,
    DPV.LegalBasis,
    HDH.CitizenStatement,
)

TERM_PROPERTIES: tuple[str, ...] = (SKOS.definition, DCT.isReferencedBy)
"""A ``skos:Concept`` with one of these is read as a resource (a term of a glossary, with its definition and the
variables that use it); the codes of code lists, without, are read lean (:class:`CodeRow`)."""
# The concepts read as resources (glossary terms), not the codes: the few subjects with a definition or a
# reference, then their type checked (a join on ``?s a skos:Concept`` would walk the 400,000 codes first).
TERMS_QUERY = """SELECT ?s ?p ?o ?g WHERE {
  { SELECT DISTINCT ?s WHERE {
      { ?s skos:definition ?x } UNION { ?s dct:isReferencedBy ?x } FILTER EXISTS { ?s a skos:Concept } } }
  GRAPH ?g { ?s ?p ?o } }"""

Term = ox.NamedNode | ox.BlankNode | ox.Literal
DEFAULT = ox.DefaultGraph()


@dataclass
class Node:
    """One resource: its IRI (or blank node id), the named graphs its triples come from and its properties."""

    key: str
    graphs: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    props: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))

    @property
    def graph(self) -> str | None:
        """The first of its graphs (sorted): where a page says the resource is described."""
        return min(self.graphs) if self.graphs else None

    def values(self, predicate: str) -> list[Term]:
        return self.props.get(predicate, [])

    def iris(self, predicate: str) -> list[str]:
        return sorted(t.value for t in self.props.get(predicate, []) if isinstance(t, ox.NamedNode))

    def first_iri(self, predicate: str) -> str | None:
        found = self.iris(predicate)
        return found[0] if found else None

    def literals(self, predicate: str) -> list[ox.Literal]:
        return [t for t in self.props.get(predicate, []) if isinstance(t, ox.Literal)]

    def text(self, predicate: str) -> str | None:
        """The first plain value of a non-language property (sorted, so stable)."""
        found = sorted(t.value for t in self.literals(predicate))
        return found[0] if found else None

    def texts(self, predicate: str) -> list[str]:
        return sorted({t.value for t in self.literals(predicate)})

    def blanks(self, predicate: str) -> list[str]:
        return sorted(_key(t) for t in self.props.get(predicate, []) if isinstance(t, ox.BlankNode))


class CodeRow(NamedTuple):
    """One code of a code list (a ``skos:Concept``), read lean: code lists can hold 100,000s of codes (a tuple:
    made several times faster than a frozen dataclass)."""

    iri: str
    notation: str
    labels: tuple[ox.Literal, ...]


@dataclass
class Facts:
    """Every resource the site reads, keyed by IRI; blank nodes keyed ``_:id``; codes by code list.

    With a ``store``, the codes of a code list are read when first asked for (partial reads of big stores).
    """

    nodes: dict[str, Node]
    base_iri: str
    codes: dict[str, list[CodeRow]] = field(default_factory=dict)
    code_graphs: dict[str, set[str]] = field(default_factory=dict)
    store: GraphStore | None = None
    deps: set[str] | None = None
    code_index: CodeIndex | None = None
    """Where the codes of the lists kept as CSV are read from (else from the store)."""

    @contextmanager
    def tracking(self) -> Iterator[set[str]]:
        """Record the dependency keys of what is read inside the block (see the module's docstring)."""
        outer, self.deps = self.deps, set()
        try:
            yield self.deps
        finally:
            inner, self.deps = self.deps, outer
            if outer is not None and inner is not None:
                outer |= inner

    def track(self, key: str) -> None:
        if self.deps is not None:
            self.deps.add(key)

    def touch(self, key: str) -> None:
        """Record that the current page reads this resource."""
        if self.deps is not None and not key.startswith("_:"):
            self.deps.add("n:" + key)

    def get(self, key: str | None) -> Node | None:
        if key is None:
            return None
        if self.deps is not None:
            self.touch(key)
        return self.nodes.get(key)

    def codes_of(self, scheme: str) -> list[CodeRow]:
        """The codes of a code list, sorted by notation (read from the store on first use if partial)."""
        if scheme not in self.codes and self.store is not None:
            codes, graphs = read_codes(self.store, [scheme], self.code_index)
            self.codes.update(codes)
            self.code_graphs.update(graphs)
        self.track("r:" + scheme)
        return self.codes.get(scheme, [])

    def merge(self, other: Facts) -> None:
        """Add the resources another partial read found (and forget the indexes built so far)."""
        for key, node in other.nodes.items():
            self.nodes.setdefault(key, node)
        for cache in ("_by_type", "_reverse"):
            self.__dict__.pop(cache, None)

    def of_type(self, cls: str) -> list[Node]:
        self.track("t:" + cls)
        by_type = getattr(self, "_by_type", None)
        if by_type is None:
            by_type = defaultdict(list)
            for n in sorted(self.nodes.values(), key=lambda n: n.key):
                for t in n.types:
                    by_type[t].append(n)
            self._by_type = by_type
        return list(by_type.get(cls, []))

    def subjects_with(self, predicate: str, obj: str) -> list[str]:
        """Subjects linked to ``obj`` by ``predicate`` (a reverse lookup, built once)."""
        self.track("r:" + obj)
        return self.reverse().get((predicate, obj), [])

    def reverse(self) -> dict[tuple[str, str], list[str]]:
        cached = getattr(self, "_reverse", None)
        if cached is None:
            index: dict[tuple[str, str], list[str]] = defaultdict(list)
            for node in self.nodes.values():
                for pred, objs in node.props.items():
                    for o in objs:
                        if isinstance(o, ox.NamedNode):
                            index[(pred, o.value)].append(node.key)
            for keys in index.values():
                keys.sort()
            cached = dict(index)
            self._reverse = cached
        return cached


def _key(term: Term) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def _read_some(store: GraphStore, base_iri: str, only: Iterable[str], codes: CodeIndex | None) -> Facts:
    """The given resources (those of a class the site reads), one index look-up each: what incremental
    builds read (a SPARQL ``VALUES`` join would scan every resource of each class)."""
    classes = frozenset(CLASSES)
    type_pred = ox.NamedNode(RDF.type)
    nodes: dict[str, Node] = {}
    for iri in sorted(set(only)):
        if iri.startswith("_:"):
            continue
        quads = [q for q in store.quads_for_pattern(ox.NamedNode(iri), None, None, None) if q.graph_name != DEFAULT]
        types = {q.object.value for q in quads if q.predicate == type_pred and isinstance(q.object, ox.NamedNode)}
        if SKOS.Concept in types and any(q.predicate.value in TERM_PROPERTIES for q in quads):
            classes_of = types & (classes | {SKOS.Concept})
        else:
            classes_of = types & classes
        if not classes_of:
            continue
        node = nodes[iri] = Node(iri)
        for q in quads:
            node.graphs.add(q.graph_name.value)  # type: ignore[union-attr]
            objs = node.props[q.predicate.value]
            if q.object not in objs and not isinstance(q.object, ox.Triple):
                objs.append(q.object)
        node.types.update(classes_of)
    _read_blank_nodes(store, nodes)
    for node in nodes.values():
        node.types.update(t.value for t in node.values(RDF.type) if isinstance(t, ox.NamedNode))
    return Facts(nodes, base_iri, store=store, code_index=codes)


def read_facts(
    store: GraphStore, base_iri: str, only: Iterable[str] | None = None, codes: CodeIndex | None = None
) -> Facts:
    """Run the bulk queries and index the results.

    ``only`` restricts the resources read to the given IRIs (plus the blank nodes they point to); the codes
    of code lists are then read on demand (:meth:`Facts.codes_of`). ``codes``: the snapshot's table of the codes
    kept as CSV (:mod:`hdh_graph.code_index`), read instead of their concepts in the store.
    """
    if only is not None:
        return _read_some(store, base_iri, only, codes)
    nodes: dict[str, Node] = {}
    queries = [(cls, f"SELECT ?s ?p ?o ?g WHERE {{ ?s a <{cls}> . GRAPH ?g {{ ?s ?p ?o }} }}") for cls in CLASSES]
    for cls, query in [*queries, (SKOS.Concept, TERMS_QUERY)]:
        for row in _select(store, sparql_prefixes() + query):
            s, p, o, g = row[0], row[1], row[2], row[3]
            key = _key(s)
            node = nodes.get(key)
            if node is None:
                node = nodes[key] = Node(key)
            node.types.add(cls)
            node.graphs.add(g.value)
            objs = node.props[p.value]
            if o not in objs:
                objs.append(o)
    _read_blank_nodes(store, nodes)
    for node in nodes.values():
        node.types.update(t.value for t in node.values(RDF.type) if isinstance(t, ox.NamedNode))
    found, graphs = read_codes(store, None, codes)
    return Facts(nodes, base_iri, found, graphs, code_index=codes)


CODES_QUERY = """SELECT ?c ?s ?n ?l ?g WHERE { GRAPH ?g { ?c skos:inScheme ?s } OPTIONAL { ?c skos:notation ?n }
OPTIONAL { ?c skos:prefLabel ?l } }"""


def _code_rows(store: GraphStore, schemes: list[str] | None, skip: set[str]) -> Iterable[tuple[AnyTerm | None, ...]]:
    """(concept, scheme, notation, label, graph) of the given lists (all when ``None``), leaving out the named
    graphs ``skip`` (those whose codes come from the table of codes)."""
    if schemes is None and not skip:
        yield from (tuple(row) for row in _select(store, sparql_prefixes() + CODES_QUERY))
        return
    if schemes is None:
        for graph in sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)):
            if graph in skip:
                continue
            query = CODES_QUERY.replace("GRAPH ?g", f"GRAPH <{graph}>").replace(
                "SELECT ?c ?s ?n ?l ?g", "SELECT ?c ?s ?n ?l"
            )
            for row in _select(store, sparql_prefixes() + query):
                yield (row[0], row[1], row[2], row[3], ox.NamedNode(graph))
        return
    in_scheme, notation, label = (ox.NamedNode(p) for p in (SKOS.inScheme, SKOS.notation, SKOS.prefLabel))
    for scheme in sorted(schemes):
        for q in store.quads_for_pattern(None, in_scheme, ox.NamedNode(scheme), None):
            if q.graph_name == DEFAULT or q.graph_name.value in skip:  # type: ignore[union-attr]
                continue
            if isinstance(q.subject, ox.Triple):
                continue
            notations: list[AnyTerm | None] = [x.object for x in store.quads_for_pattern(q.subject, notation, None)]
            labels: list[AnyTerm | None] = [x.object for x in store.quads_for_pattern(q.subject, label, None)]
            for n in notations or [None]:
                for lab in labels or [None]:
                    yield (q.subject, q.object, n, lab, q.graph_name)  # type: ignore[misc]


def read_codes(
    store: GraphStore, schemes: list[str] | None = None, index: CodeIndex | None = None
) -> tuple[dict[str, list[CodeRow]], dict[str, set[str]]]:
    """Every code of every code list (or of the given ones), sorted by notation; and the named graphs the
    codes of each list come from. With ``index``, the codes of the lists kept as CSV come from it, the others
    (codes written in Turtle) from the store."""
    rows: dict[str, dict[str, tuple[list[str], list[ox.Literal]]]] = defaultdict(dict)
    graphs: dict[str, set[str]] = defaultdict(set)

    def add(concept: str, scheme: str, notation: str | None, label: ox.Literal | None, graph: str) -> None:
        graphs[scheme].add(graph)
        entry = rows[scheme].get(concept)
        if entry is None:
            entry = rows[scheme][concept] = ([], [])
        if notation is not None and notation not in entry[0]:
            entry[0].append(notation)
        if label is not None and label not in entry[1]:
            entry[1].append(label)

    skip: set[str] = set()
    out: dict[str, list[CodeRow]] = {}
    if index is not None:
        skip = index.graphs()
        for scheme, concept, notation, labels, graph in index.rows(schemes):
            graphs[scheme].add(graph)
            literals = tuple(ox.Literal(text, language=lang) if lang else ox.Literal(text) for lang, text in labels)
            out.setdefault(scheme, []).append(CodeRow(concept, notation, literals))
    for row in _code_rows(store, schemes, skip):
        c, in_scheme, code, lab, home = row
        if isinstance(c, ox.NamedNode) and _valued(in_scheme) and _valued(home):
            add(c.value, in_scheme.value, code.value if _valued(code) else None,
                lab if isinstance(lab, ox.Literal) else None, home.value)  # fmt: skip
    for scheme, codes in rows.items():
        found = [
            CodeRow(iri, min(ns) if ns else iri.rsplit("/", 1)[-1], tuple(sorted(ls, key=_lit_key)))
            for iri, (ns, ls) in codes.items()
        ]
        out[scheme] = sorted(found, key=lambda r: (natural_key(r.notation), r.iri))
    for scheme in schemes or ():
        out.setdefault(scheme, [])
    return out, dict(graphs)


def _lit_key(lit: ox.Literal) -> tuple[str, str]:
    return (lit.language or "", lit.value)


def _read_blank_nodes(store: GraphStore, nodes: dict[str, Node]) -> None:
    """Add the blank nodes (attributions, periods, contact points) the read resources point to."""
    pending = _blank_objects(nodes.values(), nodes)
    depth = 0
    while pending and depth < 3:
        found: dict[str, Node] = {}
        for key, term in sorted(pending.items()):
            node = found[key] = Node(key)
            for quad in store.quads_for_pattern(term, None, None, None):
                objs = node.props[quad.predicate.value]
                if quad.object not in objs and not isinstance(quad.object, ox.Triple):
                    objs.append(quad.object)
        nodes.update(found)
        pending = _blank_objects(found.values(), nodes)
        depth += 1


def _blank_objects(among: Iterable[Node], known: dict[str, Node]) -> dict[str, ox.BlankNode]:
    return {
        "_:" + o.value: o
        for n in among
        for objs in n.props.values()
        for o in objs
        if isinstance(o, ox.BlankNode) and "_:" + o.value not in known
    }


def _valued(term: AnyTerm | None) -> TypeGuard[ox.NamedNode | ox.BlankNode | ox.Literal]:
    return term is not None and not isinstance(term, ox.Triple)


def _select(store: GraphStore, query: str) -> Iterable[ox.QuerySolution]:
    try:
        result = store.query(query, use_default_graph_as_union=True)
    except (SyntaxError, OSError, ValueError) as exc:  # pragma: no cover - queries are fixed text
        raise QueryError(f"site query failed: {exc}", hint="report this as a bug with the query text") from exc
    assert isinstance(result, ox.QuerySolutions)
    return result
