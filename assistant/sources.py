"""Opening the store, and remembering which files it was built from.

The manifest inside Chroma is the record of truth; a copy of its source paths is kept in
the data dir (`sources.json`) so that `assistant reindex` can rebuild an index whose
files can no longer be read at all.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from assistant.settings import Settings, local_path
from vectorstore import ChromaStore


def open_store(settings: Settings, model_name: str) -> ChromaStore:
    """The store the settings name: a Chroma server, or embedded Chroma in the data dir."""
    if settings.chroma_host:
        return ChromaStore(
            model_name, host=settings.chroma_host, port=settings.chroma_port, timeout=settings.chroma_timeout
        )
    return ChromaStore(model_name, data_dir=Path(settings.data_dir), timeout=settings.chroma_timeout)


def remember_sources(settings: Settings, store: ChromaStore) -> None:
    """Write the manifest's source paths to the data dir (atomically; best effort)."""
    paths = {source: str(record.get("path", "")) for source, record in store.manifest().items()}
    target = local_path(settings, "sources.json")
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_text(json.dumps(paths, indent=1, sort_keys=True))
        os.replace(partial, target)
    except OSError:
        pass  # a copy for emergencies: the manifest itself is already stored


def remembered_sources(settings: Settings) -> dict[str, str]:
    """The source paths last written by `remember_sources`, or {}."""
    try:
        found = json.loads(local_path(settings, "sources.json").read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}
