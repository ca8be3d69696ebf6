"""Bringing files into the index: read, chunk, embed what is new, drop what is stale.

The store's manifest holds one record per file (sha256 of its bytes, how it was chunked,
its number of chunks, its path), written only once all of the file's chunks are stored
and its stale ones deleted. A file whose record matches its bytes costs a read and a
hash: it is neither chunked nor embedded. Any other file is chunked; chunk ids depend only
on name and content, so only chunks not stored yet are embedded, then stale ones are
deleted, then the record is written. A crash at any point leaves a record that does not
match, and the next ingest finishes the job, embedding only what is still missing.

Chunks of many files are embedded together in batches, so small files cost little; how the
batches' work runs on threads is `batching`'s. The same model pass gives each sentence of a chunk
its vector in context (`Embedder.embed_in_context`), stored for the sentence scorer: a question
about new passages then embeds only itself.
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.errors import InputError, SkippedFile
from assistant.ingest.batching import Batch, Companion, Pending
from assistant.ingest.chunking import Chunker
from assistant.ingest.discovery import SourceNames, find_files
from assistant.ingest.extracted import store_extracted
from assistant.ingest.metadata import with_metadata
from assistant.ingest.reading import CONVERTED, read_document
from assistant.models import Document, FileProblem, IngestReport
from vectorstore import ChromaStore, Embedder

Progress = Callable[[str, int, int], None]
"""Called as `progress(source, files_done, files_total)` after each file."""

BATCH_CHUNKS = 256  # chunks embedded and stored together


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
    names: dict[str, str] | None = None,
) -> IngestReport:
    """Index the .txt/.md/.html/.pdf files at `paths`; unchanged files cost nothing.

    With `prune`, sources recorded under `paths` whose files are gone are removed.
    Files over `max_bytes` are refused; chunks are embedded `batch_chunks` at a time
    (default BATCH_CHUNKS). `quotes` keeps the quote index in step; `outlet` names the
    outlet of files whose text or sidecar does not; extracted text of HTML/PDF files is
    stored in `extracted_dir`. A file keeps the name the index records it under, wherever
    this runs (`names`, source name -> path, keeps those of an index being rebuilt).
    """
    started = time.perf_counter()
    batch_chunks = batch_chunks or BATCH_CHUNKS
    paths = list(paths)
    outcomes: dict[str, list[str]] = {"added": [], "replaced": [], "unchanged": []}
    stopped: list[FileProblem] = []  # indexed, but their quotes not all found
    failed: list[FileProblem] = []
    skipped: list[FileProblem] = []
    encodings: dict[str, str] = {}
    files = list(find_files(paths))
    manifest = store.manifest()
    naming = SourceNames(manifest, names)
    duplicates: list[str] = []
    batch = Batch(store, embedder, quotes)
    done = 0

    def report_done(sources: list[str]) -> None:
        nonlocal done
        for source in sources:
            done += 1
            if progress is not None:
                progress(source, done, len(files))

    try:
        for path, problem in files:
            source = naming.of(path)
            duplicates += naming.duplicates(path)
            try:
                if problem is not None:
                    raise InputError(problem)
                document = with_metadata(read_document(path, max_bytes, source), path, outlet)
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
                report_done(_record(batch.flush(), outcomes, stopped))
        report_done(_record(batch.finish(), outcomes, stopped))
    finally:
        batch.close()  # after an error too: no quote search or write left running
    if duplicates:  # one file recorded under two names (two working directories): one source now
        _delete_sources(duplicates, store, quotes)
    removed = _prune(paths, store, quotes) if prune else []
    return IngestReport(
        added=outcomes["added"],
        replaced=outcomes["replaced"],
        unchanged=outcomes["unchanged"],
        removed=removed,
        skipped=skipped,
        failed=failed,
        encodings=encodings,
        quotes_stopped=stopped,
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
) -> Pending | None:
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
    return Pending(document.source, outcome, missing, stale, record, quote_update)


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


def _record(done: list[Pending], outcomes: dict[str, list[str]], stopped: list[FileProblem]) -> list[str]:
    for pending in done:
        outcomes[pending.outcome].append(pending.source)
        if pending.stopped:
            stopped.append(FileProblem(pending.source, pending.stopped))
    return [pending.source for pending in done]
