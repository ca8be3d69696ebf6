"""Where the sources of an offline answer agree, disagree or give other figures, claim by claim.

The comparison is `attribution.agreement.compare`, slot by slot on each sentence's parse: two
sentences of different sources join one claim only when they state the same fact; a sentence
that conflicts with a claim (or that the text says rebuts its speaker) follows it as a claim of
its own, with the note naming the slot's two values. When the question asks about a disputed
matter (`disputed`), another speaker's statement on its subject that opposes a claim by meaning
(`agreement.opposes`), or a sentence that gives both sides itself (`agreement.within`), is its
other side too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answers.evidence import looks_like_instruction, with_speaker
from assistant.answers.rendering import agreement_note, conflict_note, figures_note
from assistant.answers.speakers import rebuts
from assistant.attribution.agreement import Relation, about, compare, divided, opposes, strongest, within
from assistant.attribution.claims import Statement, read, statements
from assistant.attribution.disputes import REBUTTAL
from assistant.attribution.parsing import entity_parses
from assistant.models import Agreement, Citation, Quote, Sentence
from assistant.text.words import SPEECH_VERBS

MAX_CONFLICTS = 2  # contradicting statements added to an answer, beyond its claims
# Sentences less alike than this (embedding cosine) are not parsed to see whether they state the
# same fact: a cheap first sieve, well below any pair of agreeing sentences in eval/agreement*.jsonl.
CANDIDATE = 0.4
# A question asks about a disputed matter when it asks what two parties say or find ("What did
# Trump claim, and how did HuffPost respond?", "What do King and Schultz say?") or names the
# dispute ("How do the two estimates differ?").
REPORTING = SPEECH_VERBS | frozenset("show find rule respond suggest claim".split())
DISPUTING = frozenset("differ dispute disagree contradict".split())
# A sentence opening with one of these speaks of what its claim's sentences before it speak of.
REFERRING = frozenset("it he she they this that these those its his her their".split())


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

    def __init__(self, sentences: Sequence[Sentence], subject: frozenset[str] = frozenset()) -> None:
        self.sentences = sentences
        self.subject = subject  # a disputed question's words: statements on it that oppose conflict
        self._read: dict[int, Statement] = {}

    def __getitem__(self, i: int) -> Statement:
        return self.read([i])[0]

    def read(self, indices: Sequence[int]) -> list[Statement]:
        """The statements of sentences `indices`, parsing the new ones together."""
        new = [i for i in dict.fromkeys(indices) if i not in self._read]
        for i, found in zip(new, statements([self.sentences[i].text for i in new]), strict=True):
            self._read[i] = found
        return [self._read[i] for i in indices]

    def sides(self, i: int) -> Relation | None:
        """On a disputed question, how the two sides sentence `i` gives differ (`agreement.within`:
        "A estimates $1.1 trillion; B puts the figure at $498 billion"), if it gives two that do."""
        parts = divided(self.sentences[i].text) if self.subject else None
        if parts is None or not about(self[i]) & self.subject:
            return None
        return strongest([within(*statements(list(parts)))])


def disputed(question: str) -> frozenset[str]:
    """What a question asks about when it asks about a disputed matter (its content words and
    names, see `agreement.about`), else nothing: two parties' words asked for ("What did Trump
    claim, and how did HuffPost respond?"; "What do King and Schultz say?") or the dispute named."""
    if not question.strip():
        return frozenset()
    (doc,) = entity_parses([question])
    verbs = [t for t in doc if t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in REPORTING]
    parties = any(
        c.dep_ == "nsubj" and any(g.dep_ == "conj" for g in c.children) for v in verbs for c in v.children
    )
    named = any(t.lemma_.lower() in DISPUTING for t in doc)
    if len(verbs) < 2 and not parties and not named:
        return frozenset()
    return about(read(doc)) - REPORTING - DISPUTING


def relation(
    said: Statements, mine: Sequence[int], theirs: Sequence[int], others: bool = True
) -> Relation | None:
    """How sentences `theirs` relate to `mine`: a conflict, else other figures, else None.
    On a disputed question (`said.subject`) statements of `others` (not the same speaker) on its
    subject that oppose conflict too (`agreement.opposes`)."""
    if said.subject and others:
        near = frozenset().union(*(about(s) for s in said.read(mine)))  # what the claim speaks of
        return strongest(
            opposes(
                said[k], said[j], said.subject, near if _refers_back(said.sentences[k].text) else frozenset()
            )
            for k in mine
            for j in theirs
        )
    return strongest(compare(said[k], said[j]) for k in mine for j in theirs)


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
    question: str = "",
) -> list[Claim]:
    """`claims`, each marked `against` an earlier one it conflicts with or gives other figures
    than, and a refutation quoted with its claim ("...," he said. That comment is a lie.) split
    off as a claim of its own; then the statements of `conflicts` that oppose them. When the
    `question` asks about a disputed matter (`disputed`), statements on its subject by others
    that oppose a claim are its other side (`agreement.opposes`)."""
    said.subject = disputed(question)
    index = {(s.source, s.start_char): n for n, s in enumerate(said.sentences)}
    marked: list[Claim] = []
    for claim in claims:
        span = claim.spans[0]
        own = [index[(s.source, s.start_char)] for s in span]
        if len(own) > 1 and _refutes(said, own[:-1], own[-1]):
            marked.append(Claim([span[:-1], *claim.spans[1:]], claim.score, claim.against, claim.relation))
            marked.append(Claim([span[-1:]], claim.score, len(marked) - 1, REBUTTAL))
            continue
        found, against = None, None
        for c, earlier in enumerate(marked):
            if earlier.against is not None:
                continue
            mine = [index[(s.source, s.start_char)] for s in earlier.spans[0]]
            found = relation(said, mine, own, not _same_speaker(said, who, mine[0], own[0]))
            if found is not None:
                against = c
                break
        if found is None and (found := next(filter(None, map(said.sides, own)), None)) is not None:
            against = len(marked)  # one sentence gives both sides
        marked.append(Claim(claim.spans, claim.score, against, found))
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
            if said.subject and _same_speaker(said, who, own[0], j):
                continue  # on a disputed question, the other side is someone else's
            found_relation = relation(said, own, [j])
            if found_relation is not None:
                candidates.append(
                    (int(found_relation.kind == "conflict"), float(scores[j]), j, found_relation)
                )
        for _, _, j, found_relation in sorted(candidates, key=lambda c: c[:3], reverse=True):
            if len(found) == MAX_CONFLICTS:
                return found
            if j in used:
                continue
            span = with_speaker(list(sentences), j)  # its own words only: no neighbour joins
            used.update(index[(s.source, s.start_char)] for s in span)
            found.append(Claim([span], float(scores[j]), against=c, relation=found_relation))
    return found + _two_sided(said, scores, open_, used, len(claims) + len(found), MAX_CONFLICTS - len(found))


def _two_sided(
    said: Statements, scores: np.ndarray, open_: list[int], used: set[int], at: int, room: int
) -> list[Claim]:
    """On a disputed question, the best-scoring sentence of `open_` that gives both sides itself
    ("Video shows ..., contradicting police's earlier claim that ..."), as claim number `at`."""
    for j in sorted(open_, key=lambda j: -scores[j]) if room > 0 and said.subject else []:
        found = None if j in used else said.sides(j)
        if found is not None:
            used.add(j)
            return [Claim([[said.sentences[j]]], float(scores[j]), against=at, relation=found)]
    return []


def _refers_back(text: str) -> bool:
    """A sentence that opens with a pronoun ("It was destined to fail."): what it speaks of is
    what the sentences before it in its claim speak of."""
    words = text.lstrip("\"'“‘( ").split(maxsplit=1)
    return bool(words) and words[0].lower().strip(",.;:") in REFERRING


def _same_speaker(said: Statements, who: list[Quote | None], i: int, j: int) -> bool:
    """One speaker says both (narration is no one's: it reports many)."""
    mine, other = who[i], who[j]
    return mine is not None and other is not None and mine.speaker == other.speaker


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
