"""Read a dataset's tables and variables from the store, for the exports that are not RDF (Croissant, CSV,
Excel). One query for the columns, one for the dataset; labels in the asked language, else any."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from hdh_graph.errors import HdhError
from hdh_graph.feed.collect import as_graph_store
from hdh_graph.graph_store import GraphStore
from hdh_graph.vocab import sparql_prefixes


class UnknownDataset(HdhError):
    """The store has no dataset with that IRI."""


@dataclass
class Column:
    name: str
    iri: str
    title: str = ""
    description: str = ""
    datatype: str = ""
    codelist: str = ""
    codelist_name: str = ""
    required: str = ""
    minimum: str = ""
    maximum: str = ""
    key: bool = False


@dataclass
class Table:
    name: str
    iri: str
    title: str = ""
    columns: list[Column] = field(default_factory=list)


@dataclass
class DatasetInfo:
    iri: str
    title: str = ""
    description: str = ""
    identifier: str = ""
    keywords: list[str] = field(default_factory=list)
    publisher: str = ""
    access_urls: list[str] = field(default_factory=list)
    landing_page: str = ""
    licence: str = ""
    access_rights: str = ""
    tables: list[Table] = field(default_factory=list)


def _pick(values: dict[str, str], lang: str) -> str:
    return values.get(lang) or values.get("en") or values.get("") or next(iter(sorted(values.items())), ("", ""))[1]


def _text(store: GraphStore, subject: str, prop: str, lang: str) -> str:
    found: dict[str, str] = {}
    for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(prop), None, None):
        if isinstance(q.object, ox.Literal):
            found.setdefault(q.object.language or "", q.object.value)
    return _pick(found, lang)


def _iris(store: GraphStore, subject: str, prop: str) -> list[str]:
    found = store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(prop), None, None)
    return sorted({q.object.value for q in found if not isinstance(q.object, ox.Triple)})


COLUMNS = """
SELECT ?table ?tname ?col ?name ?datatype ?codelist ?clname ?required ?min ?max ?key WHERE {
  <%s> healthdcatap:hasVariables/csvw:table ?table .
  ?table csvw:column ?col .
  OPTIONAL { ?table csvw:name ?tn0 }
  BIND(COALESCE(?tn0, REPLACE(STR(?table), "^.*/", "")) AS ?tname)
  OPTIONAL { ?col csvw:name ?n0 }
  BIND(COALESCE(?n0, REPLACE(STR(?col), "^.*/", "")) AS ?name)
  OPTIONAL { ?col csvw:datatype ?datatype }
  OPTIONAL { ?col qb:codeList ?codelist OPTIONAL { ?codelist dct:identifier ?clname } }
  OPTIONAL { ?col csvw:required ?required }
  OPTIONAL { ?col csvw:minimum ?min }
  OPTIONAL { ?col csvw:maximum ?max }
  BIND(EXISTS { ?table csvw:primaryKey ?col } AS ?key)
} ORDER BY ?tname ?name
"""


def dataset_info(store: Any, iri: str, lang: str = "en") -> DatasetInfo:
    """The dataset's summary and its tables and columns, sorted by name."""
    ox_store = as_graph_store(store)
    from hdh_graph.vocab import DCAT, DCT, FOAF, RDF

    if not list(
        ox_store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF.type), ox.NamedNode(DCAT.Dataset), None)
    ):
        raise UnknownDataset(f"no dataset {iri} in the store", hint="check the IRI, or rebuild the store (hdh build)")
    info = DatasetInfo(
        iri=iri,
        title=_text(ox_store, iri, DCT.title, lang),
        description=_text(ox_store, iri, DCT.description, lang),
        identifier=_text(ox_store, iri, DCT.identifier, lang),
        keywords=sorted(
            {
                q.object.value
                for q in ox_store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(DCAT.keyword), None, None)
                if isinstance(q.object, ox.Literal) and q.object.language in (lang, "", None)
            }
        ),
        access_rights=next(iter(_iris(ox_store, iri, DCT.accessRights)), ""),
        licence=next(iter(_iris(ox_store, iri, DCT.license)), ""),
        landing_page=next(iter(_iris(ox_store, iri, DCAT.landingPage) or _iris(ox_store, iri, FOAF.page)), ""),
    )
    publishers = _iris(ox_store, iri, DCT.publisher)
    if publishers:
        info.publisher = _text(ox_store, publishers[0], FOAF.name, lang) or publishers[0]
    for dist in _iris(ox_store, iri, DCAT.distribution):
        info.access_urls += _iris(ox_store, dist, DCAT.accessURL) + _iris(ox_store, dist, DCAT.downloadURL)
    tables: dict[str, Table] = {}
    seen: set[tuple[str, str]] = set()
    rows = ox_store.query(sparql_prefixes() + COLUMNS % iri, use_default_graph_as_union=True)
    for row in rows:  # type: ignore[union-attr]
        table_iri, col_iri = row["table"].value, row["col"].value
        if (table_iri, col_iri) in seen:
            continue
        seen.add((table_iri, col_iri))
        table = tables.get(table_iri)
        if table is None:
            table = tables[table_iri] = Table(
                row["tname"].value, table_iri, _text(ox_store, table_iri, DCT.title, lang)
            )
        table.columns.append(
            Column(
                name=row["name"].value,
                iri=col_iri,
                title=_text(ox_store, col_iri, "http://www.w3.org/ns/csvw#title", lang),
                description=_text(ox_store, col_iri, DCT.description, lang),
                datatype=_value(row["datatype"]),
                codelist=_value(row["codelist"]),
                codelist_name=_value(row["clname"]) or _value(row["codelist"]).rsplit("/", 1)[-1],
                required=_value(row["required"]),
                minimum=_value(row["min"]),
                maximum=_value(row["max"]),
                key=_value(row["key"]) == "true",
            )
        )
    info.tables = sorted(tables.values(), key=lambda t: t.name)
    return info


def _value(term: Any) -> str:
    return "" if term is None else str(term.value)
