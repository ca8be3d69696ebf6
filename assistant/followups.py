"""Making a follow-up question ("And what did the Kremlin say?") stand on its own."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.terms import STOP_WORDS

History = Sequence[tuple[str, str]]
_NAME = re.compile(r"\b[A-Z][\w’'-]+")


def entities(text: str) -> list[str]:
    """Capitalised words that are not stop words: names, places, organisations."""
    return list(dict.fromkeys(w for w in _NAME.findall(text) if w.lower() not in STOP_WORDS))


def carry_entities(question: str, history: History | None) -> str:
    """The question plus the entities of the previous question that it does not name itself."""
    if not history:
        return question
    previous = history[-1][0]
    named = set(entities(question))
    carried = [e for e in entities(previous) if e not in named]
    return f"{question} ({' '.join(carried)})" if carried else question
