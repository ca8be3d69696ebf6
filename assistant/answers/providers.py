"""Language models: any OpenAI-compatible server, or Ollama, as a LangChain chat model."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from assistant.errors import InputError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


def chat_model(spec: str, base_url: str | None = None, timeout: float = 60.0) -> BaseChatModel:
    """A LangChain chat model from `openai:MODEL` or `ollama:MODEL`; keys come from the environment.

    Example:
        >>> model = chat_model("openai:gpt-4o-mini")                       # OPENAI_API_KEY
        >>> model = chat_model("openai:qwen2.5", "http://127.0.0.1:8080/v1")  # llama.cpp, vLLM...
        >>> model = chat_model("ollama:llama3.1")
    """
    provider, _, name = spec.partition(":")
    if not name:
        raise InputError(f"--llm {spec!r}: write it as openai:MODEL or ollama:MODEL.")
    if provider == "openai":
        from langchain_openai import ChatOpenAI

        key = os.environ.get("OPENAI_API_KEY") or "not-needed"  # local servers ignore the key
        return ChatOpenAI(
            model=name,
            base_url=base_url or os.environ.get("OPENAI_BASE_URL"),
            api_key=key,
            timeout=timeout,
            max_retries=1,
            temperature=0,
        )
    if provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            model=name,
            base_url=base_url or os.environ.get("OLLAMA_HOST") or "http://127.0.0.1:11434",
            temperature=0,
            client_kwargs={"timeout": timeout},
        )
    raise InputError(f"--llm {spec!r}: unknown provider {provider!r}; use openai:MODEL or ollama:MODEL.")
