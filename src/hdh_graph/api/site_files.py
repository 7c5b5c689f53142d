"""The rendered static site, served with content negotiation between a page and its RDF.

A resource path such as ``/dataset/dcir`` answers ``site/dataset/dcir/index.html`` to a browser and
``site/dataset/dcir.ttl`` (``.jsonld``, ``.rdf``, ``.nt``) to an RDF client, directly, with
``Content-Location``, ``Vary: Accept`` and validators (ETag, Last-Modified) for caches.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.responses import FileResponse, PlainTextResponse, Response

from hdh_graph.api import negotiation

RDF_FILES: dict[str, str] = {
    "text/turtle": ".ttl",
    "application/ld+json": ".jsonld",
    "application/rdf+xml": ".rdf",
    "application/n-triples": ".nt",
}
MEDIA_TYPES: dict[str, str] = {ext: media for media, ext in RDF_FILES.items()}
CACHE = "public, max-age=300"


def _inside(root: Path, relative: str) -> Path | None:
    """The path under ``root`` (None when it would leave it)."""
    candidate = (root / relative).resolve()
    try:
        candidate.relative_to(root)
    except ValueError:
        return None
    return candidate


def _rdf_choice(accept: str | None, stem: Path) -> Path | None:
    if negotiation.prefers_html(accept) or not accept:
        return None
    for media, _weight in negotiation.parse_accept(accept):
        media = negotiation.GRAPH_ALIASES.get(media, negotiation.ALIASES.get(media, media))
        ext = RDF_FILES.get(media)
        if ext and stem.with_name(stem.name + ext).is_file():
            return stem.with_name(stem.name + ext)
        if media in ("text/html", "*/*"):
            return None
    return None


def _file(path: Path, root: Path, vary: bool = False) -> FileResponse:
    media = MEDIA_TYPES.get(path.suffix)
    headers = {"Cache-Control": CACHE, "Content-Location": "/" + path.relative_to(root).as_posix()}
    if vary:
        headers["Vary"] = "Accept"
    return FileResponse(path, media_type=media, headers=headers)


def serve(request: Request, site: Path, relative: str) -> Response:
    root = site.resolve()
    target = _inside(root, relative.strip("/"))
    if target is None:
        return PlainTextResponse("Not found\n", status_code=404)
    accept = request.headers.get("accept")
    if target.is_file():
        return _file(target, root)
    page = target / "index.html"
    rdf = _rdf_choice(accept, target)
    if rdf is None and relative.startswith("en/"):
        # English pages share the RDF of the resource.
        unprefixed = _inside(root, relative[3:].strip("/"))
        rdf = _rdf_choice(accept, unprefixed) if unprefixed else None
    if rdf is not None:
        return _file(rdf, root, vary=True)
    if page.is_file():
        return _file(page, root, vary=True)
    return PlainTextResponse(f"Not found: /{relative}\n", status_code=404)
