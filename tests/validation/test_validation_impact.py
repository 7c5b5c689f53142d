"""What an edit can affect: how far each rule reads (reach), and what differs between two versions of a file."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib

from hdh_graph.validation.impact import changes, describe
from hdh_graph.validation.reach import UNBOUNDED, predicate_reach
from hdh_graph.validation.shapes import load_level

SHAPES = Path(__file__).parents[2] / "shapes"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

SHAPES_TTL = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:Dataset a sh:NodeShape ; sh:targetClass ex:D ;
    sh:property [ sh:path ex:title ; sh:minCount 1 ] ,
        [ sh:path ex:publisher ; sh:class ex:Agent ] ,
        [ sh:path ex:distribution ; sh:node ex:Distribution ] ,
        [ sh:path [ sh:inversePath ex:inSeries ] ; sh:minCount 1 ] ,
        [ sh:path ( ex:a ex:b ) ; sh:minCount 1 ] .
ex:Distribution a sh:NodeShape ; sh:property [ sh:path ex:format ; sh:minCount 1 ] .
ex:Other a sh:NodeShape ; sh:targetObjectsOf ex:points ; sh:property [ sh:path ex:label ; sh:maxCount 1 ] .
"""


def test_reach_counts_the_links_from_the_focus_node_to_what_a_rule_reads() -> None:
    reach = predicate_reach(rdflib.Graph().parse(data=SHAPES_TTL, format="turtle"))
    ex = "http://example.org/"
    assert reach[ex + "title"] == 0 and reach[ex + "publisher"] == 0 and reach[ex + "distribution"] == 0
    assert reach[RDF_TYPE] == 1  # the publisher's type, for sh:class
    assert reach[ex + "format"] == 1  # read on the distribution, through sh:node
    assert reach[ex + "inSeries"] == 1  # (x ex:inSeries focus): its subject is one link away
    assert reach[ex + "a"] == 0 and reach[ex + "b"] == 1
    assert reach[ex + "points"] == 1 and reach[ex + "label"] == 0
    assert reach["http://www.w3.org/2000/01/rdf-schema#subClassOf"] == UNBOUNDED
    assert ex + "unread" not in reach


def test_reach_of_the_project_shapes() -> None:
    reach = predicate_reach(load_level(SHAPES, "NON_PUBLIC").graph)
    assert reach[DCAT + "keyword"] == 0  # only ever read on the dataset itself
    assert reach[DCT + "license"] == 1  # read on distributions, from their dataset
    assert reach[DCAT + "inSeries"] >= 1
    assert reach[RDF_TYPE] >= 2  # SHACL-SPARQL rules are given a safe bound


def _triples(text: str) -> list[ox.Triple]:
    prefix = "@prefix : <http://example.org/> .\n"
    return [q.triple for q in ox.parse(prefix + text, format=ox.RdfFormat.TURTLE)]


def test_blank_nodes_are_compared_by_content_and_layout_does_not_count() -> None:
    before = describe(_triples(':d :title "A" ; :contact [ :email "x" ] .\n[] :note "loose" .'))
    after = describe(_triples('[] :note "loose" .\n\n:d :contact [ :email "x" ] ;\n   :title "A" .'))
    assert changes(before, after) == []


def test_what_differs_names_the_resource_its_predicates_and_what_it_names() -> None:
    before = describe(_triples(':d :title "A" ; :contact [ :email "x" ] ; :publisher :p .'))
    after = describe(_triples(':d :title "A" ; :contact [ :email "y" ; :page :w ] ; :publisher :p .\n:e :title "B" .'))
    found = {c.subject: c for c in changes(before, after)}
    assert set(found) == {"http://example.org/d", "http://example.org/e"}
    d = found["http://example.org/d"]
    ex = "http://example.org/"
    assert d.predicates == {ex + "contact", ex + "email", ex + "page"}  # the blank node's tree, not :title
    assert d.iris == {ex + "w"}
    assert changes(before, None)[0].predicates == {ex + "title", ex + "contact", ex + "email", ex + "publisher"}


def test_blank_nodes_no_resource_holds_are_compared_too() -> None:
    cycle = "_:a :next _:b . _:b :next _:a ; :label {label} ."
    before = describe(_triples(cycle.format(label='"x"')))
    assert len(before.loose) == 2 and not before.named
    [change] = {c.predicates: c for c in changes(before, describe(_triples(cycle.format(label='"y"'))))}.values()
    assert change.subject is None and "http://example.org/label" in change.predicates
