"""A per-file limit on the work of finding quotes, so that no file stalls an index.

Finding quotes costs about the same per paragraph and per statement, but a file can still be
made to cost more than any article should (tens of thousands of speakers, or a shape the rules
never met). Ingest runs the search of each file inside `limited(...)`: the rules call `spend()`
at their steps (a paragraph read, a sentence parsed, a speaker resolved, a name indexed), and
once the file has used its steps or its CPU seconds (of the thread that finds its quotes, so
other processes on the machine do not count) `spend()` raises `QuotesStopped` with the reason.
The file is then indexed with its passages and no quotes, and the ingest report says why.

    with limited(cpu_seconds=60):
        quotes = find_quotes(text, source)  # QuotesStopped if the file needs more
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

CPU_SECONDS = 60.0  # a file's default: 8,000 one-line quotes take about 12 s of one core here


class QuotesStopped(Exception):
    """Finding a file's quotes was stopped: it needed more than its budget."""


class _Budget:
    def __init__(self, steps: int | None, cpu_seconds: float | None) -> None:
        self.steps = steps
        self.cpu_seconds = cpu_seconds
        self.used = 0
        self.deadline = time.thread_time() + cpu_seconds if cpu_seconds is not None else None

    def spend(self, steps: int) -> None:
        self.used += steps
        if self.steps is not None and self.used > self.steps:
            raise QuotesStopped(f"finding quotes stopped after {self.steps:,} steps (its work budget)")
        if self.deadline is not None and time.thread_time() > self.deadline:
            raise QuotesStopped(
                f"finding quotes stopped after {self.cpu_seconds:g} s of CPU time (its budget per file)"
            )


_current = threading.local()


@contextmanager
def limited(steps: int | None = None, cpu_seconds: float | None = CPU_SECONDS) -> Iterator[None]:
    """Limit the quote finding this thread does inside the block (None: no limit of that kind)."""
    outer = getattr(_current, "budget", None)
    _current.budget = _Budget(steps, cpu_seconds)
    try:
        yield
    finally:
        _current.budget = outer


def spend(steps: int = 1) -> None:
    """Count `steps` of work against this thread's budget, if it has one; `QuotesStopped` when spent."""
    budget = getattr(_current, "budget", None)
    if budget is not None:
        budget.spend(steps)
