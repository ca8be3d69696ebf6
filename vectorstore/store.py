"""Chroma as a store of embedded passages: embedded persistent, or a Chroma server.

Chroma never embeds anything here: every collection is opened with no embedding
function, vectors come from `vectorstore.embeddings.Embedder`, and the collection
records which model made them so that a different model is refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vectorstore.errors import ModelMismatchError, StoreUnavailableError, VectorStoreError

if TYPE_CHECKING:
    import numpy as np

COLLECTION = "passages"
Metadata = Mapping[str, str | int | float | bool]


@dataclass(frozen=True)
class Hit:
    """One stored passage returned by a query; `score` is cosine similarity."""

    id: str
    text: str
    metadata: dict[str, Any]
    score: float


class ChromaStore:
    """A Chroma collection of passages in cosine space.

    Example:
        >>> store = ChromaStore(data_dir=Path(".assistant"), model_name="all-MiniLM-L6-v2")
        >>> store.count()
        0
    """

    def __init__(
        self,
        model_name: str,
        data_dir: Path | None = None,
        host: str | None = None,
        port: int | None = None,
        collection: str = COLLECTION,
    ) -> None:
        if (host is None) == (data_dir is None):
            raise ValueError("give either data_dir (embedded Chroma) or host (a Chroma server)")
        self.model_name = model_name
        self.collection_name = collection  # a second collection (e.g. "quotes") lives beside "passages"
        self.location = f"Chroma server {host}:{port}" if host else f"data dir {data_dir}"
        self._client = _open_client(data_dir, host, port)
        self._collection: Any = None

    def _existing(self) -> Any:
        """The collection if it exists, after checking its model; else None."""
        if self._collection is None:
            try:
                collection = self._client.get_collection(self.collection_name, embedding_function=None)
            except Exception as exc:
                if "does not exist" not in str(exc) and "NotFound" not in type(exc).__name__:
                    raise _unavailable(self.location, exc) from exc
                return None
            built_with = (collection.metadata or {}).get("embedding_model")
            if built_with != self.model_name:
                raise ModelMismatchError(
                    f"The index in {self.location} was built with embedding model {built_with!r}, "
                    f"not {self.model_name!r}. Use --model {built_with}, or re-index with the new "
                    "model into an empty data dir (or after deleting this one)."
                )
            self._collection = collection
        return self._collection

    def _create(self, dimension: int) -> Any:
        collection = self._existing()
        if collection is None:
            collection = self._client.get_or_create_collection(
                self.collection_name,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedding_model": self.model_name, "embedding_dim": dimension},
                embedding_function=None,
            )
            self._collection = collection
        recorded = (collection.metadata or {}).get("embedding_dim")
        if recorded != dimension:
            raise ModelMismatchError(
                f"The index in {self.location} holds {recorded}-dimensional vectors; model "
                f"{self.model_name!r} makes {dimension}-dimensional ones. Re-index into an empty data dir."
            )
        return collection

    def count(self) -> int:
        """Number of stored passages."""
        collection = self._existing()
        return 0 if collection is None else int(collection.count())

    def ids_where(self, where: dict[str, Any]) -> set[str]:
        """Ids of the passages whose metadata matches `where`."""
        collection = self._existing()
        if collection is None:
            return set()
        return set(collection.get(where=where, include=[])["ids"])

    def metadatas(self, page: int = 5000) -> Iterator[dict[str, Any]]:
        """Every stored passage's metadata, read page by page."""
        for _, _, metadata in self.everything(page, with_text=False):
            yield metadata

    def everything(
        self, page: int = 5000, with_text: bool = True, where: dict[str, Any] | None = None
    ) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Every stored passage (matching `where`) as (id, text, metadata), read page by page."""
        collection = self._existing()
        if collection is None:
            return
        include = ["documents", "metadatas"] if with_text else ["metadatas"]
        offset = 0
        while True:
            batch = collection.get(where=where, include=include, limit=page, offset=offset)
            texts = batch["documents"] if with_text else [""] * len(batch["ids"])
            for i, text, meta in zip(batch["ids"], texts or [], batch["metadatas"] or [], strict=True):
                yield i, text or "", dict(meta or {})
            if len(batch["ids"]) < page:
                return
            offset += page

    def get(self, ids: Sequence[str], query: np.ndarray | None = None) -> list[Hit]:
        """The passages with these ids, in that order; scored by cosine with `query` if given."""
        collection = self._existing()
        if collection is None or not ids:
            return []
        include = ["documents", "metadatas"] + (["embeddings"] if query is not None else [])
        batch = collection.get(ids=list(ids), include=include)
        found = {}
        for n, i in enumerate(batch["ids"]):
            score = float(batch["embeddings"][n] @ query) if query is not None else 0.0
            found[i] = Hit(i, batch["documents"][n] or "", dict(batch["metadatas"][n] or {}), score)
        return [found[i] for i in ids if i in found]

    def generation(self) -> int:
        """A number that changes whenever passages are added or deleted (by any process)."""
        collection = self._existing()
        if collection is None:
            return 0
        collection = self._client.get_collection(
            self.collection_name, embedding_function=None
        )  # fresh metadata
        return int((collection.metadata or {}).get("generation", 0))

    def _bump_generation(self, collection: Any) -> None:
        """Mark the collection changed, for caches derived from it (the lexical index)."""
        metadata = dict(
            self._client.get_collection(self.collection_name, embedding_function=None).metadata or {}
        )
        metadata["generation"] = int(metadata.get("generation", 0)) + 1
        collection.modify(metadata=metadata)

    def add(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        metadatas: Sequence[Metadata],
        embeddings: np.ndarray,
    ) -> None:
        """Store passages (ids already present are overwritten), in batches Chroma accepts."""
        if not ids:
            return
        collection = self._create(int(embeddings.shape[1]))
        self._bump_generation(collection)  # before and after: a reader never caches a half-write
        step = max(1, min(1000, self._client.get_max_batch_size()))
        for start in range(0, len(ids), step):
            end = start + step
            collection.upsert(
                ids=list(ids[start:end]),
                documents=list(texts[start:end]),
                metadatas=[dict(m) for m in metadatas[start:end]],
                embeddings=embeddings[start:end],
            )
        self._bump_generation(collection)

    def delete(self, ids: Sequence[str]) -> None:
        """Remove passages by id."""
        collection = self._existing()
        if collection is not None and ids:
            self._bump_generation(collection)
            collection.delete(ids=list(ids))
            self._bump_generation(collection)

    def query(self, embedding: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[Hit]:
        """The `k` passages closest to `embedding`, best first."""
        collection = self._existing()
        if collection is None or k < 1:
            return []
        if collection.metadata.get("embedding_dim") != len(embedding):
            raise ModelMismatchError(
                f"Query vector has {len(embedding)} dimensions, the index in {self.location} "
                f"{collection.metadata.get('embedding_dim')}."
            )
        result = collection.query(
            query_embeddings=[embedding],
            n_results=k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        return [
            Hit(id=i, text=text or "", metadata=dict(meta or {}), score=1.0 - float(distance))
            for i, text, meta, distance in zip(
                result["ids"][0],
                result["documents"][0],
                result["metadatas"][0],
                result["distances"][0],
                strict=True,
            )
        ]


def _open_client(data_dir: Path | None, host: str | None, port: int | None) -> Any:
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if host is None:
        assert data_dir is not None
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(data_dir), settings=settings)
        except Exception as exc:
            raise StoreUnavailableError(f"Cannot open the index in {data_dir}: {exc}") from exc
    location = f"Chroma server {host}:{port or 8000}"
    try:
        client = chromadb.HttpClient(host=host, port=port or 8000, settings=settings)
        client.heartbeat()
    except Exception as exc:
        raise _unavailable(location, exc) from exc
    return client


def _unavailable(location: str, exc: Exception) -> VectorStoreError:
    return StoreUnavailableError(
        f"Cannot reach {location} ({type(exc).__name__}: {exc}). Check that it is running "
        "and that --chroma-host/--chroma-port are right."
    )
