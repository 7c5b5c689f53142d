"""Reading the OMOP CDM specification (its table-level and field-level CSV files) into plain records.

This module knows the files' layout and quirks and nothing about RDF:
- ``NA`` stands for an empty value;
- foreign keys name their target in upper case (``CONCEPT.CONCEPT_ID``), tables and fields are lower case;
- a type may be written ``Integer`` for ``integer``; text types are ``varchar(n)`` or ``varchar(MAX)``;
- ``fkDomain`` may name two domains (``Procedure, Regimen``);
- a description may span several lines and carry ``<br>`` line breaks and Markdown links.
Every problem (a missing column, a malformed row, a value out of its set, a key to nothing) is collected with
its file and line before anything is written.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from hdh_graph.errors import SourceErrors, SourceProblem

TABLE_FILE = "OMOP_CDMv5.4_Table_Level.csv"
FIELD_FILE = "OMOP_CDMv5.4_Field_Level.csv"
TABLE_COLUMNS = ("cdmTableName", "schema", "isRequired", "tableDescription", "userGuidance", "etlConventions")
FIELD_COLUMNS = (
    "cdmTableName",
    "cdmFieldName",
    "isRequired",
    "cdmDatatype",
    "userGuidance",
    "etlConventions",
    "isPrimaryKey",
    "isForeignKey",
    "fkTableName",
    "fkFieldName",
    "fkDomain",
    "fkClass",
)
FLAGS = {"Yes": True, "No": False}
_VARCHAR = re.compile(r"varchar\((\d+|MAX)\)", re.IGNORECASE)
_PLAIN_TYPES = {"integer", "float", "date", "datetime", "bigint"}


@dataclass(frozen=True)
class Field:
    table: str
    name: str
    required: bool
    datatype: str  # as the source writes it, e.g. "varchar(50)"
    guidance: str
    conventions: str
    primary_key: bool
    foreign_table: str | None  # lower case, as the table is named
    foreign_field: str | None
    domains: tuple[str, ...]
    concept_class: str | None
    line: int


@dataclass(frozen=True)
class Table:
    name: str
    schema: str
    required: bool
    description: str
    guidance: str
    conventions: str
    line: int
    fields: tuple[Field, ...] = ()

    @property
    def primary_key(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.primary_key)


@dataclass
class Source:
    root: Path
    tables: list[Table] = field(default_factory=list)

    @property
    def fields(self) -> list[Field]:
        return [f for t in self.tables for f in t.fields]

    @property
    def domains(self) -> list[str]:
        return sorted({d for f in self.fields for d in f.domains})


def text(value: str | None) -> str:
    """A cell's text: ``NA`` and blanks are empty, ``<br>`` becomes a line break."""
    cleaned = (value or "").strip()
    if cleaned == "NA":
        return ""
    return re.sub(r"\s*<br\s*/?>\s*", "\n", cleaned, flags=re.IGNORECASE).strip()


def split_type(datatype: str) -> tuple[str, int | None]:
    """``varchar(50)`` → ("string", 50); ``varchar(MAX)`` → ("string", None); ``Integer`` → ("integer", None)."""
    match = _VARCHAR.fullmatch(datatype)
    if match:
        size = match.group(1)
        return "string", (int(size) if size.isdigit() else None)
    lowered = datatype.lower()
    return {"float": "number", "bigint": "integer"}.get(lowered, lowered), None


def known_type(datatype: str) -> bool:
    return bool(_VARCHAR.fullmatch(datatype)) or datatype.lower() in _PLAIN_TYPES


def _rows(path: Path, expected: tuple[str, ...], problems: list[SourceProblem]) -> Iterator[tuple[int, dict[str, str]]]:
    """Each data row with the line it starts on; a missing column or a row of the wrong length is a problem."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        problems.append(SourceProblem(path, f"cannot be read: {exc.strerror}"))
        return
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            problems.append(SourceProblem(path, "empty file: expected a header line", 1))
            return
        except (csv.Error, UnicodeDecodeError) as exc:
            problems.append(SourceProblem(path, f"unreadable header: {exc}", 1))
            return
        missing = [c for c in expected if c not in header]
        if missing:
            problems.append(SourceProblem(path, f"missing column(s) {', '.join(missing)} in the header", 1))
            return
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                problems.append(SourceProblem(path, f"malformed row: {exc}", start))
                return
            if cells and cells != [""] * len(cells):
                if len(cells) != len(header):
                    problems.append(
                        SourceProblem(
                            path, f"malformed row: {len(cells)} cells where the header has {len(header)}", start
                        )
                    )
                else:
                    yield start, dict(zip(header, cells, strict=True))
            start = reader.line_num + 1


def _flag(row: dict[str, str], column: str, path: Path, line: int, problems: list[SourceProblem]) -> bool:
    value = row[column].strip()
    if value not in FLAGS:
        problems.append(SourceProblem(path, f"{column} is {value!r}: expected Yes or No", line))
        return False
    return FLAGS[value]


def _read_tables(path: Path, problems: list[SourceProblem]) -> list[Table]:
    tables: dict[str, Table] = {}
    for line, row in _rows(path, TABLE_COLUMNS, problems):
        name = row["cdmTableName"].strip().lower()
        if not name:
            problems.append(SourceProblem(path, "cdmTableName is empty", line))
            continue
        if name in tables:
            problems.append(SourceProblem(path, f"table {name} is also defined on line {tables[name].line}", line))
            continue
        tables[name] = Table(
            name=name,
            schema=text(row["schema"]),
            required=_flag(row, "isRequired", path, line, problems),
            description=text(row["tableDescription"]),
            guidance=text(row["userGuidance"]),
            conventions=text(row["etlConventions"]),
            line=line,
        )
    return list(tables.values())


def _read_field(row: dict[str, str], line: int, path: Path, problems: list[SourceProblem]) -> Field | None:
    table, name = row["cdmTableName"].strip().lower(), row["cdmFieldName"].strip().lower()
    if not table or not name:
        problems.append(SourceProblem(path, "cdmTableName and cdmFieldName must both be given", line))
        return None
    datatype = row["cdmDatatype"].strip()
    if not known_type(datatype):
        problems.append(
            SourceProblem(
                path,
                f"{table}.{name}: unknown cdmDatatype {datatype!r} (integer, float, date, "
                "datetime, varchar(n) or varchar(MAX) expected)",
                line,
            )
        )
    is_fk = _flag(row, "isForeignKey", path, line, problems)
    fk_table, fk_field = text(row["fkTableName"]).lower() or None, text(row["fkFieldName"]).lower() or None
    if is_fk and not (fk_table and fk_field):
        problems.append(
            SourceProblem(path, f"{table}.{name}: isForeignKey is Yes but fkTableName/fkFieldName are empty", line)
        )
    if not is_fk:
        fk_table = fk_field = None
    return Field(
        table=table,
        name=name,
        required=_flag(row, "isRequired", path, line, problems),
        datatype=datatype,
        guidance=text(row["userGuidance"]),
        conventions=text(row["etlConventions"]),
        primary_key=_flag(row, "isPrimaryKey", path, line, problems),
        foreign_table=fk_table,
        foreign_field=fk_field,
        domains=tuple(d.strip() for d in text(row["fkDomain"]).split(",") if d.strip()),
        concept_class=text(row["fkClass"]) or None,
        line=line,
    )


def read_source(root: Path) -> Source:
    """Read both CSV files under ``root``; raise :class:`SourceErrors` listing every problem."""
    if not root.is_dir():
        raise SourceErrors(
            [SourceProblem(root, "no such folder")], hint="give the folder that holds the OMOP CDM CSV files"
        )
    missing = [name for name in (TABLE_FILE, FIELD_FILE) if not (root / name).is_file()]
    if missing:
        raise SourceErrors(
            [SourceProblem(root / name, "missing file") for name in missing],
            hint=f"give the folder holding {TABLE_FILE} and {FIELD_FILE} (inst/csv/ of OHDSI/CommonDataModel)",
        )
    problems: list[SourceProblem] = []
    tables = {t.name: t for t in _read_tables(root / TABLE_FILE, problems)}
    fields_path = root / FIELD_FILE
    by_table: dict[str, dict[str, Field]] = {name: {} for name in tables}
    for line, row in _rows(fields_path, FIELD_COLUMNS, problems):
        f = _read_field(row, line, fields_path, problems)
        if f is None:
            continue
        if f.table not in tables:
            problems.append(
                SourceProblem(
                    fields_path, f"field {f.name} of table {f.table}, which {TABLE_FILE} does not define", line
                )
            )
            continue
        if f.name in by_table[f.table]:
            first = by_table[f.table][f.name].line
            problems.append(
                SourceProblem(fields_path, f"field {f.table}.{f.name} is also defined on line {first}", line)
            )
            continue
        by_table[f.table][f.name] = f
    for f in (f for fields in by_table.values() for f in fields.values()):
        if f.foreign_table is None:
            continue
        target = by_table.get(f.foreign_table)
        if target is None:
            problems.append(
                SourceProblem(
                    fields_path,
                    f"{f.table}.{f.name}: foreign key to table {f.foreign_table}, which is not defined",
                    f.line,
                )
            )
        elif f.foreign_field not in target:
            problems.append(
                SourceProblem(
                    fields_path,
                    f"{f.table}.{f.name}: foreign key to {f.foreign_table}.{f.foreign_field}, which is not defined",
                    f.line,
                )
            )
    if problems:
        raise SourceErrors(
            sorted(problems, key=lambda p: (str(p.path), p.line or 0)),
            hint="fix the rows above in the source CSV files, then run the import again",
        )
    source = Source(root)
    for name, table in tables.items():
        source.tables.append(replace(table, fields=tuple(by_table[name].values())))  # the source's order
    return source
