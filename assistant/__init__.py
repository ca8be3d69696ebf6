"""Source-attribution assistant: answers about news articles that cite file, lines and quote.

Names are imported on first use, so that `assistant --help` does not load the heavy parts.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.api import Assistant
    from assistant.errors import AssistantError, InputError
    from assistant.models import Answer, Citation, IngestReport, Passage, SourceInfo
    from assistant.reindexing import reindex
    from assistant.settings import Settings

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "Citation",
    "IngestReport",
    "InputError",
    "Passage",
    "Settings",
    "SourceInfo",
    "reindex",
]
_HOMES = {
    "Assistant": "assistant.api",
    "AssistantError": "assistant.errors",
    "InputError": "assistant.errors",
    "Answer": "assistant.models",
    "Citation": "assistant.models",
    "IngestReport": "assistant.models",
    "Passage": "assistant.models",
    "SourceInfo": "assistant.models",
    "Settings": "assistant.settings",
    "reindex": "assistant.reindexing",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
