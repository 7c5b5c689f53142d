"""SNDS code lists (nomenclatures) as SKOS concept schemes kept tabular: CSV + CSVW description in Turtle.

The CSV files are copied unchanged; the build turns each row into a ``skos:Concept`` (see
``hdh_graph.tabular``). Rows are named after the list's primary key with a CSVW ``aboutUrl`` template, since
some lists repeat a code under several keys (for example a code valid over several periods).
"""

from __future__ import annotations

import re

from hdh_graph import iris
from hdh_graph.turtle_writer import IRI, Graph, Node, lit
from hdh_graph.vocab import CSVW, DCT, HDEU_CODING_SYSTEM, HDH, RDF, SKOS

from .source import CodeList
from .tables import upstream

# Code lists that are versions of an international coding system, recognised by their title.
_CODING_SYSTEMS = ((re.compile(r"\bCIM ?10\b|\bcodes CIM\b", re.IGNORECASE), "ICD-10"),)


def coding_systems(code_list: CodeList) -> set[str]:
    """HealthData@EU coding-system codes this list belongs to (e.g. CIM-10 → ICD-10)."""
    return {code for pattern, code in _CODING_SYSTEMS if pattern.search(code_list.title)}


def key_columns(code_list: CodeList) -> list[str]:
    """The columns that name a row: the primary key, split where the source joined names with ``__``."""
    names = {c.name for c in code_list.columns}
    keys: list[str] = []
    for key in code_list.primary_key:
        parts = [key] if key in names else key.split("__")
        keys.extend(p for p in parts if p in names)
    if not keys:
        keys = [_code_column(code_list)]
    return keys


def _code_column(code_list: CodeList) -> str:
    for c in code_list.columns:
        if c.role == "code":
            return c.name
    return code_list.columns[0].name


def _label_column(code_list: CodeList) -> str | None:
    for c in code_list.columns:
        if c.role == "label":
            return c.name
    return None


def about_url(code_list: CodeList) -> str:
    """CSVW URI template naming each row, relative to the catalogue base."""
    return iris.codelist(code_list.name) + "/" + "/".join("{" + k + "}" for k in key_columns(code_list))


def describe_code_list(graph: Graph, code_list: CodeList) -> None:
    node = graph.node(iris.codelist(code_list.name))
    node.add(RDF.type, IRI(SKOS.ConceptScheme))
    node.add(DCT.identifier, lit(code_list.name))
    node.add(DCT.title, lit(code_list.title or code_list.name, "fr"))
    node.add(DCT.description, lit(code_list.description, "fr"))
    node.add(DCT.source, IRI(upstream(code_list.json_path)))
    node.add(DCT.conformsTo, *(IRI(HDEU_CODING_SYSTEM[c]) for c in sorted(coding_systems(code_list))))
    if code_list.csv_path is None:
        node.add(HDH.codesMissing, lit(True))
        node.add(
            SKOS.editorialNote,
            lit("Les codes de cette nomenclature manquent dans la source : son fichier CSV n'y figure pas.", "fr"),
            lit("The codes of this list are missing upstream: its CSV file is not in the source.", "en"),
        )
        return
    node.add(CSVW.url, lit(csv_relative_path(code_list)))
    node.add(
        CSVW.dialect,
        Node().add(CSVW.delimiter, lit(";")).add(CSVW.encoding, lit("utf-8")).add(CSVW.header, lit(True)),
    )
    code, label = _code_column(code_list), _label_column(code_list)
    schema = Node().add(CSVW.aboutUrl, lit(about_url(code_list)))
    for c in code_list.columns:
        col = Node().add(CSVW.name, lit(c.name))
        if c.name == code:
            col.add(CSVW.propertyUrl, lit(SKOS.notation))
        elif c.name == label:
            col.add(CSVW.propertyUrl, lit(SKOS.prefLabel))
        schema.add(CSVW.column, col)
    for k in key_columns(code_list):
        schema.add(CSVW.primaryKey, lit(k))
    node.add(CSVW.tableSchema, schema)


def csv_relative_path(code_list: CodeList) -> str:
    """Where the CSV goes, relative to the folder of the Turtle file that describes it."""
    return f"{code_list.folder}/{code_list.name}.csv"
