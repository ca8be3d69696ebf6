"""Where the sources of an offline answer agree, disagree or give other figures, claim by claim.

The comparison is `attribution.agreement.compare`, slot by slot on each sentence's parse: two
sentences of different sources join one claim only when they state the same fact; a sentence
that conflicts with a claim (or that the text says rebuts its speaker) follows it as a claim of
its own, with the note naming the slot's two values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answers.evidence import looks_like_instruction, with_speaker
from assistant.answers.rendering import agreement_note, conflict_note, figures_note
from assistant.answers.speakers import rebuts
from assistant.attribution.agreement import Relation, compare
from assistant.attribution.claims import Statement, statements
from assistant.models import Agreement, Citation, Quote, Sentence

MAX_CONFLICTS = 2  # contradicting statements added to an answer, beyond its claims
# Sentences less alike than this (embedding cosine) are not parsed to see whether they state the
# same fact: a cheap first sieve, well below any pair of agreeing sentences in eval/agreement*.jsonl.
CANDIDATE = 0.4
REBUTTAL = Relation("conflict")  # the text says one speaker rebuts the other: no slot to name


@dataclass(frozen=True)
class Claim:
    """One statement of the answer: per source, the sentence or two that state it."""

    spans: list[list[Sentence]]
    score: float
    against: int | None = None  # index of the claim this one contradicts
    relation: Relation | None = None  # how it relates to `against`: a conflict or other figures

    @property
    def figures(self) -> bool:
        """`against` gives other figures for the same counted thing: no contradiction."""
        return self.relation is not None and self.relation.kind == "figures"


class Statements:
    """The claims of an answer's sentences, parsed when first compared, each once."""

    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self.sentences = sentences
        self._read: dict[int, Statement] = {}

    def __getitem__(self, i: int) -> Statement:
        return self.read([i])[0]

    def read(self, indices: Sequence[int]) -> list[Statement]:
        """The statements of sentences `indices`, parsing the new ones together."""
        new = [i for i in dict.fromkeys(indices) if i not in self._read]
        for i, found in zip(new, statements([self.sentences[i].text for i in new]), strict=True):
            self._read[i] = found
        return [self._read[i] for i in indices]


def same_fact(said: Statements, i: int, j: int, similarity: float) -> bool:
    """Sentences `i` and `j` state the same fact (slot by slot; `similarity` only sieves)."""
    return similarity >= CANDIDATE and compare(said[i], said[j]).kind == "agree"


def with_conflicts(
    claims: list[Claim],
    said: Statements,
    scores: np.ndarray,
    floor: float,
    who: list[Quote | None],
    used: set[int],
) -> list[Claim]:
    """`claims`, each marked `against` an earlier one it conflicts with or gives other figures
    than, and a refutation quoted with its claim ("...," he said. That comment is a lie.) split
    off as a claim of its own; then the statements of `conflicts` that oppose them."""
    index = {(s.source, s.start_char): n for n, s in enumerate(said.sentences)}
    marked: list[Claim] = []
    for claim in claims:
        span = claim.spans[0]
        own = [index[(s.source, s.start_char)] for s in span]
        if len(own) > 1 and _refutes(said, own[:-1], own[-1]):
            marked.append(Claim([span[:-1], *claim.spans[1:]], claim.score, claim.against, claim.relation))
            marked.append(Claim([span[-1:]], claim.score, len(marked) - 1, REBUTTAL))
            continue
        relation, against = None, None
        for c, earlier in enumerate(marked):
            if earlier.against is not None:
                continue
            mine = [index[(s.source, s.start_char)] for s in earlier.spans[0]]
            found = [compare(said[k], said[j]) for k in mine for j in own]
            relation = next((r for r in found if r.kind == "conflict"), None) or next(
                (r for r in found if r.kind == "figures"), None
            )
            if relation is not None:
                against = c
                break
        marked.append(Claim(claim.spans, claim.score, against, relation))
    return marked + conflicts(marked, said, scores, floor, who, used)


def conflicts(
    claims: list[Claim],
    said: Statements,
    scores: np.ndarray,
    floor: float,
    who: list[Quote | None],
    used: set[int],
) -> list[Claim]:
    """Statements relevant to the question (scoring at least `floor`) that conflict with a claim or
    give other figures for what it counts; one the text says rebuts the claim's speaker, or that
    calls the claim false right after it ("That comment is a lie."), first.
    A speaker may conflict with himself only when the contents oppose (`agreement.compare`)."""
    sentences = said.sentences
    found: list[Claim] = []
    index = {(s.source, s.start_char): n for n, s in enumerate(sentences)}
    open_ = [j for j in range(len(sentences)) if j not in used and scores[j] >= floor]
    open_ = [j for j in open_ if not looks_like_instruction(sentences[j].text)]
    for c, claim in enumerate(list(claims)):
        if claim.against is not None:
            continue  # itself a conflicting statement
        own = [index[(s.source, s.start_char)] for s in claim.spans[0]]
        candidates = []
        after = own[-1] + 1  # a refutation right after the claim ("That comment is a lie.") scores low
        nearby = [after] if after < len(sentences) and after not in used and after not in open_ else []
        said.read(own + open_ + nearby)
        if nearby and _refutes(said, own, after) and not looks_like_instruction(sentences[after].text):
            candidates.append((2, float(scores[after]), after, REBUTTAL))
        for j in open_:
            if rebuts(list(sentences), j, who[own[0]]) or _refutes(said, own, j):
                candidates.append((2, float(scores[j]), j, REBUTTAL))
                continue
            relations = [compare(said[k], said[j]) for k in own]
            relation = next((r for r in relations if r.kind == "conflict"), None) or next(
                (r for r in relations if r.kind == "figures"), None
            )
            if relation is not None:
                candidates.append((int(relation.kind == "conflict"), float(scores[j]), j, relation))
        for _, _, j, relation in sorted(candidates, key=lambda c: c[:3], reverse=True):
            if len(found) == MAX_CONFLICTS:
                return found
            if j in used:
                continue
            span = with_speaker(list(sentences), j)  # its own words only: no neighbour joins
            used.update(index[(s.source, s.start_char)] for s in span)
            found.append(Claim([span], float(scores[j]), against=c, relation=relation))
    return found


def _refutes(said: Statements, own: list[int], j: int) -> bool:
    """Sentence `j` calls the claim's last sentence, just before it, false ("That comment is a lie.")."""
    sentences = said.sentences
    before, after = sentences[own[-1]], sentences[j]
    adjacent = j == own[-1] + 1 and before.source == after.source and after.start_char - before.end_char <= 3
    return adjacent and said[j].refutes_before


def notes(claims: list[Claim], numbers: list[list[int]], citations: list[Citation]) -> list[Agreement]:
    """A note for each claim several sources report, and for each claim that conflicts with
    another or gives other figures."""
    by_n = {c.n: c for c in citations}
    found = []
    for claim, ns in zip(claims, numbers, strict=True):
        if len(ns) > 1:
            found.append(Agreement("agree", ns, agreement_note([by_n[n] for n in ns])))
        if claim.against is not None and claim.relation is not None:
            theirs, mine = by_n[numbers[claim.against][0]], by_n[ns[0]]
            values = claim.relation.values
            if claim.figures:
                found.append(Agreement("figures", [theirs.n, mine.n], figures_note(theirs, mine, values)))
            else:
                note = conflict_note(theirs, mine, claim.relation.slot, values)
                found.append(Agreement("conflict", [theirs.n, mine.n], note))
    return found
