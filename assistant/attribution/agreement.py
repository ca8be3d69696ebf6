"""Do two statements agree, conflict, or neither? A documented method, measured in docs/answers.md.

No NLI or cross-encoder model ships offline on PyPI with weights that could be verified, so
the method is:

- **topic**: cosine similarity of the two statements' embeddings (the bundled MiniLM);
- **stance**: a statement denies when a strong denial cue ("no one", "never", "denied",
  "false", "contradicted", ...) opens it or introduces it (its first 12 words);
- **conflict**: on the same claim (cosine >= STANCE_TOPIC) with opposite stance (one denies,
  the other does not), or with different numbers for the same counted thing on the same topic;
- **figures**: different numbers for the same counted thing (the same noun after the number and
  at least FIGURES_CONTEXT of the same content words after it: "200 and 300 civilians still
  inside the plant" / "roughly 200 civilians and soldiers still trapped inside"), however the
  rest of the two sentences is worded: shown side by side, not called a disagreement;
- **agree**: on the same topic (cosine >= AGREE_TOPIC, or >= SHARED_NUMBER_TOPIC when they
  share a number) with the same stance.

Speakers are never merged: a claim is the words of one speaker in one source; agreement and
conflict are reported next to the claims, each with its own speaker and citation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.models import Quote
from assistant.text.words import DENIALS, STOP_WORDS, alternation

CONFLICT_TOPIC = 0.3
# A denial contradicts only a statement about the same claim: "No one knocked out anyone" is
# no answer to "between 200 and 300 civilians are inside" (cosine 0.36 with the bundled MiniLM).
STANCE_TOPIC = 0.4  # set looking at the civilians pair and eval/agreement.jsonl: tuned, not held out
FIGURES_CONTEXT = 2  # content words shared after the counted noun: the same thing counted
_CONTEXT_WORDS = 6
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


def _counted(text: str) -> dict[str, tuple[set[str], set[str]]]:
    """By counted noun, its figures and the content words that follow it: "200 and 300
    civilians still inside the plant" -> {"civilians": ({"200", "300"}, {"still", "inside", "plant"})}."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    words = re.findall(r"[\w’'\-.,]+", text)
    for n, word in enumerate(words):
        if not re.fullmatch(r"\d[\d,.]*", word.rstrip(".,")):
            continue
        for k in range(n + 1, min(n + 4, len(words))):  # "200 and 300 civilians", "25 more civilians"
            noun = words[k].rstrip(".,").lower()
            if noun.isalpha() and noun not in STOP_WORDS:
                after = {w.rstrip(".,").lower() for w in words[k + 1 : k + 1 + _CONTEXT_WORDS]}
                figures, context = found.setdefault(noun, (set(), set()))
                figures.add(word.rstrip(".,"))
                context.update(w for w in after if w.isalpha() and w not in STOP_WORDS)
                break
    return found


def differing_figures(a: str, b: str) -> bool:
    """True when `a` and `b` give different numbers for the same counted thing."""
    counted_a, counted_b = _counted(a), _counted(b)
    for noun in set(counted_a) & set(counted_b):
        (figures_a, context_a), (figures_b, context_b) = counted_a[noun], counted_b[noun]
        if figures_a != figures_b and len(context_a & context_b) >= FIGURES_CONTEXT:
            return True
    return False


def relation(a: str, b: str, similarity: float) -> str:
    """ "agree", "conflict", "figures" or "neutral" for two statements with embedding cosine `similarity`."""
    if differing_figures(a, b):
        return "figures"
    if similarity < CONFLICT_TOPIC:
        return "neutral"
    counts_a, counts_b = _counts(a), _counts(b)
    shared_units = set(counts_a) & set(counts_b)
    if any(counts_a[u] != counts_b[u] for u in shared_units) and similarity >= SHARED_NUMBER_TOPIC:
        return "conflict"
    if denies(a) != denies(b) and similarity >= STANCE_TOPIC:
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
