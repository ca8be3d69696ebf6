"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank,
then the best candidates reordered by their best sentence.

Dense retrieval finds paraphrases and misses rare names and numbers; BM25 does the opposite.
Reciprocal rank fusion (Cormack et al. 2009) adds `1 / (RRF_K + rank)` from each ranking, so
neither score scale matters; RRF_K = 60 is the constant of the original paper. A chunk-level
vector blurs a chunk's sentences together, so the top RERANK_DEPTH fused candidates are then
ordered by the score of their best sentence (the answerer's sentence score: cosine plus word
overlap), less RANK_PRIOR * log(1 + fused rank). The constants were chosen on SQuAD dev
questions outside the evaluation sample (README, "Retrieval").
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from assistant.evidence import Scorer, score_sentences, sentences_of
from assistant.lexical import LexicalIndex
from assistant.records import Passage
from assistant.reranking import CrossEncoderReranker
from vectorstore import ChromaStore, Embedder, Hit

RRF_K = 60
CANDIDATES = 50
RERANK_DEPTH = 30
RANK_PRIOR = 0.02
MODES = ("hybrid", "fused", "dense", "lexical")


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
        scorer: Scorer,
        candidates: int = CANDIDATES,
        rrf_k: int = RRF_K,
        rerank_depth: int = RERANK_DEPTH,
        cross_encoder: CrossEncoderReranker | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.lexical = lexical
        self.scorer = scorer
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.rerank_depth = rerank_depth
        self.cross_encoder = cross_encoder

    def retrieve(
        self,
        query: str,
        k: int,
        sources: list[str] | None = None,
        per_source: int | None = None,
        mode: str = "hybrid",
    ) -> list[Passage]:
        """The `k` best passages; at most `per_source` from any one source when given.

        `mode`: "hybrid" (fused, then reranked by best sentence, or by the cross-encoder when
        one is configured; the default), "fused" (RRF
        only), "dense" or "lexical" (one ranking alone).
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        where = None
        if sources:
            where = {"source": sources[0]} if len(sources) == 1 else {"source": {"$in": list(sources)}}
        vector = self.embedder.embed([query])[0]
        pool = max(self.candidates, 3 * k)
        dense = self.store.query(vector, pool, where) if mode != "lexical" else []
        lexical = self.lexical.search(query, pool, sources) if mode != "dense" else []
        ranked = [i for i, _ in fuse([[h.id for h in dense], [i for i, _ in lexical]], self.rrf_k)]
        depth = max(4 * k, self.rerank_depth)
        known: dict[str, Hit] = {h.id: h for h in dense}
        known.update((h.id, h) for h in self.store.get([i for i in ranked[:depth] if i not in known], vector))
        candidates = [
            Passage.from_stored(hit.text, hit.metadata, hit.score)
            for hit in (known.get(i) for i in ranked[:depth])
            if hit is not None
        ]
        if mode == "hybrid":
            reorder = self.cross_encoder.rerank if self.cross_encoder else self.rerank
            top = reorder(query, candidates[: self.rerank_depth])
            candidates = top + candidates[self.rerank_depth :]
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

    def rerank(self, query: str, passages: list[Passage]) -> list[Passage]:
        """Order `passages` (best first) by their best sentence's score against `query`."""
        sentences = sentences_of(passages)
        if not sentences:
            return passages
        scores = score_sentences(self.scorer, query, sentences)
        best = [-math.inf] * len(passages)
        for sentence, value in zip(sentences, scores, strict=True):
            for i, passage in enumerate(passages):  # overlapping chunks share sentences
                if passage.source == sentence.source and (
                    passage.start_char <= sentence.start_char and sentence.end_char <= passage.end_char
                ):
                    best[i] = max(best[i], float(value))
        order = sorted(range(len(passages)), key=lambda i: -(best[i] - RANK_PRIOR * math.log1p(i)))
        return [passages[i] for i in order]
