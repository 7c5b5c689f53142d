"""``hdh import``: convert outside descriptions into catalogue files.

Registered as the ``import`` verb of ``hdh`` through the ``hdh_graph.commands`` entry-point group (see
pyproject.toml), so that the library never imports the loaders."""

from __future__ import annotations

from pathlib import Path

import click

from hdh_graph.cli.options import progress, reports_errors, settings_options
from hdh_graph.settings import Settings

from .dictionary_cmds import dictionary


@click.group("import")
def import_group() -> None:
    """Import outside descriptions (the SNDS schema and documentation, the OMOP CDM, data dictionaries)."""


@import_group.command("snds")
@click.argument("source", type=click.Path(path_type=Path))
@settings_options
@reports_errors
def snds(source: Path, settings: Settings) -> None:
    """Convert a schema-snds checkout SOURCE into catalogue/snds and catalogue/codelists.

    Example: hdh import snds loaders/sources/schema-snds
    """
    from .snds import import_snds

    progress(f"Importing the SNDS schema from {source} into {settings.catalogue} ...")
    report = import_snds(source, settings.catalogue)
    click.echo(
        f"Imported {report.products} products, {report.tables} tables ({report.series} yearly series), "
        f"{report.variables} variables, {report.foreign_keys} foreign keys, {report.code_lists} code lists "
        f"({report.code_files} with codes; codes missing upstream: {', '.join(report.code_lists_without_codes)})."
    )
    if report.unresolved:
        click.echo(f"{len(report.unresolved)} references the source does not resolve (kept, marked hdh:unresolved):")
        for u in report.unresolved:
            click.echo(f"  {u}")
    click.echo(f"Wrote {len(report.files)} files; see {settings.catalogue / 'snds' / 'IMPORT-REPORT.md'}.")


@import_group.command("omop")
@click.argument("source", type=click.Path(path_type=Path))
@settings_options
@reports_errors
def omop(source: Path, settings: Settings) -> None:
    """Convert the OMOP CDM 5.4 CSV files in SOURCE into catalogue/omop.

    Example: hdh import omop loaders/sources/omop-cdm
    """
    from .omop import import_omop

    progress(f"Importing the OMOP CDM from {source} into {settings.catalogue} ...")
    report = import_omop(source, settings.catalogue)
    click.echo(
        f"Imported {report.tables} tables, {report.fields} fields ({report.required_fields} required), "
        f"{report.primary_keys} primary-key fields, {report.foreign_keys} foreign keys, "
        f"{len(report.domains)} concept domains."
    )
    if report.unknown_source_codes:
        names = ", ".join(report.unknown_source_codes)
        click.echo(f"Fields of loaders/omop/model.toml [source_codes] not in the source (not linked): {names}")
    click.echo(f"Wrote {len(report.files)} files; see {settings.catalogue / 'omop' / 'IMPORT-REPORT.md'}.")


@import_group.command("snds-docs")
@click.argument("source", type=click.Path(path_type=Path))
@settings_options
@reports_errors
def snds_docs(source: Path, settings: Settings) -> None:
    """Convert the SNDS collaborative documentation in SOURCE into catalogue/docs-snds (glossary, pages).

    Import the databases first: the glossary links the tables and variables whose descriptions use its terms.

    Example: hdh import snds-docs loaders/sources/documentation-snds
    """
    from .snds_docs import import_snds_docs

    progress(f"Importing the SNDS documentation from {source} into {settings.catalogue} ...")
    report = import_snds_docs(source, settings.catalogue)
    click.echo(
        f"Imported {report.terms} glossary terms ({report.terms_with_definition} with a definition; "
        f"{report.terms_used} used by {report.linked_resources} tables and variables) and "
        f"{sum(report.documents.values())} documentation pages of {report.documented} datasets and tables."
    )
    click.echo(f"Wrote {len(report.files)} files; see {settings.catalogue / 'docs-snds' / 'IMPORT-REPORT.md'}.")


import_group.add_command(dictionary)
