"""The SPARQL that reads what the MQA needs, for every dataset at once (one row per dataset per query).

Dataset checks are ``EXISTS`` tests; distribution checks are counted per dataset (distributions meeting each
check out of all). Vocabulary checks compare IRI prefixes; the non-proprietary and machine-readable formats are
the EU file types listed in :data:`NON_PROPRIETARY` and :data:`MACHINE_READABLE` (after the MQA's lists).
"""

from __future__ import annotations

from collections.abc import Iterable

from hdh_graph.vocab import EU_ACCESS_RIGHT, EU_FILE_TYPE, EU_LICENCE, IANA_MEDIA_TYPE

FILE_TYPE = str(EU_FILE_TYPE)
IANA = str(IANA_MEDIA_TYPE)
LICENCE = str(EU_LICENCE)
ACCESS_RIGHT = str(EU_ACCESS_RIGHT)

NON_PROPRIETARY = [
    "CSV",
    "JSON",
    "JSON_LD",
    "XML",
    "RDF",
    "RDF_XML",
    "RDF_TURTLE",
    "RDF_N_TRIPLES",
    "RDF_N_QUADS",
    "RDF_TRIG",
    "N3",
    "TSV",
    "TXT",
    "HTML",
    "ODS",
    "ODT",
    "GEOJSON",
    "GML",
    "KML",
    "GPKG",
    "PARQUET",
    "SPARQLQ",
]
MACHINE_READABLE = [
    "CSV",
    "JSON",
    "JSON_LD",
    "XML",
    "RDF",
    "RDF_XML",
    "RDF_TURTLE",
    "RDF_N_TRIPLES",
    "RDF_N_QUADS",
    "RDF_TRIG",
    "N3",
    "TSV",
    "ODS",
    "XLS",
    "XLSX",
    "GEOJSON",
    "GML",
    "KML",
    "GPKG",
    "PARQUET",
    "SPARQLQ",
]


def _values(codes: list[str]) -> str:
    return " ".join(f"<{FILE_TYPE}{code}>" for code in codes)


DATASETS = f"""
SELECT ?dataset (SAMPLE(?g) AS ?graph)
       (MAX(?k) AS ?keyword) (MAX(?th) AS ?theme) (MAX(?sp) AS ?spatial) (MAX(?tm) AS ?temporal)
       (MAX(?ar) AS ?accessRights) (MAX(?arv) AS ?accessRightsVocabulary) (MAX(?cp) AS ?contactPoint)
       (MAX(?pub) AS ?publisher) (MAX(?iss) AS ?issued) (MAX(?mod) AS ?modified)
WHERE {{
  GRAPH ?g {{ ?dataset a dcat:Dataset }}
  BIND(EXISTS {{ ?dataset dcat:keyword ?x1 }} AS ?k)
  BIND(EXISTS {{ ?dataset dcat:theme ?x2 }} AS ?th)
  BIND(EXISTS {{ ?dataset dct:spatial ?x3 }} AS ?sp)
  BIND(EXISTS {{ ?dataset dct:temporal ?x4 }} AS ?tm)
  BIND(EXISTS {{ ?dataset dct:accessRights ?x5 }} AS ?ar)
  BIND(EXISTS {{ ?dataset dct:accessRights ?x6 FILTER(STRSTARTS(STR(?x6), "{ACCESS_RIGHT}")) }} AS ?arv)
  BIND(EXISTS {{ ?dataset dcat:contactPoint ?x7 }} AS ?cp)
  BIND(EXISTS {{ ?dataset dct:publisher ?x8 }} AS ?pub)
  BIND(EXISTS {{ ?dataset dct:issued ?x9 }} AS ?iss)
  BIND(EXISTS {{ ?dataset dct:modified ?x10 }} AS ?mod)
}}
GROUP BY ?dataset
"""

DISTRIBUTIONS = f"""
SELECT ?dataset (COUNT(?d) AS ?distributions)
       (SUM(?dl) AS ?downloadUrl) (SUM(?fo) AS ?format) (SUM(?mt) AS ?mediaType)
       (SUM(?fv) AS ?formatVocabulary) (SUM(?np) AS ?nonProprietary) (SUM(?mr) AS ?machineReadable)
       (SUM(?li) AS ?license) (SUM(?lv) AS ?licenseVocabulary) (SUM(?ri) AS ?rights) (SUM(?bs) AS ?byteSize)
WHERE {{
  {{ SELECT DISTINCT ?dataset ?d WHERE {{ ?dataset a dcat:Dataset ; dcat:distribution ?d }} }}
  BIND(IF(EXISTS {{ ?d dcat:downloadURL ?y1 }}, 1, 0) AS ?dl)
  BIND(IF(EXISTS {{ ?d dct:format ?y2 }}, 1, 0) AS ?fo)
  BIND(IF(EXISTS {{ ?d dcat:mediaType ?y3 }}, 1, 0) AS ?mt)
  BIND(IF(EXISTS {{ {{ ?d dct:format ?y4 FILTER(STRSTARTS(STR(?y4), "{FILE_TYPE}")) }}
                  UNION {{ ?d dcat:mediaType ?y5 FILTER(STRSTARTS(STR(?y5), "{IANA}")) }} }}, 1, 0) AS ?fv)
  BIND(IF(EXISTS {{ ?d dct:format ?y6 VALUES ?y6 {{ {_values(NON_PROPRIETARY)} }} }}, 1, 0) AS ?np)
  BIND(IF(EXISTS {{ ?d dct:format ?y7 VALUES ?y7 {{ {_values(MACHINE_READABLE)} }} }}, 1, 0) AS ?mr)
  BIND(IF(EXISTS {{ ?d dct:license ?y8 }}, 1, 0) AS ?li)
  BIND(IF(EXISTS {{ ?d dct:license ?y9 FILTER(STRSTARTS(STR(?y9), "{LICENCE}")) }}, 1, 0) AS ?lv)
  BIND(IF(EXISTS {{ ?d dct:rights ?y10 }}, 1, 0) AS ?ri)
  BIND(IF(EXISTS {{ ?d dcat:byteSize ?y11 }}, 1, 0) AS ?bs)
}}
GROUP BY ?dataset
"""

CATALOGUE = """
SELECT ?catalog WHERE { ?catalog a dcat:Catalog } ORDER BY ?catalog LIMIT 1
"""


def restrict(query: str, datasets: Iterable[str] | None) -> str:
    """``query`` limited to ``datasets`` (a ``VALUES ?dataset`` at the start of each group); all when ``None``."""
    if datasets is None:
        return query
    values = " ".join(f"<{iri}>" for iri in datasets)
    return query.replace("WHERE {", f"WHERE {{ VALUES ?dataset {{ {values} }}")
