"""Opening the store, and remembering which files it was built from.

The manifest inside Chroma is the record of truth; a copy of its source paths is kept in
the data dir (`sources.json`) so that `assistant reindex` can rebuild an index whose
files can no longer be read at all.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from assistant.settings import Settings, local_path
from vectorstore import ChromaStore
from vectorstore.store import COLLECTION


def open_store(settings: Settings, model_name: str, collection: str = COLLECTION) -> ChromaStore:
    """The store the settings name: a Chroma server, or embedded Chroma in the data dir."""
    where: dict[str, Any] = (
        {"host": settings.chroma_host, "port": settings.chroma_port}
        if settings.chroma_host
        else {"data_dir": Path(settings.data_dir)}
    )
    return ChromaStore(model_name, timeout=settings.chroma_timeout, collection=collection, **where)


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
