"""A remote SPARQL 1.1 server as a :class:`~hdh_graph.graph_store.GraphStore` (the SPARQL 1.1 Protocol, over HTTP).

Pattern reads become ``SELECT`` queries on the catalogue's named graphs. The server must answer queries without a
``GRAPH`` clause over the union of its named graphs (Oxigraph: ``oxigraph serve --union-default-graph``;
Virtuoso does by default; Fuseki: ``tdb2:unionDefaultGraph true``).

Blank nodes: a server gives a blank node a label for one response only, and a query cannot name it. So a read of
a resource also brings the blank nodes it leads to (three levels down: attributions, periods, checksums), kept
here by label; a later read of such a blank node is answered from them. A blank node reached in no other way is
not readable remotely: the catalogue's resources are named.

Only the graphs whose IRI starts with ``graphs`` (the catalogue's ``{base}graph/``) are read, so a server's own
graphs (Virtuoso's system graphs) never show in the catalogue.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, BinaryIO
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from hdh_graph.errors import HdhError
from hdh_graph.graph_store import GraphName, QueryResult, Subject, Term
from hdh_graph.sparql import text as sparql_text

_DEPTH = 3
_EMPTY = ox.Store()


class RemoteStoreError(HdhError):
    """The remote SPARQL server cannot be reached or refused a request; ``status`` is how an endpoint forwarding
    to it answers (502: the server failed or is unreachable; 400: it refused the query)."""

    def __init__(self, message: str, hint: str | None = None, status: int = 502) -> None:
        super().__init__(message, hint)
        self.status = status


class RemoteTimeout(RemoteStoreError):
    """The remote SPARQL server did not answer in time."""


def term_sparql(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    """A term as SPARQL text (N-Triples syntax is valid SPARQL for IRIs and literals)."""
    if isinstance(term, ox.BlankNode):
        raise ValueError("a blank node cannot be named in a query sent to a remote server")
    return str(term)


class SparqlStore:
    """Reads a remote SPARQL 1.1 query endpoint as a store (read-only)."""

    def __init__(
        self,
        endpoint: str,
        *,
        graphs: str | None = None,
        timeout: float = 600.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.graphs = graphs
        self.timeout = timeout
        self.client = client or httpx.Client(timeout=timeout)
        self._blank: dict[str, list[ox.Quad]] = {}
        """Quads of the blank nodes met so far, by label."""

    # -- the protocol --------------------------------------------------------------------------------------
    def _post(self, query: str, accept: str, dataset: list[tuple[str, str]] | None = None) -> bytes:
        data = urlencode([("query", query), *(dataset or [])]).encode("ascii")
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        try:
            response = self.client.post(self.endpoint, content=data, headers=headers)
        except httpx.TimeoutException as exc:
            raise RemoteTimeout(f"the SPARQL server {self.endpoint} did not answer in time") from exc
        except httpx.HTTPError as exc:
            raise RemoteStoreError(
                f"the SPARQL server {self.endpoint} could not be reached: {exc}",
                hint="check that the server runs and that HDH_SPARQL_ENDPOINT is its query URL",
            ) from exc
        if response.status_code != 200:
            text = response.text.strip()
            timed_out = "S1T00" in text or "timed out" in text.lower()
            raise RemoteStoreError(
                f"the SPARQL server {self.endpoint} answered {response.status_code}: {text[:500]}",
                status=400 if 400 <= response.status_code < 500 else 502,
                hint="the server's time limit stopped the query: raise it (Virtuoso: MaxQueryExecutionTime in the "
                "[SPARQL] section of virtuoso.ini; 0 is none)"
                if timed_out
                else "see the server's log; the query it refused is a bug of this tool if it is valid SPARQL",
            )
        cut = response.headers.get("x-sparql-maxrows")
        if cut is not None:  # Virtuoso cuts results at ResultSetMaxRows and says so only here
            raise RemoteStoreError(
                f"the SPARQL server {self.endpoint} cut a result at {cut} rows (its result size limit)",
                hint="raise it above the catalogue's number of triples (Virtuoso: ResultSetMaxRows in the [SPARQL] "
                "section of virtuoso.ini)",
            )
        if response.headers.get("x-sql-state") == "S1TAT":  # an 'anytime' result: the rows found in the time given
            raise RemoteStoreError(
                f"the SPARQL server {self.endpoint} answered with a partial result (its time limit was reached)",
                hint="raise it (Virtuoso: MaxQueryExecutionTime in the [SPARQL] section of virtuoso.ini; 0 is none)",
            )
        return response.content

    def _select(self, query: str) -> ox.QuerySolutions:
        body = self._post(query, "application/sparql-results+json")
        try:
            result = parse_json_results(body)
        except (SyntaxError, ValueError) as exc:
            raise RemoteStoreError(
                f"the SPARQL server {self.endpoint} sent results that are not SPARQL JSON: {exc}",
                hint="is HDH_SPARQL_ENDPOINT the server's query endpoint (not its web page)?",
            ) from exc
        if not isinstance(result, ox.QuerySolutions):
            raise RemoteStoreError(f"the SPARQL server {self.endpoint} answered a SELECT with a boolean")
        return result

    def _graph_filter(self, var: str) -> str:
        if not self.graphs:
            return ""
        return f'FILTER(STRSTARTS(STR({var}), "{_escape(self.graphs)}"))'

    # -- GraphStore ------------------------------------------------------------------------------------
    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | Sequence[GraphName] | None = None,
        named_graphs: Sequence[ox.NamedNode | ox.BlankNode] | None = None,
        custom_functions: Mapping[ox.NamedNode, Callable[..., Any]] | None = None,
    ) -> QueryResult:
        """Run a query on the server (its form read by parsing it here first: a syntax error is raised here)."""
        parsed = _EMPTY.query(query, base_iri=base_iri, prefixes=dict(prefixes or {}))
        toks = sparql_text.tokens(query)
        text = _with_prologue(query, toks, base_iri, prefixes or {})
        dataset: list[tuple[str, str]] = []
        if default_graph is not None:
            graphs = default_graph if isinstance(default_graph, Sequence) else [default_graph]
            dataset += [("default-graph-uri", g.value) for g in graphs if isinstance(g, ox.NamedNode)]
        dataset += [("named-graph-uri", g.value) for g in named_graphs or () if isinstance(g, ox.NamedNode)]
        if not dataset:
            # A server whose default graph is the union of its graphs would ignore FROM / FROM NAMED (Oxigraph
            # server with --union-default-graph): state them as the protocol does, which every server honours.
            from_defaults, from_named = sparql_text.dataset_clauses(toks, sparql_text.base_of(toks, base_iri))
            dataset += [("default-graph-uri", g) for g in from_defaults]
            dataset += [("named-graph-uri", g) for g in from_named]
        if isinstance(parsed, ox.QueryTriples):
            body = self._post(text, "application/n-triples", dataset)
            local = ox.Store()
            try:
                local.load(normalise(body), format=ox.RdfFormat.N_TRIPLES)
            except SyntaxError as exc:
                raise RemoteStoreError(
                    f"the SPARQL server {self.endpoint} sent triples that do not parse: {exc}"
                ) from exc
            result = local.query("CONSTRUCT WHERE { ?s ?p ?o }")
            return result
        body = self._post(text, "application/sparql-results+json", dataset)
        try:
            return parse_json_results(body)
        except (SyntaxError, ValueError) as exc:
            raise RemoteStoreError(f"the SPARQL server {self.endpoint} sent results that do not parse: {exc}") from exc

    def quads_for_pattern(
        self,
        subject: Subject | None,
        predicate: ox.NamedNode | None,
        object: Term | None,
        graph_name: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        if isinstance(graph_name, ox.DefaultGraph):
            return iter(())  # the catalogue's triples are all in named graphs
        if isinstance(subject, ox.BlankNode):
            return iter(
                [
                    q
                    for q in self._blank.get(subject.value, [])
                    if (predicate is None or q.predicate == predicate)
                    and (object is None or q.object == object)
                    and (graph_name is None or q.graph_name == graph_name)
                ]
            )
        if isinstance(object, ox.BlankNode):
            return iter(())  # links into a blank node are not kept (see the module's docstring)
        return iter(self._pattern(subject, predicate, object, graph_name))

    def _pattern(
        self,
        subject: ox.NamedNode | None,
        predicate: ox.NamedNode | None,
        object: ox.NamedNode | ox.Literal | None,
        graph_name: ox.NamedNode | ox.BlankNode | None,
    ) -> list[ox.Quad]:
        s = term_sparql(subject) if subject is not None else "?s"
        p = term_sparql(predicate) if predicate is not None else "?p"
        o = term_sparql(object) if object is not None else "?o"
        g = term_sparql(graph_name) if graph_name is not None else "?g"
        # The blank nodes the object leads to, from the object's variable itself: Virtuoso drops the FILTER on the
        # graph when a BIND stands inside the GRAPH block. A constant object is never a blank node.
        terms = ["?o", *(f"?b{i}" for i in range(1, _DEPTH + 1))]
        nested = (
            "".join(f"OPTIONAL {{ {terms[i]} ?p{i + 1} ?b{i + 1} FILTER(isBlank({terms[i]})) " for i in range(_DEPTH))
            + "}" * _DEPTH
            if object is None
            else ""
        )
        query = (
            f"SELECT ?s ?p ?o ?g {' '.join(f'?p{i} ?b{i}' for i in range(1, _DEPTH + 1))} WHERE {{ "
            f"GRAPH {g} {{ {s} {p} {o} {nested} }} {self._graph_filter(g) if g == '?g' else ''} }}"
        )
        quads: list[ox.Quad] = []
        seen: set[ox.Quad] = set()
        blank: dict[str, set[ox.Quad]] = defaultdict(set)
        for row in self._select(query):
            graph = graph_name if graph_name is not None else row["g"]
            if not isinstance(graph, (ox.NamedNode, ox.BlankNode)):
                continue
            quad = ox.Quad(
                subject if subject is not None else row["s"],
                predicate if predicate is not None else row["p"],
                object if object is not None else row["o"],
                graph,
            )
            if quad not in seen:
                seen.add(quad)
                quads.append(quad)
            holder = quad.object
            for i in range(1, _DEPTH + 1):
                pred, value = row[f"p{i}"], row[f"b{i}"]
                if not isinstance(holder, ox.BlankNode) or pred is None or value is None:
                    break
                blank[holder.value].add(ox.Quad(holder, pred, value, graph))
                holder = value
        for label, found in blank.items():
            self._blank[label] = sorted(found, key=str)
        return quads

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]:
        rows = self._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._graph_filter('?g')} }}")
        return iter([g for row in rows if isinstance(g := row["g"], ox.NamedNode)])

    def contains_named_graph(self, graph_name: ox.NamedNode | ox.BlankNode) -> bool:
        body = self._post(
            f"ASK {{ GRAPH {term_sparql(graph_name)} {{ ?s ?p ?o }} }}", "application/sparql-results+json"
        )
        return bool(parse_json_results(body))

    def __len__(self) -> int:
        rows = list(
            self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._graph_filter('?g')} }}")
        )
        value = rows[0]["n"] if rows else None
        return int(value.value) if isinstance(value, ox.Literal) else 0

    def dump(
        self,
        output: BinaryIO | None = None,
        format: ox.RdfFormat | None = None,
        *,
        from_graph: GraphName | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> bytes | None:
        graph = from_graph if isinstance(from_graph, ox.NamedNode) else None
        quads = self._pattern(None, None, None, graph)
        blank = [q for found in self._blank.values() for q in found if graph is None or q.graph_name == graph]
        rdf_format = format or ox.RdfFormat.N_QUADS
        data: list[ox.Quad] | list[ox.Triple] = quads + blank
        if not rdf_format.supports_datasets:
            data = [q.triple for q in data]  # type: ignore[union-attr]
        return ox.serialize(data, output, rdf_format, prefixes=dict(prefixes) if prefixes else None)

    def close(self) -> None:
        self.client.close()

    def __del__(self) -> None:  # the connections go with the store, however it is dropped
        client = getattr(self, "client", None)
        if client is not None:
            client.close()


_VIRTUOSO_BNODE = re.compile(rb'("type": *"bnode", *"value": *")nodeID://')
_BOOLEAN = re.compile(rb'("datatype": *"http://www.w3.org/2001/XMLSchema#boolean", *"value": *")([01])"')
_FRACTION = re.compile(rb'(T\d\d:\d\d:\d\d)(\.\d*?)0+(?=[Z+\-"]|\^\^)')


def _fraction(match: re.Match[bytes]) -> bytes:
    digits = match.group(2)
    return match.group(1) + (digits if digits != b"." else b"")


def normalise(body: bytes) -> bytes:
    """Virtuoso's results made to read as the embedded store's: its blank node labels (``nodeID://b10000``, no
    blank node label: the ``nodeID://`` is dropped, the rest is unique per node in the server), booleans
    written ``1``/``0`` in SPARQL JSON, and ``xsd:dateTime`` fractions padded with zeros (``12.500``: ``12.5``, as
    the canonical form). A server that has none of these gets its bytes back unchanged."""
    if b"nodeID://" in body:
        body = _VIRTUOSO_BNODE.sub(rb"\1", body)
    if b'#boolean", "value": "' in body:
        body = _BOOLEAN.sub(lambda m: m.group(1) + (b'true"' if m.group(2) == b"1" else b'false"'), body)
    if b"0Z" in body or b"0+" in body or b"0-" in body or b'0"' in body:
        body = _FRACTION.sub(_fraction, body)
    return body


def parse_json_results(body: bytes) -> ox.QuerySolutions | ox.QueryBoolean:
    """SPARQL JSON results, Virtuoso's too (see :func:`normalise`)."""
    return ox.parse_query_results(normalise(body), format=ox.QueryResultsFormat.JSON)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _with_prologue(query: str, toks: list[sparql_text.Token], base_iri: str | None, prefixes: Mapping[str, str]) -> str:
    """The query with BASE and the given prefixes it uses but does not declare, on its first line."""
    declared = sparql_text.prefixes(toks)
    used = {t.text.partition(":")[0] for t in toks if t.kind == "word" and ":" in t.text}
    missing = sorted(p for p in used if p in prefixes and p not in declared)
    prologue = " ".join(f"PREFIX {p}: <{prefixes[p]}>" for p in missing)
    if base_iri and not any(t.kind == "word" and t.upper == "BASE" for t in toks):
        prologue = f"BASE <{base_iri}> {prologue}"
    return f"{prologue} {query}" if prologue else query
