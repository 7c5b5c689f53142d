"""OMOP CDM tables as CSVW tables, their fields as columns, their keys as keys between tables.

Each field is a ``csvw:Column`` with ``csvw:datatype`` (CSVW built-in name), ``csvw:maxLength`` for a
``varchar(n)``, ``csvw:required``, ``dct:description`` (the user guidance, in English) and ``hdh:businessRule``
(the ETL conventions: how the field is filled). A primary-key field is a ``csvw:primaryKey`` of its table; a
foreign-key field is a ``csvw:ForeignKey`` to its target table and the pair of fields is linked by
``hdh:references``, as for the SNDS. A field that names concepts of given domains (``fkDomain``) has one
``qb:codeList`` per domain: the domain's concept scheme (see ``vocabularies``).
"""

from __future__ import annotations

from urllib.parse import quote

from hdh_graph import iris
from hdh_graph.turtle_writer import IRI, Graph, Literal, lit
from hdh_graph.vocab import CSVW, DCT, HDH, PROV, QB, RDF, RDFS, SKOS, XSD

from .source import FIELD_FILE, TABLE_FILE, Field, Table, split_type
from .vocabularies import domain_scheme

COMMIT = "f853f6e39c61b4eb8b3e5287fd573a1ced36c0e4"
UPSTREAM = f"https://github.com/OHDSI/CommonDataModel/blob/{COMMIT}/inst/csv/"
DOCUMENTATION = "https://ohdsi.github.io/CommonDataModel/cdm54.html"
SCHEMAS = {
    "CDM": "the clinical data, health system and health economics tables (CDM schema)",
    "VOCAB": "the standardised vocabularies (VOCAB schema)",
    "RESULTS": "the derived results (RESULTS schema)",
}


def upstream(file_name: str, line: int) -> str:
    return f"{UPSTREAM}{quote(file_name)}#L{line}"


def terminology(name: str) -> str:
    """A terminology both databases use (described in ``catalogue/mappings/terminologies.ttl``)."""
    return f"terminology/{iris.encode_segment(name)}"


def describe_table(
    graph: Graph, table: Table, dataset_iri: str, source_codes: dict[str, tuple[str, ...]] | None = None
) -> None:
    node = graph.node(iris.table(table.name))
    node.add(RDF.type, IRI(CSVW.Table))
    node.add(DCT.identifier, lit(table.name))
    node.add(DCT.title, lit(table.name.upper()))
    node.add(DCT.description, lit(table.description, "en"))
    node.add(SKOS.note, lit(table.guidance, "en"))
    node.add(HDH.businessRule, lit(table.conventions, "en"))
    scope = SCHEMAS.get(table.schema, f"the {table.schema} schema")
    required = " Every OMOP CDM database has this table." if table.required else ""
    node.add(SKOS.scopeNote, lit(f"Part of {scope} of the OMOP CDM 5.4.{required}", "en"))
    node.add(DCT.isPartOf, IRI(dataset_iri))
    node.add(PROV.wasDerivedFrom, IRI(upstream(TABLE_FILE, table.line)))
    node.add(RDFS.seeAlso, IRI(f"{DOCUMENTATION}#{table.name}"))
    for f in table.fields:
        node.add(CSVW.column, IRI(iris.column(table.name, f.name)))
        describe_column(graph, f, FIELD_FILE, (source_codes or {}).get(f"{table.name}.{f.name}", ()))
    for key in table.primary_key:
        node.add(CSVW.primaryKey, IRI(iris.column(table.name, key)))
    _foreign_keys(graph, table)


def describe_column(graph: Graph, f: Field, field_file: str, terminologies: tuple[str, ...] = ()) -> None:
    node = graph.node(iris.column(f.table, f.name))
    node.add(RDF.type, IRI(CSVW.Column))
    node.add(CSVW.name, lit(f.name))
    node.add(CSVW.title, lit(f.name))
    description = (
        f.guidance
        or f.conventions
        or (f"Field {f.name} of the {f.table.upper()} table (OMOP CDM 5.4); the specification gives no description.")
    )
    node.add(DCT.description, lit(description, "en"))
    if f.guidance:
        node.add(HDH.businessRule, lit(f.conventions, "en"))
    datatype, size = split_type(f.datatype)
    node.add(CSVW.datatype, lit(datatype))
    if size is not None:
        node.add(CSVW.maxLength, Literal(str(size), datatype=XSD.nonNegativeInteger))
    node.add(CSVW.required, lit(f.required))
    for domain in f.domains:
        node.add(QB.codeList, IRI(domain_scheme(domain)))
    for name in terminologies:
        node.add(QB.codeList, IRI(terminology(name)))
    if f.concept_class:
        node.add(SKOS.note, lit(f"The concepts named are of the concept class {f.concept_class}.", "en"))
    node.add(PROV.wasDerivedFrom, IRI(upstream(field_file, f.line)))


def _foreign_keys(graph: Graph, table: Table) -> None:
    node = graph.node(iris.table(table.name))
    keys = [f for f in table.fields if f.foreign_table]
    targets = [f.foreign_table for f in keys]
    for f in keys:
        assert f.foreign_table is not None and f.foreign_field is not None
        shared = targets.count(f.foreign_table) > 1
        fk_iri = iris.foreign_key(table.name, f.foreign_table, [f.name] if shared else None)
        node.add(CSVW.foreignKey, IRI(fk_iri))
        graph.node(fk_iri).add(RDF.type, IRI(CSVW.ForeignKey)).add(
            CSVW.columnReference, IRI(iris.column(table.name, f.name))
        ).add(CSVW.reference, IRI(f"{fk_iri}-ref"))
        graph.node(f"{fk_iri}-ref").add(RDF.type, IRI(CSVW.TableReference)).add(
            CSVW.resource, IRI(iris.table(f.foreign_table))
        ).add(CSVW.columnReference, IRI(iris.column(f.foreign_table, f.foreign_field)))
        graph.node(iris.column(table.name, f.name)).add(
            HDH.references, IRI(iris.column(f.foreign_table, f.foreign_field))
        )
