"""``hdh import dictionary FILE --dataset IRI``: a data holder's data dictionary as variables of a dataset.

The dictionary (CSV, Excel, Frictionless Table Schema or Data Package; see ``dictionary_readers``) becomes
``catalogue/dictionaries/{dataset slug}/{file stem}.ttl``: the dataset's ``healthdcatap:hasVariables`` table
group, one ``csvw:Table`` per table and one ``csvw:Column`` per variable, as docs/model.md describes. Inline
value lists (``1=Male; 2=Female``, Table Schema ``enum``) become SKOS code lists in the same file; a code list
named by its identifier is linked (``qb:codeList``) and reported when the catalogue does not define it.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hdh_graph import iris
from hdh_graph.errors import HdhError
from hdh_graph.folders import folder_lock, inside, safe_name
from hdh_graph.settings import Settings
from hdh_graph.turtle_writer import IRI, Graph, Node, TurtleWriter, lit
from hdh_graph.vocab import CSVW, DCT, HDH, HEALTHDCATAP, PREFIXES, PROV, QB, RDF, RDFS, SKOS, XSD

from .dictionary_mapping import map_type, parse_codes, truthy
from .dictionary_readers import Dictionary, Variable, read_dictionary

FOLDER = "dictionaries"
MARK = b"imported by `hdh import dictionary`"
_NAME_HINT = "use a --table name of letters, digits, '-' and '_' (it names the file written)"


@dataclass
class DictionaryReport:
    """What an import made, and what it could not map."""

    file: Path
    tables: list[str] = field(default_factory=list)
    variables: int = 0
    unmapped_columns: list[str] = field(default_factory=list)
    unknown_types: list[str] = field(default_factory=list)
    unread_values: list[str] = field(default_factory=list)
    inline_codelists: list[str] = field(default_factory=list)
    linked_codelists: list[str] = field(default_factory=list)
    missing_codelists: list[str] = field(default_factory=list)


def dataset_slug(dataset: str, base_iri: str) -> tuple[str, str]:
    """The dataset's IRI as written in the catalogue files (relative when under the base) and its slug."""
    rel = iris.relative_path(dataset, base_iri) if "://" in dataset else dataset
    if rel is None or not rel.startswith("dataset/") or rel.count("/") != 1:
        raise HdhError(
            f"{dataset!r} is not a dataset of this catalogue",
            hint=f"give its IRI, e.g. {base_iri}dataset/dcir, or its relative form dataset/dcir",
        )
    slug = rel.split("/", 1)[1]
    safe_name(slug, "dataset slug", "give the IRI of a dataset of this catalogue, e.g. dataset/dcir")
    return rel, slug


def import_dictionary(
    path: Path, dataset: str, settings: Settings, table: str | None = None, lang: str = "fr"
) -> DictionaryReport:
    """Convert ``path`` into variables of ``dataset``; return the report (the file is written)."""
    dataset_iri, slug = dataset_slug(dataset, settings.base_iri)
    default_table = table or re.sub(r"[^A-Za-z0-9_-]+", "_", path.stem).strip("_") or "TABLE"
    source = read_dictionary(path, default_table)
    if not source.variables:
        raise HdhError(f"{path}: no variable found", hint="one row (or Table Schema field) per variable")
    stem = safe_name(default_table if table else path.stem, "table or file name", _NAME_HINT)
    out = settings.catalogue / FOLDER / slug / f"{stem}.ttl"
    report = DictionaryReport(out, unmapped_columns=list(source.unmapped))
    graph = _graph(source, dataset_iri, slug, path.name, lang, report)
    known = _known_codelists(settings.catalogue)
    report.missing_codelists = sorted(c for c in report.linked_codelists if c not in known)
    text = TurtleWriter({k: str(v) for k, v in PREFIXES.items()}).write(
        graph,
        header=[
            f"Variables of <{dataset_iri}> imported by `hdh import dictionary` from {path.name}.",
            "Generated: do not edit; change the dictionary and import it again.",
        ],
    )
    _write(settings.catalogue, out, text)
    return report


def _write(catalogue: Path, out: Path, text: str) -> None:
    """Write ``out`` whole (a temporary file renamed over it), under the catalogue's import lock, and only over
    a file an earlier import wrote."""
    catalogue.mkdir(parents=True, exist_ok=True)
    with folder_lock(catalogue, f"the catalogue {catalogue} (an import)", hint="wait for the other import to finish"):
        out.parent.mkdir(parents=True, exist_ok=True)
        inside(out.parent, catalogue / FOLDER, "dictionary folder", _NAME_HINT)
        if out.is_symlink() or (out.exists() and (not out.is_file() or MARK not in out.read_bytes()[:1024])):
            raise HdhError(
                f"{out} exists and was not written by `hdh import dictionary`; it is left as it is",
                hint="import under another --table name, or move that file away",
            )
        fd, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, out)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _graph(
    source: Dictionary, dataset_iri: str, slug: str, file_name: str, lang: str, report: DictionaryReport
) -> Graph:
    graph = Graph()
    group_iri = iris.table_group(slug)
    graph.node(dataset_iri).add(HEALTHDCATAP.hasVariables, IRI(group_iri))
    group = graph.node(group_iri).add(RDF.type, IRI(CSVW.TableGroup))
    group.add(DCT.title, lit(f"Variables ({file_name})", lang="en"), lit(f"Variables ({file_name})", lang="fr"))
    tables: dict[str, list[Variable]] = {}
    for variable in source.variables:
        tables.setdefault(variable.table, []).append(variable)
    for name, variables in tables.items():
        table_iri = iris.table(name)
        report.tables.append(name)
        group.add(CSVW.table, IRI(table_iri))
        node = graph.node(table_iri).add(RDF.type, IRI(CSVW.Table))
        node.add(DCT.title, lit(name)).add(DCT.isPartOf, IRI(dataset_iri))
        node.add(DCT.description, lit(source.descriptions.get(name), lang=lang))
        node.add(PROV.wasDerivedFrom, Node().add(RDFS.label, lit(file_name)))
        seen: set[str] = set()
        for variable in variables:
            if variable.name in seen:
                report.unread_values.append(f"{name}.{variable.name}: listed twice (line {variable.line}); kept once")
                continue
            seen.add(variable.name)
            column_iri = iris.column(name, variable.name)
            node.add(CSVW.column, IRI(column_iri))
            _column(graph, graph.node(column_iri), name, variable, lang, report)
            if truthy(str(variable.values.get("primary_key", ""))):
                node.add(CSVW.primaryKey, IRI(column_iri))
            report.variables += 1
        for key in source.primary_keys.get(name, []):
            node.add(CSVW.primaryKey, IRI(iris.column(name, key)))
        for index, fk in enumerate(source.foreign_keys.get(name, [])):
            _foreign_key(graph, node, name, index, fk)
    return graph


def _column(graph: Graph, node: Node, table: str, variable: Variable, lang: str, report: DictionaryReport) -> None:
    values = variable.values
    where = f"{table}.{variable.name}"
    node.add(RDF.type, IRI(CSVW.Column))
    node.add(CSVW.name, lit(variable.name))
    node.add(CSVW.title, lit(values.get("title"), lang=lang))
    node.add(DCT.description, lit(values.get("description"), lang=lang))
    node.add(SKOS.note, lit(values.get("note"), lang=lang))
    raw_type = str(values.get("type", "") or "")
    datatype = map_type(raw_type)
    if datatype is None:
        report.unknown_types.append(f"{where}: type {raw_type!r} (written as string, noted in skos:editorialNote)")
        datatype = "string"
        node.add(SKOS.editorialNote, lit(f"Type in the source dictionary: {raw_type}", lang="en"))
    node.add(CSVW.datatype, lit(datatype))
    node.add(CSVW["format"], lit(values.get("format")))
    required = values.get("required")
    nullable = values.get("nullable")
    if required not in (None, ""):
        node.add(CSVW.required, _bool(truthy(str(required)), where, "required", report))
    elif nullable not in (None, ""):
        flag = truthy(str(nullable))
        node.add(CSVW.required, _bool(None if flag is None else not flag, where, "nullable", report))
    for prop, term in (("minimum", CSVW.minimum), ("maximum", CSVW.maximum)):
        node.add(term, _number(values.get(prop), datatype, where, prop, report))
    codes: Any = values.get("codelist")
    parsed = codes if isinstance(codes, list) else parse_codes(str(codes or ""))
    if isinstance(parsed, str):
        node.add(QB.codeList, IRI(iris.codelist(parsed)))
        report.linked_codelists.append(parsed)
    elif parsed:
        list_name = f"{table}-{variable.name}"
        scheme_iri = iris.codelist(list_name)
        node.add(QB.codeList, IRI(scheme_iri))
        scheme = graph.node(scheme_iri).add(RDF.type, IRI(SKOS.ConceptScheme))
        scheme.add(DCT.title, lit(f"{variable.name} ({table})")).add(DCT.identifier, lit(list_name))
        for code, label in parsed:
            concept = graph.node(iris.code(list_name, code)).add(RDF.type, IRI(SKOS.Concept))
            concept.add(SKOS.inScheme, IRI(scheme_iri)).add(SKOS.notation, lit(code))
            concept.add(SKOS.prefLabel, lit(label, lang=lang))
        report.inline_codelists.append(list_name)
    elif codes:
        report.unread_values.append(f"{where}: code list {str(codes)[:60]!r} not understood (not written)")


def _bool(value: bool | None, where: str, prop: str, report: DictionaryReport) -> Any:
    if value is None:
        report.unread_values.append(f"{where}: {prop} value is neither yes nor no (not written)")
        return None
    return lit("true" if value else "false", datatype=XSD.boolean)


def _number(raw: Any, datatype: str, where: str, prop: str, report: DictionaryReport) -> Any:
    text = str(raw or "").strip().replace(",", ".")
    if not text:
        return None
    if re.fullmatch(r"-?\d+", text):
        return lit(text, datatype=XSD.integer)
    if re.fullmatch(r"-?\d+\.\d*", text):
        return lit(text, datatype=XSD.decimal)
    if datatype in ("date", "datetime", "gYear", "gYearMonth", "time"):
        return lit(text)
    report.unread_values.append(f"{where}: {prop} {text!r} is not a number (not written)")
    return None


def _foreign_key(graph: Graph, table: Node, name: str, index: int, fk: dict[str, Any]) -> None:
    fields = fk.get("fields")
    reference = fk.get("reference") or {}
    local = [fields] if isinstance(fields, str) else list(fields or [])
    target = reference.get("resource") or name
    remote = reference.get("fields")
    remote = [remote] if isinstance(remote, str) else list(remote or [])
    fk_iri = iris.foreign_key(name, target, local if index else None)
    table.add(CSVW.foreignKey, IRI(fk_iri))
    ref_iri = fk_iri + "-ref"
    node = graph.node(fk_iri).add(RDF.type, IRI(CSVW.ForeignKey)).add(CSVW.reference, IRI(ref_iri))
    node.add(CSVW.columnReference, *[IRI(iris.column(name, c)) for c in local])
    ref = graph.node(ref_iri).add(RDF.type, IRI(CSVW.TableReference)).add(CSVW.resource, IRI(iris.table(target)))
    ref.add(CSVW.columnReference, *[IRI(iris.column(target, c)) for c in remote])
    for a, b in zip(local, remote, strict=False):
        graph.node(iris.column(name, a)).add(HDH.references, IRI(iris.column(target, b)))


def _known_codelists(catalogue: Path) -> set[str]:
    """Names of the code lists the catalogue defines (read from the Turtle text, no parse needed)."""
    names: set[str] = set()
    for path in catalogue.rglob("*.ttl"):
        text = path.read_text(encoding="utf-8", errors="replace")
        names.update(re.findall(r"<codelist/([^/>#]+)>\s*\n?\s*a skos:ConceptScheme", text))
        names.update(re.findall(r"<codelist/([^/>#]+)>\s+a\s+skos:ConceptScheme", text))
    return names
