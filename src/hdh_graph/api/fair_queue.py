"""Admitting queries to the workers fairly: by lane (cheap or heavy) and by client.

Each lane has a number of places (its workers). A cheap query takes a place of its own lane, or a heavy one that
no heavy query is waiting for; a heavy query only takes heavy places, so cheap queries always keep theirs. A
client (an address) holds at most ``client_concurrency`` places at once. When a place frees, it goes to the
clients waiting for it in turn (round robin), so one client sending many queries waits for its own, not others.

A query that cannot wait is answered at once with :class:`Busy`: 429 when its client already has
``client_queue`` queries waiting, 503 when it waited ``queue_timeout`` seconds; both say when to retry.
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass, field

from hdh_graph.api.cost import Lane


class Busy(Exception):
    """The query is not admitted now; ``status`` (429 or 503) and ``retry_after`` (seconds) say so."""

    def __init__(self, status: int, message: str, retry_after: int, hint: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\nHint: {self.hint}"


@dataclass
class _Waiter:
    client: str
    lane: Lane
    future: asyncio.Future[Lane] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class FairQueue:
    """Places per lane, handed out fairly between clients (see the module's docstring)."""

    def __init__(
        self,
        places: dict[Lane, int],
        client_concurrency: int = 2,
        client_queue: int = 8,
        queue_timeout: float = 10.0,
    ) -> None:
        self.places = dict(places)
        self.free = dict(places)
        self.client_concurrency = client_concurrency
        self.client_queue = client_queue
        self.queue_timeout = queue_timeout
        self.running: Counter[str] = Counter()
        self.queued: Counter[str] = Counter()
        self._waiting: dict[Lane, OrderedDict[str, deque[_Waiter]]] = {lane: OrderedDict() for lane in Lane}
        self.typical_seconds: dict[Lane, float] = {Lane.CHEAP: 0.05, Lane.HEAVY: 1.0}
        """Moving average of how long a place is held, per lane (for ``Retry-After``)."""

    def waiting(self, lane: Lane) -> int:
        return sum(len(q) for q in self._waiting[lane].values())

    def _take(self, client: str, lane: Lane) -> Lane | None:
        """A free place for this client now, without jumping ahead of anyone, or None."""
        if self.running[client] >= self.client_concurrency:
            return None
        if lane is Lane.CHEAP and self.free[Lane.CHEAP] > 0:
            granted = Lane.CHEAP
        elif self.free[Lane.HEAVY] > 0 and (lane is Lane.HEAVY or not self._waiting[Lane.HEAVY]):
            granted = Lane.HEAVY
        else:
            return None
        self.free[granted] -= 1
        self.running[client] += 1
        return granted

    def retry_after(self, lane: Lane) -> int:
        """Seconds after which a place of this lane is likely free (at least 1, at most 60)."""
        capacity = self.places[Lane.HEAVY] + (self.places[Lane.CHEAP] if lane is Lane.CHEAP else 0)
        capacity = max(1, capacity)
        rounds = (self.waiting(lane) + 1) / capacity
        return int(min(60, max(1, math.ceil(rounds * self.typical_seconds[lane]))))

    async def acquire(self, client: str, lane: Lane) -> Lane:
        """Wait for a place (the lane whose worker the query may use); raises :class:`Busy`."""
        granted = self._take(client, lane)
        if granted is not None:
            return granted
        if self.queued[client] >= self.client_queue:
            raise Busy(
                429,
                f"Too many queries from {client} at once: {self.running[client]} running and "
                f"{self.queued[client]} waiting, the most this endpoint accepts from one client",
                self.retry_after(lane),
                "send the next query when one of yours has been answered (retry after the Retry-After seconds)",
            )
        waiter = _Waiter(client, lane)
        self._waiting[lane].setdefault(client, deque()).append(waiter)
        self.queued[client] += 1
        try:
            await asyncio.wait({waiter.future}, timeout=self.queue_timeout)
        except asyncio.CancelledError:
            self._forget(waiter)
            raise
        if waiter.future.done():
            return waiter.future.result()
        self._forget(waiter)
        raise Busy(
            503,
            f"Every worker for {lane.value} queries stayed busy for {self.queue_timeout:g} s: the query did not run",
            self.retry_after(lane),
            "retry after the Retry-After seconds; queries bounded by a resource IRI or a LIMIT run on workers "
            "kept for cheap queries",
        )

    def _forget(self, waiter: _Waiter) -> None:
        """Take a waiter out of the queue; if it was granted a place meanwhile, give the place back."""
        queue = self._waiting[waiter.lane].get(waiter.client)
        if queue is not None and waiter in queue:
            queue.remove(waiter)
            self._unqueue(waiter.client)
            if not queue:
                del self._waiting[waiter.lane][waiter.client]
        if waiter.future.done() and not waiter.future.cancelled():
            self.release(waiter.client, waiter.future.result())
        else:
            waiter.future.cancel()

    def _unqueue(self, client: str) -> None:
        self.queued[client] -= 1
        if self.queued[client] <= 0:
            del self.queued[client]

    def release(self, client: str, lane: Lane, held_seconds: float | None = None) -> None:
        """Give a place back and hand it to the next waiting client."""
        self.running[client] -= 1
        if self.running[client] <= 0:
            del self.running[client]
        self.free[lane] += 1
        if held_seconds is not None:
            self.typical_seconds[lane] = 0.8 * self.typical_seconds[lane] + 0.2 * held_seconds
        self._hand_out()

    def _next(self, lane: Lane) -> _Waiter | None:
        """The oldest waiter of the first client in turn that may take one more place."""
        clients = self._waiting[lane]
        for client in list(clients):
            if self.running[client] < self.client_concurrency:
                queue = clients[client]
                waiter = queue.popleft()
                self._unqueue(client)
                if queue:
                    clients.move_to_end(client)
                else:
                    del clients[client]
                return waiter
        return None

    def _hand_out(self) -> None:
        while True:
            if self.free[Lane.CHEAP] > 0 and (waiter := self._next(Lane.CHEAP)) is not None:
                granted = Lane.CHEAP
            elif self.free[Lane.HEAVY] > 0 and (
                (waiter := self._next(Lane.HEAVY)) is not None or (waiter := self._next(Lane.CHEAP)) is not None
            ):
                granted = Lane.HEAVY
            else:
                return
            self.free[granted] -= 1
            self.running[waiter.client] += 1
            waiter.future.set_result(granted)
