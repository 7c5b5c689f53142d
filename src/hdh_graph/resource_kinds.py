"""What kind of catalogue resource each class stands for: one table read by the site (its page types) and by the
keyword index (its kinds). The site's own registry of page types, with their templates, is
:mod:`hdh_graph.site.kinds`."""

from __future__ import annotations

from dataclasses import dataclass

from hdh_graph.vocab import CSVW, DCAT, DPV, FOAF, HDH, SKOS


@dataclass(frozen=True)
class ClassKind:
    cls: str
    """The RDF class."""
    page: str
    """The site's page type for resources of that class."""
    search: str | None
    """The keyword index's kind (``None``: not indexed)."""


CLASS_KINDS: tuple[ClassKind, ...] = (
    ClassKind(DCAT.Dataset, "dataset", "dataset"),
    ClassKind(DCAT.DatasetSeries, "dataset", "series"),
    ClassKind(CSVW.Table, "table", "table"),
    ClassKind(CSVW.Column, "variable", "variable"),
    ClassKind(SKOS.ConceptScheme, "codelist", "codelist"),
    ClassKind(FOAF.Agent, "agent", None),
    ClassKind(FOAF.Organization, "agent", None),
    ClassKind(HDH.CitizenTopic, "citizen", None),
    ClassKind(DPV.Process, "project", "project"),
)
"""First match wins when a resource has several of these classes."""


def page_kind(types: set[str] | frozenset[str]) -> str:
    """The page type of a resource with these classes, ``other`` when it has none of a page type."""
    for entry in CLASS_KINDS:
        if entry.cls in types:
            return entry.page
    return "other"


SEARCH_KINDS: dict[str, str] = {k.cls: k.search for k in CLASS_KINDS if k.search}
"""Class -> keyword index kind, for the indexed classes."""
