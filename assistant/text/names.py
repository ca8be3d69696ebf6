"""Names in a text, found the simplest way: capitalised words that are not stop words."""

from __future__ import annotations

import re

from assistant.text.words import STOP_WORDS

_NAME = re.compile(r"\b[A-Z][\w’'-]+")


def entities(text: str) -> list[str]:
    """Capitalised words that are not stop words: names, places, organisations, in order, once each.

    Example:
        >>> entities("The Kremlin said Peskov spoke in Moscow.")
        ['Kremlin', 'Peskov', 'Moscow']
    """
    return list(dict.fromkeys(w for w in _NAME.findall(text) if w.lower() not in STOP_WORDS))
