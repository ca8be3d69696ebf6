"""The Python API: one object that ingests, retrieves and lists sources."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.chunking import SPECIAL_TOKENS, Chunker
from assistant.errors import InputError
from assistant.ingest import Progress, ingest
from assistant.records import IngestReport, Passage, SourceInfo
from assistant.settings import Settings
from vectorstore import ChromaStore, Embedder

if TYPE_CHECKING:
    from langchain_core.retrievers import BaseRetriever


class Assistant:
    """Source-attributed search over a folder of articles.

    Arguments left as None come from `ASSISTANT_*` environment variables, then defaults:
    the index lives in `./.assistant` unless `chroma_host` names a Chroma server.

    Example:
        >>> from assistant import Assistant
        >>> assistant = Assistant(data_dir="/tmp/index")
        >>> report = assistant.ingest(["seeds"])
        >>> best = assistant.retrieve("Who said Russian troops were driven out?", k=1)[0]
        >>> best.source, best.start_line, best.text[:40]
    """

    def __init__(
        self,
        data_dir: str | Path | None = None,
        chroma_host: str | None = None,
        chroma_port: int | None = None,
        model: str | None = None,
        *,
        settings: Settings | None = None,
    ) -> None:
        settings = settings or Settings()
        overrides = {
            "data_dir": data_dir,
            "chroma_host": chroma_host,
            "chroma_port": chroma_port,
            "model": model,
        }
        settings = settings.model_copy(update={k: v for k, v in overrides.items() if v is not None})
        self.settings = settings
        self.embedder = Embedder(settings.model)
        if settings.chroma_host:
            self.store = ChromaStore(self.embedder.name, host=settings.chroma_host, port=settings.chroma_port)
        else:
            self.store = ChromaStore(self.embedder.name, data_dir=Path(settings.data_dir))
        self.store.count()  # refuses an index built with another model, now rather than later
        self.chunker = Chunker(
            count_tokens=self.embedder.count_tokens,
            token_spans=self.embedder.token_spans,
            max_tokens=self.embedder.max_tokens - SPECIAL_TOKENS,
            target_tokens=settings.chunk_tokens,
        )

    def ingest(
        self, paths: str | Path | Iterable[str | Path], progress: Progress | None = None
    ) -> IngestReport:
        """Index .txt/.md files and folders (recursively); see `IngestReport` for the outcome."""
        if isinstance(paths, str | Path):
            paths = [paths]
        paths = list(paths)
        if not paths:
            raise InputError("No paths given: name at least one file or folder to ingest.")
        return ingest(paths, self.store, self.embedder, self.chunker, progress)

    def retrieve(self, query: str, k: int = 5, sources: list[str] | None = None) -> list[Passage]:
        """The `k` passages most similar to `query`, best first, optionally only from `sources`."""
        if not query or not query.strip():
            raise InputError("The query is empty: ask something.")
        if k < 1:
            raise InputError(f"k must be at least 1, not {k}.")
        where = None
        if sources:
            where = {"source": sources[0]} if len(sources) == 1 else {"source": {"$in": list(sources)}}
        vector = self.embedder.embed([query])[0]
        hits = self.store.query(vector, k, where)
        return [Passage.from_stored(hit.text, hit.metadata, hit.score) for hit in hits]

    def sources(self) -> list[SourceInfo]:
        """Every indexed source with its title and number of chunks, sorted by name."""
        counts: Counter[str] = Counter()
        titles: dict[str, str] = {}
        for meta in self.store.metadatas():
            source = str(meta.get("source", ""))
            counts[source] += 1
            titles.setdefault(source, str(meta.get("title", "")))
        return [SourceInfo(source, titles[source], counts[source]) for source in sorted(counts)]

    def as_retriever(self, k: int = 5, sources: list[str] | None = None) -> BaseRetriever:
        """A LangChain retriever whose Documents carry the Passage fields as metadata."""
        from assistant.retriever import PassageRetriever

        return PassageRetriever(assistant=self, k=k, sources=sources)
