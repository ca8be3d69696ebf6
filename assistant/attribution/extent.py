"""Where a reported statement ends: at its first clause boundary, when a small model says so.

`Lind said she is willing to meet the council, which has refused every meeting since May`: what
Lind said ends at the comma, and the relative clause after it is the writer's (PolNeAR's
annotators mark it so). A reported statement (`X said CLAUSE`, its speaker before it) is cut at its
first comma, semicolon or dash when a logistic model over that boundary scores it at `THRESHOLD`
or more: the kind of mark, the class of the word after it (relative pronoun, subordinating or
coordinating conjunction, determiner, personal pronoun, an -ing or -ed form, capitalised, a
number), the words on each side and whether a list goes on after it. A statement holding a
quotation mark is left whole: its quotation may be a direct quote's words. Weights fitted on
PolNeAR `train/` by `scripts/train_extent.py`.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np

from assistant import fitted
from assistant.models import Quote
from assistant.text.sentences import line_at, newlines
from assistant.text.words import (
    COORDINATORS,
    DETERMINERS,
    PERSONAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    SUBORDINATORS,
)

FEATURES = (
    "bias",
    "semicolon",
    "dash",
    "relative pronoun after",
    "subordinating conjunction after",
    "coordinating conjunction after",
    "determiner after",
    "personal pronoun after",
    "-ing form after",
    "-ed form after",
    "capitalised word after",
    "number after",
    "log words before",
    "log words after",
    "a list goes on after",
)
FITTED = fitted.load("extent", FEATURES)  # assistant/fitted/extent.json: the data, script and date
WEIGHTS = FITTED.weights
THRESHOLD = 0.25  # probability from which a statement ends at the boundary (chosen on train/ halves)

BOUNDARY = re.compile(r"\s*(?:(?P<comma>,)|(?P<semicolon>;)|(?P<dash>—|–|\s--?\s))\s*")
_MARK = re.compile('[“”"]')
_WORD = re.compile(r"[\w’']+")
_LIST = re.compile(r",\s+(?:and|or)\s")
_CLASSES = (RELATIVE_PRONOUNS, SUBORDINATORS, COORDINATORS, DETERMINERS, PERSONAL_PRONOUNS)


def first_boundary(quote: Quote, text: str) -> re.Match[str] | None:
    """The first clause boundary inside a reported statement that may end it, if any."""
    if quote.kind != "reported" or quote.speaker_start >= quote.start_char:
        return None
    if _MARK.search(text, quote.start_char, quote.end_char):
        return None
    for m in BOUNDARY.finditer(text, quote.start_char, quote.end_char):
        if m.end() < quote.end_char - 1 and len(text[quote.start_char : m.start()].split()) >= 3:
            return m
    return None


def features(quote: Quote, text: str, boundary: re.Match[str]) -> list[float]:
    """The values of FEATURES for ending `quote` at `boundary`."""
    after = text[boundary.end() : quote.end_char]
    word = _WORD.match(after)
    next_word = word.group(0) if word else ""
    lower = next_word.lower()
    return [
        1.0,
        float(boundary.group("semicolon") is not None),
        float(boundary.group("dash") is not None),
        *(float(lower in words) for words in _CLASSES),
        float(lower.endswith("ing")),
        float(lower.endswith("ed")),
        float(next_word[:1].isupper() and lower not in PERSONAL_PRONOUNS),
        float(next_word[:1].isdigit()),
        math.log1p(len(text[quote.start_char : boundary.start()].split())),
        math.log1p(len(after.split())),
        float(_LIST.search(after) is not None),
    ]


def ends_there(quote: Quote, text: str, boundary: re.Match[str], weights: np.ndarray = WEIGHTS) -> float:
    """The model's probability that what was said ends at `boundary`."""
    return float(1.0 / (1.0 + np.exp(-(np.array(features(quote, text, boundary)) @ weights))))


def ended(
    quotes: list[Quote], text: str, threshold: float = THRESHOLD, weights: np.ndarray = WEIGHTS
) -> list[Quote]:
    """`quotes` with each reported statement ended at its first clause boundary where the model
    says what was said ends."""
    found, breaks = [], newlines(text) if quotes else []
    for quote in quotes:
        boundary = first_boundary(quote, text)
        if boundary is not None and ends_there(quote, text, boundary, weights) >= threshold:
            end = boundary.start()
            quote = replace(
                quote,
                quote=text[quote.start_char : end],
                end_char=end,
                end_line=line_at(breaks, end - 1),
            )
        found.append(quote)
    return found
