"""Finding passages: BM25 and dense rankings, fused, reranked, filtered; a LangChain adapter."""
