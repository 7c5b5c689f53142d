"""The rendered static site, served with content negotiation between a page and its RDF.

A resource path such as ``/dataset/dcir`` answers ``site/dataset/dcir/index.html`` to a browser and
``site/dataset/dcir.ttl`` (``.jsonld``, ``.rdf``, ``.nt``) to an RDF client, directly, with
``Content-Location``, ``Vary: Accept`` and validators (ETag, Last-Modified) for caches: a request whose
``If-None-Match`` (or ``If-Modified-Since``) matches gets ``304 Not Modified``. Files whose name carries a
version or a content hash (``yasgui-4.6.2.min.js``, ``site.3f9a1c2.css``) never change and are
cached for a year; pages and other files for a minute, then revalidated.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from fastapi import Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from starlette.datastructures import Headers
from starlette.responses import Response as StarletteResponse
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

from hdh_graph.api import negotiation

RDF_FILES: dict[str, str] = {
    "text/turtle": ".ttl",
    "application/ld+json": ".jsonld",
    "application/rdf+xml": ".rdf",
    "application/n-triples": ".nt",
}
MEDIA_TYPES: dict[str, str] = {ext: media for media, ext in RDF_FILES.items()}
CACHE = "public, max-age=60, must-revalidate"
IMMUTABLE = "public, max-age=31536000, immutable"
FINGERPRINT = re.compile(r"[._-](?:[0-9a-f]{7,}|v?\d+(?:\.\d+){1,3})(?=[._-])")
"""A version (``-4.6.2.``) or a content hash (``_3f9a1c2.``) in a file name."""


def cache_control(name: str) -> str:
    """How long a file may be kept by caches: a year when its name is fingerprinted, else a minute."""
    return IMMUTABLE if FINGERPRINT.search(name) else CACHE


def _inside(root: Path, relative: str) -> Path | None:
    """The path under ``root`` (None when it would leave it, or names something that cannot be a file)."""
    if "\x00" in relative or len(relative) > 1024:
        return None
    try:
        candidate = (root / relative).resolve()
        candidate.relative_to(root)
    except (ValueError, OSError):
        return None
    return candidate


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _rdf_choice(accept: str | None, stem: Path, root: Path | None = None) -> Path | None:
    """The RDF file an RDF client gets for the resource at ``stem``: its twin, or, for a resource whose page has no
    twin of its own (a variable), the twin of the nearest page above it, which describes it (``table/T.ttl`` holds
    ``table/T/C``)."""
    if negotiation.prefers_html(accept) or not accept:
        return None
    stems = [stem]
    if root is not None and _is_file(stem / "index.html"):
        stems += [parent for parent in stem.parents if parent != root and root in parent.parents]
    for media, _weight in negotiation.parse_accept(accept):
        media = negotiation.GRAPH_ALIASES.get(media, negotiation.ALIASES.get(media, media))
        ext = RDF_FILES.get(media)
        if ext:
            for candidate in stems:
                if _is_file(candidate.with_name(candidate.name + ext)):
                    return candidate.with_name(candidate.name + ext)
        if media in ("text/html", "*/*"):
            return None
    return None


def not_modified(response_headers: Headers, request_headers: Headers) -> bool:
    """Whether the client's validators match the file's (``If-None-Match`` wins over ``If-Modified-Since``)."""
    return StaticFiles.is_not_modified(None, response_headers, request_headers)  # type: ignore[arg-type]


def _file(request: Request, path: Path, root: Path, vary: bool = False) -> StarletteResponse:
    media = MEDIA_TYPES.get(path.suffix)
    headers = {"Cache-Control": cache_control(path.name), "Content-Location": "/" + path.relative_to(root).as_posix()}
    if vary:
        headers["Vary"] = "Accept"
    response = FileResponse(path, media_type=media, headers=headers, stat_result=os.stat(path))
    if not_modified(response.headers, request.headers):
        return NotModifiedResponse(response.headers)
    return response


def serve(request: Request, site: Path, relative: str) -> Response:
    root = site.resolve()
    target = _inside(root, relative.strip("/"))
    if target is None:
        return PlainTextResponse("Not found\n", status_code=404)
    accept = request.headers.get("accept")
    if _is_file(target):
        return _file(request, target, root)
    page = target / "index.html"
    rdf = _rdf_choice(accept, target, root)
    if rdf is None and relative.startswith("en/"):
        # English pages share the RDF of the resource.
        unprefixed = _inside(root, relative[3:].strip("/"))
        rdf = _rdf_choice(accept, unprefixed, root) if unprefixed else None
    if rdf is not None:
        return _file(request, rdf, root, vary=True)
    if _is_file(page):
        return _file(request, page, root, vary=True)
    return PlainTextResponse("Not found\n", status_code=404)


class CachedStaticFiles(StaticFiles):
    """Starlette's static files, with the site's cache lifetimes (fingerprinted files for a year)."""

    def file_response(self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> StarletteResponse:  # fmt: skip
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = cache_control(Path(full_path).name)
        return response
