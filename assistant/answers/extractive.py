"""The offline answerer: the best sentences of the sources, verbatim, each with its citation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.answers.agreements import Claim, Statements, notes, same_fact, with_conflicts
from assistant.answers.answerability import Missing, check, own_words
from assistant.answers.evidence import cite, neutralize_markers, with_speaker
from assistant.answers.rendering import (
    claim_lead,
    declined_answer,
    partial_lead,
    quoted,
)
from assistant.answers.selection import WEIGHTS, same_paragraph, selection_scores, unquotable
from assistant.answers.speakers import attributed
from assistant.attribution.agreement import speaker_of
from assistant.models import Answer, Citation, Passage, Quote, Sentence
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


@dataclass(frozen=True)
class Verdict:
    """Whether the sources answer the question: the claims, and what no sentence meets."""

    claims: list[Claim]
    status: str = "answered"  # "answered", "partial" or "declined"
    missing: list[Missing] = field(default_factory=list)
    near_miss: Sentence | None = None  # a declined question's closest sentence


class ExtractiveAnswerer:
    """Answers with the sentences of the retrieved passages that best match the question.

    Sentences from different sources that state the same thing become one claim with a
    marker for each source. Quotes are verbatim by construction.

    Example:
        answerer = ExtractiveAnswerer(Scorer(embedder))
        answer = answerer.answer("How long have the defenders been fighting?", passages)
        answer.text, answer.citations[0].quote
    """

    def __init__(
        self,
        scorer: Scorer,
        threshold: float = RELEVANCE_THRESHOLD,
        max_claims: int = 3,
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
        self.neighbour = neighbour
        self.embed = embed
        self.rank_prior = rank_prior
        self.selector = selector
        self.eligible = eligible
        self.join = join
        self.join_power = join_power

    def claims(
        self, question: str, passages: Sequence[Passage], already_said: str = "", quotes: Sequence[Quote] = ()
    ) -> list[Claim]:
        """The claims to answer with, best first; empty when the sources do not answer it."""
        return self.judge(question, passages, already_said, quotes).claims

    def judge(
        self,
        question: str,
        passages: Sequence[Passage],
        already_said: str = "",
        quotes: Sequence[Quote] = (),
    ) -> Verdict:
        """The claims to answer with, best first, and whether they answer the question.

        Sentences `unquotable` names are never claims (`already_said`: the previous answer). The
        first claim is the selector's best sentence that meets the question's constraints (see
        `answerability`); one that misses only a year or month makes a partial answer; when no
        sentence meets them the question is declined, with the closest sentence as a near miss.
        A claim is one speaker's: statements of different speakers (known from `quotes`) are
        never merged. Statements that contradict a claim, by another speaker or source, follow
        it as claims of their own (`against`).
        """
        sentences = sentences_of(passages)
        if not sentences:
            return Verdict([], "declined")
        scores, picks = self._scores(question, sentences, passages)
        for i in unquotable(sentences, passages, scores, already_said):  # neighbours' context only
            scores[i] = picks[i] = -np.inf
        by_score = np.argsort(-scores, kind="stable")
        best = float(scores[by_score[0]])
        if best < self.threshold:
            return Verdict([], "declined")
        vectors = self._vectors(sentences, by_score)
        who = [speaker_of(quotes, s.source, s.start_char, s.end_char) for s in sentences]
        said = Statements(sentences)
        claims: list[Claim] = []
        used: set[int] = set()
        status, first_missing, near = "answered", [], None
        order = np.argsort(-picks, kind="stable")  # the selector's order (or the score's)
        theirs = own_words(question, who)  # asked for someone's words: their quotes come first
        order = np.array([*(i for i in order if i in theirs), *(i for i in order if i not in theirs)], int)
        # The first claim is the selector's best of the sentences scoring near the best; when
        # none of those meets the question's constraints, the best that does, down to the
        # threshold (the best-scoring sentences may lack the figure or name the question asks).
        eligible = -np.inf if self.eligible is None else max(self.threshold, self.eligible * best)
        for first_floor in dict.fromkeys([eligible, min(eligible, self.threshold)]):
            if claims:
                break
            for i in order:
                if len(claims) == self.max_claims or not np.isfinite(picks[i]):
                    break
                if claims:
                    floor = max(self.threshold, 0.8 * best)
                elif i in theirs:
                    floor = self.threshold
                else:  # the first claim: the selector's best of the sentences it may choose from
                    floor = first_floor
                if i in used or scores[i] < floor:
                    continue
                speaker = who[i].speaker if who[i] is not None else None
                missing = check(question, list(passages), sentences[i], speaker)
                if near is None:
                    near, first_missing = sentences[i], missing
                if any(not m.partial for m in missing) or (claims and missing and status == "answered"):
                    continue
                if not claims and missing:
                    status, first_missing = "partial", missing
                group = [int(i)]
                for j in order:
                    # Another source stating the same thing joins this claim.
                    if j in used or j == i or any(sentences[j].source == sentences[g].source for g in group):
                        continue
                    mine, other = who[i], who[j]
                    if mine is not None and other is not None and mine.speaker != other.speaker:
                        continue  # each speaker speaks for themself
                    if same_fact(said, int(i), int(j), float(vectors[i] @ vectors[j])):
                        group.append(int(j))
                used.update(group)
                spans = [self._span(sentences, scores, picks, g, who) for g in group]
                for span in spans:
                    used.update(sentences.index(s) for s in span)
                claims.append(Claim(spans, float(scores[i])))
        if not claims:
            return Verdict([], "declined", first_missing, near)
        claims = with_conflicts(claims, said, scores, 0.5 * self.threshold, who, used, question)
        return Verdict(claims, status, first_missing if status == "partial" else [])

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

    def _span(
        self,
        sentences: list[Sentence],
        scores: np.ndarray,
        picks: np.ndarray,
        i: int,
        who: Sequence[Quote | None] = (),
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
            and not (who and who[i] is not None and who[j] is not who[i])  # a quote takes no narration
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

    def stream(
        self,
        question: str,
        passages: Sequence[Passage],
        already_said: str = "",
        quotes: Sequence[Quote] = (),
        sources: Sequence[str] = (),
    ) -> Iterator[str | Answer]:
        """Yield the answer claim by claim, then the Answer.

        `sources` is the source filter the passages were retrieved under: a declined answer names it.

        A claim whose words are attributed (in `quotes`) opens with who says it, their role and
        the outlet; claims that agree across sources or conflict get a closing note.
        """
        verdict = self.judge(question, passages, already_said, quotes)
        if verdict.status == "declined" and already_said:  # a follow-up answered before: say it again
            verdict = self.judge(question, passages, "", quotes)
        claims = verdict.claims
        if verdict.status == "declined":
            near = cite(passages, 0, verdict.near_miss) if verdict.near_miss is not None else None
            declined = declined_answer(question, passages, verdict.missing, near, sources)
            yield declined.body
            yield declined
            return
        citations: list[Citation] = []
        pieces = [partial_lead(verdict.missing)] if verdict.status == "partial" else []
        if pieces:
            yield pieces[0]
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
            yield piece if len(pieces) == 1 else ("\n\n" if claims.index(claim) else " ") + piece
        agreements = notes(claims, numbers, citations)
        for agreement in agreements:
            yield f"\n\n{agreement.heading}: {agreement.note}"
        body = "\n\n".join(pieces)
        if verdict.status == "partial":
            body = pieces[0] + " " + "\n\n".join(pieces[1:])
        yield Answer(
            question,
            body,
            citations,
            list(passages),
            True,
            [],
            "extractive",
            agreements,
            status=verdict.status,
        )

    def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        already_said: str = "",
        quotes: Sequence[Quote] = (),
        sources: Sequence[str] = (),
    ) -> Answer:
        """The complete Answer."""
        *_, final = self.stream(question, passages, already_said, quotes, sources)
        assert isinstance(final, Answer)
        return final
