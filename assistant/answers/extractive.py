"""The offline answerer: the sentences of the sources that answer, verbatim, each with its citation.

An answer is made in stages, each a function of what the one before found:

1. `candidates.rank`: every retrieved sentence scored, the selector's best few judged by the
   question's constraints and the answer model (`support`);
2. `answerability`: the first claim is the selector's best candidate that meets the constraints
   and that the answer model finds likely enough to answer, or the question is declined (none
   does) with the closest sentence as a near miss; a candidate missing only a year or month makes
   a partial answer;
3. `claims_from`: other sources stating the same fact join that claim, more claims follow, each
   quote widened to its neighbour where that holds the answer (`quote_span`), and the statements
   that contradict a claim follow it (`agreements.with_conflicts`);
4. `ExtractiveAnswerer.stream`: each claim cited, labelled with its speaker (`speakers`), written
   out with the notes of agreement and conflict (`rendering`, `agreements.notes`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.answers.agreements import Claim, Statements, notes, same_fact, with_conflicts
from assistant.answers.answerability import Missing, check
from assistant.answers.candidates import Ranked, rank
from assistant.answers.evidence import cite, neutralize_markers, with_speaker
from assistant.answers.rendering import claim_lead, declined_answer, partial_lead, quoted
from assistant.answers.selection import same_paragraph
from assistant.answers.speakers import attributed
from assistant.answers.support import DECLINE_BELOW
from assistant.attribution.agreement import speaker_of
from assistant.models import Answer, Citation, Passage, Quote, Sentence
from assistant.retrieval.scoring import EMBED_LIMIT, Scorer, sentences_of

# Claims after the first score at least this (cosine + overlap less the rank prior) and LATER_SHARE
# of the best sentence's score; the other side of a conflict at least half of it (scripts/calibrate.py
# chose 0.3 on SQuAD and Natural Questions, docs/answers.md).
RELEVANCE_FLOOR = 0.3
LATER_SHARE = 0.8
# The first claim is the selector's best of the candidates scoring at least this share of the best
# score, else the best down to RELEVANCE_FLOOR (scripts/tune_answers.py, docs/evaluation.md).
ELIGIBLE_SHARE = 0.8
# A neighbour joins the quote when the selector finds it at least JOIN_SHARE as likely to hold the
# answer as the sentence quoted, times (characters of the two / JOIN_CHARS) ** JOIN_POWER: a longer
# quote needs a likelier neighbour (scripts/tune_answers.py, docs/evaluation.md).
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


@dataclass(frozen=True)
class First:
    """The answerability stage's finding: the first claim's sentence, or why there is none."""

    index: int | None  # the first claim's sentence, None: declined
    status: str  # "answered", "partial" or "declined"
    missing: list[Missing]  # what a partial answer lacks, or what the near miss misses
    near: int | None  # a declined question's closest sentence


def answerability(
    ranked: Ranked, decline_below: float = DECLINE_BELOW, floor: float = RELEVANCE_FLOOR
) -> First:
    """The first claim: in the selector's order, the first candidate that meets the question's
    constraints (missing at most a year or month: then the answer is partial), that the answer
    model finds likely enough to answer (`decline_below`) and that scores within ELIGIBLE_SHARE of
    the best sentence (a named speaker's own quotes: at least `floor`); else the first such
    candidate down to `floor`. When there is none the question is declined, the selector's best
    candidate scoring `floor` its near miss (no near miss when no sentence scores `floor`)."""
    scores = ranked.scores
    best = float(scores[np.isfinite(scores)].max(initial=-np.inf))
    relevant = [i for i in ranked.order if scores[i] >= floor]
    if not relevant:
        return First(None, "declined", [], None)
    usable = [
        i
        for i in relevant
        if not any(not m.partial for m in ranked.missing[i]) and ranked.likely[i] >= decline_below
    ]
    eligible = max(floor, ELIGIBLE_SHARE * best)
    first = next((i for i in usable if i in ranked.theirs or scores[i] >= eligible), None)
    if first is None and usable:
        first = usable[0]
    if first is None:
        return First(None, "declined", ranked.missing[relevant[0]], relevant[0])
    missing = ranked.missing[first]
    return First(first, "partial" if missing else "answered", missing, None)


def quote_span(
    sentences: Sequence[Sentence], picks: np.ndarray, i: int, who: Sequence[Quote | None]
) -> list[int]:
    """Sentence `i` with the other half of its quotation, or else with the neighbour in its
    paragraph that the selector finds likely enough to hold the answer (see JOIN_SHARE): the answer
    often sits in the sentence next to the best match. A quote takes no narration and never runs
    over a paragraph break it does not need to. Returns sentence indices, in order."""
    whole = with_speaker(sentences, i)
    if len(whole) > 1:
        return [i, i + 1] if whole[0] is sentences[i] else [i - 1, i]

    def joins(j: int) -> bool:
        first, last = sentences[min(i, j)], sentences[max(i, j)]
        chars = last.end_char - first.start_char
        return (
            sentences[j].passage == sentences[i].passage
            and same_paragraph(first, last)
            and not (who[i] is not None and who[j] is not who[i])
            and bool(picks[j] >= JOIN_SHARE * picks[i] * (chars / JOIN_CHARS) ** JOIN_POWER)
        )

    near = [j for j in (i - 1, i + 1) if 0 <= j < len(sentences) and joins(j)]
    if not near:
        return [i]
    j = max(near, key=lambda n: picks[n])
    return [min(i, j), max(i, j)]


def claims_from(
    question: str,
    passages: Sequence[Passage],
    ranked: Ranked,
    first: First,
    who: Sequence[Quote | None],
    vectors: np.ndarray,
    max_claims: int = 3,
) -> list[Claim]:
    """The first claim, then up to `max_claims` in all: sentences the selector ranks next that
    score near the best and meet the constraints; each joined by the other sources that state the
    same fact (never another speaker's words); then the statements that contradict them."""
    if first.index is None:
        return []
    sentences, scores, picks = ranked.sentences, ranked.scores, ranked.picks
    said = Statements(sentences)
    floor = max(RELEVANCE_FLOOR, LATER_SHARE * float(scores[np.isfinite(scores)].max(initial=0.0)))
    by_pick = [int(i) for i in np.argsort(-picks, kind="stable") if np.isfinite(picks[i])]
    later = [i for i in by_pick if scores[i] >= floor]
    claims: list[Claim] = []
    used: set[int] = set()
    for i in [first.index, *later]:
        if len(claims) == max_claims:
            break
        if i in used:
            continue
        if claims:
            quote = who[i]
            speaker = quote.speaker if quote is not None else None
            missing = ranked.missing.get(i)
            if missing is None:
                missing = check(question, list(passages), sentences[i], speaker)
            if any(not m.partial for m in missing) or (missing and first.status == "answered"):
                continue
        group = [i]
        for j in by_pick:  # another source stating the same thing joins this claim
            if j in used or j == i or any(sentences[j].source == sentences[g].source for g in group):
                continue
            mine, other = who[i], who[j]
            if mine is not None and other is not None and mine.speaker != other.speaker:
                continue  # each speaker speaks for themself
            if same_fact(said, i, j, float(vectors[i] @ vectors[j])):
                group.append(j)
        spans = [quote_span(sentences, picks, g, who) for g in group]
        used.update(k for span in spans for k in span)
        claims.append(Claim([[sentences[k] for k in span] for span in spans], float(scores[i])))
    return with_conflicts(claims, said, scores, 0.5 * RELEVANCE_FLOOR, list(who), used, question)


class ExtractiveAnswerer:
    """Answers with the sentences of the retrieved passages that answer the question (see the
    module's stages), or declines when none does.

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
        max_claims: int = 3,
        embed: int | None = EMBED_LIMIT,
        decline_below: float = DECLINE_BELOW,
    ) -> None:
        if max_claims < 1:
            raise ValueError(f"max_claims must be at least 1, not {max_claims}")
        self.scorer = scorer
        self.max_claims = max_claims
        self.embed = embed
        self.decline_below = decline_below

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

        `already_said` (the previous answer) is never quoted again; `quotes` say who speaks in
        which sentence: a claim is one speaker's, and a question about someone's words is answered
        with their own quotes first.
        """
        who = [speaker_of(quotes, s.source, s.start_char, s.end_char) for s in sentences_of(passages)]
        ranked = rank(question, passages, self.scorer, who, already_said, self.embed)
        first = answerability(ranked, self.decline_below)
        if first.index is None:
            near = ranked.sentences[first.near] if first.near is not None else None
            return Verdict([], "declined", first.missing, near)
        claims = claims_from(question, passages, ranked, first, who, self._vectors(ranked), self.max_claims)
        return Verdict(claims, first.status, first.missing if first.status == "partial" else [])

    def _vectors(self, ranked: Ranked) -> np.ndarray:
        """Unit vectors of the `embed` best scoring sentences, zeros for the others (which then
        neither join a claim nor contradict one): a first sight embeds `embed` sentences, not all."""
        texts = [s.text for s in ranked.sentences]
        if self.embed is None or self.embed >= len(texts):
            return self.scorer.vectors(texts)
        chosen = np.argsort(-ranked.scores, kind="stable")[: self.embed]
        found = self.scorer.vectors([texts[i] for i in chosen])
        vectors = np.zeros((len(texts), found.shape[1]))
        vectors[chosen] = found
        return vectors

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
        for number, claim in enumerate(verdict.claims):
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
            yield piece if len(pieces) == 1 else ("\n\n" if number else " ") + piece
        agreements = notes(verdict.claims, numbers, citations)
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
