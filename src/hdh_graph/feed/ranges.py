"""Type the values of a feed page with the classes DCAT-AP 3's range shapes ask for, where the page does not.

DCAT-AP's ``range.ttl`` checks, e.g., that the value of ``foaf:page`` is a ``foaf:Document`` and the value of
``dct:rights`` a ``dct:RightsStatement``. Those classes follow from the properties' declared ranges, so the feed
states them for every IRI value that lacks them: a harvester or validator without the vocabularies then finds
every value typed. Nothing is added to a value that already carries the class.
"""

from __future__ import annotations

import pyoxigraph as ox

from hdh_graph.vocab import ADMS, DCAT, DCATAP, DCT, FOAF, PROV, RDF, VCARD

ELI_LEGAL_RESOURCE = "http://data.europa.eu/eli/ontology#LegalResource"

RANGES: dict[str, str] = {
    FOAF.page: FOAF.Document,
    FOAF.homepage: FOAF.Document,
    DCAT.landingPage: FOAF.Document,
    DCT.rights: DCT.RightsStatement,
    DCT.accessRights: DCT.RightsStatement,
    DCT.license: DCT.LicenseDocument,
    DCT.conformsTo: DCT.Standard,
    DCT.provenance: DCT.ProvenanceStatement,
    DCT.accrualPeriodicity: DCT.Frequency,
    DCT.language: DCT.LinguisticSystem,
    DCT.spatial: DCT.Location,
    DCT.temporal: DCT.PeriodOfTime,
    DCT["format"]: DCT.MediaTypeOrExtent,
    DCAT.mediaType: DCT.MediaType,
    DCAT.contactPoint: VCARD.Kind,
    DCT.publisher: FOAF.Agent,
    DCT.creator: FOAF.Agent,
    "http://healthdataportal.eu/ns/health#hdab": FOAF.Agent,
    DCATAP.applicableLegislation: ELI_LEGAL_RESOURCE,
    ADMS.identifier: ADMS.Identifier,
    DCAT.hadRole: DCAT.Role,
    PROV.qualifiedAttribution: PROV.Attribution,
    PROV.wasGeneratedBy: PROV.Activity,
}


def range_types(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The ``rdf:type`` triples the page lacks for its IRI values, in a stable order."""
    rdf_type = ox.NamedNode(RDF.type)
    typed = {(t.subject, t.object) for t in triples if t.predicate == rdf_type}
    added: set[ox.Triple] = set()
    for t in triples:
        cls = RANGES.get(t.predicate.value)
        if cls is None or isinstance(t.object, ox.Literal):
            continue
        if (t.object, ox.NamedNode(cls)) not in typed:
            added.add(ox.Triple(t.object, rdf_type, ox.NamedNode(cls)))
    return sorted(added, key=str)


XSD_NS = "http://www.w3.org/2001/XMLSchema#"
NON_NEGATIVE = (
    DCAT.byteSize,
    "http://healthdataportal.eu/ns/health#numberOfRecords",
    "http://healthdataportal.eu/ns/health#numberOfUniqueIndividuals",
    "http://healthdataportal.eu/ns/health#minTypicalAge",
    "http://healthdataportal.eu/ns/health#maxTypicalAge",
)
DATATYPES: dict[str, str] = {str(p): XSD_NS + "nonNegativeInteger" for p in NON_NEGATIVE}
"""Properties whose official shapes ask for ``xsd:nonNegativeInteger``. The store keeps such a value as an
``xsd:integer`` (pyoxigraph normalises integer subtypes), so the feed writes it back with the datatype asked for."""


def with_datatypes(triples: list[ox.Triple]) -> list[ox.Triple]:
    """``triples`` with each ``xsd:integer`` value of a :data:`DATATYPES` property (when in its value space)
    written with that property's datatype."""
    out: list[ox.Triple] = []
    for t in triples:
        wanted = DATATYPES.get(t.predicate.value)
        obj = t.object
        if wanted and isinstance(obj, ox.Literal) and _non_negative(obj):
            t = ox.Triple(t.subject, t.predicate, ox.Literal(obj.value, datatype=ox.NamedNode(wanted)))
        out.append(t)
    return out


def _non_negative(literal: ox.Literal) -> bool:
    return literal.datatype.value == XSD_NS + "integer" and literal.value.lstrip("+").isdigit()
