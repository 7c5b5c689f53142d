"""A dataset's data dictionary as CSV or Excel: one row per variable, the columns the import reads back.

The header row uses the names ``hdh import dictionary`` maps (docs/interop.md), so an exported dictionary can
be edited by a data holder and imported again.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from hdh_graph.errors import HdhError
from hdh_graph.feed.variables import DatasetInfo, dataset_info

HEADER = [
    "table",
    "name",
    "label",
    "description",
    "type",
    "codelist",
    "required",
    "minimum",
    "maximum",
    "primary key",
    "iri",
]


def rows(info: DatasetInfo) -> list[list[str]]:
    """The header and one row per variable, tables and variables sorted by name."""
    out = [HEADER]
    for table in info.tables:
        for c in table.columns:
            out.append(
                [
                    table.name,
                    c.name,
                    c.title,
                    c.description,
                    c.datatype,
                    c.codelist_name,
                    c.required,
                    c.minimum,
                    c.maximum,
                    "yes" if c.key else "",
                    c.iri,
                ]
            )
    return out


def dictionary_csv(store: Any, dataset: str, lang: str = "fr") -> bytes:
    """UTF-8 CSV with a BOM (so that spreadsheet programs read the accents), comma-separated."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows(dataset_info(store, dataset, lang)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def dictionary_xlsx(store: Any, dataset: str, lang: str = "fr") -> bytes:
    """An Excel workbook: a "variables" sheet (frozen header, filters) and an "about" sheet."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError as exc:
        raise HdhError("writing Excel files needs openpyxl", hint="pip install openpyxl") from exc

    info = dataset_info(store, dataset, lang)
    book = Workbook()
    sheet = book.worksheets[0]  # the sheet a new workbook starts with (book.active may be None in general)
    sheet.title = "variables"
    for row in rows(info):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for letter, width in zip("ABCDEFGHIJK", (16, 20, 40, 60, 10, 16, 9, 9, 9, 11, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    about = book.create_sheet("about")
    for row in (
        ["dataset", info.title],
        ["iri", info.iri],
        ["identifier", info.identifier],
        ["tables", str(len(info.tables))],
        ["variables", str(sum(len(t.columns) for t in info.tables))],
    ):
        about.append(row)
    buffer = io.BytesIO()
    book.properties.creator = "hdh-graph"
    book.save(buffer)
    return buffer.getvalue()
