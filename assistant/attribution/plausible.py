"""Whether a found statement is one at all: a small logistic model over what the rules found.

The rules of `quotes` find a quotation or a clause and a speaker for it; some of what they find is
no attributed statement (a title, a date in quotation marks, a scare quote given to a name nearby,
the circumstance before `X said` in `A week later, X said he ...`). `likely` scores a statement
from its text and the way it was found (its length, kind, cue and whether that is a speech verb,
speaker, capitalised start, inner sentences, how much of it is in quotation marks, where its
speaker stands and how much of the sentence goes on after the speaker); statements scoring below
`THRESHOLD` are dropped. Weights fitted on PolNeAR `train/` by `scripts/train_statement_filter.py`.
"""

from __future__ import annotations

import math
import re

import numpy as np

from assistant import fitted
from assistant.models import Quote
from assistant.text.sentences import sentence_spans, span_at
from assistant.text.words import SPEECH_CUES, SPEECH_VERBS

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
    "reported, speaker after it",
    "log words after the speaker in its sentence",
    "cue a speech verb",
    "share inside quotation marks",
    "starts inside a sentence, not at a quotation mark",
)
FITTED = fitted.load("plausible", FEATURES)  # assistant/fitted/plausible.json: the data, script and date
WEIGHTS = FITTED.weights
THRESHOLD = 0.73  # probability below which a statement is dropped (chosen on train/ halves)

_PRONOUNS = frozenset({"he", "she", "it", "they"})
_INNER_BREAK = re.compile(r"[.!?][”\"]?\s+[A-Z“\"]")
_MARK = re.compile('[“”"]')
_ENDINGS = ("ing", "ed", "es", "s", "d")

Spans = list[tuple[int, int]]


def speech_verb(cue: str) -> bool:
    """True when `cue` is a form of a verb that introduces speech (`said`, `tweeting`, `quipped`)."""
    word = cue.split()[0].lower() if cue.strip() else ""
    if word in SPEECH_CUES:
        return True
    stems = [word] + [word[: -len(e)] for e in _ENDINGS if word.endswith(e)]
    for stem in stems:
        kin = {stem, stem + "e", stem[:-1] + "y" if stem.endswith("i") else stem}
        if len(stem) > 2 and stem[-1] == stem[-2]:
            kin.add(stem[:-1])  # `quipped`, `plugging`
        if kin & SPEECH_VERBS:
            return True
    return False


def _sentence(spans: Spans, i: int) -> tuple[int, int]:
    return span_at(spans, i) or (i, i)


def quoted_share(quote: Quote, text: str) -> float:
    """The share of a statement's characters that lie inside quotation marks."""
    start, end = quote.start_char, quote.end_char
    inside = text[start - 1 : start] in {"“", '"'} if start else False
    at, count = start, 0
    for mark in _MARK.finditer(text, start, end):
        count += (mark.start() - at) if inside else 0
        inside = mark.group() == "“" or (mark.group() == '"' and not inside)
        at = mark.end()
    count += (end - at) if inside else 0
    return count / max(1, end - start)


def features(quote: Quote, text: str, spans: Spans | None = None) -> list[float]:
    """The values of FEATURES for one statement of `text`; `spans` its sentences, if known."""
    spans = sentence_spans(text) if spans is None else spans
    words = len(quote.quote.split())
    p_start = text.rfind("\n", 0, quote.start_char) + 1
    p_end = text.find("\n", quote.end_char)
    p_end = len(text) if p_end < 0 else p_end
    quoted = text[max(0, quote.start_char - 1) : quote.start_char] in {"“", '"'} or quote.quote[:1] in '“"'
    before = quote.speaker_start < quote.start_char
    distance = quote.start_char - quote.speaker_end if before else quote.speaker_start - quote.end_char
    after = quote.speaker_start >= quote.end_char
    sentence_end = _sentence(spans, max(0, quote.speaker_end - 1))[1] if after else 0
    sentence_start = _sentence(spans, quote.start_char)[0]
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
        float(quote.kind == "reported" and after),
        math.log1p(len(text[quote.speaker_end : sentence_end].split())) if after else 0.0,
        float(speech_verb(quote.cue)),
        quoted_share(quote, text),
        float(quote.start_char - sentence_start > 3 and not quoted),
    ]


def likely(quote: Quote, text: str, weights: np.ndarray = WEIGHTS, spans: Spans | None = None) -> float:
    """The model's probability that `quote` is a statement someone is said to have made."""
    return float(1.0 / (1.0 + np.exp(-(np.array(features(quote, text, spans)) @ weights))))


def plausible(quotes: list[Quote], text: str, threshold: float = THRESHOLD) -> list[Quote]:
    """`quotes` without those the model finds unlikely to be statements at all."""
    spans = sentence_spans(text) if quotes else []
    return [q for q in quotes if likely(q, text, spans=spans) >= threshold]
