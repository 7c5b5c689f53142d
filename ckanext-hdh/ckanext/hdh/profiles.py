"""``hdh_health_dcat_ap``: what the hub's feed states and ckanext-dcat's DCAT-AP 3 / HealthDCAT-AP profiles do
not read, as CKAN dataset fields (and back to RDF).

Run after ``euro_dcat_ap_3`` and ``euro_health_dcat_ap``: it only adds fields, never changes theirs.
"""

from __future__ import annotations

from typing import Any

from ckanext.dcat.profiles import RDFProfile
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD, Namespace

CSVW = Namespace("http://www.w3.org/ns/csvw#")
GEODCATAP = Namespace("http://data.europa.eu/930/")
HEALTHDCATAP = Namespace("http://healthdataportal.eu/ns/health#")
QB = Namespace("http://purl.org/linked-data/cube#")

COLUMN_FIELDS = {
    "name": CSVW.name,
    "title": CSVW.title,
    "description": DCTERMS.description,
    "datatype": CSVW.datatype,
    "code_list": QB.codeList,
}


class HdhHealthDCATAPProfile(RDFProfile):
    """Custodians, "has structured data", the variables (tables and columns) and the series of each dataset."""

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> dict[str, Any]:
        custodians = self._agents_details(dataset_ref, GEODCATAP.custodian)
        if custodians:
            dataset_dict["custodian"] = custodians
        structured = self._object_value(dataset_ref, HEALTHDCATAP.hasStructuredData)
        if structured and structured.lower() in ("true", "false", "1", "0"):
            dataset_dict["has_structured_data"] = structured.lower() in ("true", "1")
        tables = [
            table for group in self.g.objects(dataset_ref, HEALTHDCATAP.hasVariables) for table in self._tables(group)
        ]
        if tables:
            dataset_dict["has_variables"] = tables
        series = sorted(str(o) for o in self.g.objects(dataset_ref, DCTERMS.isPartOf) if isinstance(o, URIRef))
        if series:
            self._set_list_dataset_value(dataset_dict, "is_part_of", series)
        return dataset_dict

    def _tables(self, group: Any) -> list[dict[str, Any]]:
        """The tables of a ``csvw:TableGroup`` (or the value itself when it is a table), with their columns."""
        members = list(self.g.objects(group, CSVW.table)) or [group]
        return [self._table(table) for table in sorted(members, key=str)]

    def _table(self, table: Any) -> dict[str, Any]:
        schema = self.g.value(table, CSVW.tableSchema)
        columns = list(self.g.objects(table, CSVW.column)) + (
            list(self.g.objects(schema, CSVW.column)) if schema else []
        )
        return {
            "uri": str(table) if isinstance(table, URIRef) else "",
            "name": self._object_value(table, DCTERMS.identifier),
            "title": self._object_value(table, DCTERMS.title),
            "columns": [self._column(column) for column in sorted(set(columns), key=str)],
        }

    def _column(self, column: Any) -> dict[str, str]:
        details = {"uri": str(column) if isinstance(column, URIRef) else ""}
        for key, predicate in COLUMN_FIELDS.items():
            details[key] = self._object_value(column, predicate)
        return details

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        self.g.bind("geodcatap", GEODCATAP)
        self.g.bind("csvw", CSVW)
        for agent in self._get_dataset_value(dataset_dict, "custodian") or []:
            self._add_agent_to_graph(dataset_ref, GEODCATAP.custodian, agent)
        structured = self._get_dataset_value(dataset_dict, "has_structured_data")
        if structured is not None:
            value = structured if isinstance(structured, bool) else str(structured).lower() in ("true", "1")
            self.g.add((dataset_ref, HEALTHDCATAP.hasStructuredData, Literal(value, datatype=XSD.boolean)))
        for table in self._get_dataset_value(dataset_dict, "has_variables") or []:
            self._add_table(dataset_ref, table)
        for series in self._read_list_value(self._get_dataset_value(dataset_dict, "is_part_of")) or []:
            self.g.add((dataset_ref, DCTERMS.isPartOf, URIRef(series)))

    def _add_table(self, dataset_ref: URIRef, table: dict[str, Any]) -> None:
        node = URIRef(table["uri"]) if table.get("uri") else BNode()
        self.g.add((dataset_ref, HEALTHDCATAP.hasVariables, node))
        self.g.add((node, RDF.type, CSVW.Table))
        for key, predicate in (("name", DCTERMS.identifier), ("title", DCTERMS.title)):
            if table.get(key):
                self.g.add((node, predicate, Literal(table[key])))
        for column in table.get("columns") or []:
            col = URIRef(column["uri"]) if column.get("uri") else BNode()
            self.g.add((node, CSVW.column, col))
            self.g.add((col, RDF.type, CSVW.Column))
            for key, predicate in COLUMN_FIELDS.items():
                value = column.get(key)
                if value:
                    self.g.add((col, predicate, URIRef(value) if key == "code_list" else Literal(value)))
