"""Write query results for the command line (how queries are evaluated: :mod:`hdh_graph.sparql.run`).

Formats: ``table`` (aligned text for people), ``json``, ``csv``, ``tsv`` (the W3C SPARQL results formats,
written by pyoxigraph) for ``SELECT`` and ``ASK``; ``turtle`` and ``ntriples`` for ``CONSTRUCT`` and
``DESCRIBE``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import BinaryIO

import pyoxigraph as ox

from hdh_graph.errors import QueryError
from hdh_graph.graph_store import QueryResult
from hdh_graph.vocab import PREFIXES

SOLUTION_FORMATS = ("table", "json", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples")
FORMATS = (*SOLUTION_FORMATS, *GRAPH_FORMATS)

_RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}


def default_format(result: QueryResult) -> str:
    """``table`` for SELECT and ASK, ``turtle`` for CONSTRUCT and DESCRIBE."""
    return "turtle" if isinstance(result, ox.QueryTriples) else "table"


def _form(result: QueryResult) -> str:
    if isinstance(result, ox.QueryTriples):
        return "CONSTRUCT/DESCRIBE"
    return "ASK" if isinstance(result, ox.QueryBoolean) else "SELECT"


def write_result(result: QueryResult, fmt: str, out: BinaryIO, base_iri: str | None = None) -> None:
    """Write a query result in ``fmt`` to a binary stream."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    if isinstance(result, ox.QueryTriples):
        if fmt not in GRAPH_FORMATS:
            raise QueryError(
                f"a {_form(result)} query gives triples, which cannot be written as {fmt}",
                hint=f"use --format {' or '.join(GRAPH_FORMATS)}, or write a SELECT query for {fmt}",
            )
        prefixes = dict(PREFIXES) if fmt == "turtle" else None
        ox.serialize(result, out, _RDF_FORMATS[fmt], prefixes=prefixes)
        return
    if fmt in GRAPH_FORMATS:
        raise QueryError(
            f"an {_form(result)} query gives solutions, not triples: they cannot be written as {fmt}",
            hint=f"use --format {', '.join(SOLUTION_FORMATS)}, or write a CONSTRUCT query for {fmt}",
        )
    if fmt == "table":
        out.write(format_table(result, base_iri).encode("utf-8"))
        return
    result.serialize(out, _RESULTS_FORMATS[fmt])


# -- the text table -------------------------------------------------------------------------------------


def term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, base_iri: str | None = None) -> str:
    """A short readable form of an RDF term: ``dcat:Dataset``, ``<dataset/dcir>``, ``Titre@fr``, ``42``."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace):
                local = iri[len(namespace) :]
                if local and re.fullmatch(r"[A-Za-z_][\w.-]*", local) and not local.endswith("."):
                    return f"{prefix}:{local}"
        if base_iri and iri.startswith(base_iri):
            return f"<{iri[len(base_iri) :]}>"
        return f"<{iri}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        text = term.value
        if term.language:
            text += f"@{term.language}"
        return text
    return str(term)


def _cell(text: str, width: int) -> str:
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(result: ox.QuerySolutions | ox.QueryBoolean, base_iri: str | None = None, max_width: int = 60) -> str:
    """An aligned text table of the solutions (or ``true``/``false`` for ASK), with a row count."""
    if isinstance(result, ox.QueryBoolean):
        return ("true" if bool(result) else "false") + "\n"
    names = [v.value for v in result.variables]
    rows = [[_cell(term_text(solution[name], base_iri), max_width) for name in names] for solution in result]
    return render_table(names, rows)


def render_table(header: list[str], rows: Iterable[list[str]]) -> str:
    """Align columns of text under a header line; end with the number of rows."""
    rows = list(rows)
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
