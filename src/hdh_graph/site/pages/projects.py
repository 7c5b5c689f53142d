"""The page of a project of the register (``dpv:Process``): see ``docs/projects.md`` for its shape."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hdh_graph.site.i18n import Localized
from hdh_graph.site.pages.context import Decision, ProjectPage
from hdh_graph.site.read.facts import Node
from hdh_graph.vocab import DCT, DPV, PROV

if TYPE_CHECKING:
    from hdh_graph.site.pages.resources import PageBuilder


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


def _decision(builder: PageBuilder, iri: str) -> Decision:
    node = builder.facts.get(iri)
    if node is None:
        return Decision(Localized((("", iri),)))
    by = node.first_iri(PROV.wasAttributedTo)
    return Decision(
        Localized.of(node.literals(DCT.title)),
        identifier=node.text(DCT.identifier),
        issued=_day(node.text(DCT.issued)),
        by=builder.r.ref(by) if by else None,
    )


def project_page(builder: PageBuilder, node: Node, base: dict[str, object]) -> ProjectPage:
    status = node.first_iri(DPV.hasActivityStatus)
    return ProjectPage(
        **base,  # type: ignore[arg-type]
        description=Localized.of(node.literals(DCT.description)),
        purposes=builder.r.refs(sorted(node.iris(DPV.hasPurpose))),
        controllers=builder.r.refs(sorted({*node.iris(DPV.hasDataController), *node.iris(PROV.wasAssociatedWith)})),
        datasets=builder.r.refs(sorted(node.iris(PROV.used))),
        decisions=tuple(_decision(builder, iri) for iri in sorted(node.iris(DPV.hasLegalBasis))),
        status=builder.r.ref(status) if status else None,
        started=_day(node.text(PROV.startedAtTime)),
        ended=_day(node.text(PROV.endedAtTime)),
        results=tuple(_decision(builder, iri) for iri in sorted(node.iris(PROV.generated))),
    )
