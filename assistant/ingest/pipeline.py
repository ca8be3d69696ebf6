"""Bringing files into the index: read, chunk, embed what is new, drop what is stale.

The store's manifest holds one record per file (sha256 of its bytes, how it was chunked,
its number of chunks, its path), written only once all of the file's chunks are stored
and its stale ones deleted. A file whose record matches its bytes costs a read and a
hash: it is neither chunked nor embedded. Any other file is chunked; chunk ids depend only
on name and content, so only chunks not stored yet are embedded, then stale ones are
deleted, then the record is written. A crash at any point leaves a record that does not
match, and the next ingest finishes the job, embedding only what is still missing.

Chunks of many files are embedded together in batches, so small files cost little. Three
threads besides the ingesting one keep the cores busy: a batch is embedded on one (`embedder`)
while the ingesting thread reads and chunks the next files, its quotes are found on another
while its chunks are embedded, and it is written to Chroma on a third (`writer`) while the next
batch is embedded (ONNX Runtime and Chroma's Rust core leave the interpreter free while they
run). The same model pass gives each sentence of a chunk its vector in context
(`Embedder.embed_in_context`), stored for the sentence scorer: a question about new passages
then embeds only itself.
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from assistant.errors import InputError, SkippedFile
from assistant.ingest.chunking import Chunker
from assistant.ingest.discovery import find_files, source_name
from assistant.ingest.extracted import store_extracted
from assistant.ingest.metadata import with_metadata
from assistant.ingest.reading import CONVERTED, read_document
from assistant.ingest.writer import BackgroundWriter
from assistant.models import Chunk, Document, FileProblem, IngestReport
from assistant.text.sentences import sentence_spans
from vectorstore import ChromaStore, Embedder

Progress = Callable[[str, int, int], None]
"""Called as `progress(source, files_done, files_total)` after each file."""

BATCH_CHUNKS = 256  # chunks embedded and stored together


class Companion(Protocol):
    """Records derived from each file (the quote index) that ingest keeps in step with its chunks.

    `plan` notes what a document needs (None: nothing) and may start slow set-up early;
    `prepare` does the work for the plans of a batch on a thread of its own, while the ingesting
    thread embeds the batch's chunks (so it may share the embedder with that thread, never the
    store's writes), and `write` stores what it prepared, right after the batch's chunks (on the
    writer thread); `store` holds the records, deleted with their file; `version` is part of
    each file's manifest record, so new rules re-plan every file.
    """

    version: str
    store: ChromaStore

    def plan(self, document: Document) -> Any: ...

    def prepare(self, plans: Sequence[Any]) -> Any: ...

    def write(self, prepared: Any) -> None: ...


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
    """Files waiting to be embedded; `flush` hands them to the embedding thread, which embeds
    their chunks and quotes, then hands the writes (chunks, quotes, stale ones dropped, files
    recorded) to the writer thread. The ingesting thread meanwhile reads and chunks the next
    files, so the model never waits for them."""

    def __init__(self, store: ChromaStore, embedder: Embedder, quotes: Companion | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.quotes = quotes
        self.files: list[_Pending] = []
        self.embedded = 0
        self.embedding: BackgroundWriter[list[_Pending]] = BackgroundWriter("embedder")
        self.writer: BackgroundWriter[list[_Pending]] = BackgroundWriter()
        self.preparer: BackgroundWriter[Any] = BackgroundWriter("quote-finder")

    def size(self) -> int:
        return sum(len(f.missing) for f in self.files)

    def flush(self) -> list[_Pending]:
        """Start embedding this batch; the files whose writes finished meanwhile."""
        files, self.files = self.files, []
        return self.embedding.submit(lambda: self._embed(files)) or []

    def _embed(self, files: list[_Pending]) -> list[_Pending]:
        """Embed a batch and start writing it; the files of the batch written before it."""
        chunks = [chunk for pending in files for chunk in pending.missing]
        companion = self.quotes
        if companion is not None:  # finding quotes (Python, spaCy) overlaps the chunks' model pass
            self.preparer.submit(lambda: companion.prepare([p.quotes for p in files]))
        vectors = (
            self.embedder.embed_in_context([c.text for c in chunks], [sentence_spans(c.text) for c in chunks])
            if chunks
            else None
        )
        quotes = self.preparer.wait() if companion is not None else None
        self.embedded += len(chunks)

        def write() -> list[_Pending]:
            if vectors is not None:
                self.store.add(
                    ids=[c.id for c in chunks],
                    texts=[c.text for c in chunks],
                    metadatas=[c.metadata() for c in chunks],
                    embeddings=vectors,
                )
            if self.quotes is not None:  # after the chunks they belong to; stale ones go with theirs
                self.quotes.write(quotes)
            self.store.delete([i for pending in files for i in pending.stale])
            self.store.record_sources([pending.record for pending in files])
            return files

        return self.writer.submit(write) or []

    def finish(self) -> list[_Pending]:
        """Wait for the last embedding and the last write; the files they recorded."""
        done = self.embedding.wait() or []
        done += self.writer.wait() or []
        self.close()
        return done

    def close(self) -> None:
        """Stop all three threads, after an error too: no embedding, quote search or write left
        running."""
        try:
            self.embedding.close()
        finally:
            try:
                self.preparer.close()
            finally:
                self.writer.close()


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
            batch.files.append(pending)
            if batch.size() >= batch_chunks:
                report_done(_record(batch.flush(), outcomes))
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
