"""URL scheme, diagram layout and language fallback, on their own."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from hdh_graph.site.i18n import Localized
from hdh_graph.site.pages.context import Join, Ref
from hdh_graph.site.pages.diagrams import BOX_WIDTH, layout
from hdh_graph.site.urls import html_file, iri_url, page_url, resource_path, split_request_path, twin_file

BASE = "https://catalogue.example.org/"


@pytest.mark.parametrize(
    ("iri", "path"),
    [
        (BASE + "dataset/dcir", "dataset/dcir"),
        (BASE + "table/ER_PRS_F/BEN_AMA_COD", "table/ER_PRS_F/BEN_AMA_COD"),
        (BASE + "table/ER_PRS_F#fk-BEN_NIR_PSA-IR_BEN_R", "table/ER_PRS_F"),
        (BASE + "codelist/CIM10/A00%2E0", "codelist/CIM10/A00%2E0"),
        ("https://elsewhere.org/dataset/x", None),
        (BASE, None),
    ],
)
def test_resource_path(iri: str, path: str | None) -> None:
    assert resource_path(iri, BASE) == path


def test_urls_and_files() -> None:
    assert page_url("dataset/dcir") == "/dataset/dcir/"
    assert page_url("dataset/dcir", "en") == "/en/dataset/dcir/"
    assert page_url("", "en") == "/en/"
    assert iri_url(BASE + "agent/cnam", BASE, "en") == "/en/agent/cnam/"
    assert html_file("dataset/dcir", "fr") == "dataset/dcir/index.html"
    assert html_file("", "en") == "en/index.html"
    assert twin_file("dataset/dcir", "ttl") == "dataset/dcir.ttl"
    assert split_request_path("/en/dataset/dcir/") == ("en", "dataset/dcir", None)
    assert split_request_path("/dataset/dcir.jsonld") == ("fr", "dataset/dcir", "jsonld")
    assert split_request_path("/english/x") == ("fr", "english/x", None)


def test_language_fallback_is_marked() -> None:
    text = Localized.of([ox.Literal("Bonjour", language="fr")])
    assert text.get("fr") is not None and not text.get("fr").fallback  # type: ignore[union-attr]
    english = text.get("en")
    assert english is not None and english.value == "Bonjour" and english.lang == "fr" and english.fallback
    untagged = Localized.of([ox.Literal("ER_PRS_F")])
    shown = untagged.get("en")
    assert shown is not None and not shown.fallback
    assert Localized.of([ox.Literal("  ", language="en")]).get("en") is None


def _ref(name: str) -> Ref:
    return Ref(BASE + "table/" + name, "table/" + name, Localized((("", name),)), "table")


def test_layout_places_referring_tables_left_of_referred_ones() -> None:
    a, b, c = _ref("A"), _ref("B"), _ref("C")
    joins = [Join(a, ("K",), b, ("K",)), Join(b, ("L",), c, ("L",))]
    diagram = layout([a, b, c], joins, lambda iri: iri.rsplit("/", 1)[-1])
    assert diagram is not None
    x = {box.name: box.x for box in diagram.boxes}
    assert x["A"] < x["B"] < x["C"]
    assert diagram.width >= 3 * BOX_WIDTH and len(diagram.edges) == 2
    assert all(e.path.startswith("M") for e in diagram.edges)


def test_layout_survives_cycles_and_skips_empty() -> None:
    a, b = _ref("A"), _ref("B")
    cycle = [Join(a, ("K",), b, ("K",)), Join(b, ("K",), a, ("K",))]
    assert layout([a, b], cycle, lambda iri: iri) is not None
    assert layout([a, b], [], lambda iri: iri) is None


def test_files_are_named_as_servers_decode_the_urls() -> None:
    from hdh_graph.site.urls import html_file, page_url, resource_path, twin_file

    path = resource_path("https://catalogue.example.org/codelist/A B/é", "https://catalogue.example.org/")
    assert path == "codelist/A%20B/%C3%A9"
    assert page_url(path or "") == "/codelist/A%20B/%C3%A9/"  # links stay encoded
    assert html_file(path or "", "en") == "en/codelist/A B/é/index.html"
    assert twin_file(path or "", "ttl") == "codelist/A B/é.ttl"
