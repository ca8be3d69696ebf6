"""Chroma as a store of embedded passages: embedded persistent, or a Chroma server.

Chroma never embeds anything here: every collection is opened with no embedding
function, vectors come from `vectorstore.embeddings.Embedder`, and the collection
records which model made them so that a different model is refused.

Two collections: "passages" (the chunks) and "sources", the manifest, one record per
indexed file, written only once all of that file's chunks are stored. Embedded Chroma
keeps vectors in memory, so a store written by another process is reopened when the
passages' generation counter shows a change this process did not make.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vectorstore.chroma import (
    check_room,
    chroma_errors,
    classify_failure,
    forget_shared_system,
    open_client,
    release_client,
)
from vectorstore.embeddings import options_for_index
from vectorstore.errors import ModelMismatchError, VectorStoreError
from vectorstore.hits import Hit

if TYPE_CHECKING:
    import numpy as np

COLLECTION = "passages"
SOURCES = "sources"
Metadata = Mapping[str, str | int | float | bool]


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
        timeout: float = 5.0,
        collection: str = COLLECTION,
    ) -> None:
        if (host is None) == (data_dir is None):
            raise ValueError("give either data_dir (embedded Chroma) or host (a Chroma server)")
        self.model_name = model_name
        self.timeout = timeout
        self.collection_name = collection  # a second collection (e.g. "quotes") lives beside "passages"
        self.location = f"Chroma server {host}:{port or 8000}" if host else f"data dir {data_dir}"
        self._where = (data_dir, host, port)
        self._client = open_client(data_dir, host, port, timeout)
        self._collection: Any = None
        self._sources: Any = None
        self._seen_generation: int | None = None
        self._reopening = threading.Lock()

    @property
    def embedded(self) -> bool:
        """True for embedded Chroma in a data dir, False for a Chroma server."""
        return self._where[1] is None

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """Turn Chroma's failures into errors that say what happened and what to do."""
        try:
            yield
        except VectorStoreError:
            raise
        except Exception as exc:
            raise self._failure(doing, exc) from exc

    def _failure(self, doing: str, exc: Exception) -> VectorStoreError:
        return classify_failure(exc, doing, self.location, self.embedded, self.timeout, self._where[0])

    def _existing(self) -> Any:
        """The collection if it exists, after checking its model; else None."""
        if self._collection is None:
            try:
                collection = self._client.get_collection(self.collection_name, embedding_function=None)
            except chroma_errors().NotFoundError:
                return None
            except Exception as exc:
                raise self._failure("opening the passages", exc) from exc
            built_with = (collection.metadata or {}).get("embedding_model")
            if built_with != self.model_name:
                raise ModelMismatchError(
                    f"The index in {self.location} was built with embedding model {built_with!r}, "
                    f"not {self.model_name!r}. {options_for_index(str(built_with))}, or run "
                    "`assistant reindex` to rebuild it from the source files with the new model."
                )
            self._collection = collection
            if self._seen_generation is None:
                self._seen_generation = int((collection.metadata or {}).get("generation", 0))
        return self._collection

    def recorded_model(self) -> str | None:
        """The embedding model name the index records, unchecked; None when there is no index yet."""
        try:
            collection = self._client.get_collection(self.collection_name, embedding_function=None)
        except Exception:
            return None  # no index yet, or unreachable: `count()` says which
        built_with = (collection.metadata or {}).get("embedding_model")
        return None if built_with is None else str(built_with)

    def _current(self) -> Any:
        """Like `_existing`, after reopening an embedded store another process has written to."""
        collection = self._existing()
        if collection is None or not self.embedded:
            return collection
        generation = self.generation()
        if generation != self._seen_generation:
            with self._reopening:
                if generation != self._seen_generation:
                    self._reopen()
                    self._seen_generation = generation
            collection = self._existing()
        return collection

    def _reopen(self) -> None:
        """A new embedded client: Chroma shares one per path in a process, so drop that one first."""
        self.release()
        self._client = open_client(*self._where, self.timeout)

    def release(self) -> None:
        """Let go of the files: the next store opened on this data dir reads them afresh."""
        release_client(self._client)
        self._collection = self._sources = None

    @staticmethod
    def forget_path(data_dir: Path) -> None:
        """Drop this process's shared Chroma system for `data_dir` (before its files are moved)."""
        forget_shared_system(str(data_dir))

    def _create(self, dimension: int) -> Any:
        collection = self._existing()
        if collection is None:
            with self._guard("creating the collection"):
                collection = self._client.get_or_create_collection(
                    self.collection_name,
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata={"embedding_model": self.model_name, "embedding_dim": dimension},
                    embedding_function=None,
                )
            self._collection = collection
            self._seen_generation = 0
        recorded = (collection.metadata or {}).get("embedding_dim")
        if recorded != dimension:
            raise ModelMismatchError(
                f"The index in {self.location} holds {recorded}-dimensional vectors; model "
                f"{self.model_name!r} makes {dimension}-dimensional ones. Re-index into an empty data dir."
            )
        return collection

    def count(self) -> int:
        """Number of stored passages."""
        collection = self._current()
        if collection is None:
            return 0
        with self._guard("counting passages"):
            return int(collection.count())

    def ids_where(self, where: dict[str, Any]) -> set[str]:
        """Ids of the passages whose metadata matches `where`."""
        collection = self._current()
        if collection is None:
            return set()
        with self._guard("reading passage ids"):
            return set(collection.get(where=where, include=[])["ids"])

    def metadatas(self, page: int = 5000) -> Iterator[dict[str, Any]]:
        """Every stored passage's metadata, read page by page."""
        for _, _, metadata in self.everything(page, with_text=False):
            yield metadata

    def everything(
        self, page: int = 5000, with_text: bool = True, where: dict[str, Any] | None = None
    ) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Every stored passage (matching `where`) as (id, text, metadata), read page by page."""
        collection = self._current()
        if collection is None:
            return
        include = ["documents", "metadatas"] if with_text else ["metadatas"]
        offset = 0
        while True:
            with self._guard("reading passages"):
                batch = collection.get(where=where, include=include, limit=page, offset=offset)
            texts = batch["documents"] if with_text else [""] * len(batch["ids"])
            for i, text, meta in zip(batch["ids"], texts or [], batch["metadatas"] or [], strict=True):
                yield i, text or "", dict(meta or {})
            if len(batch["ids"]) < page:
                return
            offset += page

    def get(self, ids: Sequence[str], query: np.ndarray | None = None) -> list[Hit]:
        """The passages with these ids, in that order; scored by cosine with `query` if given."""
        collection = self._current()
        if collection is None or not ids:
            return []
        include = ["documents", "metadatas"] + (["embeddings"] if query is not None else [])
        with self._guard("reading passages"):
            batch = collection.get(ids=list(ids), include=include)
        found = {}
        for n, i in enumerate(batch["ids"]):
            score = float(batch["embeddings"][n] @ query) if query is not None else 0.0
            found[i] = Hit(i, batch["documents"][n] or "", dict(batch["metadatas"][n] or {}), score)
        return self._committed([found[i] for i in ids if i in found])

    def generation(self) -> int:
        """A number that changes whenever passages are added or deleted (by any process)."""
        if self._existing() is None:
            return 0
        with self._guard("reading the generation"):
            fresh = self._client.get_collection(self.collection_name, embedding_function=None)
        return int((fresh.metadata or {}).get("generation", 0))

    def _bump_generation(self, collection: Any) -> None:
        """Mark the collection changed, for caches derived from it (the lexical index)."""
        with self._guard("marking the index changed"):
            fresh = self._client.get_collection(self.collection_name, embedding_function=None)
            metadata = dict(fresh.metadata or {})
            metadata["generation"] = int(metadata.get("generation", 0)) + 1
            collection.modify(metadata=metadata)
        self._seen_generation = metadata["generation"]

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
        self._check_room(embeddings.nbytes + sum(len(t) for t in texts) + 500 * len(ids))
        collection = self._create(int(embeddings.shape[1]))
        self._bump_generation(collection)  # before and after: a reader never caches a half-write
        step = max(1, min(1000, self._client.get_max_batch_size()))
        for start in range(0, len(ids), step):
            end = start + step
            with self._guard("storing passages"):
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
            self._check_room(100 * len(ids))
            self._bump_generation(collection)
            with self._guard("deleting passages"):
                collection.delete(ids=list(ids))
            self._bump_generation(collection)

    def query(self, embedding: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[Hit]:
        """The `k` passages closest to `embedding`, best first."""
        collection = self._current()
        if collection is None or k < 1:
            return []
        if collection.metadata.get("embedding_dim") != len(embedding):
            raise ModelMismatchError(
                f"Query vector has {len(embedding)} dimensions, the index in {self.location} "
                f"{collection.metadata.get('embedding_dim')}."
            )
        with self._guard("searching"):
            k = min(k, max(1, collection.count()))  # Chroma fails on a k beyond what it can hold
            result = collection.query(
                query_embeddings=[embedding],
                n_results=k,
                where=where,
                include=["documents", "metadatas", "distances"],
            )
            if not result["ids"][0] and where is None and collection.count() > 0:
                raise RuntimeError("the vector index returned nothing although passages are stored")
        return self._committed(
            [
                Hit(id=i, text=text or "", metadata=dict(meta or {}), score=1.0 - float(distance))
                for i, text, meta, distance in zip(
                    result["ids"][0],
                    result["documents"][0],
                    result["metadatas"][0],
                    result["distances"][0],
                    strict=True,
                )
            ]
        )

    def _committed(self, hits: list[Hit]) -> list[Hit]:
        """The hits of file versions the manifest records: a file is seen whole or not at all, so
        chunks an ingest stored before it was killed stay hidden until the file is recorded.
        Each hit's metadata gains the file's canonical `path` from its record."""
        if not hits:
            return hits
        records = self._records({str(h.metadata.get("source")) for h in hits})
        kept = []
        for hit in hits:
            record = records.get(str(hit.metadata.get("source")))
            if record is not None and str(record.get("sha256")) == hit.metadata.get("sha256"):
                hit.metadata["path"] = record.get("path")
                kept.append(hit)
        return kept

    def committed_versions(self, sources: set[str]) -> set[tuple[str, str]]:
        """(source, sha256) of those `sources` whose manifest record says they are stored whole."""
        return {(source, str(record.get("sha256"))) for source, record in self._records(sources).items()}

    def _records(self, sources: set[str]) -> dict[str, dict[str, Any]]:
        """The manifest records of those `sources` that have one, by source."""
        collection = self._manifest(create=False)
        if collection is None or not sources:
            return {}
        with self._guard("reading the sources manifest"):
            records = collection.get(ids=[_source_id(s) for s in sorted(sources)], include=["metadatas"])
        return {str(m["source"]): dict(m) for m in records["metadatas"] or [] if m}

    def _check_room(self, payload: int) -> None:
        """Refuse a write that the data dir's disk has no room for, before Chroma starts it."""
        if self.embedded:
            check_room(self._where[0], payload, self.location)

    def _manifest(self, create: bool) -> Any:
        if self._sources is None:
            with self._guard("opening the sources manifest"):
                if create:
                    self._sources = self._client.get_or_create_collection(
                        SOURCES, metadata={"role": "manifest"}, embedding_function=None
                    )
                elif SOURCES in {getattr(c, "name", c) for c in self._client.list_collections()}:
                    self._sources = self._client.get_collection(SOURCES, embedding_function=None)
        return self._sources

    def manifest(self) -> dict[str, dict[str, Any]]:
        """Each indexed file's record (`source`, `sha256`, `chunks`, ...), by source name."""
        collection = self._manifest(create=False)
        if collection is None:
            return {}
        with self._guard("reading the sources manifest"):
            metadatas = collection.get(include=["metadatas"])["metadatas"] or []
        return {str(m["source"]): dict(m) for m in metadatas if m}

    def record_sources(self, entries: Sequence[Metadata]) -> None:
        """Record files as completely stored (each entry needs a `source`)."""
        if not entries:
            return
        self._check_room(1000 * len(entries))
        collection = self._manifest(create=True)
        with self._guard("recording sources"):
            collection.upsert(
                ids=[_source_id(str(e["source"])) for e in entries],
                metadatas=[dict(e) for e in entries],
                embeddings=[[1.0]] * len(entries),  # Chroma requires a vector; the manifest needs none
            )

    def forget_sources(self, sources: Sequence[str]) -> None:
        """Drop files from the manifest (their passages are deleted first, by the caller)."""
        collection = self._manifest(create=False)
        if collection is not None and sources:
            with self._guard("forgetting sources"):
                collection.delete(ids=[_source_id(s) for s in sources])

    def drop(self) -> None:
        """Delete every passage and the manifest: the index is empty afterwards."""
        with self._guard("deleting the index"):
            names = {getattr(c, "name", c) for c in self._client.list_collections()}
            doomed = (SOURCES, COLLECTION) if self.collection_name == COLLECTION else (self.collection_name,)
            for name in doomed:
                if name in names:
                    self._client.delete_collection(name)
        self._collection = self._sources = None
        self._seen_generation = None


def _source_id(source: str) -> str:
    return hashlib.sha1(source.encode("utf-8")).hexdigest()
