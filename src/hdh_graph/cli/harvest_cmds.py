"""``hdh harvest SOURCE``: import a partner's DCAT-AP / HealthDCAT-AP catalogue into catalogue/harvested/."""

from __future__ import annotations

from typing import Any

import click

from hdh_graph.cli.options import progress, reports_errors, settings_options
from hdh_graph.settings import Settings


@click.command("harvest")
@click.argument("source")
@click.option("--name", default=None, help="Folder under catalogue/harvested/ [default: from the URL or file name].")
@click.option(
    "--max-bytes", type=click.IntRange(min=1), default=None, help="Largest document accepted [HDH_HARVEST_MAX_BYTES]."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds per document [HDH_HARVEST_TIMEOUT].",
)
@click.option(
    "--max-pages", type=click.IntRange(min=1), default=None, help="Most pages followed [HDH_HARVEST_MAX_PAGES]."
)
@click.option(
    "--shacl", is_flag=True, help="Also validate the kept records with the project's shapes; report the violations."
)
@settings_options
@reports_errors
def harvest(
    source: str,
    name: str | None,
    max_bytes: int | None,
    timeout: float | None,
    max_pages: int | None,
    shacl: bool,
    settings: Settings,
) -> None:
    """Harvest SOURCE (a URL or a file: Turtle, RDF/XML, JSON-LD or N-Triples), following Hydra paging.

    Each dataset becomes one Turtle file in catalogue/harvested/NAME/ with the provenance in _harvest.ttl.
    Records that lack what DCAT-AP makes mandatory are listed and skipped. On any error nothing is written
    and the previous harvest stays as it was.

    Example: hdh harvest https://data.example.org/catalog.ttl --name example
    """
    from dataclasses import replace

    from hdh_graph.harvest import HarvestLimits
    from hdh_graph.harvest import harvest as run_harvest

    limits = HarvestLimits.from_settings(settings)
    changes: dict[str, Any] = {"max_bytes": max_bytes, "timeout": timeout, "max_pages": max_pages}
    limits = replace(limits, **{k: v for k, v in changes.items() if v is not None})
    progress(f"Harvesting {source} ...")
    report = run_harvest(source, settings, name=name, limits=limits, shacl=shacl)
    click.echo(
        f"Read {len(report.pages)} page(s); {report.kept} record(s) in {report.folder}: {len(report.added)} new, "
        f"{len(report.updated)} updated, {len(report.unchanged)} unchanged; {len(report.removed)} removed; "
        f"{len(report.skipped)} skipped."
    )
    for title, lines in (
        ("Removed (no longer in the source)", report.removed),
        ("Skipped", report.skipped),
        ("Duplicate identifiers (kept apart, not merged)", report.duplicates),
        ("Dropped from kept records", report.notes),
        ("SHACL violations in kept records (reported, not skipped)", report.findings),
    ):
        if lines:
            click.echo(f"{title}:")
            for line in lines:
                click.echo(f"  {line}")
