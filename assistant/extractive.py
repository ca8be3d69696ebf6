"""The offline answerer: the best sentences of the sources, verbatim, each with its citation."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.evidence import (
    Scorer,
    Sentence,
    cite,
    looks_like_instruction,
    neutralize_markers,
    score_sentences,
    sentences_of,
    with_speaker,
)
from assistant.records import Answer, Citation, Passage

# Below this combined score no sentence answers the question. Calibrated on SQuAD questions
# against their own article vs. against other articles (scripts/calibrate.py, README).
RELEVANCE_THRESHOLD = 0.35
# A neighbouring sentence scoring at least this share of the best joins its quote (held-out
# SQuAD: first-citation hit 0.743 -> 0.785, median quote 167 -> 195 characters).
NEIGHBOUR_SHARE = 0.7
NOT_COVERED = "The indexed sources do not cover this question."
_NUMBER = re.compile(r"\b\d[\d,.]*\b")


@dataclass(frozen=True)
class Claim:
    """One statement of the answer: per source, the sentence or two that state it."""

    spans: list[list[Sentence]]
    score: float


class ExtractiveAnswerer:
    """Answers with the sentences of the retrieved passages that best match the question.

    Sentences from different sources that state the same thing become one claim with a
    marker for each source. Quotes are verbatim by construction.

    Example:
        >>> answerer = ExtractiveAnswerer(Scorer(embedder))
        >>> answer = answerer.answer("How long have the defenders been fighting?", passages)
        >>> answer.text, answer.citations[0].quote
    """

    def __init__(
        self,
        scorer: Scorer,
        threshold: float = RELEVANCE_THRESHOLD,
        max_claims: int = 3,
        same_claim: float = 0.6,
        neighbour: float = NEIGHBOUR_SHARE,
    ) -> None:
        self.scorer = scorer
        self.threshold = threshold
        self.max_claims = max_claims
        self.same_claim = same_claim
        self.neighbour = neighbour

    def claims(self, question: str, passages: Sequence[Passage], already_said: str = "") -> list[Claim]:
        """The claims to answer with, best first; empty when nothing passes the threshold.

        Sentences in `already_said` (the previous answer) are left out: a follow-up asks for more.
        """
        sentences = sentences_of(passages)
        if not sentences:
            return []
        scores = score_sentences(self.scorer, question, sentences)
        for i, s in enumerate(sentences):  # kept as neighbours' context, never quoted
            if looks_like_instruction(s.text) or (already_said and s.text in already_said):
                scores[i] = -np.inf
        order = np.argsort(-scores, kind="stable")
        best = float(scores[order[0]])
        if best < self.threshold:
            return []
        vectors = self.scorer.vectors([s.text for s in sentences])
        claims: list[Claim] = []
        used: set[int] = set()
        for i in order:
            if len(claims) == self.max_claims or scores[i] < max(self.threshold, 0.8 * best):
                break
            if i in used:
                continue
            group = [int(i)]
            for j in order:
                # Another source stating the same thing joins this claim.
                if j in used or j == i or any(sentences[j].source == sentences[g].source for g in group):
                    continue
                if self._same_claim(sentences[i], sentences[j], float(vectors[i] @ vectors[j])):
                    group.append(int(j))
            used.update(group)
            spans = [self._span(sentences, scores, g) for g in group]
            for span in spans:
                used.update(sentences.index(s) for s in span)
            claims.append(Claim(spans, float(scores[i])))
        return claims

    def _span(self, sentences: list[Sentence], scores: np.ndarray, i: int) -> list[Sentence]:
        """Sentence `i` with the other half of its quotation, or else with a neighbour that
        scores nearly as well (the answer often sits in the sentence next to the best match)."""
        span = with_speaker(sentences, i)
        if len(span) > 1:
            return span
        neighbours = [
            j
            for j in (i - 1, i + 1)
            if 0 <= j < len(sentences)
            and sentences[j].passage == sentences[i].passage
            and scores[j] >= self.neighbour * scores[i]
        ]
        if not neighbours:
            return span
        j = max(neighbours, key=lambda n: scores[n])
        return [sentences[min(i, j)], sentences[max(i, j)]]

    def _same_claim(self, a: Sentence, b: Sentence, similarity: float) -> bool:
        """Two sentences state the same thing: very similar, or similar and sharing a number."""
        if similarity >= self.same_claim + 0.15:
            return True
        shared_numbers = set(_NUMBER.findall(a.text)) & set(_NUMBER.findall(b.text))
        return similarity >= self.same_claim and bool(shared_numbers)

    def stream(
        self, question: str, passages: Sequence[Passage], already_said: str = ""
    ) -> Iterator[str | Answer]:
        """Yield the answer claim by claim, then the Answer."""
        claims = self.claims(question, passages, already_said)
        if not claims:
            yield NOT_COVERED
            yield Answer(question, NOT_COVERED, [], list(passages), False, [], "extractive")
            return
        citations: list[Citation] = []
        pieces = []
        for claim in claims:
            markers = ""
            for span in claim.spans:
                citations.append(cite(passages, len(citations) + 1, span[0], span[-1]))
                markers += f"[{len(citations)}]"
            piece = f"{neutralize_markers(citations[-len(claim.spans)].quote)} {markers}"
            pieces.append(piece)
            yield piece if len(pieces) == 1 else "\n\n" + piece
        yield Answer(question, "\n\n".join(pieces), citations, list(passages), True, [], "extractive")

    def answer(self, question: str, passages: Sequence[Passage], already_said: str = "") -> Answer:
        """The complete Answer."""
        *_, final = self.stream(question, passages, already_said)
        assert isinstance(final, Answer)
        return final
