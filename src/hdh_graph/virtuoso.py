"""What is particular to Virtuoso Open Source as the remote store: its SQL console (``isql``), its bulk loader, its
own graphs, and a private instance for tests and benchmarks.

- **isql**: Virtuoso's command-line SQL client (Debian names it ``isql-vt``). The bulk loader and the server's
  set-up run through it, on the SQL port (``[Parameters] ServerPort``, 1111 by default), as a user with the
  ``dba`` role. isql takes the password on its command line only: run ``hdh publish`` where the other users of the
  machine are trusted, or use the Graph Store endpoint, which gets the password in a digest exchange.
- **the bulk loader** (``ld_dir`` + ``rdf_loader_run``) reads files from the server's own disk, in a folder listed
  in its ``DirsAllowed``: ``hdh publish`` writes the graphs there as N-Quads files (about half a million quads
  each, a graph never split), clears the graphs it replaces, loads and checkpoints. It is not transactional (see
  :func:`bulk_load`), and many times faster than the Graph Store Protocol on a big catalogue.
- **its own graphs**: Virtuoso keeps its configuration as RDF in the quad store (``virtrdf:``, the LDP and service
  description graphs), and its default graph is the union of every graph. :func:`hide_other_graphs` makes its
  ``/sparql`` endpoint leave out of the union default graph and of ``GRAPH ?g`` every graph that is not the
  catalogue's, so that queries forwarded by ``hdh serve`` see the catalogue only, as on the embedded store.
- **a private instance** (:class:`LocalVirtuoso`): its own ``virtuoso.ini`` in a folder of its own (ports on
  loopback, database files, ``DirsAllowed``, result and time limits) and a random ``dba`` password set as soon as it
  starts. The tests and ``bench/bench_remote.py`` use it; docs/deployment.md gives the settings for a real server.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from hdh_graph.errors import HdhError

ISQL_PROGRAMS = ("isql-vt", "isql")
SERVER_PROGRAMS = ("virtuoso-t",)
INSTALL_HINT = "install Debian's virtuoso-opensource package (apt-get install virtuoso-opensource)"
_MARK = "@@hdh@@"


class VirtuosoError(HdhError):
    """Virtuoso's SQL console refused a statement, or the server could not be started or reached."""


def find_program(names: Iterable[str]) -> str | None:
    """The first of ``names`` found on ``PATH``."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def sql_string(text: str) -> str:
    """A Virtuoso SQL string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass(frozen=True)
class Isql:
    """Runs SQL on a Virtuoso server through its ``isql`` client."""

    address: str
    """``host:port`` of the server's SQL port."""
    user: str
    password: str = field(repr=False)
    program: str | None = None
    timeout: float = 7200.0

    def run(self, sql: str) -> str:
        """Run one statement (or a few, separated by ``;``); its output, or a :class:`VirtuosoError` naming the
        server and the statement that failed. The password never shows in the message."""
        program = self.program or find_program(ISQL_PROGRAMS)
        if program is None:
            raise VirtuosoError("Virtuoso's isql client is not installed", hint=INSTALL_HINT)
        statement = sql.strip().rstrip(";") + ";"
        try:
            done = subprocess.run(
                [program, self.address, self.user, self.password, "VERBOSE=OFF", "BANNER=OFF", f"EXEC={statement}"],
                capture_output=True,
                text=True,
                timeout=self.timeout,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise VirtuosoError(
                f"Virtuoso at {self.address} did not finish within {self.timeout:.0f} s: {_short(statement)}",
                hint="see the server's virtuoso.log; a bulk load of a big catalogue may need a longer timeout",
            ) from exc
        output = done.stdout + done.stderr
        if self.password:
            output = output.replace(self.password, "***")
        errors = [line.strip() for line in output.splitlines() if line.startswith("*** Error")]
        if errors or done.returncode != 0:
            detail = "; ".join(errors) or output.strip()[-300:]
            if "CL033" in detail or "Connect failed" in detail:
                hint = "check that Virtuoso runs and that HDH_VIRTUOSO_ISQL is its SQL port (e.g. 127.0.0.1:1111)"
            elif "CL034" in detail or "Bad login" in detail:
                hint = "check HDH_REMOTE_USER and HDH_REMOTE_PASSWORD (a user with the dba role)"
            else:
                hint = "see the server's virtuoso.log"
            raise VirtuosoError(f"Virtuoso at {self.address} refused {_short(statement)}: {detail}", hint=hint)
        return output

    def rows(self, expression: str, source: str) -> list[list[str]]:
        """The rows of ``SELECT expression source`` where ``expression`` is text, its fields joined by tabs."""
        output = self.run(f"SELECT '{_MARK}' || {expression} {source}")
        return [line.strip().removeprefix(_MARK).split("\t") for line in output.splitlines() if line.startswith(_MARK)]


def _short(statement: str) -> str:
    one_line = " ".join(statement.split())
    return one_line if len(one_line) < 160 else one_line[:157] + "..."


# -- the catalogue's graphs and the server's own ----------------------------------------------------------------


def graphs_on_server(isql: Isql) -> list[str]:
    """Every named graph in the server's quad store (its own included), read as ``dba``."""
    output = isql.run(f"SPARQL SELECT DISTINCT (CONCAT('{_MARK}', STR(?g))) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    return sorted(line.strip().removeprefix(_MARK) for line in output.splitlines() if line.startswith(_MARK))


PRIVATE_GRAPHS = "http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs"


def hide_other_graphs(isql: Isql, prefix: str) -> list[str]:
    """Make every graph of the server whose IRI does not start with ``prefix`` (the catalogue's ``{base}graph/``)
    private: out of the union default graph, ``GRAPH ?g`` and ``FROM`` for the anonymous ``/sparql`` user
    (Virtuoso's graph-level security: the ``virtrdf:PrivateGraphs`` group, with no permission for ``nobody``).
    Graphs added later are public, as before (the catalogue's own, loaded by ``hdh publish``). Return the graphs
    made private. Run it again after adding graphs of another kind to the server."""
    hidden = [g for g in graphs_on_server(isql) if not g.startswith(prefix)]
    if not isql.rows("RGG_IRI", f"FROM DB.DBA.RDF_GRAPH_GROUP WHERE RGG_IRI = {sql_string(PRIVATE_GRAPHS)}"):
        isql.run(f"DB.DBA.RDF_GRAPH_GROUP_CREATE ({sql_string(PRIVATE_GRAPHS)}, 1)")
    for graph in hidden:
        isql.run(f"DB.DBA.RDF_GRAPH_GROUP_INS ({sql_string(PRIVATE_GRAPHS)}, {sql_string(graph)})")
    isql.run("DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0, 1)")
    isql.run("DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 1, 0)")
    return hidden


# -- the bulk loader ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkLoadFailure:
    """A file the bulk loader could not load (its graphs may hold part of it)."""

    graphs: tuple[str, ...]
    error: str


def run_batched(isql: Isql, statements: list[str], batch: int = 200) -> None:
    """Run many short statements, a batch per isql call (one call each would cost a process per statement)."""
    for start in range(0, len(statements), batch):
        isql.run("; ".join(statements[start : start + batch]))


def clear_graphs(isql: Isql, graphs: Iterable[str]) -> None:
    """Empty these graphs (``SPARQL CLEAR GRAPH``)."""
    run_batched(isql, [f"SPARQL CLEAR GRAPH <{graph}>" for graph in graphs])


def bulk_load(
    isql: Isql, folder: str, files: dict[str, tuple[str, ...]], *, replace: Iterable[str] = (), loaders: int = 1
) -> list[BulkLoadFailure]:
    """Load the N-Quads files of ``folder`` with Virtuoso's bulk loader; return the files that failed.

    ``folder`` is a folder the server reads (listed in its ``DirsAllowed``, the path as the server sees it);
    ``files`` maps each file's name in it to the graphs it holds. The graphs in ``replace`` are emptied first.
    ``loaders`` loader threads run at once (``rdf_loader_run()`` in as many sessions: Virtuoso advises one per 2.5
    cores). The loader commits as it goes and keeps no transaction log: a failure midway leaves the files loaded
    so far loaded, and the failing file's graphs possibly in part (each failure is returned with its graphs); a
    checkpoint ends a successful load, so that it survives a restart.
    """
    root = folder.rstrip("/")
    pattern = sql_string(root + "/%")
    isql.run(f"DELETE FROM DB.DBA.LOAD_LIST WHERE LL_FILE LIKE {pattern}")
    clear_graphs(isql, replace)
    # Every quad names its graph; the loader wants a graph for the files anyway (with none it skips them).
    isql.run(f"ld_dir({sql_string(root)}, '*.nq', 'urn:hdh-graph:bulk-load')")
    with ThreadPoolExecutor(max_workers=max(1, loaders)) as pool:
        for done in [pool.submit(isql.run, "rdf_loader_run()") for _ in range(max(1, loaders))]:
            done.result()
    rows = isql.rows(
        "LL_FILE || chr(9) || cast(LL_STATE AS VARCHAR) || chr(9) || coalesce(LL_ERROR, '')",
        f"FROM DB.DBA.LOAD_LIST WHERE LL_FILE LIKE {pattern}",
    )
    state = {row[0].removeprefix(root + "/"): row[1:] for row in rows}
    failures: list[BulkLoadFailure] = []
    for name, graphs in files.items():
        status, error = [*state.get(name, []), "", ""][:2]
        if name not in state:
            failures.append(BulkLoadFailure(graphs, f"the bulk loader did not see the file {name}"))
        elif error.strip():
            failures.append(BulkLoadFailure(graphs, " ".join(error.split())[:300]))
        elif status != "2":
            failures.append(BulkLoadFailure(graphs, f"the bulk loader left the file {name} unfinished"))
    if not failures:
        isql.run("checkpoint")
    isql.run(f"DELETE FROM DB.DBA.LOAD_LIST WHERE LL_FILE LIKE {pattern}")
    return failures


# -- a private instance ---------------------------------------------------------------------------------------------


INI = """\
; A private Virtuoso instance written by hdh_graph.virtuoso.LocalVirtuoso.
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AllowOSCalls = 0
DirsAllowed = {load}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
SchedulerInterval = 10
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 2G
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}/www
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = {max_seconds}
DeferInferenceRulesInit = 0
"""


def write_ini(
    folder: Path,
    *,
    sql_port: int,
    http_port: int,
    load_folder: Path,
    buffers: int = 10_000,
    max_rows: int = 1_000_000_000,
    max_seconds: int = 0,
) -> Path:
    """Write a ``virtuoso.ini`` for a private instance in ``folder`` (database files there, both ports on
    loopback, ``DirsAllowed`` the load folder only); return its path.

    ``buffers`` is ``NumberOfBuffers`` (8 KiB pages kept in memory: Virtuoso advises about two thirds of the memory
    given to it, e.g. 680,000 for 8 GiB). ``max_rows`` is ``ResultSetMaxRows``: Virtuoso cuts any result longer
    than that without saying so in the results, and the readers of the store read whole patterns, so keep it above
    the catalogue's number of triples. ``max_seconds`` is ``MaxQueryExecutionTime`` (0: none): past it Virtuoso
    answers with the rows found so far (an "anytime" result, flagged only in its headers, see
    :mod:`hdh_graph.remote_store`).
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "www").mkdir(exist_ok=True)
    load_folder.mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(
        INI.format(
            db=folder,
            sql_port=sql_port,
            http_port=http_port,
            load=f"., {load_folder}",
            buffers=buffers,
            dirty=buffers * 3 // 4,
            max_rows=max_rows,
            max_seconds=max_seconds,
        ),
        encoding="utf-8",
    )
    return ini


class LocalVirtuoso:
    """A private Virtuoso server on loopback, for tests and benchmarks: ``with LocalVirtuoso(folder) as server``.

    It starts from its own ``virtuoso.ini`` (:func:`write_ini`), replaces the ``dba`` password a new
    database has by random ones before anything else, creates a loader user (``hdh_loader``, the
    ``SPARQL_UPDATE`` role, for the Graph Store endpoint ``/sparql-graph-crud-auth``), and stops when the block
    ends. The anonymous ``/sparql`` endpoint stays read-only.
    """

    LOADER = "hdh_loader"

    def __init__(self, folder: Path, *, sql_port: int, http_port: int, buffers: int = 10_000, **limits: int) -> None:
        self.folder = folder
        self.load_folder = folder / "load"
        self.sql_port = sql_port
        self.http_port = http_port
        self.ini = write_ini(
            folder, sql_port=sql_port, http_port=http_port, load_folder=self.load_folder, buffers=buffers, **limits
        )
        self.password = secrets.token_hex(16)
        self.loader_password = secrets.token_hex(16)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql_endpoint(self) -> str:
        return self.url + "/sparql"

    @property
    def graph_store_endpoint(self) -> str:
        return self.url + "/sparql-graph-crud-auth"

    @property
    def isql(self) -> Isql:
        return Isql(f"127.0.0.1:{self.sql_port}", "dba", self.password)

    @property
    def log(self) -> Path:
        return self.folder / "virtuoso.log"

    def start(self, timeout: float = 120.0) -> None:
        program = find_program(SERVER_PROGRAMS)
        if program is None:
            raise VirtuosoError("the Virtuoso server (virtuoso-t) is not installed", hint=INSTALL_HINT)
        self.process = subprocess.Popen(
            [program, "+configfile", str(self.ini), "+foreground"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        first = Isql(f"127.0.0.1:{self.sql_port}", "dba", "dba", timeout=30)
        while True:
            try:
                httpx.get(self.sparql_endpoint, params={"query": "ASK {}"}, timeout=2).raise_for_status()
                first.run("SELECT 1")
                break
            except (httpx.HTTPError, VirtuosoError) as exc:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
                    raise VirtuosoError(f"Virtuoso did not start in {self.folder}: {exc}\n{log}") from exc
                time.sleep(0.3)
        try:
            first.run(f"USER_SET_PASSWORD ('dba', {sql_string(self.password)})")
            admin = self.isql
            admin.run(f"DB.DBA.USER_CREATE ({sql_string(self.LOADER)}, {sql_string(self.loader_password)})")
            admin.run(f"GRANT SPARQL_UPDATE TO {self.LOADER}")
            admin.run("checkpoint")
        except VirtuosoError:
            self.stop()
            raise

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)

    def __enter__(self) -> LocalVirtuoso:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
