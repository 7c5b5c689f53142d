"""``hdh import dictionary FILE --dataset IRI``: a data dictionary as variables of a dataset."""

from __future__ import annotations

from pathlib import Path

import click

from hdh_graph.cli.options import progress, reports_errors, settings_options
from hdh_graph.settings import Settings


@click.command("dictionary")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dataset", required=True, help="The dataset the variables belong to: its IRI or dataset/SLUG.")
@click.option("--table", default=None, help="Table name when the dictionary has no table column [file name].")
@click.option("--lang", default="fr", show_default=True, help="Language of the labels and descriptions.")
@settings_options
@reports_errors
def dictionary(file: Path, dataset: str, table: str | None, lang: str, settings: Settings) -> None:
    """Turn a data dictionary FILE into variables (CSVW tables and columns) of a dataset.

    FILE is a CSV or Excel sheet with one row per variable (column name, label, type, code list...), a
    Frictionless Table Schema or a Data Package (.json). The column mapping is in docs/interop.md; columns it
    does not know are listed. Writes catalogue/dictionaries/SLUG/NAME.ttl.

    Example: hdh import dictionary variables.csv --dataset dataset/dcir --table COHORTE
    """
    from .dictionary import import_dictionary

    progress(f"Importing {file} ...")
    report = import_dictionary(file, dataset, settings, table=table, lang=lang)
    click.echo(
        f"Wrote {report.file}: {report.variables} variable(s) in {len(report.tables)} table(s) "
        f"({', '.join(report.tables)}); {len(report.inline_codelists)} inline code list(s), "
        f"{len(report.linked_codelists)} linked."
    )
    for title, lines in (
        ("Columns not mapped (ignored)", report.unmapped_columns),
        ("Types not recognised", report.unknown_types),
        ("Values not understood", report.unread_values),
        ("Code lists named but not in the catalogue", report.missing_codelists),
    ):
        if lines:
            click.echo(f"{title}:")
            for line in lines:
                click.echo(f"  {line}")
