"""Do two statements agree, conflict, or neither? A documented method, measured in docs/answers.md.

No NLI or cross-encoder model ships offline on PyPI with weights that could be verified, so
the method is:

- **topic**: cosine similarity of the two statements' embeddings (the bundled MiniLM);
- **stance**: a statement denies when a strong denial cue ("no one", "never", "denied",
  "false", "contradicted", ...) opens it or introduces it (its first 12 words);
- **conflict**: on the same topic (cosine >= CONFLICT_TOPIC) with opposite stance (one denies,
  the other does not), or with different numbers for the same counted thing;
- **agree**: on the same topic (cosine >= AGREE_TOPIC, or >= SHARED_NUMBER_TOPIC when they
  share a number) with the same stance.

Speakers are never merged: a claim is the words of one speaker in one source; agreement and
conflict are reported next to the claims, each with its own speaker and citation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.models import Quote
from assistant.text.words import DENIALS, alternation

CONFLICT_TOPIC = 0.3
AGREE_TOPIC = 0.75
SHARED_NUMBER_TOPIC = 0.6
COVERED = 0.4
DENIAL_WINDOW = 12  # words: a denial opens the statement or introduces it
_DENIAL = re.compile(rf"(?i)\b(?:{alternation(DENIALS)})\b")
_NUMBER = re.compile(r"\b(\d[\d,.]*)\s+([a-z]+)")


def denies(text: str) -> bool:
    """True when a denial opens the statement ("No one knocked out anyone") or introduces it
    ("Russia on Thursday denied that ..."): a strong cue within its first DENIAL_WINDOW words.
    A plain "not" deep in a sentence ("did not allow evacuation") is no denial of another claim."""
    opening = " ".join(re.sub(r"^[\W_]+", "", text).split()[:DENIAL_WINDOW])
    return bool(_DENIAL.search(opening))


def _counts(text: str) -> dict[str, str]:
    """Numbers by the word they count: "71 days" -> {"days": "71"}."""
    return {unit: number.rstrip(".,") for number, unit in _NUMBER.findall(text)}


def relation(a: str, b: str, similarity: float) -> str:
    """ "agree", "conflict" or "neutral" for two statements with embedding cosine `similarity`."""
    if similarity < CONFLICT_TOPIC:
        return "neutral"
    counts_a, counts_b = _counts(a), _counts(b)
    shared_units = set(counts_a) & set(counts_b)
    if any(counts_a[u] != counts_b[u] for u in shared_units) and similarity >= SHARED_NUMBER_TOPIC:
        return "conflict"
    if denies(a) != denies(b):
        return "conflict"
    shared_number = bool(set(counts_a.values()) & set(counts_b.values()))
    if similarity >= AGREE_TOPIC or (similarity >= SHARED_NUMBER_TOPIC and shared_number):
        return "agree"
    return "neutral"


def speaker_of(quotes: Sequence[Quote], source: str, start: int, end: int) -> Quote | None:
    """The attributed quote that covers most of `source[start:end]`, if it covers at least
    COVERED of it (a citation that is mostly narration is not put in anyone's mouth)."""
    best, best_overlap = None, 0
    for quote in quotes:
        if quote.source != source or quote.speaker is None:
            continue
        overlap = min(end, quote.end_char) - max(start, quote.start_char)
        if overlap > best_overlap:
            best, best_overlap = quote, overlap
    return best if best_overlap >= COVERED * (end - start) else None
