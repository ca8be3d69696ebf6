"""Sentence vectors from the chunk's own model pass: stored at ingest, read at query time."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant, Settings, reindex
from assistant.text.sentences import sentence_spans
from tests.conftest import assert_citations_exact
from vectorstore import Embedder

ARTICLE = (
    "Harbour officials in Velmora closed the north pier on Tuesday after a crane collapsed.\n"
    "No one was hurt, said Ines Darrow, the port's safety director.\n"
    "“We will reopen the pier once every crane has been inspected,” Darrow said.\n"
    "Fishing boats were sent to the southern basin until Friday.\n"
)


def write_articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "velmora.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "orchard.txt").write_text(
        "The Lindqvist orchard lost half its apple harvest to a late frost in May.\n"
        "Growers in the valley asked the county for emergency loans.\n",
        encoding="utf-8",
    )
    return folder


def encoded_texts(assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the model reads from now on (standalone or in context)."""
    seen: list[str] = []
    model = assistant.embedder._load()
    encode_spans = model.encode_spans

    def spy(texts: list[str], spans: object, *args: object) -> object:
        seen.extend(texts)
        return encode_spans(texts, spans, *args)

    monkeypatch.setattr(model, "encode_spans", spy)
    return seen


def test_a_stored_sentence_vector_is_the_mean_of_its_word_pieces_in_the_chunk(tmp_path: Path) -> None:
    embedder = Embedder(vector_cache=tmp_path / "vectors.sqlite")
    spans = sentence_spans(ARTICLE)
    chunk_vector = embedder.embed_in_context([ARTICLE], [spans])[0]
    assert np.allclose(chunk_vector, Embedder().embed([ARTICLE])[0], atol=1e-6)  # the chunk's own vector

    model = embedder._load()
    encoding = embedder.tokenizer.encode(ARTICLE, add_special_tokens=True)
    ids = np.array([encoding.ids], dtype=np.int64)
    feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
    tokens = model.session.run(["token_embeddings"], feed)[0][0]
    stored = embedder.span_vectors([ARTICLE[s:e] for s, e in spans])
    assert len(stored) == len(spans) == 4
    for start, end in spans:
        inside = [
            n
            for n, (a, b) in enumerate(encoding.offsets)
            if b > a and a >= start and b <= end  # special tokens have empty offsets
        ]
        mean = tokens[inside].mean(axis=0)
        assert np.allclose(stored[ARTICLE[start:end]], mean / np.linalg.norm(mean), atol=1e-5)
    # in-context vectors are kept apart: the same sentence embedded alone is another vector
    alone = embedder.embed([ARTICLE[spans[1][0] : spans[1][1]]])[0]
    assert not np.allclose(alone, stored[ARTICLE[spans[1][0] : spans[1][1]]], atol=1e-3)


def test_span_vectors_do_not_depend_on_the_batch() -> None:
    model = Embedder()._load()
    spans = sentence_spans(ARTICLE)
    other = "A much longer text about something else entirely, " * 6
    _, alone = model.encode_spans([ARTICLE], [spans], 8)
    _, batched = model.encode_spans([other, ARTICLE, "Short."], [[(0, 6)], spans, [(0, 5)]], 8)
    for a, b in zip(alone[0], batched[1], strict=True):
        assert a is not None and b is not None
        assert np.allclose(a, b, atol=1e-5)


def test_a_first_sight_ask_embeds_only_the_question_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest([write_articles(tmp_path / "articles")])
    fresh = Assistant(data_dir=tmp_path / "index")  # a new process: nothing in memory
    seen = encoded_texts(fresh, monkeypatch)
    answer = fresh.ask("Why was the north pier closed?")
    assert seen == ["Why was the north pier closed?"]
    assert answer.citations and "crane collapsed" in answer.citations[0].quote
    assert_citations_exact(answer)
    cache = sqlite3.connect(tmp_path / "index" / "vectors.sqlite")
    rows = cache.execute("SELECT count(*) FROM vectors").fetchone()[0]
    fresh.ask("Who is the port's safety director?")
    assert cache.execute("SELECT count(*) FROM vectors").fetchone()[0] == rows  # queries are not stored


def test_reingesting_stored_text_costs_no_model_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = write_articles(tmp_path / "articles")
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest([articles])
    velmora = next(s.source for s in assistant.sources() if s.source.endswith("velmora.txt"))
    assistant.remove([velmora])
    seen = encoded_texts(assistant, monkeypatch)
    report = assistant.ingest([articles])  # its chunks are stored again, from the vector cache
    assert report.added == [velmora] and report.chunks > 0
    assert seen == []
    answer = assistant.ask("Why was the north pier closed?")
    assert "crane collapsed" in answer.citations[0].quote


def test_an_index_without_sentence_vectors_still_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = Assistant(data_dir=tmp_path / "index")
    old.embedder._in_context = None  # as ingest did before sentence vectors were stored
    old.ingest([write_articles(tmp_path / "articles")])
    fresh = Assistant(data_dir=tmp_path / "index")
    seen = encoded_texts(fresh, monkeypatch)
    answer = fresh.ask("Why was the north pier closed?")
    assert seen[0] == "Why was the north pier closed?"
    assert len(seen) > 1  # its sentences were embedded at query time instead
    assert answer.citations and "crane collapsed" in answer.citations[0].quote
    assert_citations_exact(answer)

    reindex(Settings(data_dir=str(tmp_path / "index")))  # gives it sentence vectors
    rebuilt = Assistant(data_dir=tmp_path / "index")
    seen = encoded_texts(rebuilt, monkeypatch)
    rebuilt.ask("Who is the port's safety director?")
    assert seen == ["Who is the port's safety director?"]
