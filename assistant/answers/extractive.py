"""The offline answerer: the best sentences of the sources, verbatim, each with its citation."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answers.evidence import cite, looks_like_instruction, neutralize_markers, with_speaker
from assistant.answers.rendering import (
    NOT_COVERED,
    agreement_note,
    claim_lead,
    conflict_note,
    figures_note,
    quoted,
)
from assistant.answers.selection import WEIGHTS, same_paragraph, selection_scores
from assistant.answers.speakers import attributed, rebuts
from assistant.attribution.agreement import relation, speaker_of
from assistant.models import Agreement, Answer, Citation, Passage, Quote, Sentence
from assistant.retrieval.scoring import EMBED_LIMIT, Scorer, score_parts, sentences_of

# Below this combined score no sentence answers the question. Calibrated on SQuAD and Natural
# Questions, each question against its own article vs. against another (scripts/calibrate.py,
# docs/answers.md).
RELEVANCE_THRESHOLD = 0.3
# A neighbouring sentence scoring at least this share of the best joins its quote, and a
# sentence's score loses RANK_PRIOR * ln(1 + its passage's rank): chosen by cross-validation over
# SQuAD, Natural Questions and HotpotQA (scripts/tune_fusion.py answers, docs/evaluation.md).
NEIGHBOUR_SHARE = 0.6
RANK_PRIOR = 0.1
# The first claim is the selector's best sentence among those scoring at least this share of
# the best score (later claims: 0.8 of it, as they always were).
ELIGIBLE_SHARE = 0.8
# With the selector, a neighbour joins the quote when it is at least JOIN_SHARE as likely to hold
# the answer as the sentence quoted, times (characters of the two / JOIN_CHARS) ** JOIN_POWER:
# a longer quote needs a likelier neighbour (scripts/tune_answers.py, docs/evaluation.md).
JOIN_SHARE = 0.1
JOIN_CHARS = 250
JOIN_POWER = 2.0
MAX_CONFLICTS = 2  # contradicting statements added to an answer, beyond its claims
_NUMBER = re.compile(r"\b\d[\d,.]*\b")


@dataclass(frozen=True)
class Claim:
    """One statement of the answer: per source, the sentence or two that state it."""

    spans: list[list[Sentence]]
    score: float
    against: int | None = None  # index of the claim this one contradicts
    figures: bool = False  # `against` gives other figures for the same counted thing, no contradiction


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
        embed: int | None = EMBED_LIMIT,
        rank_prior: float = RANK_PRIOR,
        selector: np.ndarray | None = WEIGHTS,
        eligible: float | None = ELIGIBLE_SHARE,
        join: float = JOIN_SHARE,
        join_power: float = JOIN_POWER,
    ) -> None:
        self.scorer = scorer
        self.threshold = threshold
        self.max_claims = max_claims
        self.same_claim = same_claim
        self.neighbour = neighbour
        self.embed = embed
        self.rank_prior = rank_prior
        self.selector = selector
        self.eligible = eligible
        self.join = join
        self.join_power = join_power

    def claims(
        self,
        question: str,
        passages: Sequence[Passage],
        already_said: str = "",
        quotes: Sequence[Quote] = (),
    ) -> list[Claim]:
        """The claims to answer with, best first; empty when nothing passes the threshold.

        Sentences in `already_said` (the previous answer) are left out: a follow-up asks for more.
        A claim is one speaker's: statements of different speakers (known from `quotes`) are
        never merged. Statements that contradict a claim, by another speaker or source, follow
        it as claims of their own (`against`).
        """
        sentences = sentences_of(passages)
        if not sentences:
            return []
        scores, picks = self._scores(question, sentences, passages)
        for i, s in enumerate(sentences):  # kept as neighbours' context, never quoted
            if looks_like_instruction(s.text) or (already_said and s.text in already_said):
                scores[i] = picks[i] = -np.inf
        by_score = np.argsort(-scores, kind="stable")
        best = float(scores[by_score[0]])
        if best < self.threshold:
            return []
        vectors = self._vectors(sentences, by_score)
        who = [speaker_of(quotes, s.source, s.start_char, s.end_char) for s in sentences]
        claims: list[Claim] = []
        used: set[int] = set()
        order = np.argsort(-picks, kind="stable")  # the selector's order (or the score's)
        for i in order:
            if len(claims) == self.max_claims or not np.isfinite(picks[i]):
                break
            if claims:
                floor = max(self.threshold, 0.8 * best)
            else:  # the first claim: the selector's best of the sentences it may choose from
                floor = -np.inf if self.eligible is None else max(self.threshold, self.eligible * best)
            if i in used or scores[i] < floor:
                continue
            group = [int(i)]
            for j in order:
                # Another source stating the same thing joins this claim.
                if j in used or j == i or any(sentences[j].source == sentences[g].source for g in group):
                    continue
                mine, theirs = who[i], who[j]
                if mine is not None and theirs is not None and mine.speaker != theirs.speaker:
                    continue  # each speaker speaks for themself
                if self._same_claim(sentences[i], sentences[j], float(vectors[i] @ vectors[j])):
                    group.append(int(j))
            used.update(group)
            spans = [self._span(sentences, scores, picks, g) for g in group]
            for span in spans:
                used.update(sentences.index(s) for s in span)
            claims.append(Claim(spans, float(scores[i])))
        return claims + self._conflicts(claims, sentences, scores, vectors, who, used)

    def _scores(
        self, question: str, sentences: list[Sentence], passages: Sequence[Passage]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each sentence's score against the question, less the rank prior of its passage (what
        the thresholds judge), and the selector's score (which claim comes first)."""
        combined, semantic, lexical = score_parts(self.scorer, question, sentences, passages, self.embed)
        ranks = np.array([s.passage for s in sentences], dtype=float)
        scores = combined - self.rank_prior * np.log1p(ranks)
        if self.selector is None:
            return scores, scores.copy()
        picks = selection_scores(question, sentences, passages, semantic, lexical, self.selector)
        return scores, picks

    def _vectors(self, sentences: list[Sentence], order: np.ndarray) -> np.ndarray:
        """Unit vectors of the `embed` best sentences, zeros for the others (which then neither
        join a claim nor contradict one): a first sight embeds `embed` sentences, not all."""
        texts = [s.text for s in sentences]
        if self.embed is None or self.embed >= len(texts):
            return self.scorer.vectors(texts)
        chosen = order[: self.embed]
        found = self.scorer.vectors([texts[i] for i in chosen])
        vectors = np.zeros((len(texts), found.shape[1]))
        vectors[chosen] = found
        return vectors

    def _conflicts(
        self,
        claims: list[Claim],
        sentences: list[Sentence],
        scores: np.ndarray,
        vectors: np.ndarray,
        who: list[Quote | None],
        used: set[int],
    ) -> list[Claim]:
        """Statements of other speakers or sources, relevant to the question, that contradict a
        claim: one the text says rebuts its speaker ("X contradicted the adviser"), or one on
        the same topic with the opposite stance (see `agreement.relation`)."""
        found: list[Claim] = []
        index = {(s.source, s.start_char): n for n, s in enumerate(sentences)}
        for c, claim in enumerate(list(claims)):
            own = [index[(s.source, s.start_char)] for s in claim.spans[0]]
            i = own[0]
            claim_text = " ".join(sentences[k].text for k in own)
            candidates = []
            for j in range(len(sentences)):
                if j in used or scores[j] < 0.5 * self.threshold or looks_like_instruction(sentences[j].text):
                    continue
                mine, theirs = who[i], who[j]
                if (mine and theirs and mine.speaker == theirs.speaker) or (
                    theirs is None and sentences[j].source == sentences[i].source
                ):
                    continue
                similarity = max(float(vectors[k] @ vectors[j]) for k in own)
                explicit = rebuts(sentences, j, mine)
                kind = "conflict" if explicit else relation(claim_text, sentences[j].text, similarity)
                if kind == "conflict" and not explicit:
                    # Checked on vectors of each sentence alone: vectors taken in context carry
                    # their passage, so two sentences of one passage look more alike than they are.
                    alone = self.scorer.alone([*(sentences[k].text for k in own), sentences[j].text])
                    similarity = float(max(alone[:-1] @ alone[-1]))
                    kind = relation(claim_text, sentences[j].text, similarity)
                if kind in {"conflict", "figures"}:
                    candidates.append((explicit, similarity + float(scores[j]), j, kind == "figures"))
            for _, _, j, figures in sorted(candidates, reverse=True):
                if len(found) == MAX_CONFLICTS:
                    return found
                if j in used:
                    continue
                span = with_speaker(sentences, j)  # its own words only: no neighbour joins
                used.update(index[(s.source, s.start_char)] for s in span)
                found.append(Claim([span], float(scores[j]), against=c, figures=figures))
        return found

    def _span(
        self, sentences: list[Sentence], scores: np.ndarray, picks: np.ndarray, i: int
    ) -> list[Sentence]:
        """Sentence `i` with the other half of its quotation, or else with a neighbour in its
        paragraph that the selector finds nearly as likely to hold the answer (or, without a
        selector, that scores nearly as well): the answer often sits in the sentence next to the
        best match. A quote never runs over a paragraph break it does not need to."""
        span = with_speaker(sentences, i)
        if len(span) > 1:
            return span
        neighbours = [
            j
            for j in (i - 1, i + 1)
            if 0 <= j < len(sentences)
            and sentences[j].passage == sentences[i].passage
            and same_paragraph(sentences[min(i, j)], sentences[max(i, j)])
            and self._joins(sentences, scores, picks, i, j)
        ]
        by = scores if self.selector is None else picks
        if not neighbours:
            return span
        j = max(neighbours, key=lambda n: by[n])
        return [sentences[min(i, j)], sentences[max(i, j)]]

    def _joins(
        self, sentences: list[Sentence], scores: np.ndarray, picks: np.ndarray, i: int, j: int
    ) -> bool:
        """Neighbour `j` joins sentence `i`'s quote: with the selector, likely enough for the
        quote's length (see JOIN_SHARE); without, scoring NEIGHBOUR_SHARE of sentence `i`."""
        if self.selector is None:
            return bool(scores[j] >= self.neighbour * scores[i])
        chars = max(sentences[i].end_char, sentences[j].end_char) - min(
            sentences[i].start_char, sentences[j].start_char
        )
        return bool(picks[j] >= self.join * picks[i] * (chars / JOIN_CHARS) ** self.join_power)

    def _same_claim(self, a: Sentence, b: Sentence, similarity: float) -> bool:
        """Two sentences state the same thing: very similar, or similar and sharing a number."""
        if similarity >= self.same_claim + 0.15:
            return True
        shared_numbers = set(_NUMBER.findall(a.text)) & set(_NUMBER.findall(b.text))
        return similarity >= self.same_claim and bool(shared_numbers)

    def stream(
        self,
        question: str,
        passages: Sequence[Passage],
        already_said: str = "",
        quotes: Sequence[Quote] = (),
    ) -> Iterator[str | Answer]:
        """Yield the answer claim by claim, then the Answer.

        A claim whose words are attributed (in `quotes`) opens with who says it, their role and
        the outlet; claims that agree across sources or conflict get a closing note.
        """
        claims = self.claims(question, passages, already_said, quotes)
        if not claims:
            yield NOT_COVERED
            yield Answer(question, NOT_COVERED, [], list(passages), False, [], "extractive")
            return
        citations: list[Citation] = []
        pieces = []
        numbers: list[list[int]] = []
        for claim in claims:
            markers = ""
            numbers.append([])
            for span in claim.spans:
                citation = attributed(cite(passages, len(citations) + 1, span[0], span[-1]), quotes)
                citations.append(citation)
                numbers[-1].append(citation.n)
                markers += f"[{citation.n}]"
            first = citations[-len(claim.spans)]
            piece = (
                f"{claim_lead(first, claim.against is not None)}{neutralize_markers(quoted(first))} {markers}"
            )
            pieces.append(piece)
            yield piece if len(pieces) == 1 else "\n\n" + piece
        agreements = _agreements(claims, numbers, citations)
        for agreement in agreements:
            yield f"\n\n{agreement.heading}: {agreement.note}"
        yield Answer(
            question, "\n\n".join(pieces), citations, list(passages), True, [], "extractive", agreements
        )

    def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        already_said: str = "",
        quotes: Sequence[Quote] = (),
    ) -> Answer:
        """The complete Answer."""
        *_, final = self.stream(question, passages, already_said, quotes)
        assert isinstance(final, Answer)
        return final


def _agreements(claims: list[Claim], numbers: list[list[int]], citations: list[Citation]) -> list[Agreement]:
    """A note for each claim several sources report, and for each pair of conflicting claims."""
    by_n = {c.n: c for c in citations}
    found = []
    for claim, ns in zip(claims, numbers, strict=True):
        if len(ns) > 1:
            found.append(Agreement("agree", ns, agreement_note([by_n[n] for n in ns])))
        if claim.against is not None:
            mine, theirs = by_n[ns[0]], by_n[numbers[claim.against][0]]
            if claim.figures:
                found.append(Agreement("figures", [theirs.n, mine.n], figures_note(theirs, mine)))
            else:
                found.append(Agreement("conflict", [theirs.n, mine.n], conflict_note(theirs, mine)))
    return found
