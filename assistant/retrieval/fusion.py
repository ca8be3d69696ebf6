"""Fusing rankings: reciprocal rank fusion (Cormack et al. 2009) and a convex combination of
normalised scores (Bruch et al. 2023).

RRF adds `1 / (RRF_K + rank)` from each ranking, so neither ranking's score scale matters;
RRF_K = 60 is the constant of the original paper. `combine` adds the two rankings' scores after
scaling each to [0, 1] over the candidates (cosine by min-max, BM25 by its best score, whose
theoretical minimum is 0), weighted `weight` for dense and `1 - weight` for BM25.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.settings import FusionMethod, choice

RRF_K = 60
METHODS = tuple(FusionMethod)
# The default, chosen by `scripts/tune_fusion.py sweep` over SQuAD, Natural Questions and HotpotQA
# together (never below the better single ranking on any of them), with the rerank's COSINE and
# CONFIDENCE; leaving one dataset out of the choice is the held-out check (docs/evaluation.md).
METHOD = FusionMethod.CONVEX
WEIGHT = 0.6


@dataclass(frozen=True)
class Fusion:
    """How the dense and the BM25 ranking become one.

    `method` "rrf": reciprocal rank, BM25's ranks weighted `weight` (dense 1). "convex":
    `weight` * scaled cosine + (1 - `weight`) * scaled BM25 (see `combine`); a candidate only
    BM25 found gets the lowest cosine of the dense list.

    Example:
        >>> Fusion("convex", 0.4).order([("a", 0.9), ("b", 0.5)], [("b", 3.0), ("c", 1.0)])
        ['b', 'a', 'c']
    """

    method: FusionMethod | str = METHOD
    weight: float = WEIGHT
    rrf_k: int = RRF_K

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", choice(FusionMethod, self.method, "fusion method"))
        if self.weight < 0 or (self.method == "convex" and self.weight > 1):
            raise ValueError("weight must be at least 0 (and at most 1 for convex)")

    def order(self, dense: Sequence[tuple[str, float]], lexical: Sequence[tuple[str, float]]) -> list[str]:
        """Every id of either ranking (each (id, score), best first), best first."""
        if self.method == "rrf":
            rankings = [[i for i, _ in dense], [i for i, _ in lexical]]
            return [i for i, _ in fuse(rankings, self.rrf_k, [1.0, self.weight])]
        ids = list(dict.fromkeys([i for i, _ in dense] + [i for i, _ in lexical]))
        cosine, bm25 = dict(dense), dict(lexical)
        low = min(cosine.values(), default=0.0)
        scores = combine(
            np.array([cosine.get(i, low) for i in ids]),
            np.array([bm25.get(i, 0.0) for i in ids]),
            self.weight,
        )
        position = {i: n for n, (i, _) in enumerate(dense)}  # ties go to the dense ranking
        order = sorted(range(len(ids)), key=lambda n: (-scores[n], position.get(ids[n], len(ids) + n)))
        return [ids[n] for n in order]


def fuse(
    rankings: Sequence[Sequence[str]], rrf_k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[str, float]]:
    """Ids ordered by summed (weighted) reciprocal rank over `rankings` (each best first).

    Example:
        >>> fuse([["a", "b"], ["b", "c"]])[0][0]
        'b'
    """
    scores: dict[str, float] = defaultdict(float)
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] += weight / (rrf_k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def combine(dense: np.ndarray, lexical: np.ndarray, weight: float) -> np.ndarray:
    """`weight` * min-max scaled cosines + (1 - `weight`) * BM25 scores over their best.

    Both arrays hold one score per candidate (BM25 0 where a candidate has none). A ranking
    whose scores are all equal contributes nothing.

    Example:
        >>> combine(np.array([0.2, 0.6]), np.array([4.0, 0.0]), 0.75).round(2).tolist()
        [0.25, 0.75]
    """
    if not 0.0 <= weight <= 1.0:
        raise ValueError("weight must lie between 0 and 1")
    low = float(np.min(dense)) if len(dense) else 0.0
    return weight * _scaled(dense, low) + (1 - weight) * _scaled(lexical, 0.0)


def _scaled(scores: np.ndarray, low: float) -> np.ndarray:
    """`scores` mapped to [0, 1]: `low` to 0, the best to 1; zeros when there is no spread."""
    high = float(np.max(scores, initial=low))
    if high <= low:
        return np.zeros(len(scores))
    return (np.asarray(scores, dtype=float) - low) / (high - low)
