"""Content words for lexical matching: lower-cased, stop words dropped, lightly stemmed."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Sequence

from assistant.text.words import STOP_WORDS

_WORD = re.compile(r"[\w]+(?:['’][\w]+)*")


# Kept over Snowball English (PyStemmer, as bm25s uses it) by measurement: scripts/measure_terms.py
# on NQ tune (716 questions, the tuning set; AMD EPYC 2 cores, loaded, 2026-12-08), hit@1 / hit@5:
#                   BM25          fused         hybrid (the default)
#   this stemmer    0.764 / 0.894  0.867 / 0.968  0.881 / 0.968
#   Snowball        0.768 / 0.895  0.870 / 0.966  0.881 / 0.971
#   Snowball, bm25s's 33 stop words instead of STOP_WORDS
#                   0.756 / 0.895  0.873 / 0.965  0.883 / 0.965
# Within 0.004 (3 questions) either way: no gain to pay a new dependency and a rebuilt BM25 index for.
@functools.lru_cache(maxsize=1 << 17)  # a pure function of a word; news prose repeats its words
def stem(word: str) -> str:
    """A light suffix stripper: 'troops' and 'troop' match ('evacuated' and 'evacuation' do not)."""
    for suffix in ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            return base + "y" if suffix == "ies" else base
    return word


def terms(text: str) -> list[str]:
    """Stemmed content words of `text`, in order, repeats kept."""
    words = (w.lower().replace("’", "'") for w in _WORD.findall(text))
    return [stem(w.removesuffix("'s")) for w in words if (w not in STOP_WORDS and len(w) > 1) or w.isdigit()]


def idf_weights(documents: Sequence[Sequence[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of every term in `documents`."""
    frequency: Counter[str] = Counter()
    for document in documents:
        frequency.update(set(document))
    total = len(documents)
    return {term: math.log(1 + (total + 1) / (count + 0.5)) for term, count in frequency.items()}


def overlap(query: Sequence[str], candidate: Sequence[str], idf: dict[str, float]) -> float:
    """Share of the query's IDF weight whose terms occur in `candidate` (0 to 1)."""
    wanted = set(query)
    if not wanted:
        return 0.0
    default = max(idf.values(), default=1.0)
    total = sum(idf.get(term, default) for term in wanted)
    found = sum(idf.get(term, default) for term in wanted & set(candidate))
    return found / total
