"""Bringing files into the index: read, chunk, embed what is new, drop what is stale.

A file's chunk ids depend only on its name and content, so the set of ids stored for a
source is its manifest: a file whose ids are all stored (and nothing else) is unchanged;
otherwise its missing chunks are embedded and added, and only once all of them are stored
are its stale chunks deleted. A crash at any point leaves a file either at its old version,
or half-added and detected as changed by the next ingest, which finishes the job.

Chunks of many files are embedded together in batches, so small files cost little.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.chunking import Chunker
from assistant.errors import InputError
from assistant.formats import SUFFIXES as CONVERTED
from assistant.formats import store_extracted
from assistant.metadata import with_metadata
from assistant.quoteindex import QuoteIndex, QuoteUpdate
from assistant.reading import find_files, read_document, source_name
from assistant.records import Chunk, FileProblem, IngestReport
from vectorstore import ChromaStore, Embedder

Progress = Callable[[str, int, int], None]
"""Called as `progress(source, files_done, files_total)` after each file."""

BATCH_CHUNKS = 256  # chunks embedded and stored together


@dataclass
class _Pending:
    """A file whose missing chunks are waiting to be embedded."""

    source: str
    outcome: str  # "added" or "replaced"
    missing: list[Chunk]
    stale: list[str]
    quotes: QuoteUpdate | None = None


class _Batch:
    """Files waiting to be embedded; `flush` stores their chunks, then drops their stale ones."""

    def __init__(self, store: ChromaStore, embedder: Embedder, quotes: QuoteIndex | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.quotes = quotes
        self.files: list[_Pending] = []
        self.embedded = 0

    def size(self) -> int:
        return sum(len(f.missing) for f in self.files)

    def flush(self) -> list[_Pending]:
        chunks = [chunk for pending in self.files for chunk in pending.missing]
        if chunks:
            self.store.add(
                ids=[c.id for c in chunks],
                texts=[c.text for c in chunks],
                metadatas=[c.metadata() for c in chunks],
                embeddings=self.embedder.embed([c.text for c in chunks]),
            )
        if self.quotes is not None:  # after the chunks they belong to; stale ones go with theirs
            self.quotes.write([pending.quotes for pending in self.files])
        self.store.delete([i for pending in self.files for i in pending.stale])
        self.embedded += len(chunks)
        done, self.files = self.files, []
        return done


def ingest(
    paths: Iterable[str | Path],
    store: ChromaStore,
    embedder: Embedder,
    chunker: Chunker,
    progress: Progress | None = None,
    batch_chunks: int = BATCH_CHUNKS,
    quotes: QuoteIndex | None = None,
    outlet: str | None = None,
    extracted_dir: Path = Path(".assistant") / "extracted",
) -> IngestReport:
    """Index the .txt/.md/.html/.pdf files at `paths`; unchanged files cost nothing.

    `quotes` keeps the quote index in step; `outlet` names the outlet of files whose text or
    sidecar does not; extracted text of HTML/PDF files is stored in `extracted_dir`.
    """
    started = time.perf_counter()
    outcomes: dict[str, list[str]] = {"added": [], "replaced": [], "unchanged": []}
    failed: list[FileProblem] = []
    files = list(find_files(paths))
    batch = _Batch(store, embedder, quotes)
    done = 0

    def report_done(sources: list[str]) -> None:
        nonlocal done
        for source in sources:
            done += 1
            if progress is not None:
                progress(source, done, len(files))

    for path, problem in files:
        source = source_name(path)
        try:
            if problem is not None:
                raise InputError(problem)
            pending = _plan(path, store, chunker, quotes, outlet, extracted_dir)
        except InputError as exc:
            failed.append(FileProblem(source, str(exc).removeprefix(f"{path}: ")))
            report_done([source])
            continue
        if pending is None:
            outcomes["unchanged"].append(source)
            report_done([source])
            continue
        batch.files.append(pending)
        if batch.size() >= batch_chunks:
            report_done(_record(batch.flush(), outcomes))
    report_done(_record(batch.flush(), outcomes))
    return IngestReport(
        **outcomes, failed=failed, chunks=batch.embedded, seconds=round(time.perf_counter() - started, 3)
    )


def _plan(
    path: Path,
    store: ChromaStore,
    chunker: Chunker,
    quotes: QuoteIndex | None = None,
    outlet: str | None = None,
    extracted_dir: Path = Path(".assistant") / "extracted",
) -> _Pending | None:
    """What one file needs: None when it is stored already, exactly as it is."""
    document = with_metadata(read_document(path), path, outlet)
    if path.suffix.lower() in CONVERTED:  # offsets count in the extracted text: keep it
        document = replace(document, extracted=store_extracted(document, extracted_dir))
    chunks = chunker.chunk(document)
    ids = {chunk.id for chunk in chunks}
    stored = store.ids_where({"source": document.source})
    quote_update = quotes.plan(document) if quotes is not None else None
    if stored == ids and quote_update is None:
        return None
    return _Pending(
        source=document.source,
        outcome="unchanged" if stored == ids else "replaced" if stored else "added",
        missing=[chunk for chunk in chunks if chunk.id not in stored],
        stale=sorted(stored - ids),
        quotes=quote_update,
    )


def _record(done: list[_Pending], outcomes: dict[str, list[str]]) -> list[str]:
    for pending in done:
        outcomes[pending.outcome].append(pending.source)
    return [pending.source for pending in done]
