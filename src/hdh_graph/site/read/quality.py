"""The metadata quality of every dataset, read once per site build for the dataset pages.

Two figures, both computed by :mod:`hdh_graph.quality` on the store (a few SPARQL queries for the whole catalogue,
never one per page):

- data.europa.eu's Metadata Quality Assessment (:func:`hdh_graph.quality.score.assess`): points per dimension,
  rating band, and each missing point with the property to add;
- the EHDS data quality and utility label (:func:`hdh_graph.quality.ehds.labels`): each element derived, stated
  or unstated.

DCAT-AP compliance comes from the validation notes the build is given (the report ``hdh build`` saved, as
:mod:`read.curation` reads it): a violation on the dataset or on a resource inside it (``<dataset/x#access>``) costs
its points, as ``hdh quality`` counts them. Without a report it is "not checked".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from hdh_graph.graph_store import GraphStore
from hdh_graph.quality import queries
from hdh_graph.quality.ehds import ELEMENTS, Label, labels
from hdh_graph.quality.score import DatasetScore, assess
from hdh_graph.site.read.curation import Curation
from hdh_graph.vocab import DCT, PREFIXES, RDF

DQV = "http://www.w3.org/ns/dqv#"
_NAME = re.compile(r"(?<![\w?$])([A-Za-z][\w-]*):([A-Za-z_][\w-]*)")
_IRI = re.compile(r"<([^<>\s]+)>")


@dataclass(frozen=True)
class Quality:
    """The score and the label of each dataset, by IRI (a dataset series has neither: the MQA scores datasets)."""

    scores: dict[str, DatasetScore]
    labels: dict[str, Label]


def validation_of(curation: Curation | None) -> dict[str, Any] | None:
    """The validation record :func:`assess` reads, from the notes of a report (``None``: no report)."""
    if curation is None or not curation.checked:
        return None
    return {"results": [{"severity": n.severity, "resource": n.resource} for n in curation.notes]}


def read_quality(store: GraphStore, curation: Curation | None = None) -> Quality:
    """Every dataset's MQA score and EHDS label."""
    catalogue = assess(store, validation_of(curation))
    return Quality({s.iri: s for s in catalogue.datasets}, {label.dataset: label for label in labels(store)})


@cache
def quality_terms() -> frozenset[str]:
    """Every IRI the quality queries name (their predicates, and the classes and values they test): a change whose
    triples use none of them as predicate cannot change a score or a label."""
    texts = [queries.DATASETS, queries.DISTRIBUTIONS, queries.CATALOGUE, *(e.derived or "" for e in ELEMENTS)]
    found = {RDF.type, DQV + "hasQualityMeasurement", DQV + "isMeasurementOf", DQV + "value"}  # stated elements
    for text in texts:
        found |= {PREFIXES[p] + local for p, local in _NAME.findall(text) if p in PREFIXES}
        found |= set(_IRI.findall(text))
    return frozenset(found)


PRESENCE_ONLY = frozenset({DCT.title, DCT.description})
"""Properties whose presence on a dataset is all the quality reads (the most edited ones: rewording a description
changes no score)."""


def may_change_quality(keys: Iterable[str], presence_changed: Callable[[str, str], bool]) -> bool:
    """Whether a change (its dependency keys, see :mod:`read.facts`: ``p:<resource>|<property>``) touches a property
    the quality reads. For :data:`PRESENCE_ONLY`, ``presence_changed(resource, property)`` tells whether a dataset
    gained or lost the property."""
    terms = quality_terms()
    for key in keys:
        if not key.startswith("p:"):
            continue
        subject, _, prop = key[2:].rpartition("|")
        if prop in terms and (prop not in PRESENCE_ONLY or presence_changed(subject, prop)):
            return True
    return False


def violations(curation: Curation | None) -> frozenset[str] | None:
    """What of the validation notes the quality reads: the resources with a violation (``None``: no report)."""
    if curation is None or not curation.checked:
        return None
    return frozenset(n.resource for n in curation.notes if n.severity == "violation")
