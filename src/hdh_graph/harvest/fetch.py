"""Read one harvest document (a URL or a file) within limits of size, time and redirects, and parse it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

from hdh_graph.errors import HdhError


class HarvestError(HdhError):
    """The harvest cannot go on; nothing was written."""


@dataclass(frozen=True)
class HarvestLimits:
    """Bounds of one harvest. Defaults suit a national catalogue of a few thousand datasets."""

    max_bytes: int = 200 * 1024 * 1024
    """Largest document accepted (each page of a paged catalogue counts alone)."""
    timeout: float = 60.0
    """Seconds one document may take to arrive, from the request to its last byte."""
    max_redirects: int = 10
    max_pages: int = 10_000


@dataclass(frozen=True)
class Document:
    """A fetched document: where it came from (after redirects), its bytes and its RDF format."""

    url: str
    data: bytes
    format: ox.RdfFormat


FORMATS_BY_TYPE = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
FORMATS_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".nt": ox.RdfFormat.N_TRIPLES,
}
ACCEPT = "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.9, application/n-triples;q=0.8, */*;q=0.1"


def sniff(data: bytes, hint: ox.RdfFormat | None) -> ox.RdfFormat:
    """The format named by the server or the file name, else guessed from the first bytes."""
    if hint is not None:
        return hint
    head = data.lstrip()[:200]
    if head.startswith(b"<?xml") or head.startswith(b"<rdf:RDF"):
        return ox.RdfFormat.RDF_XML
    if head[:1] in (b"{", b"["):
        return ox.RdfFormat.JSON_LD
    return ox.RdfFormat.TURTLE


def _too_big(source: str, limits: HarvestLimits) -> HarvestError:
    return HarvestError(
        f"{source}: document is larger than {limits.max_bytes} bytes",
        hint="raise the limit with --max-bytes if this catalogue is really that large",
    )


def read_file(path: Path, limits: HarvestLimits) -> Document:
    if not path.is_file():
        raise HarvestError(
            f"{path}: no such file", hint="give the path of a Turtle, RDF/XML, JSON-LD or N-Triples file"
        )
    if path.stat().st_size > limits.max_bytes:
        raise _too_big(str(path), limits)
    data = path.read_bytes()
    return Document(path.resolve().as_uri(), data, sniff(data, FORMATS_BY_SUFFIX.get(path.suffix.lower())))


def read_url(url: str, limits: HarvestLimits, client: httpx.Client) -> Document:
    """GET ``url``; the whole answer must arrive within ``limits.timeout`` seconds and ``limits.max_bytes``."""
    deadline = time.monotonic() + limits.timeout
    try:
        with client.stream("GET", url, headers={"Accept": ACCEPT}) as response:
            if response.status_code >= 400:
                raise HarvestError(
                    f"{url}: the server answered HTTP {response.status_code}",
                    hint="check the address of the catalogue feed",
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limits.max_bytes:
                raise _too_big(url, limits)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limits.max_bytes:
                    raise _too_big(url, limits)
                if time.monotonic() > deadline:
                    raise _slow(url, limits)
                chunks.append(chunk)
            media = response.headers.get("content-type", "").split(";")[0].strip().lower()
            final = str(response.url)
    except httpx.TooManyRedirects as exc:
        raise HarvestError(
            f"{url}: more than {limits.max_redirects} redirects (a redirect loop?)",
            hint="ask the publisher for the final address of the feed and harvest that",
        ) from exc
    except httpx.TimeoutException as exc:
        raise _slow(url, limits) from exc
    except httpx.HTTPError as exc:
        raise HarvestError(f"{url}: {exc}", hint="check the address and that the server is reachable") from exc
    data = b"".join(chunks)
    hint = FORMATS_BY_TYPE.get(media)
    if hint is None or media in ("text/plain", "application/json"):
        suffix = Path(httpx.URL(final).path).suffix.lower()
        hint = FORMATS_BY_SUFFIX.get(suffix, hint if media != "text/plain" else None)
    return Document(final, data, sniff(data, hint))


def _slow(url: str, limits: HarvestLimits) -> HarvestError:
    return HarvestError(
        f"{url}: no complete answer within {limits.timeout:g} s",
        hint="retry later, or raise the limit with --timeout",
    )


def parse(doc: Document) -> ox.Store:
    """The triples of a document in an in-memory store; a syntax error names the document, line and column."""
    store = ox.Store()
    try:
        store.load(doc.data, format=doc.format, base_iri=doc.url)
        return store
    except SyntaxError as exc:
        where = doc.url
        line = getattr(exc, "lineno", None)
        if line:
            where += f":{line}"
            if getattr(exc, "offset", None):
                where += f":{exc.offset}"
        raise HarvestError(
            f"{where}: not valid {doc.format.name} ({exc.msg if hasattr(exc, 'msg') else exc})",
            hint="the document is not RDF or is truncated; check it with a validator such as riot",
        ) from exc
    except (ValueError, OSError) as exc:
        raise HarvestError(f"{doc.url}: cannot read {doc.format.name}: {exc}", hint="check the document") from exc
