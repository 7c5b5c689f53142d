"""Every documented value of loaders/snds/documented.toml is stated by the page it cites, and the SNDS import
writes it with its source.

For each ``[[value]]``: the page exists in the documentation sources; the quoted words occur in it; and, in a fresh
import of the SNDS schema, each dataset it lists has the value's triple, ``prov:wasDerivedFrom`` the page, and a
reified ``rdf:Statement`` of that triple whose ``prov:wasDerivedFrom`` is the page's IRI and whose ``rdfs:comment``
is the quote.

A quote is compared with its page after the same normalisation of both (:func:`normalise`), and of nothing else:
- a Markdown link ``[text](url)`` (or an image ``![text](url)``) counts as its text;
- bold and italics markers (``**x**``, ``__x__``, ``*x*``, ``_x_``) are dropped, their words kept;
- every run of white space (spaces, tabs, line breaks) counts as one space.
Apostrophes, accents and punctuation are compared as written: a quote copies the page's own characters.

The SNDS files conform without the documentation's import (the pages they cite are typed there too), and what no
source states is what the import's report lists, and what docs/model.md lists.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hdh_loaders.snds import import_snds
from hdh_loaders.snds.documented import DOCUMENTED_FILE, page_iri
from hdh_loaders.snds.unstated import RECOMMENDED, Recommended

from hdh_graph.settings import Settings
from hdh_graph.validation import validate_catalogue
from hdh_graph.vocab import DCAT, DCT, DPV, EU_FREQUENCY, HEALTHDCATAP, PROV, RDF, RDFS, XSD

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "loaders" / "sources" / "schema-snds"
DOCUMENTATION = ROOT / "loaders" / "sources" / "documentation-snds"
DOCS_CATALOGUE = ROOT / "catalogue" / "docs-snds"
BASE = "https://example.org/cat/"
TIME = "http://www.w3.org/2006/time#"
SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"

PREDICATES = {
    "landingPage": DCAT.landingPage,
    "populationCoverage": HEALTHDCATAP.populationCoverage,
    "retentionPeriod": HEALTHDCATAP.retentionPeriod,
    "hasPurpose": DPV.hasPurpose,
    "accrualPeriodicity": DCT.accrualPeriodicity,
    "temporalResolution": DCAT.temporalResolution,
    "temporal": DCT.temporal,
    "numberOfUniqueIndividuals": HEALTHDCATAP.numberOfUniqueIndividuals,
}

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(.+?)\1", re.S)
_STAR = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", re.S)
_UNDERSCORE = re.compile(r"(?<!\w)_(?!\s)([^_\n]+?)(?<!\s)_(?!\w)")


def normalise(markdown: str) -> str:
    """Links as their text, no bold or italics markers, white space as single spaces (see the module's text)."""
    text = _LINK.sub(r"\1", markdown)
    text = _STRONG.sub(r"\2", text)
    text = _STAR.sub(r"\1", text)
    text = _UNDERSCORE.sub(r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def _entries() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = tomllib.loads(DOCUMENTED_FILE.read_text(encoding="utf-8"))["value"]
    return entries


ENTRIES = _entries()
IDS = [f"{n}-{e['property']}-{e['page']}" for n, e in enumerate(ENTRIES, 1)]


def test_normalise_keeps_words_and_drops_markup() -> None:
    page = "La cartographie couvre **57 millions**\n([SLM](../glossaire/SLM.md) comprises), _sic_ *ita*."
    assert normalise(page) == "La cartographie couvre 57 millions (SLM comprises), sic ita."
    assert normalise("BEN_NIR_PSA et BEN_RNG_GEM") == "BEN_NIR_PSA et BEN_RNG_GEM"  # no italics inside words


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_the_quote_is_the_pages_text(entry: dict[str, Any]) -> None:
    page = DOCUMENTATION / entry["page"]
    assert page.is_file(), f"{entry['page']} is not a page of loaders/sources/documentation-snds"
    text = normalise(page.read_text(encoding="utf-8"))
    quote = normalise(entry["quote"])
    assert quote, "empty quote"
    assert quote in text, f"{entry['page']} does not say: {entry['quote']!r}"


class Triples:
    """The triples of Turtle files as parsed, literals with the datatype the file writes (a store would read an
    ``xsd:nonNegativeInteger`` as an ``xsd:integer``)."""

    def __init__(self, paths: list[Path]) -> None:
        self.by_subject: dict[tuple[Any, Any], set[Any]] = defaultdict(set)
        self.by_object: dict[tuple[Any, Any], set[Any]] = defaultdict(set)
        for path in paths:
            for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE):
                self.by_subject[quad.subject, quad.predicate].add(quad.object)
                self.by_object[quad.predicate, quad.object].add(quad.subject)

    def objects(self, subject: Any, predicate: str) -> set[Any]:
        return self.by_subject.get((subject, ox.NamedNode(predicate)), set())

    def subjects(self, predicate: str, obj: Any) -> set[Any]:
        return self.by_object.get((ox.NamedNode(predicate), obj), set())


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue of the curated catalogue and agents and a fresh import of the SNDS schema (without the
    documentation's import)."""
    catalogue = tmp_path_factory.mktemp("catalogue")
    for name in ("catalog.ttl", "agents.ttl"):
        shutil.copy(ROOT / "catalogue" / name, catalogue / name)
    import_snds(SCHEMA, catalogue)
    return catalogue


@pytest.fixture(scope="module")
def snds(imported: Path) -> Triples:
    """The SNDS import's files (with the documented values) and the documentation's import."""
    return Triples(sorted([*(imported / "snds").glob("*.ttl"), *DOCS_CATALOGUE.glob("*.ttl")]))


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri if "://" in iri else BASE + iri)


def _expected_objects(store: Triples, entry: dict[str, Any], slug: str) -> set[Any]:
    """What the entry says the dataset's property holds, read from the entry (a resource value is checked by
    what describes it)."""
    ds = _n(f"dataset/{slug}")
    prop = entry["property"]
    values = store.objects(ds, PREDICATES[prop])
    match prop:
        case "landingPage":
            return {_n(page_iri(entry["page"]))}
        case "populationCoverage":
            return {ox.Literal(entry["fr"], language="fr"), ox.Literal(entry["en"], language="en")}
        case "accrualPeriodicity":
            return {ox.NamedNode(EU_FREQUENCY[entry["frequency"]])}
        case "temporalResolution":
            return {ox.Literal(entry["duration"], datatype=ox.NamedNode(XSD.duration))}
        case "numberOfUniqueIndividuals":
            return {ox.Literal(str(entry["count"]), datatype=ox.NamedNode(XSD.nonNegativeInteger))}
        case "retentionPeriod":
            duration = ox.Literal(entry["duration"], datatype=ox.NamedNode(XSD.duration))
            return {v for v in values if duration in store.objects(v, TIME + "hasXSDDuration")}
        case "temporal":
            year = ox.Literal(str(entry["start_year"]), datatype=ox.NamedNode(XSD.gYear))
            return {v for v in values if year in store.objects(v, DCAT.startDate)}
        case "hasPurpose":
            label = ox.Literal(entry["fr"], language="fr")
            return {v for v in values if label in store.objects(v, RDFS.label)}
    raise AssertionError(f"property {prop!r} has no check here: add one")


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_the_import_writes_the_value_with_its_source(snds: Triples, entry: dict[str, Any]) -> None:
    page = _n(page_iri(entry["page"]))
    predicate = ox.NamedNode(PREDICATES[entry["property"]])
    quote = ox.Literal(entry["quote"], language="fr")
    for slug in entry["datasets"]:
        ds = _n(f"dataset/{slug}")
        expected = _expected_objects(snds, entry, slug)
        assert expected, f"dataset/{slug} has no {entry['property']} with the value of documented.toml"
        assert expected <= snds.objects(ds, predicate.value), f"dataset/{slug} lacks {entry['property']}"
        assert page in snds.objects(ds, PROV.wasDerivedFrom)
        for obj in expected:
            statements = {
                s
                for s in snds.subjects(RDF.object, obj)
                if ds in snds.objects(s, RDF.subject) and predicate in snds.objects(s, RDF.predicate)
            }
            assert len(statements) == 1, f"dataset/{slug} {entry['property']} {obj}: {len(statements)} statements"
            (statement,) = statements
            assert snds.objects(statement, RDF.type) == {ox.NamedNode(RDF.Statement)}
            assert snds.objects(statement, PROV.wasDerivedFrom) == {page}
            assert snds.objects(statement, RDFS.comment) == {quote}


@pytest.mark.parametrize("path", sorted({e["page"] for e in ENTRIES}))
def test_every_cited_page_is_described_by_the_documentation_import(snds: Triples, path: str) -> None:
    """A cited page is a resource of catalogue/docs-snds: a page (foaf:Document) or a glossary term."""
    types = {t.value for t in snds.objects(_n(page_iri(path)), RDF.type)}
    assert types & {FOAF_DOCUMENT, SKOS_CONCEPT}, f"{page_iri(path)} is not in catalogue/docs-snds"
    assert snds.objects(_n(page_iri(path)), DCT.title) or snds.objects(
        _n(page_iri(path)), "http://www.w3.org/2004/02/skos/core#prefLabel"
    )


def test_the_snds_import_conforms_without_the_documentation(imported: Path, tmp_path: Path) -> None:
    """The pages given as landing pages are typed foaf:Document in the SNDS files themselves (DCAT-AP's range of
    dcat:landingPage), so the SNDS import validates before, or without, the documentation's import."""
    settings = Settings(catalogue=imported, store=tmp_path / "store")
    report = validate_catalogue(settings, [imported / "snds"], shapes_dir=ROOT / "shapes")
    assert report.violations == [], sorted({(r.file, r.property, str(r.value)) for r in report.violations})


# What no source states: the import's report, and the list of docs/model.md.

MINI = Path(__file__).parent / "fixtures" / "schema-snds-mini"
MODEL_DOC = ROOT / "docs" / "model.md"


def _report_lists(report: str) -> dict[str, list[str]]:
    """The "Recommended properties no source states" section of an IMPORT-REPORT.md, by dataset slug."""
    section = report.split("## Recommended properties no source states", 1)[1]
    found = re.findall(r"^- dataset/([\w-]+): (.*)$", section, re.M)
    return {slug: [] if names == "none" else names.split(", ") for slug, names in found}


def test_the_report_lists_what_is_absent_and_not_what_is_present(tmp_path: Path) -> None:
    import_snds(MINI, tmp_path)
    lists = _report_lists((tmp_path / "snds" / "IMPORT-REPORT.md").read_text(encoding="utf-8"))
    assert set(lists) == {"snds", "dcir", "beneficiaires"}
    # documented.toml gives the DCIR a landing page and no frequency, the beneficiaries a frequency and no page
    assert "dct:accrualPeriodicity" in lists["dcir"] and "dcat:landingPage" not in lists["dcir"]
    assert "dcat:landingPage" in lists["beneficiaires"] and "dct:accrualPeriodicity" not in lists["beneficiaires"]
    # the years of the mini schema's tables give the DCIR a start and no end; the SNDS as a whole has no period
    assert "dcat:endDate" in lists["dcir"] and "dcat:startDate" not in lists["dcir"]
    assert "dct:temporal" not in lists["dcir"]
    assert "dct:temporal" in lists["snds"] and "dcat:endDate" not in lists["snds"]
    for names in lists.values():
        assert "dct:license" in names and "healthdcatap:numberOfRecords" in names
        assert "dpv:hasPurpose" not in names and "healthdcatap:retentionPeriod" not in names


def _has(snds: Triples, slug: str, recommended: Recommended) -> bool:
    ds = _n(f"dataset/{slug}")
    nodes = {
        "dataset": {ds},
        "distribution": snds.objects(ds, DCAT.distribution),
        "temporal": snds.objects(ds, DCT.temporal),
    }
    return any(snds.objects(node, recommended.predicate) for node in nodes[recommended.on])


def test_the_report_is_what_the_catalogue_lacks(imported: Path, snds: Triples) -> None:
    lists = _report_lists((imported / "snds" / "IMPORT-REPORT.md").read_text(encoding="utf-8"))
    assert len(lists) == 13
    for slug, names in lists.items():
        has_period = bool(snds.objects(_n(f"dataset/{slug}"), DCT.temporal))
        for r in RECOMMENDED:
            if r.on == "temporal" and not has_period:
                assert r.name not in names  # the period itself is reported
            else:
                assert (r.name in names) == (not _has(snds, slug, r)), f"dataset/{slug} {r.name}"


def _doc_lists(slugs: set[str]) -> dict[str, set[str]]:
    """The list of docs/model.md between its ``unstated`` markers, as property -> dataset slugs."""
    text = MODEL_DOC.read_text(encoding="utf-8")
    block = text.split("<!-- unstated:", 1)[1].split("<!-- /unstated -->", 1)[0]
    lists: dict[str, set[str]] = {}
    for name, which in re.findall(r"^- `([\w:]+)`: (.*)$", block, re.M):
        if which == "every dataset":
            lists[name] = set(slugs)
        elif which.startswith("every dataset but "):
            lists[name] = slugs - set(which.removeprefix("every dataset but ").split(", "))
        else:
            lists[name] = set(which.split(", "))
    return lists


def test_docs_model_lists_what_the_import_reports(imported: Path) -> None:
    lists = _report_lists((imported / "snds" / "IMPORT-REPORT.md").read_text(encoding="utf-8"))
    by_property: dict[str, set[str]] = defaultdict(set)
    for slug, names in lists.items():
        for name in names:
            by_property[name].add(slug)
    assert _doc_lists(set(lists)) == dict(by_property), "update the list of docs/model.md from IMPORT-REPORT.md"
