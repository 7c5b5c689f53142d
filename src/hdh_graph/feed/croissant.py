"""A dataset as Croissant 1.0 JSON-LD (MLCommons), for machine-learning users.

The dataset's metadata become schema.org terms; each table becomes a ``cr:RecordSet`` whose fields are the
table's variables, with schema.org data types. The data themselves are not public: the one ``cr:FileObject``
points at the access route (its ``contentUrl``), so a Croissant reader sees the structure without downloading.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hdh_graph.feed.variables import DatasetInfo, dataset_info

CROISSANT_CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "samplingRate": "cr:samplingRate",
    "equivalentProperty": "cr:equivalentProperty",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
# CSVW built-in datatype (docs/model.md) -> schema.org data type
DATA_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "number": "sc:Float",
    "decimal": "sc:Float",
    "date": "sc:Date",
    "datetime": "sc:DateTime",
    "time": "sc:Time",
    "boolean": "sc:Boolean",
    "gYear": "sc:Date",
    "gYearMonth": "sc:Date",
}


def _id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "x"


def to_croissant(info: DatasetInfo) -> dict[str, Any]:
    """The Croissant document for a dataset already read from the store."""
    file_id = "access"
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "@id": info.iri,
        "conformsTo": CROISSANT_CONFORMS_TO,
        "name": info.title or info.identifier or info.iri,
        "description": info.description or info.title,
        "url": info.landing_page or info.iri,
        "sameAs": info.iri,
        "keywords": info.keywords,
        "isAccessibleForFree": False,
        "isLiveDataset": True,
    }
    if info.identifier:
        doc["identifier"] = info.identifier
    if info.publisher:
        doc["creator"] = {"@type": "sc:Organization", "name": info.publisher}
        doc["citeAs"] = f"{info.publisher}. {doc['name']}. {info.iri}"
    if info.licence:
        doc["license"] = info.licence
    if info.access_rights:
        doc["conditionsOfAccess"] = info.access_rights
    doc["distribution"] = [
        {
            "@type": "cr:FileObject",
            "@id": file_id,
            "name": file_id,
            "description": "Access on authorisation: the data are not downloadable from the catalogue.",
            "contentUrl": (info.access_urls or [info.landing_page or info.iri])[0],
            "encodingFormat": "text/csv",
            "sha256": "unknown: access on authorisation",
        }
    ]
    record_sets = []
    for table in info.tables:
        table_id = _id(table.name)
        fields = []
        for column in table.columns:
            item: dict[str, Any] = {
                "@type": "cr:Field",
                "@id": f"{table_id}/{_id(column.name)}",
                "name": column.name,
                "description": column.description or column.title or column.name,
                "dataType": DATA_TYPES.get(column.datatype, "sc:Text"),
                "source": {"fileObject": {"@id": file_id}, "extract": {"column": column.name}},
            }
            if column.codelist:
                item["sameAs"] = column.codelist
            fields.append(item)
        record_set: dict[str, Any] = {
            "@type": "cr:RecordSet",
            "@id": table_id,
            "name": table.name,
            "description": table.title or table.name,
            "field": fields,
        }
        keys = [f"{table_id}/{_id(c.name)}" for c in table.columns if c.key]
        if keys:
            record_set["key"] = [{"@id": k} for k in keys]
        record_sets.append(record_set)
    doc["recordSet"] = record_sets
    return doc


def croissant(store: Any, dataset: str, lang: str = "en") -> bytes:
    """The dataset ``dataset`` (IRI) of the store as Croissant JSON-LD bytes."""
    doc = to_croissant(dataset_info(store, dataset, lang))
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
