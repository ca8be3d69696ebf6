"""The records that cross module lines; every one that points into a file is a `Span`."""

from assistant.models.answers import Agreement, Answer, Citation, Passage, Sentence
from assistant.models.documents import Chunk, Document
from assistant.models.provenance import Span, page_of
from assistant.models.reports import FileProblem, IngestReport, SourceInfo
from assistant.models.speakers import Speaker
from assistant.models.statements import Quote

__all__ = [
    "Agreement",
    "Answer",
    "Chunk",
    "Citation",
    "Document",
    "FileProblem",
    "IngestReport",
    "Passage",
    "Quote",
    "Sentence",
    "SourceInfo",
    "Span",
    "Speaker",
    "page_of",
]
