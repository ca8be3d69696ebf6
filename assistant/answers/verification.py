"""Checking a language model's answer against the passages it was given.

Markers `[n]` that point at no passage are dropped; every cited claim is scored against
the sentences of its passages and its citation narrowed to the best-supporting sentence;
a claim that no cited sentence supports, or whose quotation is not verbatim in a cited
passage, is listed as unsupported. Only the model's text is parsed for markers: passages
reach the model with their own `[n]`-like text neutralized (see `evidence.neutralize_markers`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from assistant.answers.evidence import cite, looks_like_instruction, with_speaker
from assistant.answers.rendering import NOT_COVERED, NOTHING_SUPPORTED
from assistant.attribution.agreement import departs
from assistant.attribution.claims import statements
from assistant.models import Answer, Citation, Passage, Sentence
from assistant.retrieval.scoring import Scorer, score_sentences, sentences_of
from assistant.text.names import entities
from assistant.text.sentences import sentence_spans
from assistant.text.terms import terms
from assistant.text.words import NEGATIONS, ROLE_NOUNS

# A claim needs at least this combined score against a sentence of a cited passage.
SUPPORT_THRESHOLD = 0.35
NOT_IN_SOURCES = "NOT_IN_SOURCES"
MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_QUOTED = re.compile(r"[“\"]([^”\"]{8,}?)[”\"]")
_SPACES = re.compile(r"\s+")
_SPACES_IN_LINE = re.compile(r"[ \t]{2,}")
_PLAIN_QUOTES = str.maketrans("“”‘’", "\"\"''")
_MARKERS_AFTER_STOP = re.compile(r"([.!?][\"”’]?)((?:\s*\[\d+(?:\s*,\s*\d+)*\])+)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORDS = re.compile(r"[\w']+")
# Share of a claim's other content words that may be missing from its cited text (paraphrase).
MAY_BE_MISSING = 1 / 4


def _normalized(text: str) -> str:
    """Same quote marks and spacing, for checking quotations verbatim."""
    text = text.translate(_PLAIN_QUOTES)
    return _SPACES.sub(" ", text).strip()


def best_support(
    claim: str, passage_numbers: Sequence[int], passages: Sequence[Passage], scorer: Scorer
) -> tuple[float, list[Sentence]]:
    """The best-scoring sentence (with the other half of a quotation it is part of) that states
    what `claim` asserts (see `states`); (0.0, []) when none does."""
    chosen = [passages[n - 1] for n in passage_numbers]
    evidence = [  # `passage` indexes `passages` again, not `chosen`
        replace(s, passage=passage_numbers[s.passage] - 1)
        for s in sentences_of(chosen)
        if not looks_like_instruction(s.text)
    ]
    if not evidence:
        return 0.0, []
    scores = score_sentences(scorer, claim, evidence)
    for best in np.argsort(-scores, kind="stable"):
        span = with_speaker(evidence, int(best))
        before = evidence[best - 1] if best > 0 and evidence[best - 1].passage == span[0].passage else None
        cited, context = " ".join(s.text for s in span), before.text if before else ""
        if states(claim, cited, context) and not says_otherwise(claim, cited, context):
            return float(scores[best]), span
    return 0.0, []


def says_otherwise(claim: str, cited: str, before: str = "") -> bool:
    """True when `claim`, compared slot by slot with `cited`, says something else
    (`agreement.departs`: a negation dropped or added, numbers moved to another counted thing,
    a clause the cited text does not contain)."""
    said, source, context = statements([claim, cited, before])
    return departs(said, source, context).kind != "none"


def states(claim: str, cited: str, before: str = "") -> bool:
    """True when `cited` says what `claim` asserts: its names, numbers, dates and roles are all
    there, a negation in it is there too, and most of its other content words are there.

    Names and roles may also come from `before`, the sentence before the cited one ("...
    Boichenko said." then "He called for ..."). Shared rare words alone never suffice: "Vadym
    Boichenko is the president of France" is not stated by a sentence about Mayor Boichenko.
    """
    cited_terms = set(terms(cited))
    context_terms = cited_terms | set(terms(before))
    cited_words = {w.lower() for w in _WORDS.findall(cited)}
    words = [w.lower() for w in _WORDS.findall(claim)]
    first = words[0] if words else ""
    # A capitalised first word the cited text lacks may be an ordinary word: counted with the rest.
    names = [n for n in entities(claim) if n.lower() != first or n.lower() in cited_words]
    name_terms = {t for name in names for t in terms(name)}
    if not name_terms <= context_terms:
        return False
    if not {_plain_number(n) for n in _NUMBER.findall(claim)} <= {
        _plain_number(n) for n in _NUMBER.findall(cited)
    }:
        return False
    if not {stem for w in words if w in ROLE_NOUNS for stem in terms(w)} <= context_terms:
        return False
    if any(w in NEGATIONS for w in words) and not any(w in NEGATIONS for w in cited_words):
        return False
    rest = {t for t in terms(claim) if t not in name_terms and not t[:1].isdigit()}
    missing = [t for t in rest if not any(_same_word(t, c) for c in cited_terms)]
    return len(missing) <= int(len(rest) * MAY_BE_MISSING)


def _same_word(a: str, b: str) -> bool:
    """Stems of one word ("continue", "continu" of "continuation"): equal, or one the other's start."""
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 5 and longer.startswith(shorter[:-1]) and len(longer) - len(shorter) <= 3


def _plain_number(number: str) -> str:
    """ "100,000" and "100000" alike; a trailing full stop is no decimal point."""
    return number.replace(",", "").rstrip(".")


def verify(question: str, draft: str, passages: Sequence[Passage], scorer: Scorer) -> Answer:
    """Turn a model's draft into an Answer whose every citation is checked and exact."""
    if draft.strip().startswith(NOT_IN_SOURCES) or not passages:
        return Answer(question, NOT_COVERED, [], list(passages), False, [], "llm")
    # "... 71 days. [1]" -> "... 71 days [1]." so that markers stay with their sentence.
    draft = _MARKERS_AFTER_STOP.sub(r"\2\1", draft)
    citations: list[Citation] = []
    unsupported: list[str] = []
    pieces: list[str] = []
    position = 0
    for start, end in sentence_spans(draft):
        sentence = draft[start:end]
        claim = MARKER.sub("", sentence).strip()
        numbers = sorted(
            {int(n) for group in MARKER.findall(sentence) for n in group.split(",")}
            & set(range(1, len(passages) + 1))
        )
        kept = claim
        if numbers and terms(claim):
            support, span = best_support(claim, numbers, passages, scorer)
            quotes_ok = _quotes_are_verbatim(claim, [passages[n - 1] for n in numbers])
            if support >= SUPPORT_THRESHOLD and span and quotes_ok:
                kept += f" [{_numbered(citations, passages, span).n}]"
            else:
                unsupported.append(claim)
                kept = ""  # left out of the answer, not shown in it
        elif terms(claim) and not claim.endswith(":"):
            unsupported.append(claim)
            kept = ""
        pieces.append(draft[position:start] + kept)
        position = end
    pieces.append(draft[position:])
    text = _SPACES_IN_LINE.sub(" ", "".join(pieces)).strip()
    if not citations:  # nothing the model wrote is supported: none of it is shown
        text = NOTHING_SUPPORTED
    return Answer(question, text, citations, list(passages), bool(citations), unsupported, "llm")


def _numbered(citations: list[Citation], passages: Sequence[Passage], span: list[Sentence]) -> Citation:
    """The citation of `span`, reusing the number of an identical earlier one."""
    candidate = cite(passages, len(citations) + 1, span[0], span[-1])
    for existing in citations:
        if (existing.source, existing.start_char, existing.end_char) == (
            candidate.source,
            candidate.start_char,
            candidate.end_char,
        ):
            return existing
    citations.append(candidate)
    return candidate


def _quotes_are_verbatim(claim: str, cited: Sequence[Passage]) -> bool:
    """Every quotation in `claim` occurs word for word in one of the cited passages."""
    haystacks = [_normalized(p.text) for p in cited]
    return all(
        any(_normalized(quote) in haystack for haystack in haystacks) for quote in _QUOTED.findall(claim)
    )
