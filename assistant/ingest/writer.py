"""Chroma writes on a thread of their own, one batch behind the embedding of the next.

Two more run the same way: `BackgroundWriter("embedder")` embeds a batch while the ingesting
thread reads and chunks the next files, and `BackgroundWriter("quote-finder")` finds the batch's
quotes while its chunks are embedded.

Ingest reads, chunks and embeds batch N+1 while batch N is written: ONNX Runtime and Chroma's
Rust core both release the GIL, so the two overlap. One write runs at a time, in the order
given, so each batch still stores its chunks, then its quotes, then deletes stale records, then
records its files: a crash leaves what a crash left before. A failed write is raised in the
caller's thread at the next `submit` or at `wait`, never lost.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")


class BackgroundWriter(Generic[T]):
    """Runs write jobs one at a time, at most one behind the caller.

    Example:
        >>> writer = BackgroundWriter[list[str]]()
        >>> writer.submit(lambda: ["a.txt"])   # [] (nothing finished before it)
        >>> writer.wait()                      # ["a.txt"]
    """

    def __init__(self, name: str = "chroma-writer") -> None:
        self.name = name
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future[T] | None = None

    def submit(self, job: Callable[[], T]) -> T | None:
        """Wait for the previous job (its result, or its error raised here), then start `job`."""
        previous = self.wait()
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self.name)
        self._pending = self._pool.submit(job)
        return previous

    def wait(self) -> T | None:
        """The result of the job in flight once it is done (None if there is none)."""
        pending, self._pending = self._pending, None
        return None if pending is None else pending.result()

    def close(self) -> None:
        """Wait for the job in flight, if any, and stop the thread; errors of that job are raised."""
        try:
            self.wait()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None
