"""Read one harvest document (a URL or a file) within bounds of size, time and redirects, and parse it.

A URL is read by :class:`Fetcher`, which follows redirects itself so that it can check each one: the scheme must
be ``http`` or ``https``, the host the source's own or one the operator allows (``harvest_allow_hosts``), and
the address public (see :mod:`hdh_graph.harvest.guard`). Compressed answers (``gzip``, ``deflate``) are
inflated here, a piece at a time, and stopped as soon as they grow past ``max_bytes``: a small "gzip bomb"
never becomes a large buffer. No proxy set in the environment is used: the checks hold only on a direct
connection.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpcore
import httpx
import pyoxigraph as ox

from hdh_graph.harvest.contexts import inline_contexts
from hdh_graph.harvest.entities import refuse_entities
from hdh_graph.harvest.errors import HarvestError
from hdh_graph.harvest.guard import AddressPolicy, Deadline, GuardedBackend, parse_networks
from hdh_graph.settings import Settings

__all__ = ["Document", "Fetcher", "HarvestError", "HarvestLimits", "parse", "read_file"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
SCHEMES = ("http", "https")
CHUNK = 64 * 1024


@dataclass(frozen=True)
class HarvestLimits:
    """Bounds of one harvest. Defaults suit a national catalogue of a few thousand datasets; the settings
    ``harvest_*`` (docs/settings.md) give them, the flags of ``hdh harvest`` override those."""

    max_bytes: int = 200 * 1024 * 1024
    """Largest document accepted (each page of a paged catalogue counts alone), as sent and once inflated."""
    timeout: float = 60.0
    """Seconds one document may take to arrive, from the request to its last byte, redirects included."""
    max_redirects: int = 10
    max_pages: int = 10_000
    max_seconds: float = 3600.0
    """Seconds the whole harvest may take, every page included."""
    allow_hosts: tuple[str, ...] = ()
    """Hosts besides the source's own that redirects and paging links may lead to."""
    allow_private: str = ""
    """Networks (comma-separated addresses or CIDR blocks) allowed although not public."""

    @classmethod
    def from_settings(cls, settings: Settings) -> HarvestLimits:
        hosts = tuple(h.strip().lower() for h in settings.harvest_allow_hosts.split(",") if h.strip())
        return cls(
            max_bytes=settings.harvest_max_bytes,
            timeout=settings.harvest_timeout,
            max_redirects=settings.harvest_max_redirects,
            max_pages=settings.harvest_max_pages,
            max_seconds=settings.harvest_max_seconds,
            allow_hosts=hosts,
            allow_private=settings.harvest_allow_private,
        )


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


def _too_big(source: str, limits: HarvestLimits, what: str = "is larger than") -> HarvestError:
    return HarvestError(
        f"{source}: document {what} {limits.max_bytes} bytes",
        hint="raise the limit with --max-bytes (HDH_HARVEST_MAX_BYTES) if this catalogue is really that large",
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


def host_of(url: str) -> str:
    return httpx.URL(url).host.lower()


class _Inflater:
    """``gzip`` / ``deflate`` content decoding that never holds more than the room left."""

    def __init__(self, encoding: str, url: str) -> None:
        if encoding not in ("gzip", "x-gzip", "deflate"):
            raise HarvestError(
                f"{url}: the server sent content encoded as {encoding!r}, which is not read",
                hint="ask the publisher to serve the feed plain, gzip or deflate",
            )
        self._zlib = zlib.decompressobj(wbits=47)  # zlib or gzip header, detected
        self._url = url

    def feed(self, data: bytes, room: int) -> bytes:
        try:
            out = self._zlib.decompress(data, room + 1)
        except zlib.error as exc:
            raise HarvestError(f"{self._url}: the compressed answer is damaged ({exc})", hint="retry later") from exc
        return out

    def finish(self) -> None:
        if not self._zlib.eof:
            raise HarvestError(f"{self._url}: the compressed answer is truncated", hint="retry later")


class Fetcher:
    """Reads the documents of one harvest from the web: the source and what its pages and redirects lead to."""

    def __init__(self, source: str, limits: HarvestLimits) -> None:
        self.limits = limits
        url = httpx.URL(source)
        self.source_host = url.host.lower()
        self.hosts = {self.source_host, *limits.allow_hosts}
        self.policy = AddressPolicy(allowed_networks=parse_networks(limits.allow_private))
        self.policy.trust_host(url.host, url.port or (443 if url.scheme == "https" else 80))
        self.deadline = Deadline()
        self.started = time.monotonic()
        self.pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=GuardedBackend(self.policy, self.deadline),
            max_connections=1,
            retries=0,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.close()

    def check(self, url: str, named_by: str) -> None:
        """Refuse an address that is not ``http(s)`` on an allowed host (``named_by``: who gave it)."""
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme not in SCHEMES:
            raise HarvestError(
                f"{named_by} leads to {url!r}: only http and https addresses are followed",
                hint="the feed points outside the web (a local file, another protocol); tell its publisher",
            )
        try:
            host = host_of(url)
        except httpx.InvalidURL as exc:
            raise HarvestError(
                f"{named_by} leads to {url!r}, not a valid URL ({exc})", hint="tell the publisher"
            ) from exc
        if host not in self.hosts:
            raise HarvestError(
                f"{named_by} leads to another host, {host} (the source is on {self.source_host})",
                hint=f"if {host} really serves this catalogue, allow it with HDH_HARVEST_ALLOW_HOSTS={host}",
            )

    def get(self, url: str) -> Document:
        """GET ``url``, following at most ``max_redirects`` checked redirects, within the document's bounds."""
        limits = self.limits
        now = time.monotonic()
        total_end = self.started + limits.max_seconds
        self.deadline.at = min(now + limits.timeout, total_end)
        current = url
        try:
            for _ in range(limits.max_redirects + 1):
                status, headers, data = self._get_once(current)
                if status in REDIRECTS and headers.get("location"):
                    target = urljoin(current, headers["location"].strip())
                    self.check(target, f"{current} (HTTP {status} redirect)")
                    current = target
                    continue
                if status >= 300:
                    raise HarvestError(
                        f"{current}: the server answered HTTP {status}", hint="check the address of the catalogue feed"
                    )
                return _document(current, data, headers)
        except (httpcore.TimeoutException, TimeoutError) as exc:
            if self.deadline.at >= total_end and time.monotonic() >= total_end:
                raise HarvestError(
                    f"{current}: the harvest has taken more than {limits.max_seconds:g} s in all",
                    hint="raise HDH_HARVEST_MAX_SECONDS if the catalogue is really that slow to read",
                ) from exc
            raise _slow(current, limits) from exc
        except httpcore.ProtocolError as exc:
            raise HarvestError(f"{current}: the server's answer is not valid HTTP ({exc})", hint="retry later") from exc
        except httpcore.NetworkError as exc:
            raise HarvestError(f"{current}: {exc}", hint="check the address and that the server is reachable") from exc
        except httpcore.UnsupportedProtocol as exc:
            raise HarvestError(f"{current}: {exc}", hint="give an http(s) URL") from exc
        raise HarvestError(
            f"{url}: more than {limits.max_redirects} redirects (a redirect loop?)",
            hint="ask the publisher for the final address of the feed and harvest that",
        )

    def _get_once(self, url: str) -> tuple[int, dict[str, str], bytes]:
        limits = self.limits
        request_headers = [
            (b"Accept", ACCEPT.encode()),
            (b"Accept-Encoding", b"gzip, deflate"),
            (b"User-Agent", b"hdh-harvest"),
        ]
        left = max(self.deadline.remaining(), 0.001)
        timeouts = {"connect": left, "read": left, "write": left, "pool": left}
        with self.pool.stream("GET", url, headers=request_headers, extensions={"timeout": timeouts}) as response:
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers}
            if response.status in REDIRECTS or response.status >= 300:
                return response.status, headers, b""
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise _too_big(url, limits)
            encoding = headers.get("content-encoding", "identity").strip().lower()
            inflater = None if encoding in ("", "identity") else _Inflater(encoding, url)
            chunks: list[bytes] = []
            size = raw = 0
            for chunk in response.iter_stream():
                raw += len(chunk)
                if raw > limits.max_bytes:
                    raise _too_big(url, limits)
                if inflater is not None:
                    chunk = inflater.feed(chunk, limits.max_bytes - size)
                size += len(chunk)
                if size > limits.max_bytes:
                    raise _too_big(url, limits, "inflates to more than")
                chunks.append(chunk)
            if inflater is not None:
                inflater.finish()
        return response.status, headers, b"".join(chunks)


def _document(url: str, data: bytes, headers: dict[str, str]) -> Document:
    media = headers.get("content-type", "").split(";")[0].strip().lower()
    hint = FORMATS_BY_TYPE.get(media)
    if hint is None or media in ("text/plain", "application/json"):
        suffix = Path(httpx.URL(url).path).suffix.lower()
        hint = FORMATS_BY_SUFFIX.get(suffix, hint if media != "text/plain" else None)
    return Document(url, data, sniff(data, hint))


def _slow(url: str, limits: HarvestLimits) -> HarvestError:
    return HarvestError(
        f"{url}: no complete answer within {limits.timeout:g} s",
        hint="retry later, or raise the limit with --timeout (HDH_HARVEST_TIMEOUT)",
    )


def parse(doc: Document) -> ox.Store:
    """The triples of a document in an in-memory store; a syntax error names the document, line and column.

    RDF/XML declaring entities is refused (:mod:`entities`); JSON-LD's remote contexts are replaced by the copies
    the project ships or refused (:mod:`contexts`): parsing never reads a file or the network.
    """
    data = doc.data
    if doc.format == ox.RdfFormat.RDF_XML:
        refuse_entities(data, doc.url)
    elif doc.format == ox.RdfFormat.JSON_LD:
        data = inline_contexts(data, doc.url)
    store = ox.Store()
    try:
        store.load(data, format=doc.format, base_iri=doc.url)
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
