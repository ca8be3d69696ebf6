"""Sentences of retrieved passages as citable evidence, and how well each matches a text.

Both answerers use this: the extractive one to pick the sentences it writes, the
verifier to narrow a model's citation to the sentences that support its claim.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.followups import entities
from assistant.quotes import page_of
from assistant.records import Citation, Passage
from assistant.sentences import sentence_spans
from assistant.terms import idf_weights, overlap, terms
from vectorstore import Embedder

# Weights of the sentence score; chosen on SQuAD train-style questions outside the benchmark
# sample (see scripts/calibrate.py and the README).
SEMANTIC_WEIGHT = 0.5
LEXICAL_WEIGHT = 0.5
_PRONOUN = re.compile(r"\b(he|she|they|his|her|their|him|them)\b", re.IGNORECASE)
_CITATION_LIKE = re.compile(r"\[(\d{1,3})\]")
_INSTRUCTION_LIKE = re.compile(
    r"(?i)\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|prompts?|rules)\b"
    r"|\b(system prompt|you are (an? )?(ai|assistant|language model)|as an ai)\b"
    r"|\b(assistant|ai|model|chatbot)s?\b.{0,30}\b(must|should|shall)\b"
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a retrieved passage, with its exact place in the file."""

    passage: int  # index into the retrieved passages
    source: str
    title: str
    date: str | None
    start_char: int
    end_char: int
    start_line: int
    end_line: int
    text: str


def cite(passages: Sequence[Passage], n: int, first: Sentence, last: Sentence | None = None) -> Citation:
    """A citation of `first`, or of `first` through `last` (a later sentence of the same passage)."""
    last = last or first
    passage = passages[first.passage]
    if last.passage != first.passage or last.end_char < first.end_char:
        raise ValueError("a two-sentence citation needs two sentences of one passage, in order")
    offset = passage.start_char
    return Citation(
        n=n,
        source=first.source,
        title=first.title,
        date=first.date,
        start_char=first.start_char,
        end_char=last.end_char,
        start_line=first.start_line,
        end_line=last.end_line,
        quote=passage.text[first.start_char - offset : last.end_char - offset],
        outlet=passage.outlet,
        extracted=passage.extracted,
        page=page_of(passage.page_starts, first.start_char),
        end_page=page_of(passage.page_starts, last.end_char - 1),
    )


def sentences_of(passages: Sequence[Passage]) -> list[Sentence]:
    """Every distinct sentence of `passages` (overlapping chunks share some), in passage order."""
    seen: set[tuple[str, int]] = set()
    result = []
    for index, passage in enumerate(passages):
        for start, end in sentence_spans(passage.text):
            key = (passage.source, passage.start_char + start)
            if key in seen:
                continue
            seen.add(key)
            result.append(
                Sentence(
                    passage=index,
                    source=passage.source,
                    title=passage.title,
                    date=passage.date,
                    start_char=passage.start_char + start,
                    end_char=passage.start_char + end,
                    start_line=passage.start_line + passage.text.count("\n", 0, start),
                    end_line=passage.start_line + passage.text.count("\n", 0, end - 1),
                    text=passage.text[start:end],
                )
            )
    return result


def opens_a_quote(text: str) -> bool:
    """True when `text` opens a quotation it does not close."""
    if text.count("“") != text.count("”"):
        return text.count("“") > text.count("”")
    return text.count('"') % 2 == 1 and text.lstrip().startswith('"')


def closes_a_quote(text: str) -> bool:
    """True when `text` closes a quotation opened before it."""
    if text.count("“") != text.count("”"):
        return text.count("”") > text.count("“")
    return text.count('"') % 2 == 1 and not text.lstrip().startswith('"')


def with_speaker(sentences: Sequence[Sentence], i: int) -> list[Sentence]:
    """Sentence `i`, joined with its neighbour when a quotation runs across both.

    A quote's attribution ("..., Palamar said.") often sits in the sentence that closes it,
    so a citation of half a quotation takes the other half too: a sentence or two.
    """
    here = sentences[i]
    if opens_a_quote(here.text) and i + 1 < len(sentences) and sentences[i + 1].passage == here.passage:
        return [here, sentences[i + 1]]
    if closes_a_quote(here.text) and i > 0 and sentences[i - 1].passage == here.passage:
        return [sentences[i - 1], here]
    return [here]


def looks_like_instruction(text: str) -> bool:
    """True for text that addresses an AI rather than reports news: never evidence."""
    return bool(_INSTRUCTION_LIKE.search(text))


def neutralize_markers(text: str) -> str:
    """Write document text's `[3]` as `(3)` so it cannot pass for a citation marker."""
    return _CITATION_LIKE.sub(r"(\1)", text)


def score_sentences(scorer: Scorer, query: str, sentences: Sequence[Sentence]) -> np.ndarray:
    """Combined scores of `sentences`, where a sentence that speaks of "he", "she" or "they"
    also matches the names of the sentence before it ("... Boichenko called for ..." then
    "“...,” he said on Telegram."): coreference at its simplest, for the lexical part only."""
    ending_at = {(s.source, s.end_char): s for s in sentences}
    context = []
    for sentence in sentences:
        previous = None
        if _PRONOUN.search(sentence.text):  # the sentence before it, in whichever passage it came
            gap = range(sentence.start_char - 1, max(sentence.start_char - 4, -1), -1)
            previous = next(
                (ending_at[(sentence.source, e)] for e in gap if (sentence.source, e) in ending_at), None
            )
        context.append(" ".join(entities(previous.text)) if previous else "")
    scores, _, _ = scorer.score(query, [s.text for s in sentences], context)
    return scores


class Scorer:
    """Scores sentences against a text: cosine of embeddings plus IDF-weighted word overlap.

    Sentence vectors are cached by text, so a sentence is embedded once per process.
    """

    def __init__(self, embedder: Embedder, cache_size: int = 50_000) -> None:
        self.embedder = embedder
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of `texts`, from the cache where possible."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        fresh = self.embedder.embed(missing) if missing else None
        with self._lock:
            for i, text in enumerate(missing):
                assert fresh is not None
                self._cache[text] = fresh[i]
            for text in texts:
                self._cache.move_to_end(text)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
            return np.vstack([self._cache[t] for t in texts]) if texts else np.zeros((0, 1))

    def score(
        self, query: str, candidates: Sequence[str], context: Sequence[str] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Combined, semantic and lexical scores of each candidate against `query`.

        `context[i]`, when given, adds its words to candidate i's lexical match only.
        """
        if not candidates:
            empty = np.zeros(0)
            return empty, empty, empty
        vectors = self.vectors([query, *candidates])
        semantic = vectors[1:] @ vectors[0]
        extra = context or [""] * len(candidates)
        candidate_terms = [terms(c) + terms(e) for c, e in zip(candidates, extra, strict=True)]
        idf = idf_weights(candidate_terms)
        query_terms = terms(query)
        lexical = np.array([overlap(query_terms, ct, idf) for ct in candidate_terms])
        return SEMANTIC_WEIGHT * semantic + LEXICAL_WEIGHT * lexical, semantic, lexical
