"""Making a follow-up question ("And what did the Kremlin say?") stand on its own."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.text.names import entities

History = Sequence[tuple[str, str]]


def carry_entities(question: str, history: History | None) -> str:
    """The question plus the entities of the previous question that it does not name itself."""
    if not history:
        return question
    previous = history[-1][0]
    named = set(entities(question))
    carried = [e for e in entities(previous) if e not in named]
    return f"{question} ({' '.join(carried)})" if carried else question
