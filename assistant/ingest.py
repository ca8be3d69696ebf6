"""Bringing files into the index: read, chunk, embed what is new, drop what is stale."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from assistant.chunking import Chunker
from assistant.errors import InputError
from assistant.reading import find_files, read_document, source_name
from assistant.records import FileProblem, IngestReport
from vectorstore import ChromaStore, Embedder

Progress = Callable[[str, int, int], None]
"""Called as `progress(source, files_done, files_total)` after each file."""


def ingest(
    paths: Iterable[str | Path],
    store: ChromaStore,
    embedder: Embedder,
    chunker: Chunker,
    progress: Progress | None = None,
) -> IngestReport:
    """Index the .txt/.md files at `paths`; unchanged files cost nothing.

    A file's chunk ids depend only on its name and content, so a file whose ids are all
    stored already is unchanged; otherwise the missing chunks are embedded and added
    first, and only then are the file's stale chunks deleted.
    """
    started = time.perf_counter()
    outcomes: dict[str, list[str]] = {"added": [], "replaced": [], "unchanged": []}
    failed: list[FileProblem] = []
    embedded = 0
    files = list(find_files(paths))
    for done, (path, problem) in enumerate(files, start=1):
        source = source_name(path)
        if problem is not None:
            failed.append(FileProblem(source, problem))
        else:
            try:
                outcome, new_chunks = _ingest_file(path, store, embedder, chunker)
            except InputError as exc:
                failed.append(FileProblem(source, str(exc).removeprefix(f"{path}: ")))
            else:
                outcomes[outcome].append(source)
                embedded += new_chunks
        if progress is not None:
            progress(source, done, len(files))
    return IngestReport(
        **outcomes,
        failed=failed,
        chunks=embedded,
        seconds=round(time.perf_counter() - started, 3),
    )


def _ingest_file(path: Path, store: ChromaStore, embedder: Embedder, chunker: Chunker) -> tuple[str, int]:
    """Index one file; returns its outcome ("added", "replaced", "unchanged") and chunks embedded."""
    document = read_document(path)
    chunks = chunker.chunk(document)
    ids = [chunk.id for chunk in chunks]
    stored = store.ids_where({"source": document.source})
    if stored == set(ids):
        return "unchanged", 0
    missing = [chunk for chunk in chunks if chunk.id not in stored]
    store.add(
        ids=[chunk.id for chunk in missing],
        texts=[chunk.text for chunk in missing],
        metadatas=[chunk.metadata() for chunk in missing],
        embeddings=embedder.embed([chunk.text for chunk in missing]),
    )
    store.delete(sorted(stored - set(ids)))
    return ("replaced" if stored else "added"), len(missing)
