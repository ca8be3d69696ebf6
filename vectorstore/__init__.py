"""Embeddings and the Chroma store: the persistence layer under `assistant`."""

from vectorstore.embeddings import DEFAULT_MODEL, Embedder
from vectorstore.errors import (
    IndexDamagedError,
    ModelError,
    ModelMismatchError,
    StoreUnavailableError,
    VectorStoreError,
)
from vectorstore.filters import source_filter
from vectorstore.hits import Hit
from vectorstore.store import ChromaStore

__all__ = [
    "DEFAULT_MODEL",
    "ChromaStore",
    "Embedder",
    "Hit",
    "IndexDamagedError",
    "ModelError",
    "ModelMismatchError",
    "StoreUnavailableError",
    "VectorStoreError",
    "source_filter",
]
