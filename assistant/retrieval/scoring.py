"""Sentences of retrieved passages, and how well each matches a text: cosine of embeddings plus
IDF-weighted word overlap. The hybrid reranker, the offline answerer and the verifier of model
answers all score sentences with this.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

import numpy as np
from cachetools import LRUCache

from assistant.models import Passage, Sentence
from assistant.text.names import entities
from assistant.text.sentences import sentence_spans
from assistant.text.terms import idf_weights, overlap, terms
from vectorstore import Embedder

# Weights of the sentence score; chosen on SQuAD train-style questions outside the benchmark
# sample (see scripts/calibrate.py and docs/answers.md).
SEMANTIC_WEIGHT = 0.5
LEXICAL_WEIGHT = 0.5
# Sentences embedded per question by the reranker and the answerer when they score a first sight
# of passages whose sentence vectors ingest did not store (an older index, the torch backend): the
# best by word overlap with their passage's cosine standing in (see `Scorer.score`).
EMBED_LIMIT = 16
_PRONOUN = re.compile(r"\b(he|she|they|his|her|their|him|them)\b", re.IGNORECASE)


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


def score_sentences(
    scorer: Scorer,
    query: str,
    sentences: Sequence[Sentence],
    passages: Sequence[Passage] | None = None,
    embed: int | None = None,
) -> np.ndarray:
    """Combined scores of `sentences`, where a sentence that speaks of "he", "she" or "they"
    also matches the names of the sentence before it ("... Boichenko called for ..." then
    "“...,” he said on Telegram."): coreference at its simplest, for the lexical part only.

    With the `passages` the sentences were read from and `embed`, only the `embed` sentences that
    score best with their passage's cosine standing in for their own are embedded (see
    `Scorer.score`): a first sight of thirty passages costs `embed` model calls, not hundreds.
    """
    return score_parts(scorer, query, sentences, passages, embed)[0]


def score_parts(
    scorer: Scorer,
    query: str,
    sentences: Sequence[Sentence],
    passages: Sequence[Passage] | None = None,
    embed: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Combined, semantic and lexical scores of `sentences`, as `score_sentences` makes them."""
    stand_in = [passages[s.passage].score for s in sentences] if passages is not None else None
    texts = [s.text for s in sentences]
    return scorer.score(query, texts, sentence_contexts(sentences), stand_in, embed)


def sentence_contexts(sentences: Sequence[Sentence]) -> list[str]:
    """For each sentence that speaks of "he", "she" or "they", the names of the sentence before
    it (in whichever passage it came); "" for the others."""
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
    return context


class Scorer:
    """Scores sentences against a text: cosine of embeddings plus IDF-weighted word overlap.

    Sentence vectors are cached by text, so a sentence is embedded once per process, and are
    taken from those ingest stored in context (one lookup, no model pass) where there are any.
    """

    def __init__(self, embedder: Embedder, cache_size: int = 50_000) -> None:
        self.embedder = embedder
        self.cache_size = cache_size
        self._cache: LRUCache[str, np.ndarray] = LRUCache(maxsize=cache_size)
        self._term_cache: LRUCache[str, list[str]] = LRUCache(maxsize=cache_size)
        self._lock = threading.Lock()

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of `texts`: from memory, else the in-context vectors ingest stored (see
        `Embedder.embed_in_context`), else embedded now."""
        found = self.known(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            found.update(zip(missing, self.embedder.embed(missing), strict=True))
            self._remember(found)
        return np.vstack([found[t] for t in texts]) if texts else np.zeros((0, 1))

    def alone(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of `texts`, each embedded on its own (never the in-context vectors of
        ingest): for comparing two sentences with each other rather than with a question."""
        return self.embedder.embed(list(texts))

    def known(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The vectors of those `texts` that cost no model pass: in memory or stored by ingest."""
        with self._lock:
            found = {t: self._cache[t] for t in texts if t in self._cache}
        wanted = [t for t in dict.fromkeys(texts) if t not in found]
        stored = self.embedder.span_vectors(wanted) if wanted else {}
        if stored:
            found.update(stored)
            self._remember(stored)
        return found

    def _remember(self, vectors: dict[str, np.ndarray]) -> None:
        with self._lock:
            self._cache.update(vectors)

    def score(
        self,
        query: str,
        candidates: Sequence[str],
        context: Sequence[str] | None = None,
        stand_in: Sequence[float] | None = None,
        embed: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Combined, semantic and lexical scores of each candidate against `query`.

        `context[i]`, when given, adds its words to candidate i's lexical match only. With
        `stand_in` (a cosine for each candidate, such as its passage's) and `embed`, only
        candidates with a vector at hand (see `known`) and those of the `embed` best (with the
        stand-in for the others) are scored by their own vector; the others keep the stand-in.
        """
        if not candidates:
            empty = np.zeros(0)
            return empty, empty, empty
        extra = context or [""] * len(candidates)
        candidate_terms = [self._terms(c) + self._terms(e) for c, e in zip(candidates, extra, strict=True)]
        idf = idf_weights(candidate_terms)
        query_terms = terms(query)
        lexical = np.array([overlap(query_terms, ct, idf) for ct in candidate_terms])
        query_vector = self.embedder.embed_query(query)
        if stand_in is None or embed is None or embed >= len(candidates):
            semantic = self.vectors(candidates) @ query_vector
        else:
            semantic = np.array(stand_in, dtype=float)
            known = self.known(candidates)
            have = [i for i, c in enumerate(candidates) if c in known]
            if have:
                semantic[have] = np.vstack([known[candidates[i]] for i in have]) @ query_vector
            order = np.argsort(-(SEMANTIC_WEIGHT * semantic + LEXICAL_WEIGHT * lexical), kind="stable")
            chosen = [i for i in order[:embed] if candidates[i] not in known]
            if chosen:
                semantic[chosen] = self.vectors([candidates[i] for i in chosen]) @ query_vector
        return SEMANTIC_WEIGHT * semantic + LEXICAL_WEIGHT * lexical, semantic, lexical

    def clear(self) -> None:
        """Forget every cached vector and word list (a benchmark of first sight starts here)."""
        with self._lock:
            self._cache.clear()
            self._term_cache.clear()

    def _terms(self, text: str) -> list[str]:
        """`terms(text)`, remembered: the same sentences are scored question after question."""
        with self._lock:
            found = self._term_cache.get(text)
        if found is None:
            found = terms(text)
            with self._lock:
                self._term_cache[text] = found
        return found
