"""``hdh validate``: check the catalogue against DCAT-AP, HealthDCAT-AP and our own rules."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from hdh_graph.cli.options import reports_errors, settings_options
from hdh_graph.settings import Settings
from hdh_graph.validation import ENGINES, FORMATS, render, validate_catalogue


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--changed", is_flag=True, help="Validate the files git sees as changed, plus the files citing them.")
@click.option("--since", metavar="REF", default=None, help="With --changed: also files changed since this commit.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format.")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True, help="Language of messages.")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="sparql",
    show_default=True,
    help="sparql: fast, on the store; pyshacl: the reference engine (slow).",
)
@click.option(
    "--shapes",
    "shapes_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of shapes [default ./shapes].",
)
@click.option("--no-warnings", is_flag=True, help="Show violations only (text and github; warnings are still counted).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the compiled shapes and the file index.")
@settings_options
@reports_errors
def validate(
    settings: Settings,
    paths: tuple[Path, ...],
    changed: bool,
    since: str | None,
    fmt: str,
    lang: str,
    engine: str,
    shapes_dir: Path | None,
    no_cache: bool,
    no_warnings: bool,
) -> None:
    """Validate the whole catalogue, or PATHS (with what they reference).

    Exit code 0: no violation (warnings may be shown); 1: violations; 2: validation could not run.
    """
    report = validate_catalogue(
        settings,
        list(paths) if paths else None,
        changed=changed,
        since=since,
        engine=engine,
        shapes_dir=shapes_dir,
        use_cache=not no_cache,
    )
    prefix = ""
    try:
        prefix = os.path.relpath(settings.catalogue.resolve(), Path.cwd()).replace(os.sep, "/") + "/"
    except ValueError:
        prefix = settings.catalogue.as_posix() + "/"
    click.echo(render(report, fmt, settings.base_iri, lang, prefix, show_warnings=not no_warnings), nl=False)
    sys.exit(0 if report.conforms else 1)
