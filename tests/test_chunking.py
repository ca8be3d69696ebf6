import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.ingest.chunking import SPECIAL_TOKENS, Chunker
from assistant.ingest.reading import read_document
from assistant.models import Chunk, Document
from assistant.text.sentences import sentence_spans
from tests.conftest import SEEDS, line_of
from vectorstore import Embedder


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


@pytest.fixture(scope="module")
def chunker(embedder: Embedder) -> Chunker:
    return Chunker(
        count_tokens=embedder.count_tokens,
        token_spans=embedder.token_spans,
        max_tokens=embedder.max_tokens - SPECIAL_TOKENS,
    )


def document(text: str, source: str = "doc.txt") -> Document:
    return Document(source=source, text=text, sha256="0" * 64, title="t", date=None)


def assert_exact(text: str, chunks: list[Chunk]) -> None:
    for chunk in chunks:
        assert text[chunk.start_char : chunk.end_char] == chunk.text
        assert chunk.start_line == line_of(text, chunk.start_char)
        assert chunk.end_line == line_of(text, chunk.end_char - 1)
    assert [c.chunk_index for c in chunks] == list(range(len(chunks)))


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_every_seed_chunk_slices_back_to_its_text_and_lines(seed: Path, chunker: Chunker) -> None:
    doc = read_document(seed)
    chunks = chunker.chunk(doc)
    assert len(chunks) >= 2
    assert_exact(doc.text, chunks)
    # And against the raw bytes on disk, decoded the documented way.
    raw = seed.read_bytes().decode("utf-8-sig")
    for chunk in chunks:
        assert raw[chunk.start_char : chunk.end_char] == chunk.text
        lines = raw.split("\n")
        assert chunk.text in "\n".join(lines[chunk.start_line - 1 : chunk.end_line])
        assert chunk.text not in "\n".join(lines[chunk.start_line : chunk.end_line])


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seed_chunks_are_whole_sentences_that_fit_the_model(
    seed: Path, chunker: Chunker, embedder: Embedder
) -> None:
    doc = read_document(seed)
    chunks = chunker.chunk(doc)
    spans = sentence_spans(doc.text)
    starts, ends = {s for s, _ in spans}, {e for _, e in spans}
    for chunk in chunks:
        assert chunk.start_char in starts and chunk.end_char in ends
        encoded = embedder.tokenizer.encode(chunk.text)  # with [CLS] and [SEP]
        assert len(encoded.ids) <= embedder.max_tokens
    # Every sentence is in some chunk; neighbours share a sentence (overlap).
    for start, end in spans:
        assert any(c.start_char <= start and end <= c.end_char for c in chunks)
    for before, after in itertools.pairwise(chunks):
        assert after.start_char < before.end_char


def test_a_sentence_longer_than_the_model_limit_is_cut_at_word_boundaries(
    chunker: Chunker, embedder: Embedder
) -> None:
    words = " ".join(f"word{i} unbelievably" for i in range(400))
    text = f"Short opening sentence.\n{words}.\nShort closing sentence."
    chunks = chunker.chunk(document(text))
    assert_exact(text, chunks)
    for chunk in chunks:
        assert len(embedder.tokenizer.encode(chunk.text).ids) <= embedder.max_tokens
        assert text[chunk.start_char - 1] in " \n" or chunk.start_char == 0
    long_start = text.index("word0")
    covered = set()
    for chunk in chunks:
        covered.update(range(max(chunk.start_char, long_start), min(chunk.end_char, long_start + len(words))))
    visible = {i for i in range(long_start, long_start + len(words)) if not text[i].isspace()}
    assert visible <= covered


def test_windows_newlines_and_bom_keep_offsets_exact(tmp_path: Path, chunker: Chunker) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("\ufeffTitle line\r\n\r\nFirst sentence here. Second one.\r\nLast line.".encode())
    doc = read_document(path)
    assert doc.text.startswith("Title line\r\n")
    chunks = Chunker(chunker.count_tokens, chunker.token_spans, max_tokens=254, target_tokens=4).chunk(doc)
    assert_exact(doc.text, chunks)
    assert chunks[-1].text == "Last line." and chunks[-1].start_line == 4


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    paragraphs=st.lists(
        st.lists(
            st.sampled_from(["Kyiv", "said", "the", "plant", "“No", "one.”", "71", "days."]), max_size=60
        ).map(" ".join),
        min_size=1,
        max_size=12,
    ),
    target=st.integers(min_value=8, max_value=254),
)
def test_any_text_chunks_exactly_within_the_limit(
    paragraphs: list[str], target: int, embedder: Embedder
) -> None:
    text = "\n\n".join(paragraphs)
    chunker = Chunker(embedder.count_tokens, embedder.token_spans, max_tokens=40, target_tokens=target)
    chunks = chunker.chunk(document(text))
    assert_exact(text, chunks)
    for chunk in chunks:
        assert sum(embedder.count_tokens([chunk.text])) <= 40
    covered = set()
    for chunk in chunks:
        covered.update(range(chunk.start_char, chunk.end_char))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
