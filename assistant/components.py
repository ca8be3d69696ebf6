"""The parts of an assistant, built once from Settings: stores, embedder, retriever, answerer.

`Components.build` is the one place that wires them; the `Assistant` facade and `reindex` both
use it. The manifest inside Chroma is the record of truth for what is indexed; a copy of its
source paths is kept in the data dir (`sources.json`) so that `assistant reindex` can rebuild
an index whose files can no longer be read at all.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answers.chain import AnswerSteps
from assistant.answers.extractive import ExtractiveAnswerer
from assistant.answers.providers import chat_model
from assistant.attribution.quote_index import COLLECTION as QUOTES
from assistant.attribution.quote_index import QuoteIndex
from assistant.ingest.chunking import SPECIAL_TOKENS, Chunker
from assistant.ingest.sentence_vectors import rebuild_sentence_vectors
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.rerankers import CrossEncoderReranker, Reranker, SentenceReranker
from assistant.retrieval.scoring import Scorer
from assistant.settings import Settings, local_path
from vectorstore import ChromaStore, Embedder
from vectorstore.cache import cache_damage, drop_cache
from vectorstore.embeddings import DEFAULT_BACKEND, backend_for
from vectorstore.errors import IndexDamagedError
from vectorstore.isa import choose_backend
from vectorstore.store import COLLECTION

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

logger = logging.getLogger(__name__)


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
    def build(cls, settings: Settings, rebuilding: bool = False) -> Components:
        """Open the index the settings name and build every part over it.

        With `embedding_backend` unset, an existing index keeps the backend its vectors were
        made with, and a new one gets the backend chosen for this CPU (`isa.choose_backend`);
        an index built with another model is refused now rather than later, and so is one that
        lost sources `sources.json` records (unless `rebuilding` it).
        """
        cache = vector_cache_of(settings)
        damage = cache_damage(cache)
        if damage is not None:
            drop_cache(cache)  # before any embedder opens it
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
        if not rebuilding:
            check_sources_kept(settings, store)
        if damage is not None:
            logger.warning(
                "The vector cache %s failed SQLite's integrity check (%s): it was dropped and is "
                "being rebuilt from the stored passages.",
                cache,
                damage,
            )
            rebuilt = rebuild_sentence_vectors(store, embedder)
            logger.warning("The vector cache %s is rebuilt (%d passages).", cache, rebuilt)
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
        vector_cache=vector_cache_of(settings),
    )


def vector_cache_of(settings: Settings) -> Path:
    """The vector cache file of the data dir (see `vectorstore.cache`)."""
    return Path(settings.data_dir) / "vectors.sqlite"


def open_store(settings: Settings, model_name: str, collection: str = COLLECTION) -> ChromaStore:
    """The store the settings name: a Chroma server, or embedded Chroma in the data dir."""
    where: dict[str, Any] = (
        {"host": settings.chroma_host, "port": settings.chroma_port}
        if settings.chroma_host
        else {"data_dir": Path(settings.data_dir)}
    )
    return ChromaStore(model_name, timeout=settings.chroma_timeout, collection=collection, **where)


def check_sources_kept(settings: Settings, store: ChromaStore) -> None:
    """Refuse an index that lost files `sources.json` records (emptied or deleted database).

    Only `remove`, `--prune` and `reindex` take a file out of that record, so a recorded file
    the manifest does not hold (by name or path) means the manifest was lost, not emptied
    on purpose: using the index as it is would make the next ingest forget those files.
    """
    remembered = remembered_sources(settings)
    if not remembered:
        return
    manifest = store.manifest()
    paths = {str(record.get("path", "")) for record in manifest.values()}
    lost = sorted(name for name, path in remembered.items() if name not in manifest and path not in paths)
    if lost:
        raise IndexDamagedError(
            f"The index in {store.location} is damaged: it has lost {len(lost)} of the "
            f"{len(remembered)} source files recorded in {local_path(settings, 'sources.json')} "
            f"({', '.join(lost[:3])}{', ...' if len(lost) > 3 else ''}); its database was emptied "
            "or deleted. Run `assistant reindex` to rebuild it from the source files."
        )


def remember_sources(
    settings: Settings, store: ChromaStore, forgotten: Iterable[str] = (), exact: bool = False
) -> None:
    """Write the manifest's source paths to the data dir (atomically; best effort).

    The record only grows: a file it lists stays until named in `forgotten` (by `remove` or
    `--prune`), or `exact` (a `reindex`) writes the manifest as it is.
    """
    dropped = set(forgotten)
    paths = {s: str(record.get("path", "")) for s, record in store.manifest().items() if s not in dropped}
    if not exact:
        kept = set(paths.values())
        for source, path in remembered_sources(settings).items():
            if source not in dropped and source not in paths and path not in kept:
                paths[source] = path
    write_sources(settings, paths)


def write_sources(settings: Settings, paths: dict[str, str]) -> None:
    """Replace `sources.json` with `paths` (source name -> file path), atomically; best effort."""
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
