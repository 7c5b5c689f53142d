"""What a resource's page shows from beyond its own database: the variables of other tables that hold the same
notion (curated mapping records) and the pages of the database's documentation that describe it."""

from __future__ import annotations

import re

from hdh_graph.site.i18n import Localized
from hdh_graph.site.pages.context import DocText, GlossaryTerm, Match, TermLink
from hdh_graph.site.pages.resolve import Resolver
from hdh_graph.site.pages.structure import Structure
from hdh_graph.site.read.facts import Facts
from hdh_graph.vocab import DCT, FOAF, OWL, QB, RDFS, SKOS

CURATION_RULE = "https://w3id.org/sssom/curation_rule_text"
"""The justification of an SSSOM mapping record."""

INVERSE: dict[str, str] = {
    "exactMatch": "exactMatch",
    "closeMatch": "closeMatch",
    "relatedMatch": "relatedMatch",
    "broadMatch": "narrowMatch",
    "narrowMatch": "broadMatch",
}
"""A mapping property read from the target's side."""


def matches_of(facts: Facts, r: Resolver, st: Structure, variable: str) -> tuple[Match, ...]:
    """The variables that mapping records pair with ``variable``, in the order of the records' IRIs."""
    found: list[Match] = []
    for side, other_side in ((OWL.annotatedSource, OWL.annotatedTarget), (OWL.annotatedTarget, OWL.annotatedSource)):
        for key in facts.subjects_with(side, variable):
            record = facts.get(key)
            if record is None or OWL.Axiom not in record.types:
                continue
            other = record.first_iri(other_side)
            prop = record.first_iri(OWL.annotatedProperty)
            if other is None or prop is None or not prop.startswith(str(SKOS)):
                continue
            relation = prop[len(str(SKOS)) :]
            if side == OWL.annotatedTarget:
                relation = INVERSE.get(relation, relation)
            var = facts.get(other)
            table = st.table_of_column.get(other)
            dataset = st.dataset_of_table.get(table) if table else None
            found.append(
                Match(
                    mapping=key,
                    notion=Localized.of(record.literals(RDFS.label)),
                    relation=relation,
                    variable=r.ref(other),
                    table=r.ref(table) if table else None,
                    dataset=r.ref(dataset) if dataset else None,
                    codelists=r.refs(var.iris(QB.codeList) if var else []),
                    justification=Localized.of(record.literals(CURATION_RULE)),
                    sources=tuple(record.iris(DCT.source)),
                    reverse=side == OWL.annotatedTarget,
                )
            )
    return tuple(sorted(found, key=lambda m: (m.mapping, m.variable.iri)))


def docs_of(facts: Facts, r: Resolver, iri: str) -> tuple[DocText, ...]:
    """The documentation pages whose topic is ``iri``, by title then IRI."""
    found: list[tuple[str, str, DocText]] = []
    for key in facts.subjects_with(FOAF.topic, iri):
        doc = facts.get(key)
        if doc is None or FOAF.Document not in doc.types:
            continue
        title = Localized.of(doc.literals(DCT.title))
        licence = doc.first_iri(DCT.license)
        found.append(
            (
                title.plain("fr"),
                key,
                DocText(
                    title=title,
                    text=Localized.of(doc.literals(DCT.description)),
                    source=doc.first_iri(DCT.source),
                    licence=r.ref(licence) if licence else None,
                ),
            )
        )
    return tuple(d for _, _, d in sorted(found, key=lambda x: (x[0], x[1])))


def term_of(facts: Facts, r: Resolver, iri: str) -> GlossaryTerm | None:
    """The term ``iri`` of a glossary, ``None`` when the catalogue reads it as a plain code."""
    node = facts.get(iri)
    if node is None or SKOS.Concept not in node.types:
        return None
    notation = node.text(SKOS.notation) or iri.rsplit("/", 1)[-1]
    return GlossaryTerm(
        iri=iri,
        notation=notation,
        label=Localized.of(node.literals(SKOS.prefLabel)),
        alt_labels=tuple(sorted({lit.value for lit in node.literals(SKOS.altLabel)} - {notation})),
        definition=Localized.of(node.literals(SKOS.definition)),
        anchor=anchor_of(iri),
        source=node.first_iri(DCT.source),
        used_by=r.refs(node.iris(DCT.isReferencedBy)),
    )


def anchor_of(iri: str) -> str:
    """The id of a term on its glossary's page."""
    return "term-" + re.sub(r"[^A-Za-z0-9_-]", "-", iri.rsplit("/", 1)[-1])


def terms_of(facts: Facts, r: Resolver, iris: list[str]) -> tuple[TermLink, ...]:
    """The glossary terms that say they are used by one of ``iris`` (variables), by glossary then notation."""
    found: dict[str, TermLink] = {}
    for iri in iris:
        for key in facts.subjects_with(DCT.isReferencedBy, iri):
            if key in found:
                continue
            node = facts.get(key)
            scheme = node.first_iri(SKOS.inScheme) if node else None
            term = term_of(facts, r, key) if scheme else None
            if term is not None and scheme is not None:
                found[key] = TermLink(term, r.ref(scheme))
    return tuple(sorted(found.values(), key=lambda t: (t.glossary.iri, t.term.notation.lower(), t.term.iri)))
