"""``hdh serve`` (the SPARQL endpoint, search API and site) and ``hdh publish`` (fill a remote store)."""

from __future__ import annotations

from pathlib import Path

import click

from hdh_graph.cli.options import progress, reports_errors, settings_options
from hdh_graph.settings import Settings


@click.command()
@settings_options
@click.option("--host", default=None, help="Address to listen on [env HDH_HOST; default 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port to listen on [env HDH_PORT; default 8000].")
@click.option(
    "--query-timeout",
    type=float,
    default=None,
    help="Seconds a SPARQL query may run before it is stopped [env HDH_QUERY_TIMEOUT; default 30].",
)
@click.option(
    "--sparql-endpoint",
    default=None,
    help="Forward queries to this SPARQL 1.1 endpoint instead of the embedded store [env HDH_SPARQL_ENDPOINT].",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 32),
    default=None,
    help="Query worker processes [env HDH_WORKERS; default 3]; HDH_CHEAP_WORKERS of them only run cheap queries.",
)
@click.option(
    "--allow-violations", is_flag=True, help="When the store is rebuilt, build it even if validation finds violations."
)
@reports_errors
def serve(
    settings: Settings,
    host: str | None,
    port: int | None,
    query_timeout: float | None,
    sparql_endpoint: str | None,
    workers: int | None,
    allow_violations: bool,
) -> None:
    """Serve /sparql, /api/search, /health and the site; build the store first when it is out of date."""
    from hdh_graph.api.app import create_app
    from hdh_graph.api.server import configure_logging, serve_forever
    from hdh_graph.store import store_is_stale

    settings = settings.with_(
        host=host, port=port, query_timeout=query_timeout, sparql_endpoint=sparql_endpoint, workers=workers
    )
    if not settings.sparql_endpoint and store_is_stale(settings):
        from hdh_graph.publishing import validated_build

        progress(f"Building the store {settings.store} from {settings.catalogue} (it is missing or out of date)")
        validated_build(settings, progress=progress, allow_violations=allow_violations)
    configure_logging()
    progress(f"SPARQL endpoint on http://{settings.host}:{settings.port}/sparql")
    serve_forever(create_app(settings), settings)


@click.command()
@settings_options
@click.option(
    "--graph-store-endpoint",
    default=None,
    help="Graph Store Protocol URL of the remote server [env HDH_GRAPH_STORE_ENDPOINT].",
)
@click.option(
    "--sparql-endpoint",
    default=None,
    help="Its SPARQL query URL, to find graphs of removed files [env HDH_SPARQL_ENDPOINT].",
)
@click.option("--user", default=None, help="User to write as [env HDH_REMOTE_USER]; password: HDH_REMOTE_PASSWORD.")
@click.option(
    "--virtuoso-isql",
    default=None,
    help="host:port of Virtuoso's SQL port, for its bulk loader on big stores [env HDH_VIRTUOSO_ISQL].",
)
@click.option(
    "--virtuoso-load-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder in Virtuoso's DirsAllowed, for the bulk loader's files [env HDH_VIRTUOSO_LOAD_DIR].",
)
@reports_errors
def publish(
    settings: Settings,
    graph_store_endpoint: str | None,
    sparql_endpoint: str | None,
    user: str | None,
    virtuoso_isql: str | None,
    virtuoso_load_dir: Path | None,
) -> None:
    """Replace the catalogue's named graphs on a remote SPARQL server with the store's (run `hdh build` first)."""
    from hdh_graph.remote_load import publish as publish_graphs
    from hdh_graph.store import open_store

    settings = settings.with_(
        graph_store_endpoint=graph_store_endpoint,
        sparql_endpoint=sparql_endpoint,
        remote_user=user,
        virtuoso_isql=virtuoso_isql,
        virtuoso_load_dir=virtuoso_load_dir,
    )
    report = publish_graphs(settings, open_store(settings, read_only=True), progress=progress)
    for note in report.notes:
        progress(f"Note: {note}")
    progress(
        f"Published {len(report.replaced)} named graphs ({report.triples} triples) to {report.server} "
        f"by {report.method} in {report.seconds:.1f} s; removed {len(report.removed)}"
    )
