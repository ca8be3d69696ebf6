"""How likely a retrieved sentence answers the question: the answer model, a logistic regression
over what the scorer, the selector and the question's constraints say of the sentence.

It was fitted by `scripts/fit_answerability.py fit` on Natural Questions tune and HotpotQA with
the gold of half the questions removed (a question whose gold is gone has no sentence that
answers it), and it decides two things: the first claim is the candidate the model finds likeliest
among those meeting the question's constraints, and a question is declined when no candidate's
probability reaches the threshold fitted with it (`FITTED.thresholds["decline_below"]`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant import fitted
from assistant.answers.answerability import Missing
from assistant.answers.selection import FEATURES as SELECTION_FEATURES

# What a missing constraint is called in FEATURES (see `answerability.Missing.what`).
_MISSES = {
    "person": "misses_person",
    "speech": "misses_speech",
    "name": "misses_name",
    "number": "misses_number",
    "year": "misses_date",
    "month": "misses_date",
    "answer": "misses_answer",
    "focus": "misses_focus",
}
FEATURES = (
    "intercept",
    *SELECTION_FEATURES,
    "score",  # cosine + overlap less the rank prior (what RELEVANCE_FLOOR judges)
    "best_score",  # the best such score among the question's sentences
    "best_cosine",  # the best cosine of question and sentence among them
    "selector",  # ln(the selector's probability / the best one's)
    "quoted",  # 1 when the sentence is a known speaker's words
    "passage_overlap",  # IDF-weighted share of the question's words in the sentence's passage
    "best_passage_overlap",  # the best such share among the retrieved passages
    *dict.fromkeys(_MISSES.values()),
)
FITTED = fitted.load("support", FEATURES)  # assistant/fitted/support.json: the data, script and date
WEIGHTS = FITTED.weights
DECLINE_BELOW = FITTED.thresholds.get("decline_below", 0.5)
CANDIDATES = 15  # the selector's best this many sentences are the model's candidates


def rows(
    selection: np.ndarray, columns: dict[str, np.ndarray], missing: Sequence[Sequence[Missing]]
) -> np.ndarray:
    """One row of FEATURES per candidate: its selection features, the other features by name
    (`columns`: one value per candidate), and the constraints it misses."""
    found = np.zeros((len(missing), len(FEATURES)))
    at = {name: k for k, name in enumerate(FEATURES)}
    found[:, 0] = 1.0
    found[:, 1 : 1 + len(SELECTION_FEATURES)] = selection
    for name, values in columns.items():
        found[:, at[name]] = values
    for i, items in enumerate(missing):
        for item in items:
            found[i, at[_MISSES.get(item.what, "misses_answer")]] = 1.0
    return found


def likelihood(x: np.ndarray, weights: np.ndarray = WEIGHTS) -> np.ndarray:
    """The probability that each row's sentence answers the question."""
    return np.asarray(1.0 / (1.0 + np.exp(-(x @ weights))))
