"""Vocabulary namespaces and the terms the project uses.

Terms come from the current vocabularies (DCAT 3, DCAT-AP 3, HealthDCAT-AP Release 8, CSVW, SKOS,
PROV-O), not from rdflib's DCAT 2 namespace. Every IRI is a plain ``str`` so that the same constants
serve pyoxigraph, rdflib and SPARQL text.
"""

from __future__ import annotations


class Namespace:
    """An IRI prefix; ``NS.term`` and ``NS["term"]`` give the full IRI as a plain string.

    Not a ``str`` subclass on purpose: ``DCT.title`` or ``DCT.format`` must name the terms, not the
    string methods. ``str(NS)`` is the prefix itself.
    """

    __slots__ = ("_base",)

    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._base + name

    def __getitem__(self, name: str) -> str:
        return self._base + name

    def __str__(self) -> str:
        return self._base

    def __repr__(self) -> str:
        return f"Namespace({self._base!r})"

    def __add__(self, other: str) -> str:
        return self._base + other


ADMS = Namespace("http://www.w3.org/ns/adms#")
CSVW = Namespace("http://www.w3.org/ns/csvw#")
CV = Namespace("http://data.europa.eu/m8g/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
DCT = Namespace("http://purl.org/dc/terms/")
DPV = Namespace("https://w3id.org/dpv#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
GEODCATAP = Namespace("http://data.europa.eu/930/")
HEALTHDCATAP = Namespace("http://healthdataportal.eu/ns/health#")
HDH = Namespace("https://w3id.org/hdh-graph/ns#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
QB = Namespace("http://purl.org/linked-data/cube#")
PROV = Namespace("http://www.w3.org/ns/prov#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SH = Namespace("http://www.w3.org/ns/shacl#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SCHEMA = Namespace("http://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")

# EU controlled vocabularies (Publications Office authority tables and the HealthData@EU ones).
EU_ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")
EU_DATA_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
EU_DATASET_TYPE = Namespace("http://publications.europa.eu/resource/authority/dataset-type/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_LICENCE = Namespace("http://publications.europa.eu/resource/authority/licence/")
IANA_MEDIA_TYPE = Namespace("http://www.iana.org/assignments/media-types/")
EU_PLANNED_AVAILABILITY = Namespace("http://publications.europa.eu/resource/authority/planned-availability/")
HDEU = Namespace("https://hdeu-dcat.data.health.europa.eu/resource/authority/")
HDEU_HEALTH_CATEGORY = Namespace(HDEU + "healthcategories/")
HDEU_HEALTH_THEME = Namespace(HDEU + "health-theme/")
HDEU_PUBLISHER_TYPE = Namespace(HDEU + "publisher-type/")
HDEU_HEALTH_ACTIVITY = Namespace(HDEU + "health-activity/")
HDEU_CODING_SYSTEM = Namespace(HDEU + "coding-system/")

# The European Health Data Space regulation, the legislation HealthDCAT-AP datasets cite.
EHDS_REGULATION = "http://data.europa.eu/eli/reg/2025/327/oj"

PREFIXES: dict[str, str] = {
    k: str(v)
    for k, v in {
        "adms": ADMS,
        "csvw": CSVW,
        "cv": CV,
        "dcat": DCAT,
        "dcatap": DCATAP,
        "dct": DCT,
        "dpv": DPV,
        "foaf": FOAF,
        "geodcatap": GEODCATAP,
        "hdh": HDH,
        "healthdcatap": HEALTHDCATAP,
        "owl": OWL,
        "prov": PROV,
        "qb": QB,
        "rdf": RDF,
        "rdfs": RDFS,
        "skos": SKOS,
        "vcard": VCARD,
        "xsd": XSD,
    }.items()
}


def sparql_prefixes(prefixes: dict[str, str] | None = None) -> str:
    """The PREFIX lines for a SPARQL query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted((prefixes or PREFIXES).items()))
