"""``hdh build``, ``hdh query``, ``hdh export`` and ``hdh stats``: the store from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from hdh_graph.cli.options import progress, reports_errors, settings_options
from hdh_graph.settings import Settings


@click.command()
@settings_options
@click.option("--quiet", "-q", is_flag=True, help="Print only the final summary (no progress lines).")
@click.option("--json", "as_json", is_flag=True, help="Also print the build's counts as JSON on stdout.")
@click.option("--allow-violations", is_flag=True, help="Build even when validation finds violations (they are listed).")
@click.option("--full", is_flag=True, help="Read and validate the whole catalogue, even when a few files changed.")
@reports_errors
def build(settings: Settings, quiet: bool, as_json: bool, allow_violations: bool, full: bool) -> None:
    """Load the catalogue into the embedded store.

    Every Turtle file of the catalogue goes into its own named graph (graph/<path>), relative IRIs
    resolved against the base IRI; code lists kept as CSV are turned into SKOS concepts. The new store
    replaces the previous one only when every file has loaded: when a file is broken, every problem is
    listed (file:line:column) and the previous store is left as it was. The catalogue is validated first
    (hdh validate): with violations the store is not rebuilt, unless --allow-violations is given.

    When only a few Turtle files changed since the last build (none describing a code list kept as CSV),
    the new store starts as a copy of the previous one and only those files are read again, and only the
    files they can affect are validated again: the same store and report as a full build. --full reads
    and validates everything.
    """
    from hdh_graph.build import report_as_dict
    from hdh_graph.cli.progress_view import TerminalProgress
    from hdh_graph.publishing import validated_build
    from hdh_graph.sparql.keywords import ensure_store_index

    view = TerminalProgress(quiet=quiet)
    report, validation = validated_build(settings, progress=view, allow_violations=allow_violations, full=full)
    if validation.violations:
        click.echo(f"Warning: built with {len(validation.violations)} violation(s) (--allow-violations)", err=True)
    click.echo(f"Built {settings.store}: {report.summary()}", err=True)
    view.message("Indexing the catalogue for keyword search")
    with view.step("keyword index"):
        ensure_store_index(settings)
    progress(view.summary())
    if as_json:
        click.echo(json.dumps(report_as_dict(report), indent=2))


def _read_query(sparql: str | None, file: Path | None) -> str:
    if file is not None and sparql is not None:
        raise click.UsageError("give the query as an argument or with --file, not both")
    if file is not None:
        return sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    if sparql is None:
        raise click.UsageError("give a SPARQL query, '-' to read it from stdin, or --file FILE")
    return sys.stdin.read() if sparql == "-" else sparql


@click.command()
@settings_options
@click.argument("sparql", required=False)
@click.option(
    "--file",
    "-f",
    "file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Read the query from this file ('-' for stdin).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "tsv", "turtle", "ntriples"]),
    default=None,
    help="Output format [default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE].",
)
@reports_errors
def query(settings: Settings, sparql: str | None, file: Path | None, fmt: str | None) -> None:
    """Run a SPARQL query on the store and print the result.

    The default graph is the union of all the catalogue's files; the project prefixes (dcat:, dct:,
    csvw:, skos:, hdh:, ...) need no PREFIX line, and relative IRIs such as <dataset/dcir> resolve
    against the base IRI. Examples:

    \b
      hdh query 'SELECT ?d ?t WHERE { ?d a dcat:Dataset ; dct:title ?t }'
      hdh query --format csv --file my-query.rq > result.csv
      echo 'ASK { <dataset/dcir> ?p ?o }' | hdh query -
    """
    from hdh_graph.graph_store import open_graph_store
    from hdh_graph.sparql.keywords import SearchIndex, ensure_store_index, matches_function
    from hdh_graph.sparql.results import default_format, write_result
    from hdh_graph.sparql.run import QueryRequest, evaluate
    from hdh_graph.store import store_is_stale

    text = _read_query(sparql, file)
    store = open_graph_store(settings)
    if not settings.sparql_endpoint and settings.catalogue.is_dir() and store_is_stale(settings):
        click.echo(
            "Warning: the store does not reflect the catalogue as it is now (or other settings); "
            "run `hdh build` to update it.",
            err=True,
        )
    index = SearchIndex(ensure_store_index(settings, store))
    result = evaluate(store, QueryRequest(text, base_iri=settings.base_iri), index, matches_function(index))
    out = sys.stdout.buffer
    write_result(result, fmt or default_format(result), out, base_iri=settings.base_iri)
    out.flush()


@click.command()
@settings_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["nquads", "trig"]),
    default="nquads",
    show_default=True,
    help="N-Quads (one quad per line) or TriG (Turtle with named graphs).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to this file (replaced only once complete) instead of stdout.",
)
@reports_errors
def export(settings: Settings, fmt: str, output: Path | None) -> None:
    """Dump the whole store, with its named graphs (one per catalogue file)."""
    from hdh_graph.export import export_store, export_to_file
    from hdh_graph.graph_store import open_graph_store

    store = open_graph_store(settings)
    if output is None:
        export_store(store, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        export_to_file(store, fmt, output)
        click.echo(f"Wrote {output}", err=True)


@click.command()
@settings_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Text tables or JSON.",
)
@reports_errors
def stats(settings: Settings, fmt: str) -> None:
    """Count the store's triples, its resources by class and its triples by source file."""
    from hdh_graph.graph_store import open_graph_store
    from hdh_graph.sparql.results import render_table, term_text
    from hdh_graph.stats import store_stats
    from hdh_graph.store import build_info

    result = store_stats(open_graph_store(settings), settings)
    info = build_info(settings) or {}
    if fmt == "json":
        data = {"built_at": info.get("built_at"), "base_iri": info.get("base_iri"), **result.as_dict()}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    import pyoxigraph as ox

    built = f", built {info['built_at']} from {info.get('catalogue')}" if info.get("built_at") else ""
    click.echo(f"{result.triples:,} triples{built}\n")
    classes = [[term_text(ox.NamedNode(c)), f"{n:,}"] for c, n in result.by_class]
    click.echo(render_table(["class", "resources"], classes))
    files = [[f, f"{n:,}"] for f, n in result.by_file]
    click.echo(render_table(["file", "triples"], files), nl=False)
