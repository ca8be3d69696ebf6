"""All settings in one place, read from `ASSISTANT_*` environment variables.

Built at the edges (CLI, UI) and passed down as plain parameters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from vectorstore.modelfiles import default_cache_dir


class Settings(BaseSettings):
    """Where the index lives and which model embeds it.

    Example:
        >>> Settings(data_dir=Path("/tmp/index")).chroma_port
        8000
    """

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    data_dir: Path = Field(Path(".assistant"), description="Folder of the embedded Chroma index.")
    chroma_host: str | None = Field(None, description="Chroma server host; unset = embedded Chroma.")
    chroma_port: int = Field(8000, ge=1, le=65535, description="Chroma server port.")
    chroma_timeout: float = Field(5.0, gt=0, description="Seconds to wait for a Chroma server reply.")
    model: str | None = Field(None, description="Local sentence-transformers folder; unset = MiniLM.")
    embedding_backend: Literal["torch", "onnx", "onnx-int8", "torch-bf16"] | None = Field(
        None,
        description="torch, onnx, onnx-int8 or torch-bf16; unset = the index's own, else this CPU's choice.",
    )
    cache_dir: Path = Field(
        default_factory=default_cache_dir, description="Folder for the local ONNX exports of the model."
    )
    max_file_mb: float = Field(20.0, gt=0, description="Files larger than this are refused.")
    quote_seconds: float = Field(
        60.0, gt=0, description="CPU seconds at most for one file's quotes; past them it is indexed without."
    )
    chunk_tokens: int = Field(180, ge=16, le=512, description="Target chunk size in word pieces.")
    cross_encoder: str | None = Field(None, description="Local CrossEncoder folder to rerank with.")
    answer_passages: int = Field(12, ge=1, le=50, description="Passages retrieved for an answer.")
    llm: str | None = Field(None, description="openai:MODEL or ollama:MODEL; unset = offline answers.")
    llm_base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible or Ollama server.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds to wait for the language model.")


def local_path(settings: Settings, name: str) -> Path:
    """A file or folder of this machine's state for the index: in the data dir, named per server."""
    if settings.chroma_host:
        name = f"{name}-{settings.chroma_host}-{settings.chroma_port}"
    return Path(settings.data_dir) / name
