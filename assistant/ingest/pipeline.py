"""Bringing files into the index: read, chunk, embed what is new, drop what is stale.

The store's manifest holds one record per file (sha256 of its bytes, how it was chunked,
its number of chunks, its path), written only once all of the file's chunks are stored
and its stale ones deleted. A file whose record matches its bytes costs a read and a
hash: it is neither chunked nor embedded. Any other file is chunked; chunk ids depend only
on name and content, so only chunks not stored yet are embedded, then stale ones are
deleted, then the record is written. A crash at any point leaves a record that does not
match, and the next ingest finishes the job, embedding only what is still missing.

Chunks of many files are embedded together in batches, so small files cost little. Three
threads besides the ingesting one keep the cores busy, each taking its jobs in order: a file's
quotes are found (`quote-finder`) as soon as the ingesting thread has read it, a batch's chunks
are embedded (`embedder`) while the ingesting thread reads and chunks the next files, and a batch
is written to Chroma (`chroma-writer`) once its vectors and quotes are both ready. Neither the
model nor the quote finder waits for the other (ONNX Runtime and Chroma's Rust core leave the
interpreter free while they run). The same model pass gives each sentence of a chunk its vector
in context (`Embedder.embed_in_context`), stored for the sentence scorer: a question about new
passages then embeds only itself.
"""

from __future__ import annotations

import datetime
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from assistant.errors import InputError, SkippedFile
from assistant.ingest.chunking import Chunker
from assistant.ingest.discovery import find_files, source_name
from assistant.ingest.extracted import store_extracted
from assistant.ingest.metadata import with_metadata
from assistant.ingest.reading import CONVERTED, read_document
from assistant.models import Chunk, Document, FileProblem, IngestReport
from assistant.text.sentences import sentence_spans
from vectorstore import ChromaStore, Embedder

Progress = Callable[[str, int, int], None]
"""Called as `progress(source, files_done, files_total)` after each file."""

BATCH_CHUNKS = 256  # chunks embedded and stored together


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


IN_FLIGHT = 2  # batches the ingesting thread may run ahead of the writes


@dataclass
class _Pending:
    """A file whose missing chunks are waiting to be embedded, and its manifest record."""

    source: str
    outcome: str  # "added", "replaced" or "unchanged" (chunks all there, record missing)
    missing: list[Chunk]
    stale: list[str]
    record: dict[str, Any]
    quotes: Any = None  # what the companion plans for this file


class _Batch:
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
        self.files: list[_Pending] = []
        self.found: list[Future[Any]] = []
        self.embedded = 0
        self._embedding = ThreadPoolExecutor(1, thread_name_prefix="embedder")
        self._finding = ThreadPoolExecutor(1, thread_name_prefix="quote-finder")
        self._writing = ThreadPoolExecutor(1, thread_name_prefix="chroma-writer")
        self._writes: deque[Future[list[_Pending]]] = deque()
        self._failed = threading.Event()

    def add(self, pending: _Pending) -> None:
        """Take a file into the batch and start finding its quotes."""
        self.files.append(pending)
        if self.quotes is not None:
            self.found.append(self._finding.submit(self.quotes.find, pending.quotes))

    def size(self) -> int:
        return sum(len(f.missing) for f in self.files)

    def flush(self) -> list[_Pending]:
        """Start embedding and writing this batch; the files of earlier batches written meanwhile
        (waiting for the oldest write when IN_FLIGHT batches are ahead of the writes)."""
        files, found, self.files, self.found = self.files, self.found, [], []
        chunks = [chunk for pending in files for chunk in pending.missing]
        self.embedded += len(chunks)
        vectors = self._embedding.submit(self._embed, chunks)
        companion = self.quotes
        quotes = (  # after the batch's own finds: one thread, jobs in order
            self._finding.submit(lambda: companion.prepare([f.result() for f in found]))
            if companion is not None
            else None
        )
        self._writes.append(self._writing.submit(self._write, files, chunks, vectors, quotes))
        done: list[_Pending] = []
        while self._writes and (self._writes[0].done() or len(self._writes) > IN_FLIGHT):
            done += self._writes.popleft().result()
        return done

    def _embed(self, chunks: list[Chunk]) -> Any:
        if not chunks or self._failed.is_set():
            return None
        return self.embedder.embed_in_context(
            [c.text for c in chunks], [sentence_spans(c.text) for c in chunks]
        )

    def _write(
        self, files: list[_Pending], chunks: list[Chunk], vectors: Future[Any], quotes: Future[Any] | None
    ) -> list[_Pending]:
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
            self.store.delete([i for pending in files for i in pending.stale])
            self.store.record_sources([pending.record for pending in files])
            return files
        except BaseException:
            self._failed.set()
            raise

    def finish(self) -> list[_Pending]:
        """Write what is left and wait for every write; the files they recorded."""
        done = self.flush() if self.files else []
        while self._writes:
            done += self._writes.popleft().result()
        return done

    def close(self) -> None:
        """Stop all three threads, after an error too: nothing left running or queued."""
        self._failed.set()
        for pool in (self._finding, self._embedding, self._writing):
            pool.shutdown(wait=True, cancel_futures=True)


def ingest(
    paths: Iterable[str | Path],
    store: ChromaStore,
    embedder: Embedder,
    chunker: Chunker,
    progress: Progress | None = None,
    batch_chunks: int | None = None,
    prune: bool = False,
    max_bytes: int | None = None,
    quotes: Companion | None = None,
    outlet: str | None = None,
    extracted_dir: Path = Path(".assistant") / "extracted",
) -> IngestReport:
    """Index the .txt/.md/.html/.pdf files at `paths`; unchanged files cost nothing.

    With `prune`, sources recorded under `paths` whose files are gone are removed.
    Files over `max_bytes` are refused; chunks are embedded `batch_chunks` at a time
    (default BATCH_CHUNKS). `quotes` keeps the quote index in step; `outlet` names the
    outlet of files whose text or sidecar does not; extracted text of HTML/PDF files is
    stored in `extracted_dir`.
    """
    started = time.perf_counter()
    batch_chunks = batch_chunks or BATCH_CHUNKS
    paths = list(paths)
    outcomes: dict[str, list[str]] = {"added": [], "replaced": [], "unchanged": []}
    failed: list[FileProblem] = []
    skipped: list[FileProblem] = []
    encodings: dict[str, str] = {}
    files = list(find_files(paths))
    manifest = store.manifest()
    batch = _Batch(store, embedder, quotes)
    done = 0

    def report_done(sources: list[str]) -> None:
        nonlocal done
        for source in sources:
            done += 1
            if progress is not None:
                progress(source, done, len(files))

    try:
        for path, problem in files:
            source = source_name(path)
            try:
                if problem is not None:
                    raise InputError(problem)
                document = with_metadata(read_document(path, max_bytes), path, outlet)
                if path.suffix.lower() in CONVERTED:  # offsets count in the extracted text: keep it
                    document = replace(document, extracted=store_extracted(document, extracted_dir))
                pending = _plan(document, path, manifest.get(source), store, chunker, quotes)
            except InputError as exc:
                found = FileProblem(source, str(exc).removeprefix(f"{path}: "))
                (skipped if isinstance(exc, SkippedFile) else failed).append(found)
                report_done([source])
                continue
            if document.encoding != "utf-8":
                encodings[source] = document.encoding
            if pending is None:
                outcomes["unchanged"].append(source)
                report_done([source])
                continue
            batch.add(pending)
            if batch.size() >= batch_chunks:
                report_done(_record(batch.flush(), outcomes))
        report_done(_record(batch.finish(), outcomes))
    finally:
        batch.close()  # after an error too: no quote search or write left running
    removed = _prune(paths, store, quotes) if prune else []
    return IngestReport(
        added=outcomes["added"],
        replaced=outcomes["replaced"],
        unchanged=outcomes["unchanged"],
        removed=removed,
        skipped=skipped,
        failed=failed,
        encodings=encodings,
        chunks=batch.embedded,
        seconds=round(time.perf_counter() - started, 3),
    )


def remove(sources: Sequence[str], store: ChromaStore, quotes: Companion | None = None) -> list[str]:
    """Delete these sources' passages, then their manifest records; unknown names are refused."""
    known = set(store.manifest())
    unknown = [s for s in sources if s not in known and not store.ids_where({"source": s})]
    if unknown:
        raise InputError(
            f"Not in the index: {', '.join(unknown)}. `assistant sources` lists the indexed names."
        )
    _delete_sources(list(sources), store, quotes)
    return list(sources)


def _plan(
    document: Document,
    path: Path,
    recorded: dict[str, Any] | None,
    store: ChromaStore,
    chunker: Chunker,
    quotes: Companion | None,
) -> _Pending | None:
    """What one file needs: None when it is stored already, exactly as it is."""
    # What decides the stored chunks and quotes besides the bytes: chunking, rules, metadata.
    made_with = f"{chunker.signature};{quotes.version}" if quotes is not None else chunker.signature
    described = f"outlet={document.outlet or ''};dateline={document.dateline or ''}"
    # Chunks carry the title: a file whose title reads differently now (new title rules) is rewritten.
    retitled = recorded is not None and recorded.get("title") != document.title
    record: dict[str, Any] = {
        "source": document.source,
        "path": os.path.abspath(path),
        "sha256": document.sha256,
        "chunking": made_with,
        "described": described,
        "encoding": document.encoding,
        "title": document.title,
        "ingested": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    same_chunks = recorded is not None and recorded.get("chunking") == made_with
    stored = store.ids_where({"source": document.source})
    if (
        same_chunks
        and recorded is not None
        and recorded.get("sha256") == document.sha256
        and recorded.get("described") == described
        and not retitled
        and len(stored) == recorded.get("chunks")
    ):
        return None
    chunks = chunker.chunk(document)
    record["chunks"] = len(chunks)
    ids = {chunk.id for chunk in chunks}
    # Same ids can hold other text or metadata when the settings or metadata changed: rewrite all.
    rewrite = recorded is not None and (not same_chunks or recorded.get("described") != described or retitled)
    missing = [chunk for chunk in chunks if rewrite or chunk.id not in stored]
    stale = sorted(stored - ids)
    quote_update = quotes.plan(document) if quotes is not None else None
    outcome = "added" if not stored else "replaced" if missing or stale else "unchanged"
    return _Pending(document.source, outcome, missing, stale, record, quote_update)


def _prune(paths: list[str | Path], store: ChromaStore, quotes: Companion | None) -> list[str]:
    """Remove recorded sources under `paths` whose files no longer exist."""
    roots = [os.path.abspath(p) for p in paths]
    gone = [
        source
        for source, record in store.manifest().items()
        if _within(str(record.get("path", "")), roots) and not os.path.exists(str(record["path"]))
    ]
    _delete_sources(gone, store, quotes)
    return sorted(gone)


def _delete_sources(sources: list[str], store: ChromaStore, quotes: Companion | None) -> None:
    """Passages and quotes first, then the records: a crash in between leaves a record to prune again."""
    for collection in [store] + ([quotes.store] if quotes is not None else []):
        collection.delete([i for source in sources for i in sorted(collection.ids_where({"source": source}))])
    store.forget_sources(sources)


def _within(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _record(done: list[_Pending], outcomes: dict[str, list[str]]) -> list[str]:
    for pending in done:
        outcomes[pending.outcome].append(pending.source)
    return [pending.source for pending in done]
