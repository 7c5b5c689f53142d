"""schema.org ``Dataset`` JSON-LD embedded in dataset pages (what dataset search engines read).

The JSON is made safe for a ``<script>`` element: ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc., so
that a literal containing ``</script>`` or ``<!--`` cannot end the element or start markup.
"""

from __future__ import annotations

import json
from typing import Any

from hdh_graph.site.pages.context import Access, DatasetPage, Ref
from hdh_graph.site.urls import page_url
from hdh_graph.vocab import EU_ACCESS_RIGHT, EU_FILE_TYPE, IANA_MEDIA_TYPE

_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})

MAX_VARIABLES = 500

PUBLIC = EU_ACCESS_RIGHT.PUBLIC
IANA = str(IANA_MEDIA_TYPE)
FILE_TYPE = str(EU_FILE_TYPE)
FILE_TYPE_MEDIA = {
    "CSV": "text/csv",
    "HTML": "text/html",
    "JSON": "application/json",
    "JSON_LD": "application/ld+json",
    "PDF": "application/pdf",
    "RDF_TURTLE": "text/turtle",
    "RDF_XML": "application/rdf+xml",
    "SPARQLQ": "application/sparql-query",
    "TSV": "text/tab-separated-values",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "XML": "application/xml",
    "ZIP": "application/zip",
}
"""The media type of the EU file types the catalogue uses (``dct:format``), for schema.org's ``encodingFormat``."""


def media_type(media: str | None, file_type: str | None) -> str | None:
    """A distribution's media type: its IANA ``dcat:mediaType``, else the one of its EU ``dct:format``."""
    if media and media.startswith(IANA):
        return media[len(IANA) :]
    if file_type and file_type.startswith(FILE_TYPE):
        return FILE_TYPE_MEDIA.get(file_type[len(FILE_TYPE) :])
    return None


def script_json(data: Any) -> str:
    """JSON text that can sit inside ``<script type="application/ld+json">`` whatever the strings hold."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).translate(_SAFE)


def _org(ref: Ref, site_url: str) -> dict[str, str]:
    out = {"@type": "Organization", "name": ref.label.plain("fr")}
    if ref.path:
        out["url"] = site_url + page_url(ref.path)
    return out


def _distribution(access: Access) -> dict[str, Any]:
    """A way to the data as a schema.org ``DataDownload``: ``contentUrl`` only for a download of the data itself
    (``dcat:downloadURL``); a page to request access is its ``url``."""
    out: dict[str, Any] = {"@type": "DataDownload"}
    name = access.title.plain("fr")
    if name:
        out["name"] = name
    if access.download_url:
        out["contentUrl"] = access.download_url
    if access.access_url:
        out["url"] = access.access_url
    if access.media_type:
        out["encodingFormat"] = access.media_type
    if access.licenses:
        out["license"] = access.licenses[0] if len(access.licenses) == 1 else list(access.licenses)
    return out


def dataset_jsonld(page: DatasetPage, site_url: str) -> dict[str, Any]:
    """The schema.org description of a dataset page. ``site_url`` has no trailing slash."""
    name = page.title.plain("fr") or page.identifier or page.path
    description = page.description.plain("fr")
    if len(description) < 50:
        # Dataset search engines ask for 50 characters or more; say plainly what the dataset is instead.
        description = (description + " " if description else "") + f"Jeu de données « {name} » du catalogue."
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": page.iri,
        "name": name,
        "description": description,
        "url": site_url + page_url(page.path),
        "inLanguage": "fr",
        "isAccessibleForFree": bool(page.access_rights and page.access_rights.iri == PUBLIC),
    }
    if page.licenses:
        data["license"] = page.licenses[0] if len(page.licenses) == 1 else list(page.licenses)
    distributions = [_distribution(a) for a in page.accesses if a.access_url or a.download_url]
    if distributions:
        data["distribution"] = distributions
    if page.identifier:
        data["identifier"] = page.identifier
    keywords = sorted({v for _, v in page.keywords})
    if keywords:
        data["keywords"] = keywords
    if page.publishers:
        data["publisher"] = _org(page.publishers[0], site_url)
    if page.custodians:
        data["creator"] = [_org(r, site_url) for r in page.custodians]
    if page.access_rights:
        data["conditionsOfAccess"] = page.access_rights.label.plain("fr")
    if page.spatial:
        data["spatialCoverage"] = [r.label.plain("fr") for r in page.spatial]
    start, end = page.years
    if start:
        data["temporalCoverage"] = f"{start}/{end or '..'}"
    if page.part_of and page.part_of.path:
        data["isPartOf"] = site_url + page_url(page.part_of.path)
    if page.parts:
        data["hasPart"] = [site_url + page_url(r.path) for r in page.parts if r.path]
    if page.variables:
        data["variableMeasured"] = [
            {
                "@type": "PropertyValue",
                "name": v.name,
                "description": v.description.plain("fr") or v.ref.label.plain("fr"),
                "url": site_url + page_url(v.ref.path) if v.ref.path else v.ref.iri,
            }
            for v in page.variables[:MAX_VARIABLES]
        ]
    data["includedInDataCatalog"] = {"@type": "DataCatalog", "url": site_url + "/"}
    return data
