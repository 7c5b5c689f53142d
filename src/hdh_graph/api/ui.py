"""Pages for people: the query editor at ``/sparql`` and the landing page (Jinja2 templates)."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from hdh_graph.api.examples import load_examples
from hdh_graph.vocab import sparql_prefixes

YASGUI_VERSION = "4.6.2"
STATIC_DIR = Path(str(files("hdh_graph.api") / "static"))
# The query in the editor when it opens, after the catalogue's prefixes.
DEFAULT_QUERY = "SELECT ?dataset ?title WHERE {\n  ?dataset a dcat:Dataset ; dct:title ?title .\n} LIMIT 20\n"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(files("hdh_graph.api") / "templates")),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
    )


def editor_page(request: Request) -> HTMLResponse:
    """YASGUI, with the project's prefixes and the example queries."""
    examples = [
        {"name": e.name, "title": e.title, "description": e.description, "query": e.query} for e in load_examples()
    ]
    html = (
        environment()
        .get_template("sparql.html")
        .render(
            endpoint=str(request.url.replace(query=None, fragment=None)),
            prefixes=sparql_prefixes(),
            default_query=DEFAULT_QUERY,
            examples=examples,
            yasgui_version=YASGUI_VERSION,
        )
    )
    return HTMLResponse(html, headers={"Vary": "Accept"})


def landing_page(request: Request) -> HTMLResponse:
    settings = request.app.state.settings
    html = (
        environment()
        .get_template("index.html")
        .render(
            base_iri=settings.base_iri,
            remote=settings.sparql_endpoint,
            examples=load_examples(),
        )
    )
    return HTMLResponse(html)
