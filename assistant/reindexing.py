"""Rebuilding the index from its source files: after a model change, or when it is damaged."""

from __future__ import annotations

import dataclasses
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from assistant.attribution.quote_index import COLLECTION as QUOTES
from assistant.components import Components, open_store, remember_sources, remembered_sources
from assistant.errors import InputError
from assistant.ingest.locking import writer_lock
from assistant.ingest.pipeline import Progress, ingest
from assistant.models import IngestReport
from assistant.settings import Settings, local_path
from vectorstore import ChromaStore, Embedder
from vectorstore.errors import IndexDamagedError


def reindex(
    settings: Settings | None = None,
    paths: Iterable[str | Path] | None = None,
    progress: Progress | None = None,
    wait: float = 0.0,
) -> IngestReport:
    """Empty the index and index its source files again, with the model `settings` name.

    The files are those the index recorded (or `paths`, if given). A damaged embedded
    index that cannot even be read is moved aside to `data_dir/damaged-TIME/`, never deleted.

    Example:
        from assistant import Settings, reindex
        report = reindex(Settings(data_dir="/tmp/index", model="/models/other-model"))
    """
    settings = settings or Settings()
    name = Embedder(settings.model).name
    with writer_lock(local_path(settings, "ingest.lock"), _location(settings), wait):
        recorded: dict[str, str] = {}
        set_aside = None
        try:
            old = open_store(settings, name)
            recorded = {s: str(r.get("path", "")) for s, r in old.manifest().items()}
            old.drop()
            old.release()
            open_store(settings, name, QUOTES).drop()
        except IndexDamagedError:
            if settings.chroma_host:
                raise
            set_aside = _set_aside(Path(settings.data_dir))
        # the manifest and the copy beside it: either may have lost files the other still lists
        known = {**remembered_sources(settings), **recorded}
        targets = [str(p) for p in paths] if paths else sorted({p for p in known.values() if p})
        if not targets:
            raise InputError(
                "The index records no source files to rebuild from: name them, as in "
                "`assistant reindex PATH...`."
            )
        parts = Components.build(settings, rebuilding=True)
        report = ingest(
            targets,
            parts.store,
            parts.embedder,
            parts.chunker,
            progress,
            max_bytes=int(settings.max_file_mb * 1_000_000),
            quotes=parts.quote_index,
            extracted_dir=Path(settings.data_dir) / "extracted",
            names={source: path for source, path in known.items() if path},  # never renamed by the cwd
        )
        remember_sources(settings, parts.store, exact=True)  # what was rebuilt; failures are reported
    return dataclasses.replace(report, set_aside=str(set_aside) if set_aside else None)


def _set_aside(data_dir: Path) -> Path:
    """Move embedded Chroma's files (and caches built from them) into a new `damaged-*` folder."""
    ChromaStore.forget_path(data_dir)
    target = data_dir / time.strftime("damaged-%Y%m%d-%H%M%S")
    target.mkdir()
    for entry in sorted(data_dir.iterdir()):
        is_segment = entry.is_dir() and len(entry.name) == 36 and entry.name.count("-") == 4
        if entry.name.startswith(("chroma.sqlite3", "lexical")) or is_segment:
            shutil.move(str(entry), target / entry.name)
    return target


def _location(settings: Settings) -> str:
    if settings.chroma_host:
        return f"Chroma server {settings.chroma_host}:{settings.chroma_port}"
    return f"data dir {settings.data_dir}"
