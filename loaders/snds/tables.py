"""SNDS tables as CSVW tables, columns and keys; yearly tables as DCAT dataset series."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from hdh_graph import iris
from hdh_graph.turtle_writer import IRI, Graph, Literal, Node, lit
from hdh_graph.vocab import CSVW, DCAT, DCATAP, DCT, EHDS_REGULATION, HDH, PROV, QB, RDF, SKOS, XSD

from .products import HUB
from .source import Field, Table

UPSTREAM = "https://gitlab.com/healthdatahub/schema-snds/-/blob/fe17ef8348aeb74f38c29016f49e65f82a6168b6/"

# Table Schema types → CSVW built-in datatype names.
DATATYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "date": "date",
    "boolean": "boolean",
    "year": "gYear",
    "yearmonth": "gYearMonth",
    "datetime": "datetime",
}

# Yearly tables: PMSI tables carry "aa" for the year (T_MCOaaB), the cartography "AAAA" (CT_IND_AAAA_GN).
_YEARLY = re.compile(r"^T_[A-Z]{3}aa|_AAAA_")


@dataclass
class Unresolved:
    """A reference in the source that points to nothing the source defines."""

    table: str
    what: str
    reference: str
    path: str

    def __str__(self) -> str:
        return f"{self.path}: table {self.table}: {self.what} {self.reference} is not defined in the source"


@dataclass
class TableIndex:
    """What references can resolve to: tables with their columns, and code lists."""

    columns: dict[str, set[str]]
    code_lists: set[str]
    unresolved: list[Unresolved] = field(default_factory=list)


def upstream(path: str) -> str:
    return UPSTREAM + quote(path)


def is_yearly(name: str) -> bool:
    return bool(_YEARLY.search(name))


def describe_table(graph: Graph, table: Table, dataset_iri: str, index: TableIndex) -> None:
    t_iri = iris.table(table.name)
    node = graph.node(t_iri)
    node.add(RDF.type, IRI(CSVW.Table))
    node.add(DCT.identifier, lit(table.name))
    node.add(DCT.title, lit(table.title or table.name, "fr"))
    node.add(HDH.champ, lit(table.champ, "fr"))
    node.add(SKOS.note, lit(table.observation, "fr"))
    _years(node, table.year_created, table.year_deleted, table.years_missing)
    node.add(DCT.isPartOf, IRI(dataset_iri))
    node.add(PROV.wasDerivedFrom, IRI(upstream(table.path)))
    for f in table.fields:
        node.add(CSVW.column, IRI(iris.column(table.name, f.name)))
        describe_column(graph, table, f, index)
    known = index.columns.get(table.name, set())
    for key in table.primary_key:
        node.add(CSVW.primaryKey, IRI(iris.column(table.name, key)))
        if key not in known:
            index.unresolved.append(Unresolved(table.name, "primary-key column", key, table.path))
    _foreign_keys(graph, table, index)
    if is_yearly(table.name):
        _series(graph, table, dataset_iri)


def describe_column(graph: Graph, table: Table, f: Field, index: TableIndex) -> None:
    node = graph.node(iris.column(table.name, f.name))
    node.add(RDF.type, IRI(CSVW.Column))
    node.add(CSVW.name, lit(f.name))
    node.add(CSVW.title, lit(f.description or f.name, "fr"))
    node.add(DCT.description, lit(f.description or f.name, "fr"))
    node.add(CSVW.datatype, lit(DATATYPES.get(f.type, f.type)))
    node.add(CSVW.format, lit(f.format))
    node.add(HDH.oracleType, lit(f.oracle_type))
    node.add(HDH.oracleLength, lit(f.length))
    if f.minimum is not None:
        node.add(CSVW.minimum, Literal(str(f.minimum), datatype=_number_type(f.minimum)))
    if f.maximum is not None:
        node.add(CSVW.maximum, Literal(str(f.maximum), datatype=_number_type(f.maximum)))
    _years(node, f.year_created, f.year_deleted, f.years_missing)
    node.add(SKOS.note, lit(f.observation, "fr"))
    node.add(HDH.businessRule, lit(f.business_rule, "fr"))
    if f.nomenclature:
        node.add(QB.codeList, IRI(iris.codelist(f.nomenclature)))
        node.add(HDH.codeListKey, lit(f.nomenclature_key))
        if f.nomenclature not in index.code_lists:
            node.add(HDH.unresolved, lit(True))
            index.unresolved.append(Unresolved(table.name, f"code list of column {f.name}", f.nomenclature, table.path))


def _number_type(value: float | int) -> str:
    return XSD.integer if isinstance(value, int) else XSD.decimal


def _years(node, created: str | None, deleted: str | None, missing: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    node.add(HDH.yearCreated, lit(created, datatype=XSD.gYear))
    node.add(HDH.yearDeleted, lit(deleted, datatype=XSD.gYear))
    node.add(HDH.yearMissing, *(lit(y, datatype=XSD.gYear) for y in missing))


def _foreign_keys(graph: Graph, table: Table, index: TableIndex) -> None:
    node = graph.node(iris.table(table.name))
    local = index.columns.get(table.name, set())
    targets = [fk.target_table for fk in table.foreign_keys]
    for fk in table.foreign_keys:
        shared = targets.count(fk.target_table) > 1
        fk_iri = iris.foreign_key(table.name, fk.target_table, list(fk.fields) if shared else None)
        ref_iri = f"{fk_iri}-ref"
        node.add(CSVW.foreignKey, IRI(fk_iri))
        fk_node = graph.node(fk_iri)
        fk_node.add(RDF.type, IRI(CSVW.ForeignKey))
        fk_node.add(CSVW.columnReference, *(IRI(iris.column(table.name, c)) for c in fk.fields))
        fk_node.add(CSVW.reference, IRI(ref_iri))
        ref = graph.node(ref_iri)
        ref.add(RDF.type, IRI(CSVW.TableReference))
        ref.add(CSVW.resource, IRI(iris.table(fk.target_table)))
        ref.add(CSVW.columnReference, *(IRI(iris.column(fk.target_table, c)) for c in fk.target_fields))

        target = index.columns.get(fk.target_table)
        problems = []
        if target is None:
            problems.append(("foreign-key target table", fk.target_table))
        problems += [("foreign-key column", c) for c in fk.fields if c not in local]
        if target is not None:
            problems += [
                (f"foreign-key target column in {fk.target_table}", c) for c in fk.target_fields if c not in target
            ]
        if len(fk.fields) != len(fk.target_fields):
            problems.append(("foreign key with mismatched column counts", f"{fk.fields} → {fk.target_fields}"))
        if problems:
            fk_node.add(HDH.unresolved, lit(True))
            for what, ref_name in problems:
                index.unresolved.append(Unresolved(table.name, what, str(ref_name), table.path))
            continue
        for c, tc in zip(fk.fields, fk.target_fields, strict=True):
            graph.node(iris.column(table.name, c)).add(HDH.references, IRI(iris.column(fk.target_table, tc)))


def _series(graph: Graph, table: Table, dataset_iri: str) -> None:
    s = graph.node(iris.series(table.name))
    s.add(RDF.type, IRI(DCAT.DatasetSeries))
    title = table.title or table.name
    s.add(DCT.title, lit(f"{table.name} – {title} (série annuelle)", "fr"), lit(f"{table.name} (yearly series)", "en"))
    s.add(
        DCT.description,
        lit(
            f"Série annuelle de la table {table.name} : chaque année de données est un membre de la série "
            "(dcat:inSeries) qui suit la structure de cette table.",
            "fr",
        ),
        lit(
            f"Yearly series of table {table.name}: each year of data is a member of the series (dcat:inSeries) "
            "that follows the layout of this table.",
            "en",
        ),
    )
    s.add(DCATAP.applicableLegislation, IRI(EHDS_REGULATION))
    s.add(DCT.publisher, IRI(iris.agent(HUB)))
    s.add(DCAT.contactPoint, IRI(f"{dataset_iri}#contact"))
    s.add(HDH.tableSchema, IRI(iris.table(table.name)))
    s.add(DCT.isPartOf, IRI(dataset_iri))


def describe_coverage(graph: Graph, dataset: Node, dataset_iri: str, tables: list[Table]) -> None:
    """The years a product covers, from the years its tables and variables were created and deleted.

    The start is the first year any of them exists; the end is given only when every table has been deleted.
    Nothing is said when the source gives no year.
    """
    created = [y for t in tables for y in (t.year_created, *(f.year_created for f in t.fields)) if y]
    if not created:
        return
    period = graph.node(f"{dataset_iri}#coverage")
    dataset.add(DCT.temporal, IRI(f"{dataset_iri}#coverage"))
    period.add(RDF.type, IRI(DCT.PeriodOfTime))
    period.add(DCAT.startDate, lit(min(created), datatype=XSD.gYear))
    deleted = [t.year_deleted for t in tables]
    if all(deleted):
        period.add(DCAT.endDate, lit(max(d for d in deleted if d), datatype=XSD.gYear))
