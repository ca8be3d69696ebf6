"""A source file's text as read, and the chunks it is cut into."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass

from assistant.models.provenance import Span


@dataclass(frozen=True)
class Document:
    """A source file's text as read: `text[a:b]` is what offsets into this file mean."""

    source: str
    text: str
    sha256: str
    title: str
    date: str | None
    encoding: str = "utf-8"
    outlet: str | None = None
    dateline: str | None = None
    extracted: str | None = None  # where `text` is stored when it was extracted (HTML, PDF)
    page_starts: tuple[int, ...] = ()  # offset of each page's first character (PDF)


@dataclass(frozen=True, kw_only=True)
class Chunk(Span):
    """A run of whole sentences of one document, with its place in the file."""

    chunk_index: int
    text: str
    title: str
    date: str | None
    sha256: str
    outlet: str | None = None
    dateline: str | None = None
    extracted: str | None = None
    page_starts: str | None = None  # "0,1804,3377": each page's first offset (PDF)

    @property
    def id(self) -> str:
        """Deterministic id: the same file content always gives the same ids."""
        source_key = hashlib.sha1(self.source.encode("utf-8")).hexdigest()[:16]
        return f"{source_key}-{self.sha256[:16]}-{self.chunk_index}"

    def metadata(self) -> dict[str, str | int]:
        """Chroma metadata (no None values allowed there)."""
        meta = asdict(self)
        del meta["text"]
        return {k: v for k, v in meta.items() if v is not None}
