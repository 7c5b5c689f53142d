"""Filling a remote server (`hdh publish`): Virtuoso's bulk loader and Graph Store endpoint, the choice between them,
the removal of graphs of deleted files, and what each failure (down, slow, refusing, not RDF, full, failing midway)
says and leaves on the remote, the embedded store untouched."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from virtuoso_support import start_virtuoso, virtuoso_settings

from hdh_graph.api.server import free_port
from hdh_graph.remote_load import RemoteLoadError, publish
from hdh_graph.remote_store import SparqlStore
from hdh_graph.settings import Settings
from hdh_graph.store import open_store, store_version
from hdh_graph.virtuoso import LocalVirtuoso

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def loader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalVirtuoso]:
    """A Virtuoso of its own, so that these loads do not disturb the endpoint tests' server."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-load"))
    try:
        yield server
    finally:
        server.stop()


def _bulk_settings(settings: Settings, server: LocalVirtuoso, cache: Path) -> Settings:
    return virtuoso_settings(settings, server, cache).with_(
        remote_user="dba",
        remote_password=server.password,
        virtuoso_isql=server.isql.address,
        virtuoso_load_dir=server.load_folder,
        bulk_load_triples=0,
    )


def _quads(store: object) -> tuple[list[str], int]:
    """The quads without blank nodes (sorted), and how many hold one (labels differ between stores)."""
    named, blank = [], 0
    for quad in store.quads_for_pattern(None, None, None):  # type: ignore[attr-defined]
        if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
            blank += 1
        else:
            named.append(str(quad))
    return sorted(named), blank


def _remote_count(endpoint: str, graph_prefix: str) -> int:
    return len(SparqlStore(endpoint, graphs=graph_prefix))


def test_the_bulk_loader_fills_virtuoso_with_the_store_and_a_second_load_replaces_it(
    settings: Settings, loader: LocalVirtuoso, tmp_path: Path
) -> None:
    remote = _bulk_settings(settings, loader, tmp_path / "cache")
    local = open_store(settings, read_only=True)
    for _ in range(2):  # the second load replaces the graphs, it does not add to them
        report = publish(remote, local)
        assert report.method == "bulk-loader" and len(report.replaced) == 7 and report.removed == []
        assert report.server == f"Virtuoso at {loader.isql.address}"
        assert _quads(SparqlStore(loader.sparql_endpoint, graphs=settings.graph_iri(""))) == _quads(local)
        assert "graph(s) of the server that are not the catalogue's are private" in report.notes[0]
    assert list(loader.load_folder.iterdir()) == []  # the files written for the loader are gone
    union = httpx.post(
        loader.sparql_endpoint,
        data={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert int(union.json()["results"]["bindings"][0]["n"]["value"]) == len(local)  # Virtuoso's own graphs hidden


def test_below_the_threshold_the_graph_store_endpoint_is_used(
    settings: Settings, loader: LocalVirtuoso, tmp_path: Path
) -> None:
    local = open_store(settings, read_only=True)
    remote = _bulk_settings(settings, loader, tmp_path / "cache").with_(bulk_load_triples=len(local) + 1)  # dba
    report = publish(remote, local)
    assert report.method == "graph-store" and len(report.replaced) == 7
    assert _remote_count(loader.sparql_endpoint, settings.graph_iri("")) == len(local)


def test_the_graph_of_a_removed_file_is_deleted_and_nothing_else(
    settings: Settings, loader: LocalVirtuoso, tmp_path: Path
) -> None:
    auth = httpx.DigestAuth(loader.LOADER, loader.loader_password)
    old, other = settings.graph_iri("snds/removed.ttl"), "http://example.org/not-the-catalogue"
    for graph in (old, other):
        response = httpx.put(
            loader.graph_store_endpoint,
            params={"graph": graph},
            content=b'<http://example.org/a> <http://example.org/b> "c" .\n',
            headers={"Content-Type": "application/n-triples"},
            auth=auth,
        )
        assert response.status_code in (200, 201), response.text
    for remote in (
        virtuoso_settings(settings, loader, tmp_path / "gsp"),
        _bulk_settings(settings, loader, tmp_path / "bulk"),
    ):
        report = publish(remote, open_store(settings, read_only=True))
        assert report.removed == ([old] if remote.virtuoso_isql is None else [])
    names = {g.value for g in SparqlStore(loader.sparql_endpoint).named_graphs()}
    assert old not in names and other in names


def test_a_store_with_a_removed_file_and_no_query_endpoint_says_it_did_not_look(
    settings: Settings, loader: LocalVirtuoso, tmp_path: Path
) -> None:
    remote = virtuoso_settings(settings, loader, tmp_path / "cache").with_()
    remote = Settings(**{**remote.__dict__, "sparql_endpoint": None})
    report = publish(remote, open_store(settings, read_only=True))
    assert report.removed == [] and "were not looked for" in report.notes[0]


# -- failures: each leaves the remote as said, and the embedded store as it was --------------------------------


def test_wrong_credentials_are_refused_before_anything_is_written(
    settings: Settings, loader: LocalVirtuoso, tmp_path: Path
) -> None:
    version, size = store_version(settings), len(open_store(settings, read_only=True))
    wrong = virtuoso_settings(settings, loader, tmp_path / "cache").with_(remote_password="not-the-password")
    with pytest.raises(RemoteLoadError) as caught:
        publish(wrong, open_store(settings, read_only=True))
    assert f"{loader.graph_store_endpoint} answered 401" in caught.value.message
    assert "HDH_REMOTE_USER" in (caught.value.hint or "") and caught.value.replaced == []
    anonymous = Settings(**{**wrong.__dict__, "remote_user": None})
    with pytest.raises(RemoteLoadError, match="answered 401"):
        publish(anonymous, open_store(settings, read_only=True))
    bulk = _bulk_settings(settings, loader, tmp_path / "bulk").with_(remote_password="not-the-password")
    with pytest.raises(RemoteLoadError, match="Bad login") as caught:
        publish(bulk, open_store(settings, read_only=True))
    assert "not-the-password" not in str(caught.value)
    assert store_version(settings) == version and len(open_store(settings, read_only=True)) == size


def test_a_missing_load_folder_is_named(settings: Settings, loader: LocalVirtuoso, tmp_path: Path) -> None:
    missing = _bulk_settings(settings, loader, tmp_path / "cache").with_(virtuoso_load_dir=tmp_path / "nowhere")
    with pytest.raises(RemoteLoadError, match=r"the bulk load folder .*nowhere does not exist") as caught:
        publish(missing, open_store(settings, read_only=True))
    assert "DirsAllowed" in (caught.value.hint or "")


def test_a_server_that_is_down_is_named(settings: Settings, tmp_path: Path) -> None:
    down = settings.with_(graph_store_endpoint=f"http://127.0.0.1:{free_port()}/store", store=tmp_path)
    with pytest.raises(RemoteLoadError, match=r"could not reach the remote server http://127\.0\.0\.1:") as caught:
        publish(down, open_store(settings, read_only=True))
    assert "HDH_GRAPH_STORE_ENDPOINT" in (caught.value.hint or "")
    isql_down = down.with_(virtuoso_isql=f"127.0.0.1:{free_port()}", virtuoso_load_dir=tmp_path, bulk_load_triples=0)
    with pytest.raises(RemoteLoadError, match="cannot be used for the bulk load") as caught:
        publish(isql_down, open_store(settings, read_only=True))
    assert "HDH_VIRTUOSO_ISQL" in (caught.value.hint or "")


# -- failing midway, on an Oxigraph server (quick to stop, pause and restart) ---------------------------------


class Oxigraph:
    def __init__(self, location: Path) -> None:
        self.location = location
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        program = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
        assert program, "the oxigraph server is missing: pip install oxigraph (a test dependency)"
        self.process = subprocess.Popen(
            [program, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}",
             "--union-default-graph"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(self.url + "/query", params={"query": "ASK {}"}, timeout=1)
                return
            except httpx.TransportError:
                assert self.process.poll() is None and time.monotonic() < deadline, "oxigraph did not start"
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.terminate()
            self.process.wait(10)

    def settings(self, settings: Settings, cache: Path) -> Settings:
        return settings.with_(
            sparql_endpoint=self.url + "/query", graph_store_endpoint=self.url + "/store", store=cache
        )


@pytest.fixture()
def oxigraph(tmp_path: Path) -> Iterator[Oxigraph]:
    server = Oxigraph(tmp_path / "oxigraph")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_a_url_that_is_not_a_graph_store_endpoint_is_named(
    settings: Settings, oxigraph: Oxigraph, tmp_path: Path
) -> None:
    page = oxigraph.settings(settings, tmp_path / "cache").with_(graph_store_endpoint=oxigraph.url + "/")
    with pytest.raises(
        RemoteLoadError, match="is not a Graph Store Protocol endpoint: it answered text/html"
    ) as caught:
        publish(page, open_store(settings, read_only=True))  # Oxigraph's query editor page
    assert "/store" in (caught.value.hint or "") and "sparql-graph-crud-auth" in (caught.value.hint or "")
    assert list(SparqlStore(oxigraph.url + "/query").named_graphs()) == []  # nothing was written


def test_a_server_that_stops_midway_leaves_the_graphs_replaced_before_and_says_which(
    settings: Settings, oxigraph: Oxigraph, tmp_path: Path
) -> None:
    remote = oxigraph.settings(settings, tmp_path / "cache")
    local = open_store(settings, read_only=True)
    names = sorted(g.value for g in local.named_graphs() if isinstance(g, ox.NamedNode))
    seen: list[str] = []

    def stop_after_three(message: str) -> None:
        seen.append(message)
        if len(seen) == 3:
            oxigraph.stop()

    with pytest.raises(RemoteLoadError) as caught:
        publish(remote, local, progress=stop_after_three)
    error = caught.value
    assert "publishing stopped at graph 4 of 7: could not reach the remote server" in error.message
    assert "3 graph(s) were replaced" in error.message and "the other 4 keep the remote's previous" in error.message
    assert "run `hdh publish` again" in (error.hint or "")
    assert error.replaced == names[:3] and error.kept == names[3:]
    oxigraph.start()  # the same database, restarted: the three graphs are there, the others are not
    on_server = sorted(g.value for g in SparqlStore(oxigraph.url + "/query").named_graphs())
    assert on_server == names[:3]
    assert len(publish(remote, local).replaced) == 7  # publishing again completes it
    assert _quads(SparqlStore(oxigraph.url + "/query")) == _quads(local)


def test_a_server_that_does_not_answer_in_time_is_named_before_and_midway(
    settings: Settings, oxigraph: Oxigraph, tmp_path: Path
) -> None:
    assert oxigraph.process is not None
    remote = oxigraph.settings(settings, tmp_path / "cache").with_(remote_timeout=1.0)
    local = open_store(settings, read_only=True)
    os.kill(oxigraph.process.pid, signal.SIGSTOP)  # accepts connections (the kernel does), answers nothing
    try:
        with pytest.raises(RemoteLoadError, match="did not answer within 1 s") as caught:
            publish(remote, local)
        assert caught.value.replaced == [] and "HDH_REMOTE_TIMEOUT" in (caught.value.hint or "")
    finally:
        os.kill(oxigraph.process.pid, signal.SIGCONT)
    pid = oxigraph.process.pid
    with pytest.raises(
        RemoteLoadError, match=r"stopped at graph 3 of 7: the remote server .* did not answer"
    ) as caught:
        publish(remote, local, progress=lambda m: os.kill(pid, signal.SIGSTOP) if "catalog.ttl" in m else None)
    assert len(caught.value.replaced) == 2


def _can_mount_tmpfs(folder: Path) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def test_a_full_server_stops_the_publication_with_the_servers_message(settings: Settings, tmp_path: Path) -> None:
    disk = tmp_path / "small-disk"
    if not _can_mount_tmpfs(disk):
        pytest.skip("a full disk is made with a small tmpfs, which needs root (mount -t tmpfs)")
    server = Oxigraph(disk / "oxigraph")
    try:
        server.start()
        big = ox.Store()  # one small graph, then one far bigger than the disk
        subject, text = ox.NamedNode(settings.base_iri + "dataset/big"), "x" * 2000
        big.add(ox.Quad(subject, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("a"),
                        ox.NamedNode(settings.graph_iri("a.ttl"))))  # fmt: skip
        big.extend(
            ox.Quad(subject, ox.NamedNode(f"{settings.base_iri}p{i}"), ox.Literal(f"{i}{text}"),
                    ox.NamedNode(settings.graph_iri("b.ttl")))
            for i in range(20_000)
        )  # fmt: skip
        with pytest.raises(RemoteLoadError, match=r"stopped at graph 2 of 2: .* answered 5\d\d") as caught:
            publish(server.settings(settings, tmp_path / "cache"), big)
        assert caught.value.replaced == [settings.graph_iri("a.ttl")]
        assert "graph(s) were replaced" in caught.value.message
    finally:
        server.stop()
        subprocess.run(["umount", str(disk)], check=False)


def test_the_publish_command_uses_the_bulk_loader_on_virtuoso(settings: Settings, loader: LocalVirtuoso) -> None:
    from click.testing import CliRunner

    from hdh_graph.cli.serve_cmds import publish as publish_command

    result = CliRunner().invoke(
        publish_command,
        ["--store", str(settings.store), "--catalogue", str(settings.catalogue),
         "--sparql-endpoint", loader.sparql_endpoint, "--user", "dba",
         "--virtuoso-isql", loader.isql.address, "--virtuoso-load-dir", str(loader.load_folder)],
        env={"HDH_REMOTE_PASSWORD": loader.password, "HDH_BULK_LOAD_TRIPLES": "100"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    triples = len(open_store(settings, read_only=True))
    published = f"Published 7 named graphs ({triples} triples) to Virtuoso at {loader.isql.address} by bulk-loader"
    assert published in result.output
    assert loader.password not in result.output
