"""Source-attribution assistant: answers about news articles that cite file, lines and quote."""

from assistant.api import Assistant
from assistant.errors import AssistantError, InputError
from assistant.records import IngestReport, Passage, SourceInfo

__all__ = ["Assistant", "AssistantError", "IngestReport", "InputError", "Passage", "SourceInfo"]
