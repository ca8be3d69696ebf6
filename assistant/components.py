"""The parts of an assistant, built once from Settings: stores, embedder, retriever, answerer.

`Components.build` is the one place that wires them; the `Assistant` facade and `reindex` both
use it. The manifest inside Chroma is the record of truth for what is indexed; a copy of its
source paths is kept in the data dir (`sources.json`) so that `assistant reindex` can rebuild
an index whose files can no longer be read at all.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answers.chain import AnswerSteps
from assistant.answers.extractive import ExtractiveAnswerer
from assistant.answers.providers import chat_model
from assistant.attribution.quote_index import COLLECTION as QUOTES
from assistant.attribution.quote_index import QuoteIndex
from assistant.ingest.chunking import SPECIAL_TOKENS, Chunker
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.rerankers import CrossEncoderReranker, Reranker, SentenceReranker
from assistant.retrieval.scoring import Scorer
from assistant.settings import Settings, local_path
from vectorstore import ChromaStore, Embedder
from vectorstore.embeddings import DEFAULT_BACKEND, backend_for
from vectorstore.isa import choose_backend
from vectorstore.store import COLLECTION

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


@dataclass
class Components:
    """Everything an assistant works with, wired once from its settings."""

    settings: Settings
    embedder: Embedder
    store: ChromaStore
    quote_index: QuoteIndex
    lexical: LexicalIndex
    scorer: Scorer
    retriever: HybridRetriever
    chunker: Chunker
    answerer: ExtractiveAnswerer
    chat_model: BaseChatModel | None

    @classmethod
    def build(cls, settings: Settings) -> Components:
        """Open the index the settings name and build every part over it.

        With `embedding_backend` unset, an existing index keeps the backend its vectors were
        made with, and a new one gets the backend chosen for this CPU (`isa.choose_backend`);
        an index built with another model is refused now rather than later.
        """
        embedder = embedder_of(settings, settings.embedding_backend or DEFAULT_BACKEND)
        store = open_store(settings, embedder.name)
        if settings.embedding_backend is None:
            recorded = store.recorded_model()
            backend = backend_for(recorded, embedder.model_name)
            if recorded is None:
                backend = choose_backend(Path(settings.cache_dir))
            if backend is not None and backend != embedder.backend:
                embedder = embedder_of(settings, backend)
                store.model_name = embedder.name
        store.count()  # refuses an index built with another model
        scorer = Scorer(embedder)
        lexical = LexicalIndex(store, local_path(settings, "lexical"))
        reranker: Reranker = (
            CrossEncoderReranker(settings.cross_encoder)
            if settings.cross_encoder
            else SentenceReranker(scorer)
        )
        model = (
            chat_model(settings.llm, settings.llm_base_url, settings.llm_timeout) if settings.llm else None
        )
        return cls(
            settings=settings,
            embedder=embedder,
            store=store,
            quote_index=QuoteIndex(
                open_store(settings, embedder.name, QUOTES),
                store,
                embedder,
                cpu_seconds=settings.quote_seconds,
            ),
            lexical=lexical,
            scorer=scorer,
            retriever=HybridRetriever(store, embedder, lexical, reranker),
            chunker=Chunker(
                count_tokens=embedder.count_tokens,
                token_spans=embedder.token_spans,
                max_tokens=embedder.max_tokens - SPECIAL_TOKENS,
                target_tokens=settings.chunk_tokens,
            ),
            answerer=ExtractiveAnswerer(scorer),
            chat_model=model,
        )

    def answer_steps(self) -> AnswerSteps:
        """The collaborators of the answer chain."""
        return AnswerSteps(
            search=self.retriever.retrieve,
            answerer=self.answerer,
            scorer=self.scorer,
            quotes_within=self.quote_index.within,
            model=self.chat_model,
            passages=self.settings.answer_passages,
        )


def embedder_of(settings: Settings, backend: str) -> Embedder:
    """The embedder of `settings` with `backend`; its vector cache lives in the data dir."""
    return Embedder(
        settings.model,
        backend=backend,
        cache_dir=Path(settings.cache_dir),
        vector_cache=Path(settings.data_dir) / "vectors.sqlite",
    )


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
