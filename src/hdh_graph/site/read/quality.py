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

from dataclasses import dataclass
from typing import Any

from hdh_graph.graph_store import GraphStore
from hdh_graph.quality.ehds import Label, labels
from hdh_graph.quality.score import DatasetScore, assess
from hdh_graph.site.read.curation import Curation


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
