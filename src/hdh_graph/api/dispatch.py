"""From a checked request to an answer: the result cache, the cost lanes and the fair queue, then the workers.

1. An identical query on the same store version is answered from :class:`~hdh_graph.api.result_cache.ResultCache`
   (no worker, no wait).
2. Otherwise its lane comes from :class:`~hdh_graph.api.cost.CostHistory` (measured time of the same text) or
   the static estimate, and :class:`~hdh_graph.api.fair_queue.FairQueue` admits it (or answers 429/503).
3. A query given a cheap worker that runs past ``cheap_timeout`` is stopped and run again on a heavy worker,
   within what is left of its time limit; its text is remembered as heavy.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import Protocol

from hdh_graph.api.cost import CostHistory, Lane, deterministic, fingerprint
from hdh_graph.api.execution import Outcome, QueryJob, QueryTimeout
from hdh_graph.api.fair_queue import FairQueue
from hdh_graph.api.result_cache import ResultCache

MAX_CACHED_QUERY = 64 * 1024
"""Longer query texts are not cached (nor given an ETag): looking at them would hold up the event loop, and such
generated queries rarely come twice."""


class Executor(Protocol):
    """Where queries of one lane run: a pool of worker processes, or a remote SPARQL server."""

    def run(self, job: QueryJob, timeout: float) -> Awaitable[Outcome]: ...

    async def close(self) -> None: ...


class Dispatcher:
    """Runs jobs through the cache, the lanes and the fair queue (see the module's docstring)."""

    def __init__(
        self,
        executors: dict[Lane, Executor],
        queue: FairQueue,
        cache: ResultCache[Outcome] | None = None,
        store_version: str | None = None,
        cheap_timeout: float = 1.0,
    ) -> None:
        self.executors = executors
        self.queue = queue
        self.cache = cache
        self.store_version = store_version
        self.cheap_timeout = cheap_timeout
        self.history = CostHistory()

    def cache_key(self, job: QueryJob) -> str | None:
        """The key of the job's answer, or None when it must not be cached (no version, NOW(), RAND()...)."""
        if self.cache is None or self.store_version is None or not job.cacheable:
            return None
        if len(job.query) > MAX_CACHED_QUERY or not deterministic(job.query):
            return None
        return fingerprint(
            self.store_version,
            job.query,
            job.default_graphs,
            job.named_graphs,
            job.accept,
            job.formats,
            job.base_iri,
            job.max_result_bytes,
        )

    def lane_of(self, query: str) -> Lane:
        """The lane a query goes to now: its measured time when it ran before, else its text's estimate."""
        return self.history.lane(query)

    async def run(self, job: QueryJob, timeout: float, client: str = "-") -> Outcome:
        """The outcome of a job; raises :class:`QueryTimeout` past ``timeout`` and
        :class:`~hdh_graph.api.fair_queue.Busy` when it is not admitted."""
        key = self.cache_key(job)
        if key is not None and self.cache is not None:
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        outcome = await self._admitted(job, timeout, client, self.lane_of(job.query))
        if key is not None and self.cache is not None and outcome.status in (200, 400, 403, 406):
            self.cache.put(key, outcome, len(outcome.body) + len(job.query) + 256)
        return outcome

    async def _admitted(self, job: QueryJob, timeout: float, client: str, lane: Lane) -> Outcome:
        granted = await self.queue.acquire(client, lane)
        started = time.perf_counter()
        finished: Outcome | None = None
        try:
            if granted is Lane.CHEAP and timeout > self.cheap_timeout:
                try:
                    finished = await self.executors[granted].run(job, self.cheap_timeout)
                except QueryTimeout:
                    self.history.record(job.query, self.cheap_timeout)
            else:
                finished = await self.executors[granted].run(job, timeout)
        except QueryTimeout:
            self.history.record(job.query, timeout)
            raise
        finally:
            held = time.perf_counter() - started
            self.queue.release(client, granted, held)
        if finished is not None:
            self.history.record(job.query, finished.elapsed or held)
            return finished
        # It ran past the cheap workers' time: again, on a heavy one, with what is left of its time limit.
        return await self._admitted(job, timeout - held, client, Lane.HEAVY)

    async def close(self) -> None:
        closed: set[int] = set()
        for executor in self.executors.values():
            if id(executor) not in closed:
                closed.add(id(executor))
                await executor.close()
