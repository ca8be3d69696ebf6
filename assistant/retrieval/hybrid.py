"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused (`fusion.Fusion`), then the
best candidates reordered by a reranker (by best sentence unless a cross-encoder is configured).

Dense retrieval finds paraphrases and misses rare names and numbers; BM25 does the opposite.
"""

from __future__ import annotations

from collections import defaultdict

from assistant.models import Passage
from assistant.retrieval.fusion import Fusion
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.rerankers import Reranker
from assistant.settings import SearchMode, choice
from vectorstore import ChromaStore, Embedder, Hit, source_filter

CANDIDATES = 50
RERANK_DEPTH = 30
MODES = tuple(SearchMode)


class HybridRetriever:
    """Ranks stored chunks for a query; `mode` picks hybrid, fused, dense only or lexical only.

    Example:
        retriever = HybridRetriever(store, embedder, lexical, SentenceReranker(Scorer(embedder)))
        [p.source for p in retriever.retrieve("Who defends Azovstal?", k=3)]
    """

    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        lexical: LexicalIndex,
        reranker: Reranker,
        candidates: int = CANDIDATES,
        fusion: Fusion | None = None,
        rerank_depth: int = RERANK_DEPTH,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.lexical = lexical
        self.reranker = reranker
        self.candidates = candidates
        self.fusion = fusion or Fusion()
        self.rerank_depth = rerank_depth

    def retrieve(
        self,
        query: str,
        k: int,
        sources: list[str] | None = None,
        per_source: int | None = None,
        mode: SearchMode | str = SearchMode.HYBRID,
    ) -> list[Passage]:
        """The `k` best passages; at most `per_source` from any one source when given.

        `mode`: "hybrid" (fused, then reranked; the default), "fused" (fusion only), "dense" or
        "lexical" (one ranking alone).
        """
        mode = choice(SearchMode, mode, "search mode")
        vector = self.embedder.embed_query(query)
        pool = max(self.candidates, 3 * k)
        dense = self.store.query(vector, pool, source_filter(sources)) if mode != "lexical" else []
        lexical = self.lexical.search(query, pool, sources) if mode != "dense" else []
        ranked = self.fusion.order([(h.id, h.score) for h in dense], lexical)
        depth = max(4 * k, self.rerank_depth)
        known: dict[str, Hit] = {h.id: h for h in dense}
        known.update((h.id, h) for h in self.store.get([i for i in ranked[:depth] if i not in known], vector))
        candidates = [
            Passage.from_stored(hit.text, hit.metadata, hit.score)
            for hit in (known.get(i) for i in ranked[:depth])
            if hit is not None
        ]
        if mode == "hybrid":
            top = self.reranker.rerank(query, candidates[: self.rerank_depth])
            candidates = top + candidates[self.rerank_depth :]
        return _first(candidates, k, per_source)


def _first(candidates: list[Passage], k: int, per_source: int | None) -> list[Passage]:
    """The first `k` candidates, at most `per_source` of any one source."""
    passages: list[Passage] = []
    taken: dict[str, int] = defaultdict(int)
    for passage in candidates:
        if per_source is not None and taken[passage.source] >= per_source:
            continue
        taken[passage.source] += 1
        passages.append(passage)
        if len(passages) == k:
            break
    return passages
