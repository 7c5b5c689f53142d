"""What long work says of itself while it runs: messages, and steps with a count of what they did.

Library code takes a :class:`Progress` and never prints: the command line shows it as a bar on a terminal and as
plain lines in a log (:mod:`hdh_graph.cli.progress_view`), tests and other callers pass nothing.

    with progress.step("pages", total=len(pages), unit="pages") as step:
        for page in pages:
            ...
            step.advance()

Each step's time is kept, so the caller can say at the end where the time went (:attr:`Progress.timings`).
A plain ``Callable[[str], None]`` (the former form, still accepted where a progress is) becomes the messages.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Step:
    """One step under way: its name, how much of it is done, out of how much (``None``: unknown)."""

    name: str
    total: int | None = None
    unit: str = ""
    done: int = 0
    started: float = field(default_factory=time.perf_counter)
    owner: Progress | None = field(default=None, repr=False)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.owner is not None:
            self.owner.on_advance(self)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


class Progress:
    """Receives what long work says of itself; this base class keeps the timings and shows nothing."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        """Seconds spent in each step, in the order the steps started."""

    def message(self, text: str) -> None:
        """A line worth telling (what is being read, what was found)."""

    def __call__(self, text: str) -> None:  # a Progress is also a message callable
        self.message(text)

    @contextmanager
    def step(self, name: str, total: int | None = None, unit: str = "") -> Iterator[Step]:
        current = Step(name, total, unit, owner=self)
        self.on_start(current)
        try:
            yield current
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + current.seconds
            self.on_end(current)

    def on_start(self, step: Step) -> None:
        """A step began."""

    def on_advance(self, step: Step) -> None:
        """A step went on (called often: keep it cheap)."""

    def on_end(self, step: Step) -> None:
        """A step ended."""


class _Messages(Progress):
    def __init__(self, say: Callable[[str], None]) -> None:
        super().__init__()
        self.say = say

    def message(self, text: str) -> None:
        self.say(text)


def as_progress(value: Progress | Callable[[str], None] | None) -> Progress:
    """A :class:`Progress` from what a caller gave: one, a message callable, or nothing."""
    if value is None:
        return Progress()
    if isinstance(value, Progress):
        return value
    return _Messages(value)
