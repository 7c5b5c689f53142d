"""Reading the schema-snds folder (Frictionless Table Schema JSON + CSV code lists) into plain records.

This module knows the source's layout and quirks and nothing about RDF:
- ``length`` may be ``"11,2"`` (precision and scale), a number as text, or missing;
- ``nomenclature`` may be ``"-"`` (none), ``"NAME"`` or ``"NAME:COLUMN"``;
- foreign-key ``fields`` may be a string or a list;
- some texts carry Windows-1252 punctuation decoded as C1 control characters (``\\x92`` for ``’``).
Every problem is collected with its file (and line when JSON does not parse) before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hdh_graph.errors import SourceErrors, SourceProblem

# C1 control characters that are really Windows-1252 punctuation in the source texts.
_C1_FIXES = {chr(c): bytes([c]).decode("cp1252", errors="replace") for c in range(0x80, 0xA0)}
_C1_FIXES = {k: v for k, v in _C1_FIXES.items() if v != "\ufffd"}

REQUIRED_FOLDERS = ("schemas", "nomenclatures")


@dataclass(frozen=True)
class Field:
    name: str
    description: str
    type: str
    nomenclature: str | None
    nomenclature_key: str | None
    length: str | None
    format: str | None
    year_created: str | None
    year_deleted: str | None
    years_missing: tuple[str, ...]
    observation: str
    business_rule: str
    oracle_type: str | None
    minimum: float | int | None = None
    maximum: float | int | None = None


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    target_table: str
    target_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    product: str
    champ: str
    observation: str
    year_created: str | None
    year_deleted: str | None
    years_missing: tuple[str, ...]
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    path: str  # relative to the source folder, posix


@dataclass(frozen=True)
class CodeColumn:
    name: str
    type: str
    role: str | None


@dataclass(frozen=True)
class CodeList:
    name: str
    title: str
    description: str
    folder: str
    columns: tuple[CodeColumn, ...]
    primary_key: tuple[str, ...]
    json_path: str
    csv_path: str | None  # None when the CSV is missing upstream


@dataclass
class Source:
    root: Path
    tables: list[Table] = field(default_factory=list)
    code_lists: list[CodeList] = field(default_factory=list)
    text_fixes: int = 0


def clean_text(value: object, counter: list[int] | None = None) -> str:
    """A source text, stripped, with C1 control characters turned into the punctuation they stand for."""
    if value is None:
        return ""
    text = str(value)
    if any(ch in _C1_FIXES for ch in text):
        if counter is not None:
            counter[0] += 1
        text = "".join(_C1_FIXES.get(ch, ch) for ch in text)
    return text.strip()


def _year(value: object) -> str | None:
    text = str(value or "").strip()
    return text or None


def _as_tuple(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    if not isinstance(value, list | tuple):  # a lone number names one field, as a string does
        return (str(value).strip(),)
    return tuple(str(v).strip() for v in value)


def split_nomenclature(value: object) -> tuple[str | None, str | None]:
    """``"-"`` → (None, None); ``"NAME"`` → (NAME, None); ``"NAME:COLUMN"`` → (NAME, COLUMN)."""
    text = str(value or "").strip()
    if text in ("", "-"):
        return None, None
    name, _, key = text.partition(":")
    return name.strip(), (key.strip() or None)


def _load_json(path: Path, root: Path, problems: list[SourceProblem]) -> dict[str, Any] | None:
    try:
        raw = path.read_bytes().decode("utf-8")
        data = json.loads(raw)
    except UnicodeDecodeError as exc:
        problems.append(SourceProblem(path, f"not UTF-8 ({exc.reason} at byte {exc.start})"))
        return None
    except json.JSONDecodeError as exc:
        problems.append(SourceProblem(path, f"broken JSON: {exc.msg}", exc.lineno, exc.colno))
        return None
    if not isinstance(data, dict) or not isinstance(data.get("fields"), list) or not data.get("name"):
        problems.append(SourceProblem(path, "not a Table Schema: expected an object with 'name' and 'fields'"))
        return None
    return data


def _read_field(raw: dict[str, Any], fixes: list[int]) -> Field:
    nomenclature, key = split_nomenclature(raw.get("nomenclature"))
    constraints = raw.get("constraints") or {}
    length = raw.get("length")
    return Field(
        name=str(raw["name"]).strip(),
        description=clean_text(raw.get("description"), fixes),
        type=str(raw.get("type") or "string").strip(),
        nomenclature=nomenclature,
        nomenclature_key=key,
        length=str(length).strip() if length not in (None, "") else None,
        format=(str(raw.get("format")).strip() or None) if raw.get("format") not in (None, "default") else None,
        year_created=_year(raw.get("dateCreated")),
        year_deleted=_year(raw.get("dateDeleted")),
        years_missing=tuple(sorted(str(y).strip() for y in raw.get("dateMissing") or [] if str(y).strip())),
        observation=clean_text(raw.get("observation"), fixes),
        business_rule=clean_text(raw.get("regle_gestion"), fixes),
        oracle_type=(str(raw.get("type_oracle")).strip() or None) if raw.get("type_oracle") else None,
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
    )


def _read_table(data: dict[str, Any], rel: str, fixes: list[int]) -> Table:
    history = data.get("history") or {}
    fks = []
    for fk in data.get("foreignKeys") or []:
        ref = fk.get("reference") or {}
        fks.append(
            ForeignKey(_as_tuple(fk.get("fields")), str(ref.get("resource", "")).strip(), _as_tuple(ref.get("fields")))
        )
    return Table(
        name=str(data["name"]).strip(),
        title=clean_text(data.get("title"), fixes),
        product=str(data.get("produit") or "").strip(),
        champ=clean_text(data.get("champ"), fixes),
        observation=clean_text(data.get("observation"), fixes),
        year_created=_year(history.get("dateCreated")),
        year_deleted=_year(history.get("dateDeleted")),
        years_missing=tuple(sorted(str(y) for y in history.get("dateMissing") or [])),
        fields=tuple(_read_field(f, fixes) for f in data["fields"]),
        primary_key=_as_tuple(data.get("primaryKey")),
        foreign_keys=tuple(fks),
        path=rel,
    )


def _read_code_list(data: dict[str, Any], path: Path, root: Path, fixes: list[int]) -> CodeList:
    csv_path = path.with_suffix(".csv")
    return CodeList(
        name=str(data["name"]).strip(),
        title=clean_text(data.get("title"), fixes),
        description=clean_text(data.get("description"), fixes),
        folder=path.parent.relative_to(root / "nomenclatures").as_posix(),
        columns=tuple(
            CodeColumn(str(c["name"]).strip(), str(c.get("type") or "string"), c.get("role")) for c in data["fields"]
        ),
        primary_key=_as_tuple(data.get("primaryKey")),
        json_path=path.relative_to(root).as_posix(),
        csv_path=csv_path.relative_to(root).as_posix() if csv_path.exists() else None,
    )


def read_source(root: Path) -> Source:
    """Read every table schema and code list under ``root``; raise SourceErrors listing every problem."""
    problems: list[SourceProblem] = []
    if not root.is_dir():
        raise SourceErrors([SourceProblem(root, "no such folder")], hint="give the path of a schema-snds checkout")
    for folder in REQUIRED_FOLDERS:
        if not (root / folder).is_dir():
            problems.append(SourceProblem(root / folder, "missing folder: a schema-snds checkout has it"))
    if problems:
        raise SourceErrors(problems, hint="give the path of a schema-snds checkout (with schemas/ and nomenclatures/)")

    source = Source(root)
    fixes = [0]
    for path in sorted((root / "schemas").rglob("*.json")):
        data = _load_json(path, root, problems)
        if data is not None:
            source.tables.append(_read_table(data, path.relative_to(root).as_posix(), fixes))
    for path in sorted((root / "nomenclatures").rglob("*.json")):
        data = _load_json(path, root, problems)
        if data is not None:
            source.code_lists.append(_read_code_list(data, path, root, fixes))
    if not source.tables:
        problems.append(SourceProblem(root / "schemas", "no table schema (*.json) found"))
    _check_duplicates(source, problems)
    if problems:
        raise SourceErrors(problems, hint="fix the files above in the source, then run the import again")
    source.text_fixes = fixes[0]
    return source


def _check_duplicates(source: Source, problems: list[SourceProblem]) -> None:
    seen: dict[str, str] = {}
    for t in source.tables:
        if t.name in seen:
            problems.append(SourceProblem(source.root / t.path, f"table {t.name} is also defined in {seen[t.name]}"))
        seen[t.name] = t.path
    seen = {}
    for c in source.code_lists:
        if c.name in seen:
            problems.append(
                SourceProblem(source.root / c.json_path, f"code list {c.name} is also defined in {seen[c.name]}")
            )
        seen[c.name] = c.json_path
