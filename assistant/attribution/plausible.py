"""Whether a found statement is one at all: a small logistic model over what the rules found.

The rules of `quotes` find a quotation or a clause and a speaker for it; some of what they find is
no attributed statement (a title, a date in quotation marks, a scare quote given to a name nearby).
`likely` scores a statement from its text and the way it was found (its length, kind, cue,
speaker, capitalised start, inner sentences, where its speaker stands); statements scoring below
`THRESHOLD` are dropped. Weights fitted on PolNeAR `train/` by `scripts/train_statement_filter.py`.
"""

from __future__ import annotations

import math
import re

import numpy as np

from assistant.models import Quote

FEATURES = (
    "bias",
    "log words",
    "three words or fewer",
    "direct",
    "reported",
    "speaker unresolved",
    "speaker unnamed",
    "mention a pronoun",
    "capitalised start",
    "inner sentence break",
    "in quotation marks",
    "log distance to the speaker",
    "cue said/says",
    "mention capitalised",
    "short paragraph",
    "a number, four words or fewer",
    "speaker before it",
    "opens its paragraph",
)
WEIGHTS = np.array(
    [0.4076, 0.4166, -0.7657, 0.4793, -0.07177, -0.3675, -0.005462, 0.5795, 0.09542, -0.04485,
     0.2821, -0.06554, 0.7727, 0.2976, 0.2959, -0.3677, 0.3742, 0.1621]
)  # fmt: skip
THRESHOLD = 0.75  # probability below which a statement is dropped (chosen on train/ halves with `clauses`)

_PRONOUNS = frozenset({"he", "she", "it", "they"})
_INNER_BREAK = re.compile(r"[.!?][”\"]?\s+[A-Z“\"]")


def features(quote: Quote, text: str) -> list[float]:
    """The values of FEATURES for one statement of `text`."""
    words = len(quote.quote.split())
    p_start = text.rfind("\n", 0, quote.start_char) + 1
    p_end = text.find("\n", quote.end_char)
    p_end = len(text) if p_end < 0 else p_end
    quoted = text[max(0, quote.start_char - 1) : quote.start_char] in {"“", '"'} or quote.quote[:1] in '“"'
    before = quote.speaker_start < quote.start_char
    distance = quote.start_char - quote.speaker_end if before else quote.speaker_start - quote.end_char
    return [
        1.0,
        math.log1p(words),
        float(words <= 3),
        float(quote.kind == "direct"),
        float(quote.kind == "reported"),
        float(quote.speaker is None),
        float(quote.unnamed),
        float(quote.mention.lower() in _PRONOUNS),
        float(quote.quote[:2].lstrip('“"')[:1].isupper()),
        float(bool(_INNER_BREAK.search(quote.quote))),
        float(quoted),
        math.log1p(abs(distance)),
        float(quote.cue.lower() in {"said", "says", "say"}),
        float(quote.mention[:1].isupper()),
        float(p_end - p_start < 120),
        float(words <= 4 and bool(re.search(r"\d", quote.quote))),
        float(before),
        float(quote.start_char <= p_start + 2),
    ]


def likely(quote: Quote, text: str, weights: np.ndarray = WEIGHTS) -> float:
    """The model's probability that `quote` is a statement someone is said to have made."""
    return float(1.0 / (1.0 + np.exp(-(np.array(features(quote, text)) @ weights))))


def plausible(quotes: list[Quote], text: str, threshold: float = THRESHOLD) -> list[Quote]:
    """`quotes` without those the model finds unlikely to be statements at all."""
    return [q for q in quotes if likely(q, text) >= threshold]
