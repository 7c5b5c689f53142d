"""The recommended DCAT-AP / HealthDCAT-AP properties that no source states for an SNDS dataset.

A product's description holds what the schema (the years of its tables), ``products.toml`` (the curated
description) and ``documented.toml`` (what the SNDS documentation states, with its source) give it. What none of
them states is left out, never guessed: :func:`unstated` lists, for one dataset's graph, which of
:data:`RECOMMENDED` it lacks, and the import writes that list per dataset in ``catalogue/snds/IMPORT-REPORT.md``
(docs/model.md, "Documented values and what the documentation does not state").
"""

from __future__ import annotations

from dataclasses import dataclass

from hdh_graph.turtle_writer import IRI, Graph, Node
from hdh_graph.vocab import DCAT, DCATAP, DCT, DPV, HEALTHDCATAP


@dataclass(frozen=True)
class Recommended:
    """A recommended property, where it is looked for, and its name in the report."""

    name: str  # the prefixed name
    predicate: str
    on: str  # "dataset", "distribution" (any of the dataset's) or "temporal" (its dct:temporal period)


RECOMMENDED: tuple[Recommended, ...] = (
    Recommended("dct:license", DCT.license, "distribution"),
    Recommended("dcatap:availability", DCATAP.availability, "distribution"),
    Recommended("dct:format", DCT["format"], "distribution"),
    Recommended("dcat:landingPage", DCAT.landingPage, "dataset"),
    Recommended("dct:temporal", DCT.temporal, "dataset"),
    Recommended("dcat:startDate", DCAT.startDate, "temporal"),
    Recommended("dcat:endDate", DCAT.endDate, "temporal"),
    Recommended("dcat:temporalResolution", DCAT.temporalResolution, "dataset"),
    Recommended("dct:accrualPeriodicity", DCT.accrualPeriodicity, "dataset"),
    Recommended("dct:conformsTo", DCT.conformsTo, "dataset"),
    Recommended("dct:spatial", DCT.spatial, "dataset"),
    Recommended("healthdcatap:numberOfRecords", HEALTHDCATAP.numberOfRecords, "dataset"),
    Recommended("healthdcatap:numberOfUniqueIndividuals", HEALTHDCATAP.numberOfUniqueIndividuals, "dataset"),
    Recommended("healthdcatap:populationCoverage", HEALTHDCATAP.populationCoverage, "dataset"),
    Recommended("healthdcatap:minTypicalAge", HEALTHDCATAP.minTypicalAge, "dataset"),
    Recommended("healthdcatap:maxTypicalAge", HEALTHDCATAP.maxTypicalAge, "dataset"),
    Recommended("healthdcatap:retentionPeriod", HEALTHDCATAP.retentionPeriod, "dataset"),
    Recommended("dpv:hasPurpose", DPV.hasPurpose, "dataset"),
)


def unstated(graph: Graph, ds_iri: str) -> list[str]:
    """The names of the :data:`RECOMMENDED` properties the dataset ``ds_iri`` of ``graph`` has no value of.

    A period's start and end are reported only for a dataset that has a period (else ``dct:temporal`` is)."""
    ds = graph.subjects.get(ds_iri, Node())
    around = {
        "dataset": [ds],
        "distribution": _linked(graph, ds, DCAT.distribution),
        "temporal": _linked(graph, ds, DCT.temporal),
    }
    missing = []
    for r in RECOMMENDED:
        if r.on == "temporal" and not around["temporal"]:
            continue
        if not any(node.props.get(r.predicate) for node in around[r.on]):
            missing.append(r.name)
    return missing


def _linked(graph: Graph, node: Node, predicate: str) -> list[Node]:
    """The descriptions of the objects of ``predicate`` (nested or named in ``graph``)."""
    found = []
    for obj in node.props.get(predicate, []):
        if isinstance(obj, Node):
            found.append(obj)
        elif isinstance(obj, IRI) and obj in graph.subjects:
            found.append(graph.subjects[obj])
    return found
