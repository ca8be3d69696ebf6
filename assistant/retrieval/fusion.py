"""Fusing rankings: reciprocal rank fusion (Cormack et al. 2009).

RRF adds `1 / (RRF_K + rank)` from each ranking, so neither ranking's score scale matters;
RRF_K = 60 is the constant of the original paper.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

RRF_K = 60


def fuse(rankings: Sequence[Sequence[str]], rrf_k: int = RRF_K) -> list[tuple[str, float]]:
    """Ids ordered by summed reciprocal rank over `rankings` (each best first).

    Example:
        >>> fuse([["a", "b"], ["b", "c"]])[0][0]
        'b'
    """
    scores: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] += 1.0 / (rrf_k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))
