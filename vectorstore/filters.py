"""Chroma `where` clauses, written once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def source_filter(sources: Sequence[str] | None) -> dict[str, Any] | None:
    """The clause that keeps passages of `sources`; None (no filter) when none are named.

    Example:
        >>> source_filter(["a.txt"])
        {'source': 'a.txt'}
    """
    if not sources:
        return None
    if len(sources) == 1:
        return {"source": sources[0]}
    return {"source": {"$in": list(sources)}}
