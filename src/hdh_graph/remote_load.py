"""Fill a remote SPARQL server with the embedded store's named graphs (``hdh publish``).

Two ways, picked by size:

- **Graph Store Protocol** (any server: Oxigraph ``/store``, Virtuoso ``/sparql-graph-crud-auth``, Fuseki): one
  ``PUT ?graph=<iri>`` of N-Triples per named graph, each replacing that graph whole (one transaction per graph on
  the server);
- **Virtuoso's bulk loader** when ``virtuoso_isql`` and ``virtuoso_load_dir`` are set and the store holds at least
  ``bulk_load_triples`` triples (1 million by default: below it the two take about the same time, above it the
  loader is several times faster; figures in bench/RESULTS.md): see :func:`hdh_graph.virtuoso.bulk_load`.

Then the graphs of the catalogue (``{base}graph/...``) that the remote holds and the store no longer has (a file
that was removed) are deleted, once every graph has been replaced. Nothing else on the server is touched, but for
one thing on Virtuoso when its isql is configured: its own graphs are made private
(:func:`hdh_graph.virtuoso.hide_other_graphs`), so that ``/sparql`` reads the catalogue only.

Before anything is written the server is checked (it answers, it is a Graph Store endpoint, the credentials are
accepted, the load folder is there), so that a wrong URL, a server that is down or a refused login leave the remote
as it was. A failure midway (the server fails, times out or is full) stops the publication: the error names the
server, the graph that failed, how many graphs were already replaced (they hold the new version) and how many were
not (they keep the old one); no graph is deleted then. Publishing again replaces every graph, so running
``hdh publish`` once more after fixing the server brings the remote to the store's state. The embedded store is
opened read-only and the site is not touched: neither can be half-written by a publication.
"""

from __future__ import annotations

import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from hdh_graph.errors import HdhError
from hdh_graph.graph_store import GraphStore
from hdh_graph.remote_store import RemoteStoreError, SparqlStore
from hdh_graph.settings import Settings
from hdh_graph.virtuoso import Isql, VirtuosoError, bulk_load, clear_graphs, graphs_on_server, hide_other_graphs

RDF_MEDIA_TYPES = ("application/n-triples", "text/turtle", "application/rdf+xml", "application/ld+json", "text/plain")


class RemoteLoadError(HdhError):
    """The remote server could not be filled; says what was replaced before it stopped."""

    def __init__(
        self, message: str, hint: str | None = None, *, replaced: list[str] | None = None, kept: list[str] | None = None
    ) -> None:
        super().__init__(message, hint)
        self.replaced = replaced or []
        """Graphs that hold the new version on the remote."""
        self.kept = kept or []
        """Graphs that still hold the remote's previous version (or are not there yet)."""


@dataclass
class LoadReport:
    """What a publication did."""

    server: str
    method: str
    """``graph-store`` or ``bulk-loader``."""
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def _graphs(store: GraphStore | ox.Store) -> list[ox.NamedNode]:
    return sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)


def _dump(store: GraphStore | ox.Store, graph: ox.NamedNode) -> bytes:
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""


def _client(settings: Settings) -> httpx.Client:
    return httpx.Client(timeout=settings.remote_timeout)


def _authenticate(client: httpx.Client, response: httpx.Response, settings: Settings) -> bool:
    """Answer a 401 with the configured user: HTTP digest when the server asks for it (Virtuoso), else basic.
    The client keeps it for the requests that follow (digest: no second round trip per graph)."""
    if response.status_code != 401 or not settings.remote_user or client.auth is not None:
        return False
    password = settings.remote_password or ""
    challenge = response.headers.get("www-authenticate", "").lower()
    if challenge.startswith("digest"):
        client.auth = httpx.DigestAuth(settings.remote_user, password)
    else:
        client.auth = httpx.BasicAuth(settings.remote_user, password)
    return True


def _unreachable(target: str, exc: httpx.HTTPError, settings: Settings) -> RemoteLoadError:
    if isinstance(exc, httpx.TimeoutException):
        return RemoteLoadError(
            f"the remote server {target} did not answer within {settings.remote_timeout:.0f} s",
            hint="see the server's log; raise HDH_REMOTE_TIMEOUT if it is busy loading",
        )
    return RemoteLoadError(
        f"could not reach the remote server {target}: {exc}",
        hint="check that the server runs and that HDH_GRAPH_STORE_ENDPOINT is its Graph Store URL",
    )


def _refusal(target: str, response: httpx.Response, graph: str) -> str:
    text = " ".join(response.text.split())[:300]
    return f"{target} answered {response.status_code} for graph <{graph}>: {text}"


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return (
            "set HDH_REMOTE_USER and HDH_REMOTE_PASSWORD to a user allowed to write (Virtuoso: the SPARQL_UPDATE role)"
        )
    if status in (404, 405):
        return (
            "HDH_GRAPH_STORE_ENDPOINT must be the server's Graph Store Protocol URL "
            "(Oxigraph: http://host:7878/store; Virtuoso: http://host:8890/sparql-graph-crud-auth)"
        )
    if status in (413, 507):
        return "the server is full or refuses a graph this big: free disk space or raise its limits, then publish again"
    return "see the server's log, fix it and publish again: every graph is replaced again"


def check_graph_store(client: httpx.Client, target: str, graph: str, settings: Settings) -> None:
    """Ask the Graph Store endpoint for one graph, before writing: it must answer RDF (200) or 404."""
    try:
        response = client.get(target, params={"graph": graph}, headers={"Accept": "application/n-triples"})
        if _authenticate(client, response, settings):
            response = client.get(target, params={"graph": graph}, headers={"Accept": "application/n-triples"})
    except httpx.HTTPError as exc:
        raise _unreachable(target, exc, settings) from exc
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if response.status_code == 404 or (response.status_code == 200 and media in RDF_MEDIA_TYPES):
        return
    if response.status_code == 200:
        raise RemoteLoadError(
            f"{target} is not a Graph Store Protocol endpoint: it answered {media or 'no media type'}, not RDF, "
            f"for graph <{graph}>",
            hint=_status_hint(404),
        )
    raise RemoteLoadError(_refusal(target, response, graph), hint=_status_hint(response.status_code))


def _remote_graphs(settings: Settings, isql: Isql | None) -> list[str] | None:
    """The catalogue's graphs on the remote, or ``None`` when there is no way to list them."""
    prefix = settings.graph_iri("")
    if isql is not None:
        return [g for g in graphs_on_server(isql) if g.startswith(prefix)]
    if not settings.sparql_endpoint:
        return None
    remote = SparqlStore(settings.sparql_endpoint, graphs=prefix, timeout=settings.remote_timeout)
    try:
        return [g.value for g in remote.named_graphs()]
    finally:
        remote.close()


def _isql(settings: Settings) -> Isql | None:
    if not settings.virtuoso_isql:
        return None
    return Isql(settings.virtuoso_isql, settings.remote_user or "dba", settings.remote_password or "")


def publish(
    settings: Settings, store: GraphStore | ox.Store, progress: Callable[[str], None] | None = None
) -> LoadReport:
    """Replace each named graph of the remote server with the store's, then delete the catalogue graphs the store
    no longer has (see the module's docstring for what a failure leaves)."""
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    graphs = _graphs(store)
    triples = len(store)
    isql = _isql(settings)
    bulk = isql is not None and settings.virtuoso_load_dir is not None and triples >= settings.bulk_load_triples
    if bulk:
        assert isql is not None and settings.virtuoso_load_dir is not None
        report = _bulk(settings, store, graphs, isql, settings.virtuoso_load_dir, say)
    else:
        report = _graph_store(settings, store, graphs, isql, say)
    if isql is not None:  # Virtuoso: its own graphs out of what /sparql reads, as on the embedded store
        try:
            hidden = hide_other_graphs(isql, settings.graph_iri(""))
        except VirtuosoError as exc:
            raise RemoteLoadError(
                f"every graph was published, but the server's own graphs could not be made private: {exc.message}",
                hint=exc.hint,
                replaced=report.replaced,
            ) from exc
        report.notes.append(f"{len(hidden)} graph(s) of the server that are not the catalogue's are private")
    report.triples = triples
    report.seconds = time.perf_counter() - started
    return report


def _listing(settings: Settings, isql: Isql | None, server: str) -> list[str] | None:
    try:
        return _remote_graphs(settings, isql)
    except (RemoteStoreError, VirtuosoError) as exc:
        raise RemoteLoadError(
            f"could not list the catalogue's graphs on {server} before publishing: {exc.message}",
            hint=exc.hint,
        ) from exc


def _graph_store(
    settings: Settings,
    store: GraphStore | ox.Store,
    graphs: list[ox.NamedNode],
    isql: Isql | None,
    say: Callable[[str], None],
) -> LoadReport:
    target = settings.graph_store_endpoint
    if not target:
        raise RemoteLoadError(
            "no Graph Store Protocol endpoint is configured",
            hint="set HDH_GRAPH_STORE_ENDPOINT or --graph-store-endpoint, e.g. http://127.0.0.1:7878/store",
        )
    report = LoadReport(server=target, method="graph-store")
    names = [g.value for g in graphs]
    with _client(settings) as client:
        check_graph_store(client, target, names[0] if names else settings.graph_iri("catalog.ttl"), settings)
        before = _listing(settings, isql, target)
        for index, graph in enumerate(graphs):
            data = _dump(store, graph)
            try:
                response = client.put(
                    target,
                    params={"graph": graph.value},
                    content=data,
                    headers={"Content-Type": "application/n-triples"},
                )
            except httpx.HTTPError as exc:
                failure = _unreachable(target, exc, settings)
                raise _midway(failure.message, failure.hint, names, index) from exc
            if response.status_code not in (200, 201, 204):
                raise _midway(_refusal(target, response, graph.value), _status_hint(response.status_code), names, index)
            report.replaced.append(graph.value)
            say(f"replaced <{graph.value}> ({len(data)} bytes)")
        stale = sorted(set(before) - set(names)) if before is not None else []
        for graph_iri in stale:
            try:
                response = client.delete(target, params={"graph": graph_iri})
            except httpx.HTTPError as exc:
                failure = _unreachable(target, exc, settings)
                raise _stale_failure(failure.message, failure.hint, report, stale) from exc
            if response.status_code not in (200, 204, 404):
                raise _stale_failure(
                    _refusal(target, response, graph_iri), _status_hint(response.status_code), report, stale
                )
            report.removed.append(graph_iri)
            say(f"removed <{graph_iri}> (no such file in the catalogue any more)")
    if before is None:
        report.notes.append(
            "graphs of files removed from the catalogue were not looked for: set HDH_SPARQL_ENDPOINT to remove them"
        )
    return report


def _midway(message: str, hint: str | None, names: list[str], index: int) -> RemoteLoadError:
    replaced, kept = names[:index], names[index:]
    shown = ", ".join(f"<{g}>" for g in replaced[-3:])
    return RemoteLoadError(
        f"publishing stopped at graph {index + 1} of {len(names)}: {message}\n"
        f"{len(replaced)} graph(s) were replaced before it{f' (last: {shown})' if replaced else ''} and hold the new "
        f"version; the other {len(kept)} keep the remote's previous version; no graph was deleted",
        hint=(hint or "") + "; then run `hdh publish` again (it replaces every graph)",
        replaced=replaced,
        kept=kept,
    )


def _stale_failure(message: str, hint: str | None, report: LoadReport, stale: list[str]) -> RemoteLoadError:
    return RemoteLoadError(
        f"every graph was replaced, but deleting the graphs of removed files failed: {message}\n"
        f"{len(report.removed)} of {len(stale)} were deleted",
        hint=(hint or "") + "; then run `hdh publish` again",
        replaced=report.replaced,
    )


def _bulk(
    settings: Settings,
    store: GraphStore | ox.Store,
    graphs: list[ox.NamedNode],
    isql: Isql,
    load_dir: Path,
    say: Callable[[str], None],
) -> LoadReport:
    server = f"Virtuoso at {isql.address}"
    report = LoadReport(server=server, method="bulk-loader")
    if not load_dir.is_dir():
        raise RemoteLoadError(
            f"the bulk load folder {load_dir} does not exist",
            hint="set HDH_VIRTUOSO_LOAD_DIR to a folder listed in the server's DirsAllowed (virtuoso.ini)",
        )
    try:
        isql.run("SELECT 1")
    except VirtuosoError as exc:
        raise RemoteLoadError(f"{server} cannot be used for the bulk load: {exc.message}", hint=exc.hint) from exc
    before = _listing(settings, isql, server) or []
    names = [g.value for g in graphs]
    folder = load_dir / f"hdh-{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"
    folder.mkdir()
    try:
        files = dict(_write_files(store, graphs, folder))
        say(f"wrote {len(files)} N-Quads files in {folder}")
        try:
            failures = bulk_load(isql, str(folder), files, replace=[g for g in names if g in set(before)])
        except VirtuosoError as exc:
            raise RemoteLoadError(
                f"the bulk load into {server} failed: {exc.message}\nthe graphs being replaced may be empty or in "
                "part: the bulk loader commits as it goes",
                hint=(exc.hint or "") + "; then run `hdh publish` again",
                kept=names,
            ) from exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if failures:
        failed = sorted({g for f in failures for g in f.graphs})
        listed = "; ".join(f"{f.error} (graphs <{f.graphs[0]}>...)" for f in failures[:5])
        raise RemoteLoadError(
            f"the bulk loader of {server} could not load {len(failed)} of {len(names)} graph(s): {listed}\n"
            f"the {len(names) - len(failed)} others were replaced; the {len(failed)} may hold part of their "
            "triples; no graph was deleted",
            hint="see the server's virtuoso.log, fix it and run `hdh publish` again",
            replaced=[g for g in names if g not in set(failed)],
            kept=failed,
        )
    report.replaced = names
    say(f"bulk-loaded {len(names)} graphs into {server}")
    stale = sorted(set(before) - set(names))
    clear_graphs(isql, stale)
    report.removed = stale
    for graph_iri in stale:
        say(f"removed <{graph_iri}> (no such file in the catalogue any more)")
    return report


BULK_FILE_QUADS = 500_000
"""About how many quads go in one file for the bulk loader (a graph is never split between files)."""


def _write_files(
    store: GraphStore | ox.Store, graphs: list[ox.NamedNode], folder: Path
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Write the graphs as N-Quads files of about :data:`BULK_FILE_QUADS` quads; yield each file's name and graphs."""
    number, held, size = 0, [], 0
    out = None
    try:
        for graph in graphs:
            if out is None:
                out = (folder / f"{number:06d}.nq").open("wb")
            # The graph's N-Triples, written by the store, made N-Quads: every line ends with " .\n" (a newline in a
            # literal is escaped), so the graph goes just before it.
            triples = _dump(store, graph)
            out.write(triples.replace(b" .\n", b" <" + graph.value.encode() + b"> .\n"))
            held.append(graph.value)
            size += triples.count(b"\n")
            if size >= BULK_FILE_QUADS:
                out.close()
                out = None
                yield f"{number:06d}.nq", tuple(held)
                number, held, size = number + 1, [], 0
        if out is not None:
            out.close()
            out = None
            yield f"{number:06d}.nq", tuple(held)
    finally:
        if out is not None:
            out.close()
