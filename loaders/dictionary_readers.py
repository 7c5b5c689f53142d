"""Read the formats data holders send as data dictionaries into one list of variables.

- CSV (``,``, ``;`` or tab; UTF-8 with or without BOM, else Windows-1252) and Excel (.xlsx, the first sheet whose
  header row names the variables) with one row per variable;
- a Frictionless Table Schema (``{"fields": [...]}``) or Data Package (``{"resources": [...]}``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hdh_graph.errors import HdhError, SourceErrors, SourceProblem
from hdh_graph.folders import inside

from .dictionary_mapping import HEADERS, map_headers

# Table Schema field properties we map; anything else is reported as unmapped.
SCHEMA_FIELD_KEYS = {
    "name",
    "title",
    "description",
    "type",
    "format",
    "constraints",
    "enum",
    "nomenclature",
    "observation",
}
SCHEMA_CONSTRAINTS = {"required", "minimum", "maximum", "enum", "unique"}


@dataclass
class Variable:
    """One variable as the dictionary gives it (raw strings; mapping happens when writing)."""

    table: str
    name: str
    line: int
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Dictionary:
    variables: list[Variable] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    primary_keys: dict[str, list[str]] = field(default_factory=dict)
    foreign_keys: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)


def read_dictionary(path: Path, default_table: str) -> Dictionary:
    """Read ``path`` according to its extension."""
    if not path.is_file():
        raise HdhError(f"{path}: no such file", hint="give a .csv, .xlsx or Table Schema / Data Package .json file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _from_rows(path, _excel_rows(path), default_table)
    if suffix == ".json":
        return _from_json(path, default_table)
    if suffix in (".csv", ".tsv", ".txt"):
        return _from_rows(path, _csv_rows(path), default_table)
    raise HdhError(
        f"{path}: unknown data dictionary format {suffix!r}",
        hint="use a .csv or .xlsx file with one row per variable, or a Table Schema / Data Package .json",
    )


def _csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _excel_rows(path: Path) -> list[list[str]]:
    try:
        from openpyxl import load_workbook
    except ImportError as exc:
        raise HdhError(f"{path}: reading Excel files needs openpyxl", hint="pip install openpyxl") from exc

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            if rows and "name" in map_headers(rows[0])[0]:
                return rows
    finally:
        book.close()
    raise HdhError(
        f"{path}: no sheet has a header row naming the variables",
        hint="the first row of the sheet must have a column such as " + ", ".join(HEADERS["name"][:4]),
    )


def _from_rows(path: Path, rows: list[list[str]], default_table: str) -> Dictionary:
    if not rows:
        raise HdhError(f"{path}: the file is empty", hint="the first row names the columns, then one row per variable")
    columns, unmapped = map_headers(rows[0])
    if "name" not in columns:
        raise HdhError(
            f"{path}:1: no column names the variables (headers: {', '.join(rows[0])})",
            hint="name that column one of: " + ", ".join(HEADERS["name"]),
        )
    result = Dictionary(unmapped=unmapped)
    problems = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {prop: (row[i].strip() if i < len(row) else "") for prop, i in columns.items()}
        if not any(cells.values()):
            continue
        if not cells["name"]:
            problems.append(SourceProblem(path, "variable without a name", number, columns["name"] + 1))
            continue
        table = cells.pop("table", "") or default_table
        result.variables.append(Variable(table, cells.pop("name"), number, cells))
    if problems:
        raise SourceErrors(problems, hint="give every variable a name, or delete the row")
    return result


def _from_json(path: Path, default_table: str) -> Dictionary:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise SourceErrors([SourceProblem(path, f"not valid JSON: {exc}", line)], hint="fix the JSON") from exc
    result = Dictionary()
    if isinstance(doc, dict) and isinstance(doc.get("resources"), list):
        for index, resource in enumerate(doc["resources"]):
            schema = resource.get("schema")
            if isinstance(schema, str):
                schema_path = path.parent / schema
                inside(schema_path, path.parent, f"{path}: resource {index} schema", "schemas must be files beside it")
                if not schema_path.is_file():
                    raise HdhError(f"{path}: resource {index} points at {schema}, which is missing", hint="add it")
                schema = json.loads(schema_path.read_text(encoding="utf-8"))
            if not isinstance(schema, dict):
                continue
            table = resource.get("name") or f"{default_table}-{index + 1}"
            if resource.get("description"):
                result.descriptions[table] = resource["description"]
            _schema_fields(path, schema, table, result)
        unknown = sorted(
            set().union(*(set(r) for r in doc["resources"]))
            - {
                "name",
                "path",
                "schema",
                "description",
                "title",
                "format",
                "mediatype",
                "encoding",
                "profile",
                "dialect",
            }
        )
        result.unmapped += [f"resource.{k}" for k in unknown]
    elif isinstance(doc, dict) and isinstance(doc.get("fields"), list):
        _schema_fields(path, doc, default_table, result)
    else:
        raise HdhError(
            f"{path}: neither a Table Schema (no 'fields') nor a Data Package (no 'resources')",
            hint="see https://specs.frictionlessdata.io/table-schema/",
        )
    result.unmapped = sorted(set(result.unmapped))
    return result


def _schema_fields(path: Path, schema: dict[str, Any], table: str, result: Dictionary) -> None:
    problems = []
    for index, item in enumerate(schema["fields"]):
        if not isinstance(item, dict) or not item.get("name"):
            problems.append(SourceProblem(path, f"field {index} of table {table} has no name"))
            continue
        constraints = item.get("constraints") or {}
        values: dict[str, Any] = {
            "title": item.get("title", ""),
            "description": item.get("description", ""),
            "type": item.get("type", ""),
            "format": "" if item.get("format") in (None, "default") else str(item["format"]),
            "required": "true" if constraints.get("required") else "",
            "minimum": "" if constraints.get("minimum") is None else str(constraints["minimum"]),
            "maximum": "" if constraints.get("maximum") is None else str(constraints["maximum"]),
        }
        enum = constraints.get("enum") or item.get("enum")
        if enum:
            values["codelist"] = [(str(v), str(v)) for v in enum]
        elif str(item.get("nomenclature", "")).strip() not in ("", "-"):
            values["codelist"] = str(item["nomenclature"]).strip()  # the SNDS schema's code list name
        values["note"] = str(item.get("observation", "") or "")
        result.unmapped += [f"field.{k}" for k in item if k not in SCHEMA_FIELD_KEYS]
        result.unmapped += [f"field.constraints.{k}" for k in constraints if k not in SCHEMA_CONSTRAINTS]
        result.variables.append(Variable(table, str(item["name"]), index + 1, values))
    if problems:
        raise SourceErrors(problems, hint="every Table Schema field needs a name")
    key = schema.get("primaryKey")
    if key:
        result.primary_keys[table] = [key] if isinstance(key, str) else list(key)
    for fk in schema.get("foreignKeys") or []:
        result.foreign_keys.setdefault(table, []).append(fk)
    result.unmapped += [
        f"schema.{k}" for k in schema if k not in {"fields", "primaryKey", "foreignKeys", "missingValues"}
    ]
