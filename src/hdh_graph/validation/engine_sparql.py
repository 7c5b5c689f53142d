"""The fast path: each compiled check is one SPARQL query over an in-memory store of the whole workspace."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from hdh_graph.graph_store import AnyTerm, Subject
from hdh_graph.validation.compile import (
    FOCUS_GRAPH,
    FOCUS_MARK,
    FOCUS_PATTERN,
    FOCUS_SLOT,
    STORED_AS_INTEGER,
    WRITTEN_AS,
    WRITTEN_GRAPH,
    Check,
)
from hdh_graph.validation.messages import compact
from hdh_graph.validation.model import Result
from hdh_graph.validation.workspace import Workspace

FOCUS = ox.NamedNode(FOCUS_MARK)
TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


def load_store(
    workspace: Workspace,
    vocabularies: Iterable[Path],
    focus: Iterable[Subject | ox.Triple] = (),
    background: Iterable[Path] = (),
    base_iri: str | None = None,
) -> ox.Store:
    """An in-memory store of the workspace and the vocabularies. Each node in ``focus`` is marked with
    ``<urn:x-hdh:focus> true`` in a graph of its own, so that the checks skip the others (context, vocabularies).
    The ``background`` Turtle files (relative IRIs resolved against ``base_iri``) are loaded as they are, without
    being parsed in Python: data the checks read, about nodes never reported on."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in workspace.triples())
    store.extend(written_datatypes(workspace))
    for path in background:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base_iri)
    marks = ox.NamedNode(FOCUS_GRAPH)
    store.extend(ox.Quad(node, FOCUS, TRUE, marks) for node in focus)
    for path in vocabularies:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def written_datatypes(workspace: Workspace) -> list[ox.Quad]:
    """For each literal whose datatype the store normalises to ``xsd:integer``, its lexical form and written
    datatype, noted on its subject (see :data:`hdh_graph.validation.compile.WRITTEN_GRAPH`)."""
    graph, pred = ox.NamedNode(WRITTEN_GRAPH), ox.NamedNode(WRITTEN_AS)
    out: list[ox.Quad] = []
    for t in workspace.triples():
        obj = t.object
        if not isinstance(obj, ox.Literal) or obj.datatype.value not in STORED_AS_INTEGER:
            continue
        value = _integer(obj.value)
        low, high = INTEGER_RANGES[obj.datatype.value.rsplit("#", 1)[1]]
        if value is None or (low is not None and value < low) or (high is not None and value > high):
            continue  # ill-formed for its datatype: not noted, so sh:datatype reports it
        # the store writes the value in its canonical form ("007" as "7"): note that form
        out.append(ox.Quad(t.subject, pred, ox.Literal(f"{value} <{obj.datatype.value}>"), graph))
    return out


def _integer(text: str) -> int | None:
    body = text.strip()
    digits = body[1:] if body[:1] in "+-" else body
    return int(body) if digits.isdigit() else None


INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
"""The value space of each datatype of :data:`STORED_AS_INTEGER` (XML Schema 1.1 Part 2, section 3.4)."""


def run_checks(
    store: ox.Store, workspace: Workspace, checks: Iterable[Check], origin: dict[str, str], marked: bool = False
) -> list[Result]:
    """Run every check; with ``marked``, only from the nodes :func:`load_store` marked as focus (worth it when
    the store holds context files: in a full run every node is reported and the marks only cost time)."""
    results: list[Result] = []
    for check in checks:
        query = check.query.replace(FOCUS_SLOT, FOCUS_PATTERN if marked else "")
        for solution in store.query(query):  # type: ignore[union-attr]
            focus = solution["this"]
            value = solution["value"] if "?value" in check.query else None
            path = solution["path"] if "?path" in check.query.split("WHERE", 1)[0] else None
            result = make_result(workspace, check, focus, value, path, origin.get(check.rule, "hdh"))
            if result is not None:
                results.append(result)
    return results


def term_text(term: AnyTerm | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return "[]"
    return term.value  # type: ignore[union-attr]


def make_result(
    workspace: Workspace,
    check: Check,
    focus: AnyTerm,
    value: AnyTerm | None,
    path: AnyTerm | None,
    source: str,
) -> Result | None:
    """A located result, or ``None`` for a focus node no target file describes (vocabulary, context)."""
    where = workspace.locate(focus)
    if where is None:
        return None
    prop = term_text(path) if path is not None else check.path
    if prop and "|" in prop and value is not None:
        actual = workspace.predicate_between(focus, value)
        prop = compact(actual) if actual else prop
    if where.via:
        prop = f"{where.via} / {prop}" if prop else where.via
    shown = term_text(value)
    fr, en = check.message_fr, check.message_en
    if shown is not None:
        fr, en = fr.replace("{?value}", shown), en.replace("{?value}", shown)
    if "privacy" in check.rule:
        shown = "(masqué / hidden)" if isinstance(value, ox.Literal) else shown
    return Result(
        file=where.file,
        line=where.line,
        column=where.column,
        resource=where.resource,
        property=prop,
        value=shown,
        message_fr=fr,
        message_en=en,
        severity=check.severity,
        rule=compact(check.rule),
        component=check.component,
        source=source,
        hint_fr=check.hint_fr,
        hint_en=check.hint_en,
    )
