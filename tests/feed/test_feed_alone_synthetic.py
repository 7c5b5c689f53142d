"""The feed of the synthetic fixture (tests/fixtures/synthetic) adds no violation of its own to the official
shapes: integer subtypes keep their datatype, local themes are described, agents are typed."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib

from hdh_graph.feed import build_feed
from hdh_graph.settings import Settings
from hdh_graph.validation.official import validate_alone, violations

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "synthetic"
BASE = "https://catalogue.example.org/"


def _feed(tmp: Path) -> rdflib.Graph:
    settings = Settings(catalogue=FIXTURE, store=tmp / "store", base_iri=BASE)
    store = ox.Store()
    for path in sorted(FIXTURE.rglob("*.ttl")):
        graph = ox.NamedNode(settings.graph_iri(path.relative_to(FIXTURE).as_posix()))
        triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    data = build_feed(store, settings).serialize("turtle")
    return rdflib.Graph().parse(data=data, format="turtle", publicID=BASE)


def test_the_feed_keeps_the_datatypes_and_describes_what_it_links(tmp_path: Path) -> None:
    feed = _feed(tmp_path)
    xsd = rdflib.namespace.XSD
    sizes = list(feed.objects(None, rdflib.URIRef("http://www.w3.org/ns/dcat#byteSize")))
    assert sizes and all(s.datatype == xsd.nonNegativeInteger for s in sizes)
    for profile in ("dcat-ap", "healthdcat-ap"):
        found = violations(validate_alone(feed, profile))
        assert found, "the fixture has real problems of its own"
        ours = [
            str(f)
            for f in found
            if (f.path or "").rsplit("#", 1)[-1] in {"byteSize", "numberOfRecords", "mediaType", "format"}
            or f.message.startswith("Value does not have class")
        ]
        assert ours == [], "\n".join(ours)


def test_the_feed_keeps_the_catalogue_iri_the_files_give(tmp_path: Path) -> None:
    """The fixture names its catalogue ``<catalogue>``: the feed describes that resource, with its title,
    description and publisher, and links the datasets from it (not from a bare ``<catalog>``)."""
    feed = _feed(tmp_path)
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    catalogues = set(feed.subjects(rdflib.RDF.type, dcat.Catalog))
    assert catalogues == {rdflib.URIRef(BASE + "catalogue")}
    (catalogue,) = catalogues
    dct = rdflib.namespace.DCTERMS
    assert feed.value(catalogue, dct.title) is not None
    assert feed.value(catalogue, dct.publisher) is not None
    assert set(feed.objects(catalogue, dcat.dataset)) == set(feed.subjects(rdflib.RDF.type, dcat.Dataset))
