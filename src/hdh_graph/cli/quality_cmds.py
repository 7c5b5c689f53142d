"""``hdh quality``: the metadata quality score (data.europa.eu's MQA) of every dataset and of the catalogue."""

from __future__ import annotations

import json

import click

from hdh_graph.cli.options import progress, reports_errors, settings_options
from hdh_graph.settings import Settings


@click.command()
@settings_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for programs, github for GitHub Actions annotations (::warning file=...,line=...).",
)
@click.option("--brief", is_flag=True, help="Text: scores only, without the list of what to add.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@reports_errors
def quality(settings: Settings, fmt: str, brief: bool, quiet: bool) -> None:
    """Score each dataset with data.europa.eu's Metadata Quality Assessment (405 points, five dimensions).

    Each missing point is explained with the property to add, and the elements of the EHDS data quality
    and utility label (Regulation (EU) 2025/327, art. 78) still unstated are listed. Reads the store
    (run `hdh build` first); DCAT-AP compliance comes from the validation report `hdh build` saved.
    URL accessibility needs the network and is reported as "not checked" (no points).
    """
    from hdh_graph.cli.progress_view import TerminalProgress
    from hdh_graph.quality import report
    from hdh_graph.quality.locate import dataset_positions
    from hdh_graph.quality.run import assess_catalogue, label_catalogue

    view = TerminalProgress(quiet=quiet)
    scores = assess_catalogue(settings, view)
    with view.step("EHDS label"):
        found = label_catalogue(settings)
    if fmt == "text":
        click.echo(report.as_text(scores, found, verbose=not brief), nl=False)
    else:
        positions = dataset_positions(settings, scores.datasets)
        if fmt == "json":
            click.echo(json.dumps(report.as_dict(scores, positions, found), indent=2, ensure_ascii=False))
        else:
            click.echo(report.as_github(scores, positions), nl=False)
    if not quiet:
        progress(view.summary())
