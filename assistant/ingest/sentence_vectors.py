"""Rebuilding the vector cache's in-context sentence vectors from the stored passages.

Ingest stores each sentence's vector as the model read it within its chunk; answers score
sentences with those. When the cache is dropped (it failed its integrity check), answers would
fall back to sentences embedded alone and could change, so the vectors are made again, from the
same chunk texts and sentence spans, before the index is used.
"""

from __future__ import annotations

from assistant.text.sentences import sentence_spans
from vectorstore import ChromaStore, Embedder

BATCH = 256  # chunks per model pass


def rebuild_sentence_vectors(store: ChromaStore, embedder: Embedder) -> int:
    """Embed every stored passage with its sentences in context, into the vector cache; how many."""
    texts: list[str] = []
    done = 0
    for _, text, _ in store.everything():
        texts.append(text)
        if len(texts) == BATCH:
            done += _embed(embedder, texts)
            texts = []
    done += _embed(embedder, texts)
    embedder.flush()
    return done


def _embed(embedder: Embedder, texts: list[str]) -> int:
    if texts:
        embedder.embed_in_context(texts, [sentence_spans(text) for text in texts])
    return len(texts)
