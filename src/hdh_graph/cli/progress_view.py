"""How the command line shows progress: a bar on a terminal, plain lines in a log, and where the time went.

On a terminal (stderr is a TTY) a step with a known total is one line redrawn in place, at most ten times a
second: ``pages  ████████▌      4,120/6,444 pages  1,210/s  2 s left``. Elsewhere (CI, a log file) the same step
prints a plain line at each tenth of the way, and at least every 5 seconds. Messages are lines in both. At the end,
:meth:`TerminalProgress.summary` says where the time went. ``--quiet`` shows nothing but the final summary.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from hdh_graph.progress import Progress, Step

WIDTH = 24
REDRAW = 0.1
LOG_EVERY = 5.0


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s"


class TerminalProgress(Progress):
    def __init__(self, out: TextIO | None = None, *, quiet: bool = False, terminal: bool | None = None) -> None:
        super().__init__()
        self.out = out or sys.stderr
        self.quiet = quiet
        self.terminal = self.out.isatty() if terminal is None else terminal
        self._last = 0.0
        self._logged = -1
        self._drawn = False

    def message(self, text: str) -> None:
        if self.quiet:
            return
        self._clear()
        print(text, file=self.out, flush=True)

    def on_start(self, step: Step) -> None:
        self._last, self._logged = 0.0, -1
        if not self.quiet and not self.terminal and step.total:
            print(f"{step.name}: {step.total:,} {step.unit}".rstrip(), file=self.out, flush=True)

    def on_advance(self, step: Step) -> None:
        if self.quiet:
            return
        now = time.perf_counter()
        if self.terminal:
            if now - self._last >= REDRAW:
                self._last = now
                self._draw(step)
            return
        tenth = int(10 * step.done / step.total) if step.total else -1
        if tenth > self._logged or now - self._last >= LOG_EVERY:
            self._logged, self._last = tenth, now
            print(self.line(step), file=self.out, flush=True)

    def on_end(self, step: Step) -> None:
        if self.quiet:
            return
        self._clear()
        done = f"{step.done:,} {step.unit} " if step.unit else ""
        print(f"{step.name}: {done}in {_duration(step.seconds)}", file=self.out, flush=True)

    def line(self, step: Step) -> str:
        """The step's progress in words: count, rate, time left."""
        seconds = max(step.seconds, 1e-9)
        rate = step.done / seconds
        parts = [step.name]
        if step.total:
            filled = WIDTH * min(step.done, step.total) / step.total
            bar = "█" * int(filled) + ("▌" if filled - int(filled) >= 0.5 else "")
            parts.append(bar.ljust(WIDTH))
            parts.append(f"{step.done:,}/{step.total:,} {step.unit}".rstrip())
        else:
            parts.append(f"{step.done:,} {step.unit}".rstrip())
        if step.done:
            parts.append(f"{rate:,.0f}/s")
            if step.total and step.done < step.total:
                parts.append(f"{_duration((step.total - step.done) / rate)} left")
        return "  ".join(parts)

    def _draw(self, step: Step) -> None:
        text = self.line(step)
        self.out.write("\r" + text + "\x1b[K")
        self.out.flush()
        self._drawn = True

    def _clear(self) -> None:
        if self._drawn:
            self.out.write("\r\x1b[K")
            self._drawn = False

    def summary(self) -> str:
        """Where the time went, from the steps shown."""
        return where_the_time_went(self.timings)


def where_the_time_went(seconds: dict[str, float]) -> str:
    """``where the time went: read 2.1 s · render 8.3 s · feed 1.2 s`` (``total`` and steps under 0.05 s left out)."""
    spent = " · ".join(f"{name} {_duration(s)}" for name, s in seconds.items() if s >= 0.05 and name != "total")
    return f"where the time went: {spent}" if spent else "where the time went: nowhere measurable"
