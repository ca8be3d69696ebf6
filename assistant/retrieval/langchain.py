"""LangChain adapter: any passage search as a `BaseRetriever` (the only LangChain retriever here)."""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.models import Passage

Search = Callable[[str, int, list[str] | None], list[Passage]]


class PassageRetriever(BaseRetriever):
    """Retrieves passages; each Document's metadata holds source, offsets, lines and score.

    Example:
        retriever = Assistant().as_retriever(k=3)
        docs = retriever.invoke("How long have the defenders been fighting?")
        docs[0].metadata["source"], docs[0].metadata["start_line"]
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    search: Search  # (query, k, sources) -> passages, best first
    k: int = 5
    sources: list[str] | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        documents = []
        for passage in self.search(query, self.k, self.sources):
            metadata = passage.to_dict()
            text = metadata.pop("text")
            # only where they apply
            for optional in ("outlet", "dateline", "extracted", "page_starts", "path"):
                if not metadata[optional]:
                    del metadata[optional]
            documents.append(Document(page_content=text, metadata=metadata))
        return documents
