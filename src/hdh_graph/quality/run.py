"""Score the catalogue in the store the settings name, with the validation report its build saved."""

from __future__ import annotations

from hdh_graph.graph_store import open_graph_store
from hdh_graph.progress import Progress
from hdh_graph.quality.ehds import Label, labels
from hdh_graph.quality.score import CatalogueScore, assess
from hdh_graph.settings import Settings
from hdh_graph.store import VALIDATION_REPORT, read_snapshot_json


def assess_catalogue(settings: Settings, progress: Progress | None = None) -> CatalogueScore:
    """The MQA score of every dataset in the store (remote stores have no saved validation report: DCAT-AP
    compliance is then "not checked")."""
    store = open_graph_store(settings)
    validation = None if settings.sparql_endpoint else read_snapshot_json(settings, VALIDATION_REPORT)
    return assess(store, validation, progress)


def label_catalogue(settings: Settings) -> dict[str, Label]:
    """The EHDS label of every dataset in the store, by dataset IRI."""
    return {label.dataset: label for label in labels(open_graph_store(settings))}
