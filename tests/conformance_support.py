"""Reading the W3C SPARQL 1.1 manifests and running their tests against a real server on loopback.

Manifests are read with rdflib (they are RDF; their entries are ordered RDF collections). The stores the
tests need are written as snapshots of the project's store layout, with each data file in the named graph
the manifest gives it, so that the server under test is exactly the one ``hdh serve`` runs.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import permutations
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

from hdh_graph.api.app import create_app
from hdh_graph.api.server import BackgroundServer
from hdh_graph.settings import Settings
from hdh_graph.store import DATABASE, build_lock, new_partial_snapshot, publish

SUITE = Path(__file__).parent / "conformance" / "sparql11"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")


def manifest(folder: str) -> tuple[Graph, list[URIRef]]:
    """The manifest graph of a suite folder and its entries in order."""
    path = SUITE / folder / "manifest.ttl"
    graph = Graph().parse(path, format="turtle", publicID=path.as_uri())
    root = next(graph.subjects(RDF.type, MF.Manifest))
    entries = Collection(graph, graph.value(root, MF.entries))
    return graph, [URIRef(e) for e in entries]


@contextmanager
def serve_graphs(root: Path, graphs: dict[str, Path], timeout: float = 10.0) -> Iterator[BackgroundServer]:
    """A server over a new store holding each file in the named graph given as key."""
    settings = Settings(catalogue=root / "catalogue", store=root / "store", site=root / "no-site")
    with build_lock(settings):
        partial = new_partial_snapshot(settings)
        store = ox.Store(str(partial / DATABASE))
        for name, path in graphs.items():
            fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
            store.load(path=str(path), format=fmt, base_iri=path.as_uri(), to_graph=ox.NamedNode(name))
        store.flush()
        del store
        publish(settings, partial)
    with BackgroundServer(create_app(settings.with_(query_timeout=timeout), workers=1)) as server:
        yield server


# -- protocol tests --------------------------------------------------------------------------------------


@dataclass
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected_status: set[int]
    expected_format: str | None
    expected_boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[HttpRequest]
    graph_data: dict[str, Path] = field(default_factory=dict)

    @property
    def needs_update(self) -> str | None:
        """Why the test cannot pass on a read-only endpoint, when it expects an update to succeed."""
        for request in self.requests:
            is_update = request.headers.get("content-type", "").startswith("application/sparql-update") or (
                request.body is not None and request.body.startswith(b"update=")
            )
            if is_update and 200 in request.expected_status:
                return "expects an update to succeed; the endpoint is read-only (updates are refused with 403)"
        return None


STATUS_CLASSES = {
    HTS.StatusCode2xx: set(range(200, 300)),
    HTS.StatusCode3xx: set(range(300, 400)),
    HTS.StatusCode4xx: set(range(400, 500)),
    HTS.StatusCode5xx: set(range(500, 600)),
}


def protocol_tests() -> list[ProtocolTest]:
    graph, entries = manifest("protocol")
    tests = []
    for entry in entries:
        action = graph.value(entry, MF.action)
        requests = []
        for req in Collection(graph, graph.value(action, HT.requests)):
            headers = {}
            header_list = graph.value(req, HT.headers)
            if header_list is not None:
                for header in Collection(graph, header_list):
                    headers[str(graph.value(header, HT.fieldName)).lower()] = str(graph.value(header, HT.fieldValue))
            body_node = graph.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(body_node, CNT.chars)).encode(encoding)
            resp = graph.value(req, HT.resp)
            statuses: set[int] = set()
            for cls in graph.objects(resp, MF.expectedStatus):
                statuses |= STATUS_CLASSES[cls]
            fmt = graph.value(resp, MF.expectedFormat)
            boolean = graph.value(resp, MF.expectedBoolean)
            path = str(graph.value(req, HT.absolutePath))
            requests.append(
                HttpRequest(
                    method=str(graph.value(req, HT.methodName)),
                    path="/sparql" + path.removeprefix("/sparql/"),
                    headers=headers,
                    body=body,
                    expected_status=statuses,
                    expected_format=str(fmt) if fmt is not None else None,
                    expected_boolean=boolean.toPython() if boolean is not None else None,
                )
            )
        data = {
            str(graph.value(g, RDFS.label)): Path(str(graph.value(g, UT.graph)).removeprefix("file://"))
            for g in graph.objects(entry, UT.graphData)
        }
        name = str(entry).rsplit("#", 1)[-1]
        tests.append(ProtocolTest(name, str(graph.value(entry, MF.name)), requests, data))
    return tests


RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


def boolean_result(media: str, body: bytes) -> bool:
    if media == "application/sparql-results+json":
        return bool(json.loads(body)["boolean"])
    if media == "application/sparql-results+xml":
        element = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
        assert element is not None
        return element.text == "true"
    raise AssertionError(f"a boolean result came as {media}")


def check_format(expected: str, media: str, body: bytes) -> None:
    """Assert that the body is a result of the expected kind (and parses)."""
    if expected == "boolean":
        boolean_result(media, body)
    elif expected == "tabular":
        assert media in RESULT_TYPES, media
        if media.endswith("json"):
            assert "results" in json.loads(body)
        elif media.endswith("xml"):
            ET.fromstring(body)
    elif expected == "RDF":
        assert media in RDF_TYPES, media
        list(ox.parse(body, format=RDF_TYPES[media]))
    else:
        raise AssertionError(f"unknown expected format {expected}")


# -- result-format tests ---------------------------------------------------------------------------------


@dataclass
class ResultTest:
    name: str
    kind: str  # "json", "csv" or "tsv"
    query: Path
    data: Path
    result: Path


def result_tests(folder: str) -> list[ResultTest]:
    graph, entries = manifest(folder)
    tests = []
    for entry in entries:
        action = graph.value(entry, MF.action)
        result = Path(str(graph.value(entry, MF.result)).removeprefix("file://"))
        kind = {".srj": "json", ".csv": "csv", ".tsv": "tsv"}[result.suffix]
        tests.append(
            ResultTest(
                name=str(entry).rsplit("#", 1)[-1],
                kind=kind,
                query=Path(str(graph.value(action, QT.query)).removeprefix("file://")),
                data=Path(str(graph.value(action, QT.data)).removeprefix("file://")),
                result=result,
            )
        )
    return tests


Term = tuple[str, ...]
Row = tuple[Term, ...]


def _json_term(value: dict[str, str]) -> Term:
    kind = value["type"]
    if kind == "bnode":
        return ("bnode", value["value"])
    if kind == "uri":
        return ("iri", value["value"])
    return _literal(value["value"], value.get("xml:lang"), value.get("datatype"))


NUMERIC = {"integer", "decimal", "double", "float", "negativeInteger", "nonNegativeInteger", "int", "long"}


def _literal(value: str, lang: str | None, datatype: str | None) -> Term:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    if lang:
        return ("literal", value, "@" + lang.lower())
    datatype = datatype or xsd + "string"
    if datatype.startswith(xsd) and datatype[len(xsd) :] in NUMERIC:
        return ("literal", repr(float(value)), datatype)  # compare numbers by value, not lexical form
    return ("literal", value, datatype)


def json_rows(body: bytes) -> tuple[list[str], list[Row] | bool]:
    data = json.loads(body)
    if "boolean" in data:
        return [], bool(data["boolean"])
    variables = data["head"]["vars"]
    rows = [tuple(_json_term(b[v]) if v in b else ("unbound",) for v in variables) for b in data["results"]["bindings"]]
    return variables, rows


def csv_rows(body: bytes) -> tuple[list[str], list[Row]]:
    reader = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    variables = reader[0]
    rows = []
    for line in reader[1:]:
        rows.append(
            tuple(("bnode", cell[2:]) if cell.startswith("_:") else ("cell", _number_or_text(cell)) for cell in line)
        )
    return variables, rows


def _number_or_text(cell: str) -> str:
    try:
        return repr(float(cell)) if cell and cell[0] in "+-.0123456789" else cell
    except ValueError:
        return cell


def _tsv_term(cell: str) -> Term:
    if cell == "":
        return ("unbound",)
    if cell.startswith("_:"):
        return ("bnode", cell[2:])
    triple = next(iter(ox.parse(f"<urn:s> <urn:p> {cell} .".encode(), format=ox.RdfFormat.TURTLE)))
    term = triple.object
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    assert isinstance(term, ox.Literal)
    return _literal(term.value, term.language, term.datatype.value if not term.language else None)


def tsv_rows(body: bytes) -> tuple[list[str], list[Row]]:
    lines = body.decode("utf-8").rstrip("\n").split("\n")
    variables = [v.lstrip("?$") for v in lines[0].split("\t")]
    return variables, [tuple(_tsv_term(cell) for cell in line.split("\t")) for line in lines[1:]]


def same_results(expected: list[Row], actual: list[Row]) -> bool:
    """Equal as multisets of rows, blank nodes equal up to a consistent renaming."""
    if len(expected) != len(actual):
        return False
    expected_bnodes = sorted({t[1] for row in expected for t in row if t[0] == "bnode"})
    actual_bnodes = sorted({t[1] for row in actual for t in row if t[0] == "bnode"})
    if len(expected_bnodes) != len(actual_bnodes) or len(actual_bnodes) > 8:
        return False
    target = Counter(expected)
    for order in permutations(expected_bnodes):
        mapping = dict(zip(actual_bnodes, order, strict=True))
        renamed = Counter(tuple(("bnode", mapping[t[1]]) if t[0] == "bnode" else t for t in row) for row in actual)
        if renamed == target:
            return True
    return False
