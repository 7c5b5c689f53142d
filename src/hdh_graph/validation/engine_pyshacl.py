"""The reference engine: pyshacl on one file's graph (plus its context) at each access level it holds.

Slow but independent of the SPARQL compiler; tests and the benchmark compare its results with the fast
path's. Results are located and worded by the same code as the fast path's.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl.errors import ValidationFailure
from pyshacl.graph_abstraction import DataGraph
from pyshacl.shapes_graph import ShapesGraph
from pyshacl.validator import Validator
from rdflib.namespace import RDF, SH

from hdh_graph.graph_store import AnyTerm
from hdh_graph.validation.compile import Check, compile_checks
from hdh_graph.validation.engine_sparql import make_result
from hdh_graph.validation.model import Result
from hdh_graph.validation.shapes import LEVELS, LevelShapes, ShapesError, load_level
from hdh_graph.validation.workspace import Workspace

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: AnyTerm) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if not isinstance(term, ox.Literal):
        raise TypeError(f"quoted triples have no rdflib form here: {term}")
    lit = term
    if lit.language:
        return rdflib.Literal(lit.value, lang=lit.language)
    if lit.datatype.value == XSD_STRING:
        return rdflib.Literal(lit.value)  # RDF 1.1: "x" and "x"^^xsd:string are the same term
    return rdflib.Literal(lit.value, datatype=rdflib.URIRef(lit.datatype.value))


def to_oxigraph(term: rdflib.term.Node) -> AnyTerm:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    lit: rdflib.Literal = term  # type: ignore[assignment]
    if lit.language:
        return ox.Literal(str(lit), language=lit.language)
    return ox.Literal(str(lit), datatype=ox.NamedNode(str(lit.datatype or rdflib.XSD.string)))


class PyshaclEngine:
    """Loads each level's shapes once and validates workspaces with them."""

    def __init__(self, shapes_dir: Path, vocabularies: list[Path]) -> None:
        self.levels: dict[str, tuple[LevelShapes, dict[tuple[str, str], Check]]] = {}
        for level, iri in LEVELS.items():
            shapes = load_level(shapes_dir, level)
            checks = compile_checks(shapes.graph, shapes.origin, iri)
            self.levels[iri] = (shapes, {(c.source_node, c.component): c for c in checks})
        self.parsed: dict[str, ShapesGraph] = {}
        self.vocabulary = rdflib.Graph()
        for path in vocabularies:
            self.vocabulary.parse(path, format="turtle")

    def validate(self, workspace: Workspace) -> list[Result]:
        data = rdflib.Graph()
        for t in workspace.triples():
            data.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        data += self.vocabulary
        levels = workspace.dataset_levels()
        wanted = {lvl for d, lvl in levels.items() if lvl in self.levels and workspace.locate(ox.NamedNode(d))}
        if not wanted:
            wanted = {LEVELS["NON_PUBLIC"]}
        results: list[Result] = []
        for level_iri in sorted(wanted):
            shapes, lookup = self.levels[level_iri]
            report = self._run(data, level_iri)
            for res in report.subjects(RDF.type, SH.ValidationResult):
                result = self._result(report, res, workspace, shapes, lookup, levels, level_iri)
                if result is not None:
                    results.append(result)
        return results

    def _run(self, data: rdflib.Graph, level_iri: str) -> rdflib.Graph:
        """pyshacl's Validator with the level's parsed shapes reused (pyshacl re-parses every SHACL-SPARQL
        query of a new shapes graph, which costs seconds)."""
        shapes, _ = self.levels[level_iri]
        options = {"inference": "none", "allow_warnings": True, "inplace": True, "advanced": False}
        validator = Validator(DataGraph.from_rdflib(data), shacl_graph=shapes.graph, options=options)
        if level_iri in self.parsed:
            validator.shacl_graph = self.parsed[level_iri]
        else:
            self.parsed[level_iri] = validator.shacl_graph
        try:
            _, report, _ = validator.run()  # type: ignore[no-untyped-call]  # pyshacl's Validator.run is unannotated
        except ValidationFailure as exc:
            raise ShapesError(f"pyshacl cannot use the shapes of level {level_iri}: {exc.message}") from exc
        graph: rdflib.Graph = report
        return graph

    def _result(
        self,
        report: rdflib.Graph,
        res: rdflib.term.Node,
        workspace: Workspace,
        shapes: LevelShapes,
        lookup: dict[tuple[str, str], Check],
        levels: dict[str, str | None],
        level_iri: str,
    ) -> Result | None:
        focus = report.value(res, SH.focusNode)
        if focus is None:  # a result without a focus node names nothing to point at
            return None
        component = str(report.value(res, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        source_shape = report.value(res, SH.sourceShape)
        node = report.value(res, SH.sourceConstraint) if component == "SPARQLConstraintComponent" else source_shape
        check = lookup.get((str(node), component))
        if check is None:
            return None  # a nested shape's own result (pyshacl reports them through the outer shape)
        if check.dataset_level is not None and levels.get(str(focus)) != level_iri:
            return None
        value = report.value(res, SH.value)
        path = report.value(res, SH.resultPath) if component == "SPARQLConstraintComponent" else None
        origin = shapes.origin.get(rdflib.URIRef(check.rule), "hdh")
        if component == "SPARQLConstraintComponent" and "?value" not in check.query:
            value = None
        if value is not None and check.component in (
            "MinCountConstraintComponent",
            "MaxCountConstraintComponent",
            "HasValueConstraintComponent",
        ):
            value = None
        return make_result(
            workspace,
            check,
            to_oxigraph(focus),
            to_oxigraph(value) if value is not None else None,
            to_oxigraph(path) if isinstance(path, rdflib.URIRef) else None,
            origin,
        )
