"""LangChain adapter: the assistant's retrieval as a `BaseRetriever`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

if TYPE_CHECKING:
    from assistant.api import Assistant


class PassageRetriever(BaseRetriever):
    """Retrieves passages; each Document's metadata holds source, offsets, lines and score.

    Example:
        >>> retriever = Assistant().as_retriever(k=3)
        >>> docs = retriever.invoke("How long have the defenders been fighting?")
        >>> docs[0].metadata["source"], docs[0].metadata["start_line"]
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Any
    k: int = 5
    sources: list[str] | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        assistant: Assistant = self.assistant
        passages = assistant.retrieve(query, k=self.k, sources=self.sources)
        documents = []
        for passage in passages:
            metadata = passage.to_dict()
            text = metadata.pop("text")
            for optional in ("outlet", "dateline", "extracted", "page_starts"):  # only where they apply
                if not metadata[optional]:
                    del metadata[optional]
            documents.append(Document(page_content=text, metadata=metadata))
        return documents
