"""How a SPARQL query is evaluated on the catalogue, for ``hdh query`` and ``/sparql`` alike.

- The default graph is the union of the named graphs (each catalogue file is its own named graph), unless the
  request names its dataset: by the protocol's ``default-graph-uri`` / ``named-graph-uri`` (which win) or by
  ``FROM`` / ``FROM NAMED`` in the query.
- The project's prefixes (:data:`hdh_graph.vocab.PREFIXES`) are declared for every query; a ``PREFIX`` line of
  the query wins. Relative IRIs resolve against the base IRI.
- ``?r hdh:search "words"`` is answered from the keyword index (:func:`keywords.rewrite_search`) and
  ``hdh:matches(?r, "words")`` is a function, on the embedded store.
- A query that does not parse, or nests brackets deeper than :data:`~hdh_graph.sparql.text.MAX_NESTING` levels,
  raises :class:`~hdh_graph.errors.QuerySyntaxError` whose message gives the line and column; any other failure
  :class:`~hdh_graph.errors.QueryError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from hdh_graph.errors import QueryError, QuerySyntaxError
from hdh_graph.graph_store import GraphStore, QueryResult
from hdh_graph.sparql import text as sparql_text
from hdh_graph.sparql.keywords import SearchIndex, rewrite_search
from hdh_graph.vocab import PREFIXES as VOCAB_PREFIXES

PREFIXES: dict[str, str] = {name: str(iri) for name, iri in VOCAB_PREFIXES.items()}
_POSITION = re.compile(r"error at (\d+):(\d+): ")
_MAX_MESSAGE = 400


@dataclass(frozen=True)
class QueryRequest:
    """One query and the dataset it asks for (``None``: not given)."""

    query: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None


def dataset_options(request: QueryRequest, toks: list[sparql_text.Token]) -> dict[str, Any]:
    """pyoxigraph's options for the request: prefixes, base IRI and the dataset (see the module's docstring)."""
    options: dict[str, Any] = {"prefixes": PREFIXES, "base_iri": request.base_iri}
    if request.default_graphs is None and request.named_graphs is None:
        if not any(t.kind == "word" and t.upper == "FROM" for t in toks):
            options["use_default_graph_as_union"] = True
    else:
        defaults = [ox.NamedNode(g) for g in request.default_graphs or ()]
        options["default_graph"] = defaults or ox.DefaultGraph()
        options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs or ()]
    return options


def evaluate(
    store: GraphStore,
    request: QueryRequest,
    index: SearchIndex | None = None,
    functions: Mapping[ox.NamedNode, Callable[..., Any]] | None = None,
) -> QueryResult:
    """The result of one query (lazy: solutions are computed as they are read)."""
    toks = sparql_text.tokens(request.query)
    check_nesting(request.query, toks)
    text = rewrite_search(request.query, toks, index)
    try:
        return store.query(
            text, custom_functions=None if functions is None else dict(functions), **dataset_options(request, toks)
        )
    except SyntaxError as exc:
        raise QuerySyntaxError(syntax_message(exc.msg or str(exc)), hint=syntax_hint()) from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {exc}") from exc


def check_nesting(query: str, toks: list[sparql_text.Token]) -> None:
    """Refuse a query nested deeper than :data:`~hdh_graph.sparql.text.MAX_NESTING` levels of brackets."""
    depth, where = sparql_text.deepest_nesting(toks)
    if depth > sparql_text.MAX_NESTING and where is not None:
        line, column = sparql_text.line_column(query, where.start)
        raise QuerySyntaxError(
            f"the query nests brackets deeper than {sparql_text.MAX_NESTING} levels (at line {line}, column {column})",
            hint="write the nested groups or expressions one after the other, or in a sub-query",
        )


def syntax_message(parser_message: str) -> str:
    """``SPARQL syntax error at line L, column C: …`` from the parser's ``error at L:C: …``."""
    match = _POSITION.match(parser_message)
    if match:
        message = f"SPARQL syntax error at line {match[1]}, column {match[2]}: {parser_message[match.end() :]}"
    else:
        message = f"SPARQL syntax error: {parser_message}"
    if len(message) > _MAX_MESSAGE:
        message = message[:_MAX_MESSAGE] + "…"
    return message


def syntax_hint() -> str:
    names = ", ".join(f"{p}:" for p in sorted(PREFIXES))
    return f"check the query near that position; these prefixes need no PREFIX line: {names}"
