"""BM25 over the stored chunks: finds the names and numbers that embeddings blur.

The index is derived from Chroma, the single source of truth: it is rebuilt whenever the
collection's generation (bumped before and after every write, by any process) differs from
the one it was built at, and saved beside the Chroma data so a new process loads it instead
of rebuilding. A crash mid-ingest therefore never leaves it out of step.
"""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.text.terms import terms
from vectorstore import ChromaStore


@dataclass
class _Built:
    generation: int
    ids: list[str]
    sources: np.ndarray  # source of each document, for filtering
    dates: list[str]  # date of each document ("" when the text states none)
    bm25: Any


class LexicalIndex:
    """BM25 (bm25s, Lucene variant, our stemmed content words) over every stored chunk.

    Example:
        lexical = LexicalIndex(store, cache_dir=Path(".assistant/lexical"))
        lexical.search("Boichenko Telegram", n=5)   # [(chunk id, bm25 score), ...]
    """

    def __init__(self, store: ChromaStore, cache_dir: Path | None) -> None:
        self.store = store
        self.cache_dir = cache_dir
        self._built: _Built | None = None
        self._lock = threading.Lock()

    def _current(self) -> _Built | None:
        generation = self.store.generation()
        with self._lock:
            if self._built is None or self._built.generation != generation:
                self._built = self._load(generation) or self._build(generation)
            return self._built

    def _build(self, generation: int) -> _Built | None:
        import bm25s

        ids, sources, dates, tokens = [], [], [], []
        for chunk_id, text, metadata in self.store.everything():
            ids.append(chunk_id)
            sources.append(str(metadata.get("source", "")))
            dates.append(str(metadata.get("date", "")))
            tokens.append(terms(text) or [""])
        if not ids:
            return None
        bm25 = bm25s.BM25()
        bm25.index(tokens, show_progress=False)
        built = _Built(generation, ids, np.array(sources, dtype=object), dates, bm25)
        self._save(built)
        return built

    def _save(self, built: _Built) -> None:
        if self.cache_dir is None:
            return
        partial = self.cache_dir.with_name(self.cache_dir.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        try:
            built.bm25.save(str(partial), show_progress=False)
            (partial / "chunks.json").write_text(
                json.dumps(
                    {
                        "generation": built.generation,
                        "ids": built.ids,
                        "sources": list(built.sources),
                        "dates": built.dates,
                    }
                )
            )
            shutil.rmtree(self.cache_dir, ignore_errors=True)
            partial.rename(self.cache_dir)  # readers see the old or the new index, whole
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)  # a cache: failing to save costs a rebuild

    def _load(self, generation: int) -> _Built | None:
        if self.cache_dir is None or not (self.cache_dir / "chunks.json").is_file():
            return None
        import bm25s

        try:
            saved = json.loads((self.cache_dir / "chunks.json").read_text())
            if saved["generation"] != generation:
                return None
            bm25 = bm25s.BM25.load(str(self.cache_dir), show_progress=False)
            sources = np.array(saved["sources"], dtype=object)
            return _Built(generation, saved["ids"], sources, saved["dates"], bm25)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # damaged, half-written or from an older version: rebuild from Chroma

    def sources_dated(self, date_from: str | None, date_to: str | None) -> list[str]:
        """Sources whose stated date (YYYY-MM-DD) lies within the bounds; undated ones never do."""
        built = self._current()
        if built is None:
            return []
        return sorted(
            {
                source
                for source, date in zip(built.sources, built.dates, strict=True)
                if date and (date_from is None or date >= date_from) and (date_to is None or date <= date_to)
            }
        )

    def search(self, query: str, n: int, sources: list[str] | None = None) -> list[tuple[str, float]]:
        """Up to `n` (chunk id, score) pairs with a positive BM25 score, best first."""
        built = self._current()
        if built is None:
            return []
        known = [t for t in terms(query) if t in built.bm25.vocab_dict]
        if not known:
            return []
        scores = built.bm25.get_scores(known)
        if sources:
            scores = np.where(np.isin(built.sources, sources), scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:n]
        return [(built.ids[i], float(scores[i])) for i in top if scores[i] > 0]
