"""The fast unit tier (`make test-fast`, marker `fast`): answer stages on in-memory passages with
a deterministic fake embedder, and a check that the tier loads neither the embedding model nor
Chroma."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.answers.extractive import ExtractiveAnswerer
from assistant.models import Passage
from assistant.retrieval.fusion import Fusion
from assistant.retrieval.scoring import Scorer
from tests.conftest import REPO
from tests.fakes import FakeEmbedder

TEXT = (
    "The harbour bridge reopened on Monday after two years of repairs, the city said.\n\n"
    "Ferry crossings fell by a third once the bridge carried traffic again.\n\n"
    "The mayor, Ines Castro, said the repairs cost 40 million euros."
)
# the embedding model's and the store's libraries; torch itself is imported by thinc when spaCy
# loads its parser (the rules need it), and gradio by collecting the web tests
HEAVY = ("chromadb", "sentence_transformers", "transformers", "onnxruntime")


def _passage(start: int, end: int, score: float) -> Passage:
    return Passage(
        source="harbour.txt",
        title="Harbour",
        date=None,
        start_char=start,
        end_char=end,
        start_line=TEXT.count("\n", 0, start) + 1,
        end_line=TEXT.count("\n", 0, end) + 1,
        text=TEXT[start:end],
        score=score,
    )


@pytest.mark.fast
def test_an_offline_answer_from_in_memory_passages_quotes_the_answering_sentence_exactly(
    fake_embedder: FakeEmbedder,
) -> None:
    mayor = TEXT.index("The mayor")
    passages = [_passage(0, mayor - 2, 0.5), _passage(mayor, len(TEXT), 0.4)]
    answer = ExtractiveAnswerer(Scorer(fake_embedder)).answer(
        "How much did the repairs of the bridge cost?", passages
    )
    quotes = [c.quote for c in answer.citations]
    assert "The mayor, Ines Castro, said the repairs cost 40 million euros." in quotes
    for citation in answer.citations:
        assert TEXT[citation.start_char : citation.end_char] == citation.quote
    assert fake_embedder.embedded  # the scorer's cosines came from the fake, not a model


@pytest.mark.fast
def test_the_fake_embedder_is_deterministic_and_closer_for_shared_words(fake_embedder: FakeEmbedder) -> None:
    texts = ["repairs of the bridge", "the bridge repairs cost", "ferry crossings fell"]
    a, b, c = fake_embedder.embed(texts)
    assert (fake_embedder.embed(["repairs of the bridge"])[0] == a).all()
    assert a @ b > a @ c


@pytest.mark.fast
def test_fusion_orders_in_memory_rankings() -> None:
    dense, lexical = [("a", 0.9), ("b", 0.5)], [("b", 3.0), ("c", 1.0)]
    assert Fusion("convex", 0.4).order(dense, lexical) == ["b", "a", "c"]
    assert Fusion("rrf", 1.0).order(dense, lexical)[0] == "b"  # b is in both rankings


@pytest.mark.slow
def test_the_fast_tier_loads_neither_the_embedding_model_nor_chroma() -> None:
    """Runs the whole fast tier in a new process, then lists what it imported."""
    code = (
        "import sys, pytest\n"
        "rc = pytest.main(['-m', 'fast', '-q', '-p', 'no:cacheprovider', 'tests'])\n"
        f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
        "sys.exit(rc)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=600, check=False
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "LOADED []" in run.stdout, run.stdout[-3000:]


@pytest.mark.fast
def test_the_scorer_embeds_a_sentence_once_and_forgets_the_least_recently_used(
    fake_embedder: FakeEmbedder,
) -> None:
    scorer = Scorer(fake_embedder, cache_size=2)
    scorer.vectors(["ferry one", "ferry two"])
    scorer.vectors(["ferry one"])  # remembered: "ferry one" is now the most recently used
    assert fake_embedder.embedded == ["ferry one", "ferry two"]
    scorer.vectors(["ferry three"])  # over the size: "ferry two", the least recently used, goes
    scorer.vectors(["ferry one", "ferry two"])
    assert fake_embedder.embedded == ["ferry one", "ferry two", "ferry three", "ferry two"]
