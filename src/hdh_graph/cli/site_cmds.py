"""``hdh site``: render the static catalogue site from the store."""

from __future__ import annotations

from pathlib import Path

import click

from hdh_graph.cli.options import progress, reports_errors, settings_options
from hdh_graph.settings import Settings


@click.command("site")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder to render the site into [env HDH_SITE; default ./var/site].",
)
@click.option(
    "--incremental/--full",
    default=False,
    help="Bring the site in the same folder up to date: only the pages that read what changed in the store "
    "since the site was built are rendered again.",
)
@click.option("--search/--no-search", default=True, help="Build the Pagefind search index [default: yes].")
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="Folder of the Jinja2 templates [default: site/templates of the project].",
)
@settings_options
@reports_errors
def site(settings: Settings, out: Path | None, incremental: bool, search: bool, templates: Path | None) -> None:
    """Render the bilingual static site, its RDF twins, feed, sitemap and search index."""
    from hdh_graph.code_index import CodeIndex
    from hdh_graph.graph_store import open_graph_store
    from hdh_graph.site.build import build_site
    from hdh_graph.site.read.curation import load_curation
    from hdh_graph.store import active_snapshot, store_version

    out = out or settings.site
    store = open_graph_store(settings)
    report = build_site(
        store,
        settings,
        out,
        templates=templates,
        search=search,
        incremental=incremental,
        store_version=store_version(settings),
        curation=load_curation(settings),
        codes=None if settings.sparql_endpoint else CodeIndex.of_snapshot(active_snapshot(settings)),
    )
    progress(
        f"{report.pages} pages ({report.rendered} rendered, {report.unchanged} unchanged, "
        f"{report.removed} removed), {report.files} files, {report.bytes / 1e6:.1f} MB "
        f"in {report.seconds.get('total', 0):.1f} s → {out}"
    )
