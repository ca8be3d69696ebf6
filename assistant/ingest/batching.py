"""How an ingest's work runs: a batch of files' chunks embedded, their quotes found, both written.

Three threads besides the ingesting one keep the cores busy, each taking its jobs in order: a
file's quotes are found (`quote-finder`) as soon as the ingesting thread has read it, a batch's
chunks are embedded (`embedder`) while the ingesting thread reads and chunks the next files, and
a batch is written to Chroma (`chroma-writer`) once its vectors and quotes are both ready. Neither
the model nor the quote finder waits for the other: ONNX Runtime and Chroma's Rust core leave the
interpreter free while they run. Python's thread switch interval is left as it is: a 1 ms
interval, set for the whole process while ingests ran until issue 29 round 2, no longer made
the bench's ingest faster (docs/evaluation.md, issue 29 round 2).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from assistant.models import Chunk, Document
from assistant.text.sentences import sentence_spans
from vectorstore import ChromaStore, Embedder


class Companion(Protocol):
    """Records derived from each file (the quote index) that ingest keeps in step with its chunks.

    `plan` notes what a document needs (None: nothing) and may start slow set-up early; `find`
    does one file's work on a thread of its own (`quote-finder`) as soon as the file is read,
    and `prepare` then finishes a batch's (embedding what its files found, on the same thread,
    so it may share the embedder with the chunks' pass, never the store's writes); `write`
    stores what was prepared, right after the batch's chunks (on the writer thread); `store`
    holds the records, deleted with their file; `version` is part of each file's manifest
    record, so new rules re-plan every file.
    """

    version: str
    store: ChromaStore

    def plan(self, document: Document) -> Any: ...

    def find(self, plan: Any) -> Any: ...

    def prepare(self, found: Sequence[Any]) -> Any: ...

    def write(self, prepared: Any) -> None: ...

    def stopped(self, prepared: Any) -> dict[str, str]:
        """Files of a prepared batch whose records were cut short, with the reason."""
        ...


IN_FLIGHT = 2  # batches the ingesting thread may run ahead of the writes


@dataclass
class Pending:
    """A file whose missing chunks are waiting to be embedded, and its manifest record."""

    source: str
    outcome: str  # "added", "replaced" or "unchanged" (chunks all there, record missing)
    missing: list[Chunk]
    stale: list[str]
    record: dict[str, Any]
    quotes: Any = None  # what the companion plans for this file
    stopped: str | None = None  # why the companion's records of this file were cut short


class Batch:
    """Files waiting to be embedded, and the work in flight for earlier batches.

    `add` starts finding a file's quotes; `flush` hands the batch's chunks to the embedding
    thread and its write to the writer thread, which stores the batch once its vectors and
    quotes are both ready: its chunks, then its quotes, then deletes stale records, then records
    its files. One write at a time, in order, so a crash leaves what a crash left before; after
    a failed job no later batch is written.
    """

    def __init__(self, store: ChromaStore, embedder: Embedder, quotes: Companion | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.quotes = quotes
        self.files: list[Pending] = []
        self.found: list[Future[Any]] = []
        self.embedded = 0
        self._embedding = ThreadPoolExecutor(1, thread_name_prefix="embedder")
        self._finding = ThreadPoolExecutor(1, thread_name_prefix="quote-finder")
        self._writing = ThreadPoolExecutor(1, thread_name_prefix="chroma-writer")
        self._writes: deque[Future[list[Pending]]] = deque()
        self._failed = threading.Event()

    def add(self, pending: Pending) -> None:
        """Take a file into the batch and start finding its quotes."""
        self.files.append(pending)
        if self.quotes is not None:
            self.found.append(self._finding.submit(self.quotes.find, pending.quotes))

    def size(self) -> int:
        return sum(len(f.missing) for f in self.files)

    def flush(self) -> list[Pending]:
        """Start embedding and writing this batch; the files of earlier batches written meanwhile
        (waiting for the oldest write when IN_FLIGHT batches are ahead of the writes)."""
        files, found, self.files, self.found = self.files, self.found, [], []
        chunks = [chunk for pending in files for chunk in pending.missing]
        self.embedded += len(chunks)
        # the sentences are cut here, so the model thread goes from one batch's pass to the next
        spans = [sentence_spans(c.text) for c in chunks]
        vectors = self._embedding.submit(self._embed, chunks, spans)
        companion = self.quotes
        quotes = (  # after the batch's own finds: one thread, jobs in order
            self._finding.submit(lambda: companion.prepare([f.result() for f in found]))
            if companion is not None
            else None
        )
        self._writes.append(self._writing.submit(self._write, files, chunks, vectors, quotes))
        done: list[Pending] = []
        while self._writes and (self._writes[0].done() or len(self._writes) > IN_FLIGHT):
            done += self._writes.popleft().result()
        return done

    def _embed(self, chunks: list[Chunk], spans: list[list[tuple[int, int]]]) -> Any:
        if not chunks or self._failed.is_set():
            return None
        return self.embedder.embed_in_context([c.text for c in chunks], spans)

    def _write(
        self, files: list[Pending], chunks: list[Chunk], vectors: Future[Any], quotes: Future[Any] | None
    ) -> list[Pending]:
        """Store a batch once its vectors and quotes are ready; nothing after a failed job."""
        try:
            embedded = vectors.result()
            prepared = quotes.result() if quotes is not None else None
            if self._failed.is_set():
                raise RuntimeError("an earlier batch failed")  # never raised to the caller: that one is
            if embedded is not None:
                self.store.add(
                    ids=[c.id for c in chunks],
                    texts=[c.text for c in chunks],
                    metadatas=[c.metadata() for c in chunks],
                    embeddings=embedded,
                )
            if self.quotes is not None:  # after the chunks they belong to; stale ones go with theirs
                self.quotes.write(prepared)
                for pending in files:
                    pending.stopped = self.quotes.stopped(prepared).get(pending.source)
            self.store.delete([i for pending in files for i in pending.stale])
            self.store.record_sources([pending.record for pending in files])
            return files
        except BaseException:
            self._failed.set()
            raise

    def finish(self) -> list[Pending]:
        """Write what is left and wait for every write; the files they recorded."""
        done = self.flush() if self.files else []
        while self._writes:
            done += self._writes.popleft().result()
        self.embedder.flush()  # the vector cache too, for the next process
        return done

    def close(self) -> None:
        """Stop all three threads, after an error too: nothing left running or queued."""
        self._failed.set()
        for pool in (self._finding, self._embedding, self._writing):
            pool.shutdown(wait=True, cancel_futures=True)
