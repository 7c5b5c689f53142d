"""Code lists kept tabular: turn their CSV files into SKOS concepts at build time.

A code list is described in Turtle with CSVW terms (see docs/model.md, "Code lists")::

    <codelist/IR_AMA_V> a skos:ConceptScheme ;
        csvw:url "ORAVAL/IR_AMA_V.csv" ;          # relative to the Turtle file's folder
        csvw:dialect [ csvw:delimiter ";" ; csvw:encoding "utf-8" ; csvw:header true ] ;
        csvw:tableSchema [ csvw:column
            [ csvw:name "AMA_COD" ; csvw:propertyUrl "http://www.w3.org/2004/02/skos/core#notation" ] ,
            [ csvw:name "AMA_LIB" ; csvw:propertyUrl "http://www.w3.org/2004/02/skos/core#prefLabel" ] ,
            [ csvw:name "TEC_COL" ] ] .

Each data row of the CSV becomes ``<{scheme}/{code}> a skos:Concept ; skos:inScheme <scheme> ;
skos:notation "code" ; skos:prefLabel "label"@fr`` in the named graph of the CSV file. The code is
percent-encoded (every character outside ``A-Za-z0-9-._~``, as UTF-8 bytes). A ``csvw:aboutUrl`` template of
the table schema (``codelist/IR_AMA_V/{AMA_COD}``, relative to the base IRI) names the concepts instead when
it is given. Columns are matched by the header's names (RDF does not keep the order of ``csvw:column``); a
column without ``csvw:propertyUrl`` is kept in the CSV only. Other SKOS label and note properties may be
mapped too; their values get the column's ``csvw:lang`` (default ``fr``). A scheme with
``hdh:codesMissing true`` has no CSV and is skipped.

For speed the concepts are written as N-Quads text, which the build bulk-loads in one go.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin

import pyoxigraph as ox

from hdh_graph.catalogue_files import graph_iri
from hdh_graph.code_index import CodeIndexWriter, CodeRowData
from hdh_graph.errors import SourceProblem
from hdh_graph.graph_store import select
from hdh_graph.iris import encode_segment
from hdh_graph.settings import Settings
from hdh_graph.vocab import CSVW, HDH, PREFIXES, RDF, SKOS

DEFAULT_LANG = "fr"
_LANG_PROPERTIES = frozenset(
    SKOS[name]
    for name in (
        "prefLabel",
        "altLabel",
        "hiddenLabel",
        "definition",
        "note",
        "scopeNote",
        "editorialNote",
        "example",
        "historyNote",
        "changeNote",
    )
)
_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_TEMPLATE_PART = re.compile(r"\{([^{}]*)\}")
_TRUE = frozenset({"true", "1"})
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")


@dataclass(frozen=True)
class Column:
    name: str
    property: str | None
    lang: str | None = None


@dataclass(frozen=True)
class CodeListTable:
    """A code list whose codes are in a CSV file, as its Turtle describes it."""

    scheme: str
    description: Path
    """The Turtle file that describes the list."""
    url: str
    """``csvw:url`` as written (relative to the Turtle file's folder)."""
    csv: Path
    csv_relative: str
    delimiter: str = ","
    quote_char: str = '"'
    encoding: str = "utf-8"
    header: bool = True
    columns: tuple[Column, ...] = ()
    about_url: str | None = None
    lang: str = DEFAULT_LANG


@dataclass
class TabularOutcome:
    """What turning the CSV files into SKOS gave."""

    tables: int = 0
    rows: int = 0
    """Data rows read, each one a code."""
    concepts: int = 0
    """Distinct concepts (rows repeating a code already seen make no new concept)."""
    quads: int = 0
    problems: list[SourceProblem] = field(default_factory=list)


class BytesSink(Protocol):
    """Where N-Quads text goes: a binary file, or anything with ``write(bytes)``."""

    def write(self, data: bytes, /) -> int | None: ...


class _TableProblem(Exception):
    def __init__(self, problem: SourceProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


# -- reading the descriptions -----------------------------------------------------------------------------

_DESCRIPTIONS = f"""
SELECT ?g ?scheme ?url ?missing ?about ?lang WHERE {{
  GRAPH ?g {{
    ?scheme <{CSVW.url}> ?url .
    OPTIONAL {{ ?scheme <{HDH.codesMissing}> ?missing }}
    OPTIONAL {{ ?scheme <{CSVW.tableSchema}>/<{CSVW.aboutUrl}> ?about }}
    OPTIONAL {{ ?scheme <{CSVW.lang}> ?lang }}
  }}
}}"""

_DIALECTS = f"""
SELECT ?g ?scheme ?delimiter ?encoding ?header ?quote WHERE {{
  GRAPH ?g {{
    ?scheme <{CSVW.url}> ?url ; <{CSVW.dialect}> ?d .
    OPTIONAL {{ ?d <{CSVW.delimiter}> ?delimiter }}
    OPTIONAL {{ ?d <{CSVW.encoding}> ?encoding }}
    OPTIONAL {{ ?d <{CSVW.header}> ?header }}
    OPTIONAL {{ ?d <{CSVW.quoteChar}> ?quote }}
  }}
}}"""

_COLUMNS = f"""
SELECT ?g ?scheme ?name ?property ?lang WHERE {{
  GRAPH ?g {{
    ?scheme <{CSVW.url}> ?url ; <{CSVW.tableSchema}>/<{CSVW.column}> ?c .
    ?c <{CSVW.name}> ?name .
    OPTIONAL {{ ?c <{CSVW.propertyUrl}> ?property }}
    OPTIONAL {{ ?c <{CSVW.lang}> ?lang }}
  }}
}}"""


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str | None:
    if term is None:
        return None
    return str(term.value) if not isinstance(term, ox.Triple) else None


def line_of(path: Path, needle: str) -> int | None:
    """The first line of a text file that contains ``needle`` (to point a curator at it)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as text:
            for number, line in enumerate(text, start=1):
                if needle in line:
                    return number
    except OSError:
        return None
    return None


class _LazyLine:
    """The line where a text appears in a Turtle file, looked up only when a problem is reported.

    An IRI given as ``<base...>`` is also searched for in its relative form, as catalogue files write it.
    """

    def __init__(self, path: Path, needle: str, base_iri: str | None, fallback: _LazyLine | None = None) -> None:
        self.path, self.needle, self.base_iri, self.fallback = path, needle, base_iri, fallback

    def resolve(self) -> int | None:
        needle = self.needle
        if self.base_iri and needle.startswith("<" + self.base_iri):
            needle = "<" + needle[len(self.base_iri) + 1 :]
        found = line_of(self.path, needle)
        if found is None and self.fallback is not None:
            return self.fallback.resolve()
        return found


def _problem(path: Path, message: str, line: _LazyLine | int | None = None, column: int | None = None) -> _TableProblem:
    number = line.resolve() if isinstance(line, _LazyLine) else line
    return _TableProblem(SourceProblem(path, message, number, column))


def _collect(store: ox.Store, query: str, names: tuple[str, ...]) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(graph, scheme) -> each variable's set of values, from a query's solutions."""
    found: dict[tuple[str, str], dict[str, set[str]]] = {}
    for row in select(store, query):
        key = (_value(row["g"]) or "", _value(row["scheme"]) or "")
        entry = found.setdefault(key, {name: set() for name in names})
        for name in names:
            value = _value(row[name])
            if value is not None:
                entry[name].add(value)
    return found


def describe_code_lists(
    store: ox.Store, settings: Settings, turtle_paths: dict[str, Path]
) -> tuple[list[CodeListTable], list[SourceProblem]]:
    """The tabular code lists the loaded Turtle files describe (graph IRI -> file in ``turtle_paths``)."""
    problems: list[SourceProblem] = []
    base = _collect(store, _DESCRIPTIONS, ("url", "missing", "about", "lang"))
    dialects = _collect(store, _DIALECTS, ("delimiter", "encoding", "header", "quote"))
    columns: dict[tuple[str, str], list[Column]] = {}
    for row in select(store, _COLUMNS):
        key = (_value(row["g"]) or "", _value(row["scheme"]) or "")
        columns.setdefault(key, []).append(
            Column(_value(row["name"]) or "", _value(row["property"]), _value(row["lang"]))
        )

    tables: list[CodeListTable] = []
    for (graph, scheme), entry in sorted(base.items()):
        if entry["missing"] & _TRUE:
            continue
        description = turtle_paths.get(graph)
        if description is None:
            continue
        try:
            tables.append(
                _table(settings, graph, scheme, description, entry, dialects.get((graph, scheme), {}), columns)
            )
        except _TableProblem as exc:
            problems.append(exc.problem)
    return tables, problems


def _one(
    values: set[str] | None, what: str, default: str | None, where: Path, line: _LazyLine | int | None
) -> str | None:
    if not values:
        return default
    if len(values) > 1:
        raise _problem(where, f"{what} has {len(values)} values ({sorted(values)})", line)
    return next(iter(values))


def _table(
    settings: Settings,
    graph: str,
    scheme: str,
    description: Path,
    entry: dict[str, set[str]],
    dialect: dict[str, set[str]],
    columns: dict[tuple[str, str], list[Column]],
) -> CodeListTable:
    line = _LazyLine(description, f"<{scheme}>", settings.base_iri)
    url = _one(entry["url"], f"csvw:url of <{scheme}>", None, description, line) or ""
    url_line = _LazyLine(description, f'"{url}"', None, fallback=line)
    if _ABSOLUTE_IRI.fullmatch(url) and not re.match(r"[A-Za-z]:[\\/]", url):
        raise _problem(
            description,
            f"csvw:url {url!r} of <{scheme}> must be a path relative to this Turtle file's folder, written as "
            'a string ("LISTS/NAME.csv"), not an IRI',
            url_line,
        )
    root = settings.catalogue.resolve()
    csv_path = Path(os.path.normpath(description.parent / url))
    try:
        csv_relative = csv_path.resolve().relative_to(root).as_posix()
    except ValueError:
        raise _problem(description, f"csvw:url {url!r} of <{scheme}> points outside the catalogue", url_line) from None
    if not csv_path.is_file():
        raise _problem(
            description,
            f"code list <{scheme}>: its CSV file {url!r} ({csv_path}) does not exist; add it, fix "
            "csvw:url (relative to this Turtle file's folder), or mark the list hdh:codesMissing true",
            url_line,
        )
    delimiter = _one(dialect.get("delimiter"), "csvw:delimiter", ",", description, line) or ","
    quote_char = _one(dialect.get("quote"), "csvw:quoteChar", '"', description, line) or '"'
    encoding = _one(dialect.get("encoding"), "csvw:encoding", "utf-8", description, line) or "utf-8"
    header = (_one(dialect.get("header"), "csvw:header", "true", description, line) or "true") in _TRUE
    if len(delimiter) != 1 or len(quote_char) != 1:
        raise _problem(description, f"code list <{scheme}>: delimiter and quote must be one character", line)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise _problem(description, f"code list <{scheme}>: unknown csvw:encoding {encoding!r}", line) from None
    if not header:
        raise _problem(
            description,
            f"code list <{scheme}>: csvw:header false is not supported; the CSV needs a header row naming its columns",
            line,
        )
    if not _ABSOLUTE_IRI.fullmatch(scheme):
        raise _problem(description, f"a code list with csvw:url {url!r} needs an IRI, not a blank node", url_line)
    cols = tuple(
        sorted((_expand(c, description, line) for c in columns.get((graph, scheme), [])), key=lambda c: c.name)
    )
    notations = [c for c in cols if c.property == SKOS.notation]
    if len(notations) != 1:
        raise _problem(
            description,
            f"code list <{scheme}> needs exactly one column with csvw:propertyUrl skos:notation "
            f"(found {len(notations)})",
            line,
        )
    lang = _one(entry["lang"], "csvw:lang", DEFAULT_LANG, description, line) or DEFAULT_LANG
    for tag in [lang] + [c.lang for c in cols if c.lang]:
        if not _LANG_TAG.fullmatch(tag or ""):
            raise _problem(description, f"code list <{scheme}>: bad language tag {tag!r}", line)
    about = _one(entry["about"], "csvw:aboutUrl", None, description, line)
    return CodeListTable(
        scheme=scheme,
        description=description,
        url=url,
        csv=csv_path,
        csv_relative=csv_relative,
        delimiter=delimiter,
        quote_char=quote_char,
        encoding=encoding,
        header=header,
        columns=cols,
        about_url=about,
        lang=lang,
    )


# -- writing the concepts ---------------------------------------------------------------------------------


def _expand(column: Column, description: Path, line: _LazyLine) -> Column:
    """The column with its ``csvw:propertyUrl`` as a full IRI (``skos:prefLabel`` is accepted, as in CSVW)."""
    prop = column.property
    if prop is None:
        return column
    prefix, _, local = prop.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        prop = PREFIXES[prefix] + local
    if not _ABSOLUTE_IRI.fullmatch(prop):
        raise _problem(description, f"column {column.name!r}: csvw:propertyUrl {prop!r} is not an IRI", line)
    return Column(column.name, prop, column.lang)


def _literal(value: str) -> str:
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{value}"'


def _decode(table: CodeListTable) -> str:
    data = table.csv.read_bytes()
    encoding = "utf-8-sig" if codecs.lookup(table.encoding).name == "utf-8" else table.encoding
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _problem(
            table.csv,
            f"not valid {table.encoding}: byte 0x{data[exc.start]:02x} cannot be decoded; save the file "
            f"as {table.encoding} or declare its csvw:encoding in {table.description.name}",
            line,
            column,
        ) from None


def _concept_namer(table: CodeListTable, header: list[str], base_iri: str) -> Callable[[list[str]], str]:
    """A function from a CSV row to its concept IRI."""
    if table.about_url is None:
        code_index = header.index(next(c.name for c in table.columns if c.property == SKOS.notation))
        prefix = table.scheme + "/"
        return lambda row: prefix + encode_segment(row[code_index])
    parts = _TEMPLATE_PART.split(table.about_url)
    literal_parts = parts[0::2]
    names = parts[1::2]
    for name in names:
        if name not in header:
            raise _problem(
                table.description,
                f"csvw:aboutUrl {table.about_url!r} of <{table.scheme}> names column {name!r}, "
                f"which {table.url} does not have",
                line_of(table.description, table.about_url),
            )
    indexes = [header.index(name) for name in names]
    first = literal_parts[0]
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", first):
        first = urljoin(base_iri, first) if first else base_iri
    literal_parts = [first, *literal_parts[1:]]
    if len(indexes) == 1 and not literal_parts[1]:  # the usual "codelist/NAME/{CODE}"
        only = indexes[0]
        return lambda row: first + encode_segment(row[only])

    def name_row(row: list[str]) -> str:
        out = [literal_parts[0]]
        for index, text in zip(indexes, literal_parts[1:], strict=True):
            out.append(encode_segment(row[index]))
            out.append(text)
        return "".join(out)

    return name_row


def concept_quads(
    table: CodeListTable, settings: Settings, codes: list[CodeRowData] | None = None
) -> tuple[list[str], int, int, int]:
    """One code list's concepts as N-Quads text (one string per row), with its row, concept and quad counts;
    ``codes`` receives each row's concept, notation and labels (for :mod:`hdh_graph.code_index`).

    Raises ``_TableProblem`` for the first problem of the file (its rows are not trusted after it).
    """
    text = _decode(table)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter, quotechar=table.quote_char)
    try:
        header = next(reader)
    except StopIteration:
        raise _problem(table.csv, "the file is empty; it needs a header row", 1) from None
    except csv.Error as exc:
        raise _problem(table.csv, f"bad CSV: {exc}", reader.line_num) from None
    described = {c.name for c in table.columns}
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise _problem(table.csv, f"column {name!r} appears twice in the header", 1)
        seen.add(name)
        if name not in described:
            raise _problem(
                table.csv,
                f"unknown column {name!r}: the csvw:tableSchema of <{table.scheme}> in "
                f"{table.description.name} does not describe it (it describes {sorted(described)})",
                1,
            )
    for name in sorted(described - seen):
        raise _problem(
            table.csv,
            f"column {name!r}, described in {table.description.name} for <{table.scheme}>, is not in "
            f"the header {header}",
            1,
        )
    graph = f"<{graph_iri(settings, table.csv_relative)}> .\n"
    scheme_part = f" <{RDF.type}> <{SKOS.Concept}> {graph}"
    in_scheme = f" <{SKOS.inScheme}> <{table.scheme}> {graph}"
    mapped: list[tuple[int, str, str, bool]] = []  # (index, " <property> ", suffix, keep when empty)
    for column in table.columns:
        if column.property is None:
            continue
        suffix = f" {graph}"
        if column.property in _LANG_PROPERTIES:
            suffix = f"@{column.lang or table.lang} {graph}"
        keep_empty = column.property == SKOS.notation
        mapped.append((header.index(column.name), f" <{column.property}> ", suffix, keep_empty))
    name_of = _concept_namer(table, header, settings.base_iri)
    notation_at = next((i for i, p, _s, _k in mapped if p == f" <{SKOS.notation}> "), None)
    labels_at = [(header.index(c.name), c.lang or table.lang) for c in table.columns if c.property == SKOS.prefLabel]
    width = len(header)
    lines: list[str] = []
    concepts: set[str] = set()
    rows = quads = 0
    try:
        for row in reader:
            if len(row) != width:
                if not row:
                    continue
                raise _problem(
                    table.csv,
                    f"row has {len(row)} fields where the header has {width} (check the delimiter "
                    f"{table.delimiter!r} and the quotes)",
                    reader.line_num,
                )
            rows += 1
            concept = name_of(row)
            subject = f"<{concept}>"
            if codes is not None:
                notation = row[notation_at] if notation_at is not None else None
                found: list[tuple[str | None, str | None]] = [(row[i], lang) for i, lang in labels_at if row[i]]
                codes.extend((concept, notation, label, lang) for label, lang in found or [(None, None)])
            if subject in concepts:
                parts = []
            else:
                concepts.add(subject)
                parts = [subject, scheme_part, subject, in_scheme]
                quads += 2
            for index, prop, suffix, keep_empty in mapped:
                value = row[index]
                if value or keep_empty:
                    parts += (subject, prop, _literal(value), suffix)
                    quads += 1
            lines.append("".join(parts))
    except csv.Error as exc:
        raise _problem(table.csv, f"bad CSV: {exc}", reader.line_num) from None
    return lines, rows, len(concepts), quads


def write_concepts(
    tables: Iterable[CodeListTable],
    settings: Settings,
    out: BytesSink,
    progress: Callable[[str], None] | None = None,
    every: int = 100,
    index: CodeIndexWriter | None = None,
) -> TabularOutcome:
    """Write the concepts of every code list as N-Quads to ``out`` (and their codes to ``index``); collect each
    file's problem."""
    outcome = TabularOutcome()
    for number, table in enumerate(tables, start=1):
        codes: list[CodeRowData] | None = [] if index is not None else None
        try:
            lines, rows, concepts, quads = concept_quads(table, settings, codes)
        except _TableProblem as exc:
            outcome.problems.append(exc.problem)
            continue
        out.write("".join(lines).encode("utf-8"))
        if index is not None and codes is not None:
            index.add(table.scheme, graph_iri(settings, table.csv_relative), codes)
        outcome.tables += 1
        outcome.rows += rows
        outcome.concepts += concepts
        outcome.quads += quads
        if progress is not None and number % every == 0:
            progress(f"  {number} code lists read, {outcome.rows:,} codes")
    return outcome
