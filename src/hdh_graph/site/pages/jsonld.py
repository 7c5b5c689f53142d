"""schema.org ``Dataset`` JSON-LD embedded in dataset pages (what dataset search engines read).

The JSON is made safe for a ``<script>`` element: ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc., so
that a literal containing ``</script>`` or ``<!--`` cannot end the element or start markup.
"""

from __future__ import annotations

import json
from typing import Any

from hdh_graph.site.pages.context import DatasetPage, Ref
from hdh_graph.site.urls import page_url

_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})

MAX_VARIABLES = 500


def script_json(data: Any) -> str:
    """JSON text that can sit inside ``<script type="application/ld+json">`` whatever the strings hold."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).translate(_SAFE)


def _org(ref: Ref, site_url: str) -> dict[str, str]:
    out = {"@type": "Organization", "name": ref.label.plain("fr")}
    if ref.path:
        out["url"] = site_url + page_url(ref.path)
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
        "isAccessibleForFree": False,
    }
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
