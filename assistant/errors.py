"""Errors raised by the assistant; each message says what to do next.

One root, `AssistantError`: store errors (`vectorstore.errors.VectorStoreError`) derive from it
too, so `except AssistantError` catches every failure this project reports.
"""

from vectorstore.errors import Error as AssistantError
from vectorstore.errors import VectorStoreError

__all__ = [
    "AssistantError",
    "IndexWriteError",
    "IngestBusyError",
    "InputError",
    "LanguageModelError",
    "ParserError",
    "SkippedFile",
    "VectorStoreError",
]


class InputError(AssistantError):
    """A file or argument given by the user cannot be used."""


class LanguageModelError(AssistantError):
    """The configured language model cannot be reached or answered badly."""


class SkippedFile(InputError):
    """A file with nothing to index (binary, empty): reported, but not a failure."""


class IngestBusyError(AssistantError):
    """Another process is writing to the same index."""


class IndexWriteError(AssistantError):
    """The index cannot be written (read-only or full disk); what was stored is unchanged."""


class ParserError(AssistantError):
    """The English parser (spaCy and its pinned model) is missing or not the one expected."""
