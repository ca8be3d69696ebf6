"""The usual pipelines, built as their authors document them, to compare against in `assistant eval`.

- The LangChain tutorial pipeline: `RecursiveCharacterTextSplitter(chunk_size=1000,
  chunk_overlap=200, add_start_index=True)`, `HuggingFaceEmbeddings` with the same model
  (normalized), `langchain_chroma.Chroma` in cosine space, `similarity_search`.
- BM25 alone (bm25s, English stop words) over those same chunks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vectorstore.modelfiles import bundled_model_dir, offline_environment

Span = tuple[str, int, int]  # (file name, start, end)


class TutorialPipeline:
    """The LangChain RAG tutorial's indexing and retrieval, over a folder of files."""

    def __init__(
        self, folder: Path, persist_dir: Path, model_dir: Path | None = None, embeddings: Any = None
    ) -> None:
        """Index `folder`; `embeddings` reuses a loaded HuggingFaceEmbeddings (see `tutorial_embeddings`)."""
        offline_environment()
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        documents = [
            Document(page_content=path.read_text(encoding="utf-8"), metadata={"source": path.name})
            for path in sorted(folder.glob("*.txt"))
        ]
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
        self.chunks = splitter.split_documents(documents)
        embeddings = embeddings or tutorial_embeddings(model_dir)
        self.store = Chroma(
            collection_name="tutorial",
            embedding_function=embeddings,
            persist_directory=str(persist_dir),
            collection_metadata={"hnsw:space": "cosine"},
        )
        self.store.add_documents(self.chunks)
        self.characters = sum(len(d.page_content) for d in self.chunks)

    def search(self, query: str, k: int) -> list[Span]:
        """The spans of the `k` most similar chunks."""
        return [_span(d.metadata, d.page_content) for d in self.store.similarity_search(query, k=k)]


def tutorial_embeddings(model_dir: Path | None = None) -> Any:
    """The tutorial's embeddings: HuggingFaceEmbeddings of the model, normalized, on the CPU."""
    offline_environment()
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=str(model_dir or bundled_model_dir()),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True},
    )


class BM25Baseline:
    """BM25 (bm25s, English stop words) over the tutorial pipeline's chunks."""

    def __init__(self, tutorial: TutorialPipeline) -> None:
        import bm25s

        self.chunks = tutorial.chunks
        self.retriever = bm25s.BM25()
        tokens = bm25s.tokenize([d.page_content for d in self.chunks], stopwords="en", show_progress=False)
        self.retriever.index(tokens, show_progress=False)

    def search(self, query: str, k: int) -> list[Span]:
        """The spans of the `k` best BM25 chunks."""
        import bm25s

        words = bm25s.tokenize([query], stopwords="en", return_ids=False, show_progress=False)[0]
        known = [w for w in words if w in self.retriever.vocab_dict]
        if not known:
            return []
        found, _ = self.retriever.retrieve([known], k=min(k, len(self.chunks)), show_progress=False)
        return [_span(self.chunks[i].metadata, self.chunks[i].page_content) for i in found[0]]


def _span(metadata: dict, text: str) -> Span:
    start = int(metadata["start_index"])
    return str(metadata["source"]), start, start + len(text)
