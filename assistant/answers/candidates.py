"""The first stage of an offline answer: every retrieved sentence scored against the question, and
the candidates for its first claim with the answer model's probability that each answers it.

    ranked = rank(question, passages, scorer, who)
    ranked.likely[ranked.order[0]]  # the selector's best candidate's probability of answering

Scores come from the scorer (cosine + term overlap, less a prior on the passage's rank); the
selector (`selection`) orders the sentences; the question's constraints (`answerability.check`)
and the answer model (`support`) judge the selector's best few. Text that is never a claim
(`selection.unquotable`) scores -inf.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answers.answerability import Missing, check, entities_of, own_words
from assistant.answers.questions import constraints, parts
from assistant.answers.selection import WEIGHTS, features, probabilities, unquotable
from assistant.answers.support import CANDIDATES, likelihood, rows
from assistant.models import Passage, Quote, Sentence
from assistant.retrieval.scoring import EMBED_LIMIT, Scorer, score_parts, sentences_of
from assistant.text.terms import idf_weights, overlap, terms

# A sentence's score loses RANK_PRIOR * ln(1 + its passage's rank): chosen by cross-validation
# over SQuAD, Natural Questions and HotpotQA (scripts/tune_fusion.py answers, docs/evaluation.md).
RANK_PRIOR = 0.1


@dataclass(frozen=True)
class Ranked:
    """One question's sentences as the later stages see them."""

    sentences: list[Sentence]
    scores: np.ndarray  # cosine + overlap less the rank prior; -inf for text never quoted
    picks: np.ndarray  # the selector's probability that the sentence holds the answer; -inf likewise
    order: list[int]  # the candidates in the selector's order (a named speaker's own quotes first)
    likely: dict[int, float]  # per candidate: the answer model's probability that it answers
    missing: dict[int, list[Missing]]  # per candidate: the question's constraints it does not meet
    x: np.ndarray  # per candidate, in `order`: the answer model's features (`support.FEATURES`)
    theirs: frozenset[int] = frozenset()  # the quotes of the person whose words the question asks for


def rank(
    question: str,
    passages: Sequence[Passage],
    scorer: Scorer,
    who: Sequence[Quote | None] | None = None,
    already_said: str = "",
    embed: int | None = EMBED_LIMIT,
    weights: np.ndarray | None = None,
) -> Ranked:
    """Score the sentences of `passages` and judge the selector's best CANDIDATES.

    `who` is each sentence's known quote (None where no one speaks; default: no one), in the order
    of `sentences_of(passages)`; `already_said` (the previous answer) is never quoted again;
    `weights` the answer model's (default: the fitted ones).
    """
    sentences = sentences_of(passages)
    if not sentences:
        return Ranked([], np.zeros(0), np.zeros(0), [], {}, {}, np.zeros((0, 0)))
    who = list(who) if who is not None else [None] * len(sentences)
    combined, semantic, lexical = score_parts(scorer, question, sentences, passages, embed)
    ranks = np.array([s.passage for s in sentences], dtype=float)
    scores = combined - RANK_PRIOR * np.log1p(ranks)
    selection = features(question, sentences, passages, semantic, lexical)
    picks = probabilities(selection, WEIGHTS)
    for i in unquotable(sentences, passages, scores, already_said):  # neighbours' context only
        scores[i] = picks[i] = -np.inf
    theirs = own_words(question, who)  # asked for someone's words: their quotes come first
    by_pick = [int(i) for i in np.argsort(-picks, kind="stable") if np.isfinite(picks[i])]
    chosen = [*(i for i in by_pick if i in theirs), *(i for i in by_pick if i not in theirs)]
    chosen = chosen[: max(CANDIDATES, len(theirs))]
    if any(constraints(part).kind == "who" for part in parts(question)):  # `check` reads their entities
        entities_of([sentences[i].text for i in chosen])  # parsed together, once
    speakers = [quote.speaker if quote is not None else None for quote in who]
    missing = {i: check(question, list(passages), sentences[i], speakers[i]) for i in chosen}
    passage_terms = [terms(p.text) for p in passages]
    idf = idf_weights(passage_terms)
    asked = terms(question)
    covered = np.array([overlap(asked, t, idf) for t in passage_terms])
    best_pick = float(picks[np.isfinite(picks)].max(initial=1e-9))
    columns = {
        "score": scores[chosen],
        "best_score": np.full(len(chosen), scores[np.isfinite(scores)].max(initial=0.0)),
        "best_cosine": np.full(len(chosen), semantic.max(initial=0.0)),
        "selector": np.log(np.maximum(picks[chosen], 1e-9) / max(best_pick, 1e-9)),
        "quoted": np.array([who[i] is not None for i in chosen], dtype=float),
        "passage_overlap": covered[[sentences[i].passage for i in chosen]],
        "best_passage_overlap": np.full(len(chosen), covered.max(initial=0.0)),
    }
    x = rows(selection[chosen], columns, [missing[i] for i in chosen])
    probability = likelihood(x, weights) if weights is not None else likelihood(x)
    likely = {i: float(p) for i, p in zip(chosen, probability, strict=True)}
    return Ranked(sentences, scores, picks, chosen, likely, missing, x, frozenset(theirs))
