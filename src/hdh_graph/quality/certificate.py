"""The EHDS quality and utility label as a HealthDCAT-AP certificate, for the feed to carry.

Each dataset gets ``dqv:hasQualityAnnotation`` to one ``dqv:QualityCertificate`` (``<dataset>#ehds-label``:
``oa:hasTarget`` the dataset, ``oa:motivatedBy dqv:qualityAssessment``, ``oa:hasBody`` a text body
``<dataset>#ehds-label-body`` whose ``rdf:value`` lists the elements met and unstated, group by group), as
HealthDCAT-AP release 8 expects. The count of elements met is also a ``dqv:QualityMeasurement`` of
``hdh:mqa-ehds-elements`` (named ``mqa-`` so that it is not mistaken for a curator's ``hdh:ehds-*`` statement).
"""

from __future__ import annotations

import pyoxigraph as ox

from hdh_graph.quality.dqv import DQV, HDH, RDF_TYPE, RDFS_LABEL, XSD
from hdh_graph.quality.ehds import ELEMENTS, Label

OA = "http://www.w3.org/ns/oa#"
RDF_VALUE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")
ELEMENTS_METRIC = ox.NamedNode(HDH + "mqa-ehds-elements")


def label_metric_triples() -> list[ox.Triple]:
    """The metric of the count of EHDS label elements met."""
    return [
        ox.Triple(ELEMENTS_METRIC, RDF_TYPE, ox.NamedNode(DQV + "Metric")),
        ox.Triple(ELEMENTS_METRIC, RDFS_LABEL, ox.Literal("EHDS label: elements met", language="en")),
        ox.Triple(ELEMENTS_METRIC, ox.NamedNode(DQV + "expectedDataType"), ox.NamedNode(XSD + "integer")),
        ox.Triple(
            ELEMENTS_METRIC,
            ox.NamedNode(HDH + "maxPoints"),
            ox.Literal(str(len(ELEMENTS)), datatype=ox.NamedNode(XSD + "integer")),
        ),
    ]


def label_text(label: Label) -> str:
    """The label in words: for each group, the elements met (derived or stated) and those unstated."""
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for element in ELEMENTS:
        met, unstated = groups.setdefault(element.group, ([], []))
        (unstated if label.status[element.key] == "unstated" else met).append(element.label)
    met_count = sum(1 for e in ELEMENTS if label.status[e.key] != "unstated")
    parts = [f"EHDS data quality and utility label: {met_count} of {len(ELEMENTS)} elements met."]
    for group, (met, unstated) in groups.items():
        parts.append(f"{group}: met {', '.join(met) or 'none'}; unstated {', '.join(unstated) or 'none'}.")
    return " ".join(parts)


def certificate_triples(label: Label) -> list[ox.Triple]:
    """One dataset's certificate and its measurement of the elements met."""
    dataset = ox.NamedNode(label.dataset)
    base = label.dataset.split("#", 1)[0]
    cert, body, measurement = (ox.NamedNode(f"{base}#{n}") for n in ("ehds-label", "ehds-label-body", "mqa-ehds"))
    met = sum(1 for e in ELEMENTS if label.status[e.key] != "unstated")
    count = ox.Literal(str(met), datatype=ox.NamedNode(XSD + "integer"))
    return [
        ox.Triple(dataset, ox.NamedNode(DQV + "hasQualityAnnotation"), cert),
        ox.Triple(cert, RDF_TYPE, ox.NamedNode(DQV + "QualityCertificate")),
        ox.Triple(cert, ox.NamedNode(OA + "hasTarget"), dataset),
        ox.Triple(cert, ox.NamedNode(OA + "hasBody"), body),
        ox.Triple(cert, ox.NamedNode(OA + "motivatedBy"), ox.NamedNode(DQV + "qualityAssessment")),
        ox.Triple(body, RDF_TYPE, ox.NamedNode(OA + "TextualBody")),
        ox.Triple(body, RDF_VALUE, ox.Literal(label_text(label), language="en")),
        ox.Triple(dataset, ox.NamedNode(DQV + "hasQualityMeasurement"), measurement),
        ox.Triple(measurement, RDF_TYPE, ox.NamedNode(DQV + "QualityMeasurement")),
        ox.Triple(measurement, ox.NamedNode(DQV + "isMeasurementOf"), ELEMENTS_METRIC),
        ox.Triple(measurement, ox.NamedNode(DQV + "computedOn"), dataset),
        ox.Triple(measurement, ox.NamedNode(DQV + "value"), count),
    ]
