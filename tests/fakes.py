"""Stand-ins for the fast unit tier: no model, no store.

`FakeEmbedder` is what `vectorstore.embeddings.Embedder` is to the scorer and the answer stages
(`embed`, `embed_query`, `span_vectors`), deterministic and instant, as simonw/llm's tests embed
with a toy model: each word (lower case) is hashed to one of `DIMENSIONS` axes, so texts sharing
words point the same way and the cosine of two texts grows with the words they share.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

DIMENSIONS = 256
_WORD = re.compile(r"\w+")


def _axis(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=4).digest(), "big") % DIMENSIONS


class FakeEmbedder:
    """A hashed bag of words, unit length; the same text always gives the same vector."""

    def __init__(self) -> None:
        self.embedded: list[str] = []  # every text embedded, in order

    def embed(self, texts: list[str], beside: bool = False) -> np.ndarray:
        self.embedded.extend(texts)
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                vectors[row, _axis(word)] += 1.0
            if not vectors[row].any():
                vectors[row, 0] = 1.0
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def span_vectors(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        return {}  # nothing stored by an ingest
