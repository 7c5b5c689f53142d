"""Running one SPARQL query on the store and serialising its result, within the endpoint's limits.

:func:`run_query` does the work in the calling process: the safety checks, the keyword rewrite, evaluation and
serialisation, so that none of it runs in the server's event loop. :class:`QueryPool` runs it in worker
processes so that a query past its time limit can be stopped (the worker is killed and replaced) while the
server keeps answering other requests. A worker runs each query in a thread with a large stack: the engine
parses and evaluates long chains of operators recursively.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import re
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, QueryResultsFormat, QuerySolutions, Store

from hdh_graph.api import negotiation, safety
from hdh_graph.api.results_tsv import write_tsv
from hdh_graph.errors import QueryError, QuerySyntaxError
from hdh_graph.graph_store import GraphStore
from hdh_graph.sparql.keywords import SearchIndex, matches_function
from hdh_graph.sparql.run import QueryRequest, evaluate


@dataclass(frozen=True)
class QueryJob:
    """One query as the protocol layer hands it over, already checked by :mod:`hdh_graph.api.safety`."""

    query: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    accept: str | None = None
    formats: tuple[str, ...] = ()
    """The ``format`` (and ``output``) parameters, in the order given."""
    base_iri: str | None = None
    max_result_bytes: int = 64 * 1024 * 1024
    cacheable: bool = True
    """False for a query whose answer must come from the store each time (the health check)."""


@dataclass(frozen=True)
class Outcome:
    """A serialised result (``status`` 200) or an error message with its HTTP status."""

    status: int
    body: bytes
    media_type: str = "text/plain; charset=utf-8"
    kind: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    elapsed: float = 0.0
    """Seconds the query took in the worker (or the remote server)."""

    @classmethod
    def error(cls, status: int, message: str) -> Outcome:
        return cls(status, message.encode("utf-8"))


class ResultTooLarge(Exception):
    pass


class _CappedWriter:
    """A file-like sink that refuses to grow past a size."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


_PATH = re.compile(r"(?<![\w:/.<>%-])(?:[A-Za-z]:)?(?:[\\/][\w.@~+-]+){2,}[\\/]?")
"""A file path in a message: not part of an IRI (which the message may quote)."""


def scrub(message: str) -> str:
    """An error message without file-system paths (the engine names its files in some I/O errors)."""
    return _PATH.sub("<path>", message)


def run_query(
    store: GraphStore,
    job: QueryJob,
    index: SearchIndex | None = None,
    functions: dict[NamedNode, Any] | None = None,
) -> Outcome:
    """Check, evaluate and serialise one query; every failure becomes an error outcome, never an exception.

    A query the endpoint refuses gets its status (403 for updates, SERVICE and graphs outside the store); one that
    does not parse or fails while it is evaluated gets 400 with the engine's message, since what fails is the
    query (an unknown function, a type error the engine does not forgive).
    """
    started = time.perf_counter()
    try:
        safety.check_job(job)
    except safety.Refused as refused:
        return Outcome.error(refused.status, str(refused))
    request = QueryRequest(job.query, job.default_graphs, job.named_graphs, job.base_iri)
    try:
        result = evaluate(store, request, index, functions)
    except QuerySyntaxError as exc:
        return Outcome.error(400, str(exc))
    except QueryError as exc:
        return Outcome.error(400, scrub(exc.message))
    kind = negotiation.kind_of(result)
    try:
        fmt = negotiation.choose(kind, job.accept, job.formats)
    except negotiation.NotAcceptable as exc:
        return Outcome.error(406, str(exc))
    sink = _CappedWriter(job.max_result_bytes)
    try:
        if isinstance(result, QuerySolutions) and fmt.oxigraph == QueryResultsFormat.TSV:
            write_tsv(result, sink)
        else:
            result.serialize(sink, fmt.oxigraph)  # type: ignore[arg-type]
    except ResultTooLarge:
        return Outcome.error(
            422,
            f"The result is larger than this endpoint's limit of {job.max_result_bytes // (1024 * 1024)} MiB: "
            "add LIMIT (and OFFSET to page through it) or select fewer variables",
        )
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        # Solutions are computed while they are written: evaluation errors surface here.
        return Outcome.error(400, scrub(f"the query failed: {exc}"))
    media = fmt.media_type + ("; charset=utf-8" if not fmt.media_type.endswith("xml") else "")
    return Outcome(200, b"".join(sink.parts), media, kind, elapsed=time.perf_counter() - started)


WORKER_STACK_BYTES = 512 * 1024 * 1024
"""Stack of the thread that runs queries in a worker (virtual memory: only what a query uses is touched)."""


def _worker_main(conn: Connection, store_path: str, index_path: str | None, nice: int = 0) -> None:
    """A worker process: open the store read-only once, then answer jobs until the pipe closes."""
    if nice:
        with contextlib.suppress(OSError):
            os.nice(nice)
    threading.stack_size(WORKER_STACK_BYTES)
    runner = threading.Thread(target=_serve_jobs, args=(conn, store_path, index_path), name="hdh-query")
    runner.start()
    runner.join()


def _serve_jobs(conn: Connection, store_path: str, index_path: str | None) -> None:
    store = Store.read_only(store_path)
    index = SearchIndex(Path(index_path)) if index_path else None
    functions = matches_function(index)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(run_query(store, job, index, functions))


class _Worker:
    def __init__(self, store_path: Path, index_path: Path | None, nice: int = 0) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main,
            args=(child, str(store_path), str(index_path) if index_path else None, nice),
            daemon=True,
            name="hdh-sparql-worker",
        )
        self.process.start()
        child.close()
        if not self.conn.poll(60) or self.conn.recv() != "ready":
            self.stop()
            raise RuntimeError("a SPARQL worker process did not start")

    def exchange(self, job: QueryJob, timeout: float) -> Outcome | None:
        """Send a job and wait for its outcome; ``None`` when the time is up."""
        self.conn.send(job)
        if not self.conn.poll(max(timeout, 0.0)):
            return None
        outcome: Outcome = self.conn.recv()  # the worker only ever sends Outcome objects back
        return outcome

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


class QueryTimeout(Exception):
    pass


class QueryPool:
    """A fixed number of worker processes, each with the store open read-only.

    ``nice`` lowers the workers' CPU priority: the pool that runs heavy queries yields the processor to the
    server and to the pool of cheap ones.
    """

    def __init__(self, store_path: Path, index_path: Path | None, size: int = 3, nice: int = 0) -> None:
        self.store_path = store_path
        self.index_path = index_path
        self.size = size
        self.nice = nice
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._threads = ThreadPoolExecutor(max_workers=size * 2, thread_name_prefix="hdh-sparql")
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store_path, self.index_path, self.nice)
        with self._lock:
            self._all.add(worker)
        return worker

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        workers = await asyncio.gather(*(loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
        self._threads.shutdown(wait=False, cancel_futures=True)

    async def run(self, job: QueryJob, timeout: float) -> Outcome:
        """The outcome of a job; raises :class:`QueryTimeout` when it is not done within ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError as exc:
            raise QueryTimeout from exc
        future = loop.run_in_executor(self._threads, worker.exchange, job, deadline - loop.time())
        try:
            outcome = await asyncio.shield(future)
        except asyncio.CancelledError:
            future.add_done_callback(lambda f: self._release(worker, f))
            raise
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return Outcome.error(
                400,
                "The query is too complex for the engine: it stopped the worker that ran it (which has been "
                "restarted). Write it with fewer nested or chained parts",
            )
        if outcome is None:
            self._replace(worker)
            raise QueryTimeout
        self._idle.put_nowait(worker)
        return outcome

    def _release(self, worker: _Worker, future: Future[Outcome | None] | asyncio.Future[Outcome | None]) -> None:
        if future.cancelled() or future.exception() is not None or future.result() is None:
            self._replace(worker)
        else:
            self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()
        loop = asyncio.get_running_loop()

        def done(f: asyncio.Future[_Worker]) -> None:
            if not f.cancelled() and f.exception() is None:
                self._idle.put_nowait(f.result())

        loop.run_in_executor(self._threads, self._spawn).add_done_callback(done)
