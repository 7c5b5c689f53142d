"""Gather, from the store, the triples that describe one dataset and what hangs from it.

Starting at a dataset, the description follows blank nodes and the links to resources the dataset owns
(distributions, variables down to columns and foreign keys, provenance, contact points, identifiers…).
Agents (publisher, health data access body, custodian, attributed agents) and code lists are collected
apart, so that a page that cites the same agent many times describes it once. Links to other datasets,
to tables of other products and to code list members are kept as links and not followed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from hdh_graph.graph_store import GraphStore
from hdh_graph.vocab import ADMS, CSVW, CV, DCAT, DCT, DPV, GEODCATAP, HDH, HEALTHDCATAP, PROV, QB, RDF, VCARD

# Links from a resource to something it owns: followed into the description.
OWNED = frozenset(
    {
        DCAT.distribution,
        DCAT.accessService,
        DCAT.qualifiedRelation,
        DCAT.contactPoint,
        DCT.temporal,
        DCT.provenance,
        DCT.rights,
        DCT.license,
        HEALTHDCATAP.hasVariables,
        HEALTHDCATAP.retentionPeriod,
        CSVW.table,
        CSVW.column,
        CSVW.foreignKey,
        CSVW.reference,
        CSVW.tableSchema,
        CSVW.dialect,
        PROV.qualifiedAttribution,
        PROV.wasGeneratedBy,
        ADMS.identifier,
        ADMS.sample,
        VCARD.hasAddress,
        CV.contactPoint,
        DPV.hasLegalBasis,
        DPV.hasPurpose,
        PROV.generated,
    }
)
# Links to agents: described once per page, with their own contact points.
AGENT_LINKS = frozenset(
    {
        DCT.publisher,
        DCT.creator,
        DCT.rightsHolder,
        HEALTHDCATAP.hdab,
        GEODCATAP.custodian,
        PROV.agent,
        PROV.wasAssociatedWith,
        PROV.wasAttributedTo,
        DPV.hasDataController,
    }
)
# Links to resources of other descriptions (another product's tables and columns): the feed keeps the link and,
# when the catalogue marks them so, ``hdh:unresolved``, without their description. Not their type: a table or
# column typed in a page that does not describe it fails the HealthDCAT-AP shapes of csvw:Table and csvw:Column
# (title, columns, name, datatype...); where it is described (its own product's page), it is typed there.
STUB_LINKS = frozenset({CSVW.resource, CSVW.columnReference, HDH.references})
STUB_KEEP = frozenset({HDH.unresolved})
# Properties of a code list copied into the feed (its members are not).
CODELIST_KEEP = frozenset(
    {
        RDF.type,
        DCT.title,
        DCT.identifier,
        DCT.description,
        DCT.source,
        "http://www.w3.org/2004/02/skos/core#prefLabel",
    }
)

CODE_LIST = QB.codeList

Term = Any  # pyoxigraph NamedNode | BlankNode | Literal


@dataclass
class Description:
    """Triples of one dataset's description, and the agents and code lists it cites."""

    triples: list[ox.Triple] = field(default_factory=list)
    agents: set[str] = field(default_factory=set)
    stubs: set[str] = field(default_factory=set)
    codelists: set[str] = field(default_factory=set)
    objects: set[str] = field(default_factory=set)


def as_graph_store(store: Any) -> GraphStore:
    """The store behind ``store`` (a :class:`GraphStore`, or an object holding one)."""
    if isinstance(store, GraphStore):
        return store
    for name in ("store", "ox", "_store", "inner"):
        inner = getattr(store, name, None)
        if isinstance(inner, GraphStore):
            return inner
    raise TypeError(f"cannot read RDF from {type(store).__name__}: expected a store (pyoxigraph or remote)")


def _outgoing(store: GraphStore, subject: Term) -> Iterable[ox.Triple]:
    seen: set[ox.Triple] = set()
    for quad in store.quads_for_pattern(subject, None, None, None):
        triple = quad.triple
        if triple in seen:  # the same triple in two named graphs
            continue
        seen.add(triple)
        yield triple


def describe(store: GraphStore, root: str, skip_from_root: frozenset[str] = frozenset()) -> Description:
    """The description of ``root`` with its owned resources; the root's ``skip_from_root`` links are left out."""
    out = Description()
    root_node = ox.NamedNode(root)
    todo: list[Term] = [root_node]
    done: set[Term] = set()
    while todo:
        node = todo.pop()
        if node in done:
            continue
        done.add(node)
        for triple in _outgoing(store, node):
            obj, pred = triple.object, triple.predicate.value
            if node == root_node and pred in skip_from_root:
                continue
            out.triples.append(triple)
            if isinstance(obj, ox.BlankNode):
                todo.append(obj)
            elif isinstance(obj, ox.NamedNode):
                out.objects.add(obj.value)
                if pred in OWNED:
                    todo.append(obj)
                elif pred in AGENT_LINKS:
                    out.agents.add(obj.value)
                elif pred == CODE_LIST:
                    out.codelists.add(obj.value)
                elif pred in STUB_LINKS:
                    out.stubs.add(obj.value)
    return out


PROJECT = DPV.Process


def projects_using(store: GraphStore, dataset: str) -> list[str]:
    """The projects of the register (``dpv:Process``) that use ``dataset`` (``prov:used``), sorted."""
    rdf_type, project = ox.NamedNode(RDF.type), ox.NamedNode(PROJECT)
    found: set[str] = set()
    for quad in store.quads_for_pattern(None, ox.NamedNode(PROV.used), ox.NamedNode(dataset), None):
        subject = quad.subject
        if isinstance(subject, ox.NamedNode) and any(
            True for _ in store.quads_for_pattern(subject, rdf_type, project, None)
        ):
            found.add(subject.value)
    return sorted(found)


def describe_dataset(store: GraphStore, dataset: str) -> Description:
    """A dataset's description with, as ``dct:isReferencedBy`` (DCAT-AP's "a related resource that references the
    dataset", recommended by HealthDCAT-AP), each project of the register that uses it, described with its
    decision and results; the project's other datasets stay links."""
    out = describe(store, dataset)
    node = ox.NamedNode(dataset)
    for project in projects_using(store, dataset):
        out.triples.append(ox.Triple(node, ox.NamedNode(DCT.isReferencedBy), ox.NamedNode(project)))
        desc = describe(store, project)
        out.triples.extend(desc.triples)
        out.agents |= desc.agents
        out.codelists |= desc.codelists
        out.stubs |= desc.stubs
        out.objects |= desc.objects | {project}
    return out


def describe_agent(store: GraphStore, agent: str) -> Description:
    """An agent with its contact points and addresses (it may cite further agents, not followed)."""
    desc = describe(store, agent)
    desc.agents.discard(agent)
    return desc


def describe_stub(store: GraphStore, iri: str) -> list[ox.Triple]:
    """The ``hdh:unresolved`` mark of a resource another description holds, if it has one."""
    return [t for t in _outgoing(store, ox.NamedNode(iri)) if t.predicate.value in STUB_KEEP]


def describe_codelist(store: GraphStore, scheme: str) -> list[ox.Triple]:
    """The few triples that name and type a code list."""
    return [t for t in _outgoing(store, ox.NamedNode(scheme)) if t.predicate.value in CODELIST_KEEP]


CATALOG_LINKS = frozenset({DCAT.dataset, DCAT.record, DCAT.catalog})


def catalog_iri(store: GraphStore, default: str, harvested_prefix: str) -> str:
    """The catalogue the feed describes: ``default`` (``{base}catalog``) when the store types it ``dcat:Catalog``
    or types no other; else the one ``dcat:Catalog`` the curated files name (a catalogue written with another IRI
    keeps it, so its title, description and publisher stay on the feed's catalogue). Catalogues of harvested
    records do not count."""
    found: set[str] = set()
    for quad in store.quads_for_pattern(None, ox.NamedNode(RDF.type), ox.NamedNode(DCAT.Catalog), None):
        graph = quad.graph_name
        if isinstance(quad.subject, ox.NamedNode) and not (
            isinstance(graph, ox.NamedNode) and graph.value.startswith(harvested_prefix)
        ):
            found.add(quad.subject.value)
    return found.pop() if len(found) == 1 and default not in found else default


def catalog_triples(store: GraphStore, catalog: str) -> Description:
    """The catalogue's own description, without its ``dcat:dataset`` / ``dcat:record`` links (paged apart)."""
    return describe(store, catalog, skip_from_root=CATALOG_LINKS)


SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
CONCEPT_KEEP = frozenset({RDF.type, SKOS_NS + "prefLabel", SKOS_NS + "inScheme", SKOS_NS + "notation"})
SCHEME_KEEP = frozenset({RDF.type, DCT.title, SKOS_NS + "prefLabel"})


def describe_concepts(store: GraphStore, iris: Iterable[str]) -> list[ox.Triple]:
    """For each IRI the store types ``skos:Concept`` (a local theme, a kind of ours…), its type, labels, notation
    and scheme, and its scheme's type and title: a validator of the feed alone then finds it a concept."""
    concept = ox.NamedNode(SKOS_NS + "Concept")
    out: list[ox.Triple] = []
    schemes: set[str] = set()
    for iri in sorted(iris):
        node = ox.NamedNode(iri)
        if not any(True for _ in store.quads_for_pattern(node, ox.NamedNode(RDF.type), concept, None)):
            continue
        for t in _outgoing(store, node):
            if t.predicate.value in CONCEPT_KEEP:
                out.append(t)
                if t.predicate.value == SKOS_NS + "inScheme" and isinstance(t.object, ox.NamedNode):
                    schemes.add(t.object.value)
    for scheme in sorted(schemes):
        out.extend(t for t in _outgoing(store, ox.NamedNode(scheme)) if t.predicate.value in SCHEME_KEEP)
    return out
