"""Optional reranking with a local sentence-transformers CrossEncoder (off by default)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.errors import InputError
from assistant.records import Passage
from vectorstore.embeddings import offline_environment


class CrossEncoderReranker:
    """Orders passages by a cross-encoder's score of (query, passage), loaded on first use.

    Example:
        >>> reranker = CrossEncoderReranker("/models/ms-marco-MiniLM-L-6-v2")
        >>> reranker.rerank("Who is the mayor?", passages)
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
