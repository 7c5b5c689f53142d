"""The EHDS data quality and utility label (Regulation (EU) 2025/327, Article 78): its elements, and for each
dataset which are shown by the graph (derived), stated by the curators, or still unstated.

Derived by SPARQL from what the catalogue already holds: metadata (title and description), support
documentation (``foaf:page`` / ``dcat:landingPage``), data model and dictionary (variables under
``healthdcatap:hasVariables``), standards (``dct:conformsTo``, code lists ``qb:codeList``), provenance
(``dct:provenance`` / ``prov:wasGeneratedBy``), enrichments (foreign keys to other tables, mappings of its
variables in ``catalogue/mappings``). The other elements are stated in Turtle as DQV measurements of the
``hdh:ehds-*`` metrics (``ontology/hdh.ttl``; checked by the ``hdhsh:ehds-measurement`` shape)::

    <dataset/x> dqv:hasQualityMeasurement <dataset/x#completeness> .
    <dataset/x#completeness> a dqv:QualityMeasurement ;
        dqv:isMeasurementOf hdh:ehds-completeness ; dqv:value 0.97 .

Ratios (technical quality, representativity) are ``xsd:decimal`` between 0 and 1; times and delays are
``xsd:duration``; quality management processes a ``dqv:value`` giving the document's IRI or a description.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hdh_graph.graph_store import GraphStore
from hdh_graph.quality.queries import restrict
from hdh_graph.quality.score import _rows

HDH = "https://w3id.org/hdh-graph/ns#"


@dataclass(frozen=True)
class Element:
    key: str
    group: str
    label: str
    derived: str | None = None  # SPARQL group pattern on ?dataset, when the graph can show it


_TABLES = "?dataset healthdcatap:hasVariables ?vars . ?vars csvw:table ?tab"
_COLUMNS = _TABLES + " . ?tab csvw:column ?col"
ELEMENTS: tuple[Element, ...] = (
    Element("metadata", "data documentation", "Metadata", "?dataset dct:title ?t ; dct:description ?desc"),
    Element(
        "support-documentation",
        "data documentation",
        "Support documentation",
        "{ ?dataset foaf:page ?p } UNION { ?dataset dcat:landingPage ?p }",
    ),
    Element("data-model", "data documentation", "Data model", _TABLES),
    Element("dictionary", "data documentation", "Data dictionary", _COLUMNS),
    Element(
        "standards",
        "data documentation",
        "Standards used",
        f"{{ ?dataset dct:conformsTo ?s }} UNION {{ {_COLUMNS} . ?col qb:codeList ?s }}",
    ),
    Element(
        "provenance",
        "data documentation",
        "Provenance",
        "{ ?dataset dct:provenance ?pv } UNION { ?dataset prov:wasGeneratedBy ?pv }",
    ),
    Element("completeness", "technical quality", "Completeness"),
    Element("uniqueness", "technical quality", "Uniqueness"),
    Element("accuracy", "technical quality", "Accuracy"),
    Element("validity", "technical quality", "Validity"),
    Element("timeliness", "technical quality", "Timeliness"),
    Element("consistency", "technical quality", "Consistency"),
    Element("quality-management", "quality management processes", "Quality management processes"),
    Element("representativity", "coverage", "Population representativity"),
    Element("time-in-dataset", "coverage", "Typical time a person stays in the dataset"),
    Element("collection-delay", "access and provision", "Delay from collection to availability"),
    Element("provision-delay", "access and provision", "Delay to provide the data after a permit"),
    Element(
        "enrichments",
        "enrichments",
        "Links with other datasets",
        f"{{ {_TABLES} . ?tab csvw:foreignKey ?fk }} UNION "
        f"{{ {_COLUMNS} . ?axiom owl:annotatedSource ?col }} UNION {{ {_COLUMNS} . ?axiom owl:annotatedTarget ?col }}",
    ),
)


def metric_iri(element: Element) -> str:
    return f"{HDH}ehds-{element.key}"


_PREFIXES = (
    "PREFIX owl: <http://www.w3.org/2002/07/owl#>\nPREFIX dqv: <http://www.w3.org/ns/dqv#>\n"
    "PREFIX qb: <http://purl.org/linked-data/cube#>\n"
)
_STATED = _PREFIXES + (
    "SELECT DISTINCT ?dataset ?metric WHERE { ?dataset a dcat:Dataset ; dqv:hasQualityMeasurement ?m . "
    "?m dqv:isMeasurementOf ?metric ; dqv:value ?v }"
)


def _derived_query(element: Element) -> str:
    """The datasets that show ``element``: one join for all datasets (not an EXISTS per dataset)."""
    return _PREFIXES + f"SELECT DISTINCT ?dataset WHERE {{ ?dataset a dcat:Dataset . {element.derived} }}"


@dataclass(frozen=True)
class Label:
    """One dataset's label: each element's status ("derived", "stated", "unstated")."""

    dataset: str
    status: dict[str, str]

    @property
    def unstated(self) -> list[Element]:
        return [e for e in ELEMENTS if self.status[e.key] == "unstated"]


def labels(store: GraphStore, *, datasets: Iterable[str] | None = None) -> list[Label]:
    """Every dataset's label (or only those of ``datasets``, IRIs), from one SPARQL query per derived element and one
    for the stated ones."""
    chosen = None if datasets is None else sorted(set(datasets))

    def rows(query: str) -> list[dict[str, Any]]:
        return _rows(store, restrict(query, chosen))

    typed = sorted(str(r["dataset"]) for r in rows("SELECT DISTINCT ?dataset WHERE { ?dataset a dcat:Dataset }"))
    stated = {(str(r["dataset"]), str(r["metric"])) for r in rows(_STATED)}
    derived = {e.key: {str(r["dataset"]) for r in rows(_derived_query(e))} for e in ELEMENTS if e.derived}
    found: list[Label] = []
    for dataset in typed:
        status: dict[str, str] = {}
        for element in ELEMENTS:
            if (dataset, metric_iri(element)) in stated:
                status[element.key] = "stated"
            elif dataset in derived.get(element.key, ()):
                status[element.key] = "derived"
            else:
                status[element.key] = "unstated"
        found.append(Label(dataset, status))
    return found
