"""What a query of the store returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Hit:
    """One stored passage returned by a query; `score` is cosine similarity."""

    id: str
    text: str
    metadata: dict[str, Any]
    score: float
