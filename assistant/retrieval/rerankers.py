"""Rerankers: reorder the best fused candidates. Two behind one protocol: by best sentence
(the default) or by a local sentence-transformers CrossEncoder (opt-in).

A chunk-level vector blurs a chunk's sentences together, so `SentenceReranker` orders
candidates by the score of their best sentence (cosine plus word overlap, see `scoring`), plus
the passage's cosine weighted by how sure the dense ranking is, less RANK_PRIOR * log(1 + fused
rank). The constants were chosen by cross-validation over SQuAD, Natural Questions and HotpotQA
(scripts/tune_fusion.py, docs/evaluation.md, "Retrieval").
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Protocol

from assistant.errors import InputError
from assistant.models import Passage
from assistant.retrieval.scoring import EMBED_LIMIT, Scorer, score_sentences, sentences_of
from vectorstore.modelfiles import offline_environment

RANK_PRIOR = 0.02
# Weight of a passage's cosine in its rerank score: COSINE + CONFIDENCE * gap (see `gap`).
COSINE = 0.2
CONFIDENCE = 8.0


class Reranker(Protocol):
    """Orders candidate passages for a query, best first."""

    def rerank(self, query: str, passages: list[Passage]) -> list[Passage]: ...


class SentenceReranker:
    """Orders passages by their best sentence's score against the query, plus trust in the
    passage's own cosine where the dense ranking is sure of itself, less a small rank prior.

    The dense ranking is sure when its best cosine stands clear of the second best (`gap`):
    questions typed without seeing the text (Natural Questions) often have one passage far
    ahead, and word overlap then misleads; questions written from the text (SQuAD) meet many
    passages of one topic at nearly the same cosine, and their best sentence decides.
    """

    def __init__(
        self,
        scorer: Scorer,
        rank_prior: float = RANK_PRIOR,
        embed: int | None = EMBED_LIMIT,
        cosine: float = COSINE,
        confidence: float = CONFIDENCE,
    ) -> None:
        self.scorer = scorer
        self.rank_prior = rank_prior
        self.embed = embed
        self.cosine = cosine
        self.confidence = confidence

    def rerank(self, query: str, passages: list[Passage]) -> list[Passage]:
        """`passages` (in fused order), best first by their best sentence."""
        sentences = sentences_of(passages)
        if not sentences:
            return passages
        scores = score_sentences(self.scorer, query, sentences, passages, self.embed)
        best = [-math.inf] * len(passages)
        for sentence, value in zip(sentences, scores, strict=True):
            for i, passage in enumerate(passages):  # overlapping chunks share sentences
                if passage.source == sentence.source and (
                    passage.start_char <= sentence.start_char and sentence.end_char <= passage.end_char
                ):
                    best[i] = max(best[i], float(value))
        trust = self.cosine + self.confidence * gap([p.score for p in passages])
        key = [best[i] + trust * p.score - self.rank_prior * math.log1p(i) for i, p in enumerate(passages)]
        order = sorted(range(len(passages)), key=lambda i: -key[i])
        return [passages[i] for i in order]


def gap(cosines: list[float]) -> float:
    """How far the best cosine stands above the second best (0 with fewer than two).

    Example:
        round(gap([0.4, 0.7, 0.5]), 2)
        # 0.2
    """
    if len(cosines) < 2:
        return 0.0
    first, second = sorted(cosines, reverse=True)[:2]
    return first - second


class CrossEncoderReranker:
    """Orders passages by a cross-encoder's score of (query, passage), loaded on first use.

    Example:
        reranker = CrossEncoderReranker("/models/ms-marco-MiniLM-L-6-v2")
        reranker.rerank("Who is the mayor?", passages)
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder).expanduser()
        if not (self.folder / "config.json").is_file():
            raise InputError(
                f"Cross-encoder {folder!s} is not a local model folder (no config.json). Nothing is "
                "downloaded: give the path of a folder that holds a sentence-transformers CrossEncoder."
            )
        self._model: Any = None

    def scores(self, query: str, passages: list[Passage]) -> list[float]:
        """The model's score of each passage for `query`."""
        if self._model is None:
            offline_environment()
            from sentence_transformers import CrossEncoder

            self._model = CrossEncoder(str(self.folder), device="cpu")
        values = self._model.predict([(query, p.text) for p in passages], show_progress_bar=False)
        return [float(v) for v in values]

    def rerank(self, query: str, passages: list[Passage]) -> list[Passage]:
        """`passages`, best first by the cross-encoder."""
        if not passages:
            return passages
        scores = self.scores(query, passages)
        return [p for _, p in sorted(zip(scores, passages, strict=True), key=lambda pair: -pair[0])]
