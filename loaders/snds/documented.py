"""Recommended DCAT-AP / HealthDCAT-AP properties that the SNDS documentation states (``documented.toml``).

Each value is written with its source: the dataset is ``prov:wasDerivedFrom`` each page its values come from,
and every triple written is also reified (``rdf:Statement``, IRI ``{dataset}#source-{property}[-{key}]``) with
``prov:wasDerivedFrom`` the page and the words of the page that state it as ``rdfs:comment``. A page is named by
the IRI the documentation import gives it (``documentation/snds/{path}``, a glossary page
``vocabulary/snds-glossary/{name}``), so the source links to its description in ``catalogue/docs-snds/``.

A page (not a glossary term, which ``hdh import snds-docs`` describes as a ``skos:Concept``) is also typed
``foaf:Document`` in the dataset's own file, as DCAT-AP asks of a ``dcat:landingPage``: the SNDS files then conform
without the documentation's import, which is run after this one and gives the page its title and text.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hdh_graph.errors import SourceErrors, SourceProblem
from hdh_graph.turtle_writer import IRI, Graph, Literal, Node, lit
from hdh_graph.vocab import DCAT, DCT, DPV, EU_FREQUENCY, FOAF, HEALTHDCATAP, PROV, RDF, RDFS, XSD, Namespace

DOCUMENTED_FILE = Path(__file__).with_name("documented.toml")
TIME = Namespace("http://www.w3.org/2006/time#")

# The fields each property needs besides datasets, page and quote.
FIELDS: dict[str, tuple[str, ...]] = {
    "landingPage": (),
    "populationCoverage": ("fr", "en"),
    "retentionPeriod": ("duration", "fr", "en"),
    "hasPurpose": ("id", "fr", "en"),
    "accrualPeriodicity": ("frequency",),
    "temporalResolution": ("duration",),
    "temporal": ("start_year",),
    "numberOfUniqueIndividuals": ("count",),
}
_DURATION = re.compile(r"P(\d+Y)?(\d+M)?(\d+D)?")


@dataclass(frozen=True)
class Documented:
    """One value of one property, for the datasets it names, with the page and the words that state it."""

    prop: str  # the property's local name, as in documented.toml
    datasets: tuple[str, ...]
    page: str  # path in the documentation folder
    quote: str
    fields: dict[str, Any]

    @property
    def page_iri(self) -> str:
        return page_iri(self.page)

    @property
    def is_term(self) -> bool:
        """Whether the page is a glossary page, which the documentation import makes a term, not a document."""
        return self.page.startswith(GLOSSARY)


GLOSSARY = "glossaire/"


def page_iri(path: str) -> str:
    """The IRI ``hdh import snds-docs`` gives a page of the documentation (see ``loaders/snds_docs/pages.py``)."""
    stem = path.removesuffix(".md")
    if stem.startswith(GLOSSARY):
        return "vocabulary/snds-glossary/" + stem.removeprefix(GLOSSARY)
    stem = stem.replace("tables/.sources/", "tables/")
    return "documentation/snds/" + "/".join(re.sub(r"[^A-Za-z0-9._~-]+", "-", part) for part in stem.split("/"))


def load_documented(path: Path = DOCUMENTED_FILE) -> dict[str, list[Documented]]:
    """The documented values of each dataset (by slug), in the file's order."""
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("value", [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SourceErrors([SourceProblem(path, f"cannot read the documented values: {exc!r}")]) from exc
    problems: list[SourceProblem] = []
    by_dataset: dict[str, list[Documented]] = defaultdict(list)
    for n, raw in enumerate(entries, 1):
        problem = _check(raw)
        if problem:
            problems.append(SourceProblem(path, f"[[value]] number {n}: {problem}"))
            continue
        fields = {k: raw[k] for k in FIELDS[raw["property"]]}
        value = Documented(raw["property"], tuple(raw["datasets"]), raw["page"], raw["quote"], fields)
        for slug in value.datasets:
            by_dataset[slug].append(value)
    if problems:
        raise SourceErrors(problems, hint="see the comment at the top of loaders/snds/documented.toml")
    return dict(by_dataset)


def _check(raw: dict[str, Any]) -> str | None:
    prop = raw.get("property")
    if prop not in FIELDS:
        return f"property {prop!r} is not one of {', '.join(FIELDS)}"
    missing = [k for k in ("datasets", "page", "quote", *FIELDS[prop]) if not raw.get(k)]
    if missing:
        return f"{prop} needs {', '.join(missing)}"
    if "duration" in raw and not (_DURATION.fullmatch(raw["duration"]) and raw["duration"] != "P"):
        return f"duration {raw['duration']!r} is not an xsd:duration of years, months or days (e.g. P20Y)"
    return None


def describe_documented(graph: Graph, ds: Node, ds_iri: str, values: list[Documented]) -> None:
    """Write the documented values of one dataset, each with its source."""
    for page in sorted({v.page_iri for v in values}):
        ds.add(PROV.wasDerivedFrom, IRI(page))
    for page in sorted({v.page_iri for v in values if not v.is_term}):
        graph.node(page).add(RDF.type, IRI(FOAF.Document))
    for value in values:
        for predicate, obj, key in _triples(graph, ds_iri, value):
            ds.add(predicate, obj)
            _statement(graph, ds_iri, predicate, obj, key, value)


def _triples(graph: Graph, ds_iri: str, value: Documented) -> list[tuple[str, IRI | Literal, str]]:
    """The (predicate, object, key of the statement's IRI) triples that one value gives a dataset."""
    f = value.fields
    match value.prop:
        case "landingPage":
            return [(DCAT.landingPage, IRI(value.page_iri), "")]
        case "populationCoverage":
            return [(HEALTHDCATAP.populationCoverage, _lit(f[lang], lang), lang) for lang in ("fr", "en")]
        case "retentionPeriod":
            node = f"{ds_iri}#retention-period"
            graph.node(node).add(RDF.type, IRI(DCT.PeriodOfTime)).add(
                TIME.hasXSDDuration, lit(f["duration"], datatype=XSD.duration)
            ).add(RDFS.label, lit(f["fr"], "fr"), lit(f["en"], "en"))
            return [(HEALTHDCATAP.retentionPeriod, IRI(node), "")]
        case "hasPurpose":
            node = f"{ds_iri}#purpose-{f['id']}"
            graph.node(node).add(RDF.type, IRI(DPV.Purpose)).add(RDFS.label, lit(f["fr"], "fr"), lit(f["en"], "en"))
            return [(DPV.hasPurpose, IRI(node), f["id"])]
        case "accrualPeriodicity":
            return [(DCT.accrualPeriodicity, IRI(EU_FREQUENCY[f["frequency"]]), "")]
        case "temporalResolution":
            return [(DCAT.temporalResolution, _lit(f["duration"], datatype=XSD.duration), "")]
        case "temporal":
            node = f"{ds_iri}#coverage"
            if graph.node(node).props:
                raise SourceErrors(
                    [SourceProblem(DOCUMENTED_FILE, f"{ds_iri}: the schema already gives the years it covers")],
                    hint="remove the temporal value of this dataset from loaders/snds/documented.toml",
                )
            graph.node(node).add(RDF.type, IRI(DCT.PeriodOfTime)).add(
                DCAT.startDate, lit(str(f["start_year"]), datatype=XSD.gYear)
            )
            return [(DCT.temporal, IRI(node), "")]
        case "numberOfUniqueIndividuals":
            count = _lit(int(f["count"]), datatype=XSD.nonNegativeInteger)
            return [(HEALTHDCATAP.numberOfUniqueIndividuals, count, "")]
    raise AssertionError(value.prop)  # _check admits only the properties above


def _lit(value: str | int, lang: str | None = None, datatype: str | None = None) -> Literal:
    result = lit(value, lang, datatype)
    assert result is not None  # _check refuses empty values
    return result


def _statement(graph: Graph, ds_iri: str, predicate: str, obj: IRI | Literal, key: str, value: Documented) -> None:
    local = re.split(r"[#/]", predicate)[-1]
    iri = f"{ds_iri}#source-{local}" + (f"-{key}" if key else "")
    if iri in graph.subjects:
        raise SourceErrors(
            [SourceProblem(DOCUMENTED_FILE, f"{ds_iri} has two values of {local}" + (f" {key!r}" if key else ""))],
            hint="keep one [[value]] of this property for this dataset in loaders/snds/documented.toml",
        )
    node = graph.node(iri)
    node.add(RDF.type, IRI(RDF.Statement)).add(RDF.subject, IRI(ds_iri)).add(RDF.predicate, IRI(predicate))
    node.add(RDF.object, obj).add(PROV.wasDerivedFrom, IRI(value.page_iri)).add(RDFS.comment, lit(value.quote, "fr"))
