"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank.

Dense retrieval finds paraphrases and misses rare names and numbers; BM25 does the opposite.
Reciprocal rank fusion (Cormack et al. 2009) adds `1 / (RRF_K + rank)` from each ranking, so
neither score scale matters. RRF_K = 60 is the constant of the original paper; it and the
number of candidates per ranking were checked on SQuAD dev questions outside the evaluation
sample (README, "Retrieval").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from assistant.lexical import LexicalIndex
from assistant.records import Passage
from vectorstore import ChromaStore, Embedder, Hit

RRF_K = 60
CANDIDATES = 50
MODES = ("hybrid", "dense", "lexical")


def fuse(rankings: Sequence[Sequence[str]], rrf_k: int = RRF_K) -> list[tuple[str, float]]:
    """Ids ordered by summed reciprocal rank over `rankings` (each best first)."""
    scores: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] += 1.0 / (rrf_k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


class HybridRetriever:
    """Ranks stored chunks for a query; `mode` picks hybrid, dense only or lexical only."""

    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        lexical: LexicalIndex,
        candidates: int = CANDIDATES,
        rrf_k: int = RRF_K,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.lexical = lexical
        self.candidates = candidates
        self.rrf_k = rrf_k

    def retrieve(
        self,
        query: str,
        k: int,
        sources: list[str] | None = None,
        per_source: int | None = None,
        mode: str = "hybrid",
    ) -> list[Passage]:
        """The `k` best passages; at most `per_source` from any one source when given."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        where = None
        if sources:
            where = {"source": sources[0]} if len(sources) == 1 else {"source": {"$in": list(sources)}}
        vector = self.embedder.embed([query])[0]
        pool = max(self.candidates, 3 * k)
        dense = self.store.query(vector, pool, where) if mode != "lexical" else []
        lexical = self.lexical.search(query, pool, sources) if mode != "dense" else []
        ranked = fuse([[h.id for h in dense], [i for i, _ in lexical]], self.rrf_k)
        known: dict[str, Hit] = {h.id: h for h in dense}
        wanted = [i for i, _ in ranked[: 4 * k] if i not in known]
        known.update((h.id, h) for h in self.store.get(wanted, query=vector))
        passages: list[Passage] = []
        taken: dict[str, int] = defaultdict(int)
        for chunk_id, _ in ranked:
            hit = known.get(chunk_id)
            if hit is None:
                continue
            source = str(hit.metadata.get("source"))
            if per_source is not None and taken[source] >= per_source:
                continue
            taken[source] += 1
            passages.append(Passage.from_stored(hit.text, hit.metadata, hit.score))
            if len(passages) == k:
                break
        return passages
