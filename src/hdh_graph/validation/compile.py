"""Turn a shapes graph into SPARQL queries that find the focus nodes violating each constraint.

Supported SHACL core: targets (class with subclasses, node, subjectsOf, objectsOf), predicate / inverse /
alternative / sequence paths, minCount, maxCount, class, datatype, nodeKind, in, hasValue, pattern,
languageIn, minLength, maxLength, not, node, or, and SHACL-SPARQL ``sh:sparql`` constraints on node
shapes. Nested shapes (``sh:node``, ``sh:or``, ``sh:not``) become ``EXISTS`` tests. Anything else raises
:class:`UnsupportedShape`, so that the fast path never silently checks less than pyshacl.
Non-standard terms the official files use (``sh:extends``, ``sh:shape``) are ignored, as pyshacl does.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import rdflib
from rdflib.namespace import RDF, SH

from hdh_graph.validation.messages import describe
from hdh_graph.validation.model import Severity

HDHSH_HINT = rdflib.URIRef("https://w3id.org/hdh-graph/shapes#hint")
DCAT_DATASET = rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset")
ACCESS_RIGHTS = "<http://purl.org/dc/terms/accessRights>"
IGNORED = {
    SH.message,
    SH.severity,
    SH.description,
    SH.name,
    SH.order,
    SH.group,
    SH.deactivated,
    SH.path,
    SH.property,
    RDF.type,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    rdflib.URIRef(str(SH) + "extends"),
    rdflib.URIRef(str(SH) + "shape"),
    HDHSH_HINT,
    SH.sparql,
    SH.defaultValue,
}


# The runner marks the nodes whose results can be reported, in a named graph apart from the data, so that
# the queries start from them and never evaluate context or vocabulary nodes.
FOCUS_MARK = "urn:x-hdh:focus"
FOCUS_GRAPH = "urn:x-hdh:focus-graph"
FOCUS_PATTERN = f"GRAPH <{FOCUS_GRAPH}> {{ ?this <{FOCUS_MARK}> true }}"
WRITTEN_GRAPH = "urn:x-hdh:written-graph"
WRITTEN_AS = "urn:x-hdh:written-as"
"""The store keeps an integer literal of a type derived from ``xsd:integer`` (``xsd:nonNegativeInteger``…) as an
``xsd:integer``: :func:`hdh_graph.validation.engine_sparql.load_store` notes, for its subject, the lexical form
and the datatype written in the file (``"9783392921 <xsd:nonNegativeInteger>"``) in this graph, and the
``sh:datatype`` checks read it, so that what the curator wrote is validated."""
FOCUS_SLOT = "#focus\n"  # replaced by FOCUS_PATTERN when the store also holds context files


def _int(node: rdflib.term.Node | None) -> int:
    """The integer a constraint's literal holds (``None``: 0)."""
    if node is None:
        return 0
    if not isinstance(node, rdflib.Literal):
        raise UnsupportedShape(f"expected an integer, got {node}")
    try:
        return int(str(node))
    except ValueError:
        raise UnsupportedShape(f"expected an integer, got {node}") from None


class UnsupportedShape(Exception):
    """A shape uses a SHACL feature the SPARQL fast path does not implement."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape, as a SPARQL query returning ``?this`` (and ``?value``, ``?path``)."""

    query: str
    rule: str
    component: str
    severity: Severity
    path: str | None
    source_node: str
    message_fr: str
    message_en: str
    hint_fr: str | None
    hint_en: str | None
    dataset_level: str | None = None


def _n3(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if isinstance(term, rdflib.Literal):
        return term.n3()
    raise UnsupportedShape(f"blank node {term} used as a value in a shape")


class Compiler:
    def __init__(self, graph: rdflib.Graph) -> None:
        self.g = graph
        self.counter = itertools.count()

    def var(self, stem: str = "v") -> str:
        return f"?{stem}{next(self.counter)}"

    # ------------------------------------------------------------------ paths
    def path(self, node: rdflib.term.Node | None) -> str:
        g = self.g
        if node is None:
            raise UnsupportedShape("a property shape or path with no value")
        if isinstance(node, rdflib.URIRef):
            return f"<{node}>"
        if (node, SH.inversePath, None) in g:
            return "^" + self.path(g.value(node, SH.inversePath))
        if (alternatives := g.value(node, SH.alternativePath)) is not None:
            items = list(rdflib.collection.Collection(g, alternatives))
            return "(" + "|".join(self.path(i) for i in items) + ")"
        if (node, SH.zeroOrMorePath, None) in g:
            return "(" + self.path(g.value(node, SH.zeroOrMorePath)) + ")*"
        if (node, SH.oneOrMorePath, None) in g:
            return "(" + self.path(g.value(node, SH.oneOrMorePath)) + ")+"
        if (node, SH.zeroOrOnePath, None) in g:
            return "(" + self.path(g.value(node, SH.zeroOrOnePath)) + ")?"
        if (node, RDF.first, None) in g:
            return "(" + "/".join(self.path(i) for i in rdflib.collection.Collection(g, node)) + ")"
        raise UnsupportedShape(f"unsupported path {node}")

    # ------------------------------------------------------------------ constraints
    def constraints(self, shape: rdflib.term.Node, focus: str, path: str | None) -> list[tuple[str, str, str | None]]:
        """(component, pattern, value variable) for every constraint of ``shape`` on ``focus``."""
        g = self.g
        out: list[tuple[str, str, str | None]] = []
        for pred, obj in sorted(g.predicate_objects(shape), key=lambda po: (str(po[0]), str(po[1]))):
            if pred in IGNORED or pred in (SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount):
                continue
            name = str(pred).rsplit("#", 1)[-1]
            component = name[0].upper() + name[1:] + "ConstraintComponent"
            v = self.var()
            values = f"{focus} {path} {v} ." if path else f"BIND({focus} AS {v})"
            if pred == SH.minCount:
                if path is None:
                    raise UnsupportedShape("sh:minCount on a node shape")
                n = _int(obj)
                if n == 0:
                    continue
                vs = [self.var() for _ in range(n)]
                body = " ".join(f"{focus} {path} {x} ." for x in vs)
                body += "".join(f" FILTER(!sameTerm({a}, {b}))" for a, b in itertools.combinations(vs, 2))
                out.append((component, f"FILTER NOT EXISTS {{ {body} }}", None))
            elif pred == SH.maxCount:
                if path is None:
                    raise UnsupportedShape("sh:maxCount on a node shape")
                n = _int(obj)
                vs = [self.var() for _ in range(n + 1)]
                body = " ".join(f"{focus} {path} {x} ." for x in vs)
                body += "".join(f" FILTER(!sameTerm({a}, {b}))" for a, b in itertools.combinations(vs, 2))
                out.append((component, f"FILTER EXISTS {{ {body} }}", None))
            elif pred == SH["class"]:
                out.append((component, f"{values} FILTER NOT EXISTS {{ {v} a/<{RDFS_SUBCLASS}>* {_n3(obj)} }}", v))
            elif pred == SH.datatype:
                out.append((component, f"{values} FILTER({_datatype_test(v, obj, focus)})", v))
            elif pred == SH.nodeKind:
                out.append((component, f"{values} FILTER(!({_nodekind_test(v, obj)}))", v))
            elif pred == SH["in"]:
                items = list(rdflib.collection.Collection(g, obj))
                test = " || ".join(f"sameTerm({v}, {_n3(i)})" for i in items) or "false"
                out.append((component, f"{values} FILTER(!({test}))", v))
            elif pred == SH.hasValue:
                test = (
                    f"FILTER NOT EXISTS {{ {focus} {path} {_n3(obj)} }}"
                    if path
                    else f"FILTER(!sameTerm({focus}, {_n3(obj)}))"
                )
                out.append((component, test, None))
            elif pred == SH.pattern:
                flags = g.value(shape, SH.flags)
                regex = rdflib.Literal(str(obj)).n3()
                args = f", {rdflib.Literal(str(flags)).n3()}" if flags else ""
                out.append((component, f"{values} FILTER(isBlank({v}) || !REGEX(STR({v}), {regex}{args}))", v))
            elif pred == SH.languageIn:
                langs = [str(x) for x in rdflib.collection.Collection(g, obj)]
                test = " || ".join(f'LANGMATCHES(LANG({v}), "{lang}")' for lang in langs) or "false"
                out.append((component, f"{values} FILTER(!isLiteral({v}) || !({test}))", v))
            elif pred in (SH.minLength, SH.maxLength):
                op = "<" if pred == SH.minLength else ">"
                out.append((component, f"{values} FILTER(isBlank({v}) || STRLEN(STR({v})) {op} {_int(obj)})", v))
            elif pred == SH["not"]:
                out.append((component, f"{values} FILTER NOT EXISTS {{ {self.fails(obj, v)} }}", v))
            elif pred == SH.node:
                out.append((component, f"{values} FILTER EXISTS {{ {self.fails(obj, v)} }}", v))
            elif pred == SH["or"]:
                members = list(rdflib.collection.Collection(g, obj))
                test = " && ".join(f"EXISTS {{ {self.fails(m, v)} }}" for m in members) or "true"
                out.append((component, f"{values} FILTER({test})", v))
            elif pred == SH["and"]:
                members = list(rdflib.collection.Collection(g, obj))
                test = " || ".join(f"EXISTS {{ {self.fails(m, v)} }}" for m in members) or "false"
                out.append((component, f"{values} FILTER({test})", v))
            elif pred == SH.qualifiedValueShape:
                if path is None or g.value(shape, SH.qualifiedMaxCount) is not None:
                    raise UnsupportedShape("sh:qualifiedValueShape other than with sh:qualifiedMinCount on a path")
                n = _int(g.value(shape, SH.qualifiedMinCount))
                vs = [self.var() for _ in range(n)]
                body = " ".join(f"{focus} {path} {x} . FILTER NOT EXISTS {{ {self.fails(obj, x)} }}" for x in vs)
                body += "".join(f" FILTER(!sameTerm({a}, {b}))" for a, b in itertools.combinations(vs, 2))
                if n:
                    out.append(("QualifiedMinCountConstraintComponent", f"FILTER NOT EXISTS {{ {body} }}", None))
            elif pred == SH.closed and not obj:
                continue
            elif isinstance(pred, rdflib.URIRef) and str(pred).startswith(str(SH)):
                raise UnsupportedShape(f"{pred} (in shape {shape})")
        return out

    def fails(self, shape: rdflib.term.Node, focus: str) -> str:
        """A group pattern that has a solution exactly when ``focus`` does not conform to ``shape``."""
        own_path = self.g.value(shape, SH.path)
        own = self.path(own_path) if own_path is not None else None
        branches = [pattern for _, pattern, _ in self.constraints(shape, focus, own)]
        for prop in self.g.objects(shape, SH.property):
            path = self.path(self.g.value(prop, SH.path))
            branches += [pattern for _, pattern, _ in self.constraints(prop, focus, path)]
        if self.g.value(shape, SH.sparql) is not None:
            raise UnsupportedShape(f"sh:sparql inside a nested shape ({shape})")
        if not branches:
            return "FILTER(false)"
        return " UNION ".join(f"{{ {b} }}" for b in branches)

    # ------------------------------------------------------------------ targets
    def targets(self, shape: rdflib.term.Node) -> str | None:
        g = self.g
        parts = [f"{{ ?this a/<{RDFS_SUBCLASS}>* {_n3(c)} . }}" for c in g.objects(shape, SH.targetClass)]
        parts += [f"{{ VALUES ?this {{ {_n3(n)} }} }}" for n in g.objects(shape, SH.targetNode)]
        parts += [f"{{ ?this {_n3(p)} ?any_t . }}" for p in g.objects(shape, SH.targetSubjectsOf)]
        parts += [f"{{ ?any_t {_n3(p)} ?this . }}" for p in g.objects(shape, SH.targetObjectsOf)]
        if not parts:
            return None
        return "{ " + " UNION ".join(sorted(parts)) + f" }} {FOCUS_SLOT}"


RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


def _datatype_test(v: str, datatype: rdflib.term.Node, focus: str) -> str:
    test = f"!isLiteral({v}) || !sameTerm(DATATYPE({v}), {_n3(datatype)})"
    if str(datatype) in STORED_AS_INTEGER:
        # the store holds it as an xsd:integer: valid when the file wrote this datatype (and the value is an integer)
        written = f'CONCAT(STR({v}), " ", "{_n3(datatype)}")'
        noted = f"EXISTS {{ GRAPH <{WRITTEN_GRAPH}> {{ {focus} <{WRITTEN_AS}> ?_w FILTER(STR(?_w) = {written}) }} }}"
        is_integer = f"sameTerm(DATATYPE({v}), <{XSD_INTEGER}>)"
        return f"!isLiteral({v}) || !({is_integer} && {noted})"
    if str(datatype) in _CASTABLE:
        test += f' || sameTerm(COALESCE({_n3(datatype)}(STR({v})), "\\u0000"), "\\u0000")'
    return test


XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER = XSD + "integer"
STORED_AS_INTEGER = frozenset(
    XSD + t
    for t in (
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
"""Datatypes derived from ``xsd:integer`` that the store (pyoxigraph) normalises to ``xsd:integer``."""

# xsd types whose lexical form the store checks through a cast (ill-formed literals violate sh:datatype)
_CASTABLE = {
    "http://www.w3.org/2001/XMLSchema#" + t
    for t in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time", "duration")
}


def _nodekind_test(v: str, kind: rdflib.term.Node) -> str:
    name = str(kind).rsplit("#", 1)[-1]
    tests = {
        "IRI": f"isIRI({v})",
        "Literal": f"isLiteral({v})",
        "BlankNode": f"isBlank({v})",
        "BlankNodeOrIRI": f"(isBlank({v}) || isIRI({v}))",
        "IRIOrLiteral": f"(isIRI({v}) || isLiteral({v}))",
        "BlankNodeOrLiteral": f"(isBlank({v}) || isLiteral({v}))",
    }
    if name not in tests:
        raise UnsupportedShape(f"sh:nodeKind {kind}")
    return tests[name]


_THIS = re.compile(r"\$this\b")


def _sparql_body(select: str) -> tuple[str, str]:
    """The projection and the WHERE group of a SHACL-SPARQL SELECT, with ``$this`` as ``?this``."""
    text = _THIS.sub("?this", select)
    match = re.search(r"SELECT\s+(.*?)\s+WHERE\s*\{", text, re.S | re.I)
    if match is None:
        raise UnsupportedShape("sh:select without SELECT … WHERE {")
    body = text[match.end() : text.rindex("}")]
    return match.group(1), body


def compile_checks(graph: rdflib.Graph, origin: dict[rdflib.term.Node, str], level_iri: str | None) -> list[Check]:
    """Every check of the shapes graph. Official shapes that target ``dcat:Dataset`` are tied to
    ``level_iri`` (only datasets of that access level are their focus nodes)."""
    compiler = Compiler(graph)
    checks: list[Check] = []
    prefixes = _sparql_prefixes(graph)
    for shape in sorted(set(graph.subjects(RDF.type, SH.NodeShape)) | _targeted(graph), key=str):
        if not isinstance(shape, rdflib.URIRef):
            continue
        if (shape, SH.deactivated, rdflib.Literal(True)) in graph:
            continue
        target = compiler.targets(shape)
        if target is None:
            continue
        who = origin.get(shape, "hdh")
        tied = who != "hdh" and (shape, SH.targetClass, DCAT_DATASET) in graph and level_iri is not None
        if tied:
            target += (
                f" ?this {ACCESS_RIGHTS} <{level_iri}> ."
                f" FILTER NOT EXISTS {{ ?this {ACCESS_RIGHTS} ?other_level . "
                f"FILTER(!sameTerm(?other_level, <{level_iri}>)) }}"
            )
        level = level_iri if tied else None
        units: list[tuple[rdflib.term.Node, str | None, rdflib.term.Node | None]] = [(shape, None, None)]
        for prop in graph.objects(shape, SH.property):
            units.append((prop, compiler.path(graph.value(prop, SH.path)), graph.value(prop, SH.path)))
        for node, path, path_node in units:
            if (node, SH.deactivated, rdflib.Literal(True)) in graph:
                continue
            severity = Severity.from_iri(str(graph.value(node, SH.severity) or ""))
            for component, pattern, value_var in compiler.constraints(node, "?this", path):
                select_value = f"({value_var} AS ?value)" if value_var else ""
                query = f"SELECT DISTINCT ?this {select_value} WHERE {{ {target} {pattern} }}"
                texts = describe(graph, shape, node, component, path_node)
                checks.append(
                    Check(
                        query,
                        str(shape),
                        component,
                        severity,
                        texts.path,
                        _key(node),
                        texts.message_fr,
                        texts.message_en,
                        texts.hint_fr,
                        texts.hint_en,
                        level,
                    )
                )
        for constraint in graph.objects(shape, SH.sparql):
            projection, body = _sparql_body(str(graph.value(constraint, SH.select)))
            extra = " ".join(v for v in ("?value", "?path") if v in projection)
            # the body is inlined after the target (not a sub-select): its FILTERs then see ?this bound
            query = f"{prefixes}SELECT DISTINCT ?this {extra} WHERE {{ {target} {body} }}"
            severity = Severity.from_iri(str(graph.value(constraint, SH.severity) or ""))
            texts = describe(graph, shape, constraint, "SPARQLConstraintComponent", None)
            checks.append(
                Check(
                    query,
                    str(shape),
                    "SPARQLConstraintComponent",
                    severity,
                    None,
                    _key(constraint),
                    texts.message_fr,
                    texts.message_en,
                    texts.hint_fr,
                    texts.hint_en,
                    level,
                )
            )
    return checks


def _targeted(graph: rdflib.Graph) -> set[rdflib.term.Node]:
    found: set[rdflib.term.Node] = set()
    for pred in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        found |= set(graph.subjects(pred, None))
    return found


def _key(node: rdflib.term.Node) -> str:
    return str(node)


def _sparql_prefixes(graph: rdflib.Graph) -> str:
    lines = {}
    for decl in graph.objects(None, SH.declare):
        prefix, ns = graph.value(decl, SH.prefix), graph.value(decl, SH.namespace)
        if prefix is not None and ns is not None:
            lines[str(prefix)] = f"PREFIX {prefix}: <{ns}>\n"
    return "".join(lines[k] for k in sorted(lines))
