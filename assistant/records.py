"""Records that cross module lines; each passage carries its exact provenance."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


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


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one document, with its place in the file."""

    source: str
    chunk_index: int
    text: str
    start_char: int
    end_char: int
    start_line: int
    end_line: int
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


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk: `text` is exactly `file_text[start_char:end_char]`."""

    source: str
    title: str
    date: str | None
    start_char: int
    end_char: int
    start_line: int
    end_line: int
    text: str
    score: float
    outlet: str | None = None
    dateline: str | None = None
    extracted: str | None = None  # the stored extracted text offsets refer to (HTML, PDF)
    page_starts: tuple[int, ...] = ()

    @classmethod
    def from_stored(cls, text: str, metadata: dict[str, Any], score: float) -> Passage:
        """Build from what the store returns."""
        return cls(
            source=str(metadata["source"]),
            title=str(metadata.get("title", "")),
            date=metadata.get("date"),
            start_char=int(metadata["start_char"]),
            end_char=int(metadata["end_char"]),
            start_line=int(metadata["start_line"]),
            end_line=int(metadata["end_line"]),
            text=text,
            score=round(score, 4),
            outlet=metadata.get("outlet"),
            dateline=metadata.get("dateline"),
            extracted=metadata.get("extracted"),
            page_starts=tuple(int(p) for p in str(metadata.get("page_starts") or "").split(",") if p),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return asdict(self)


@dataclass(frozen=True)
class FileProblem:
    """A file that was not ingested, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did, file by file.

    `skipped` files hold nothing to index (binary, empty): listed, but not failures.
    `removed` are sources dropped because their files are gone (`prune`), and
    `encodings` names the encoding of every file that was not UTF-8.
    """

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[FileProblem] = field(default_factory=list)
    failed: list[FileProblem] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)
    chunks: int = 0
    seconds: float = 0.0
    set_aside: str | None = None  # reindex: where the damaged index files were moved

    @property
    def ok(self) -> bool:
        """True when no file failed (skipped files are not failures)."""
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return asdict(self)


@dataclass(frozen=True)
class SourceInfo:
    """An indexed source file and how many chunks it has."""

    source: str
    title: str
    chunks: int


@dataclass(frozen=True)
class Citation:
    """The exact sentence(s) of a file that support one claim; `quote == text[start_char:end_char]`."""

    n: int
    source: str
    title: str
    date: str | None
    start_char: int
    end_char: int
    start_line: int
    end_line: int
    quote: str
    speaker: str | None = None  # who says the quote, when it is an attributed statement
    role: str | None = None
    outlet: str | None = None
    extracted: str | None = None  # offsets count in this stored text (HTML, PDF), not the file
    page: int | None = None
    end_page: int | None = None

    def label(self) -> str:
        """ "Palamar (deputy commander), quoted in a.txt, lines 3-4": who speaks, where."""
        where = f"{self.source}, lines {self.start_line}-{self.end_line}"
        if self.page is not None:
            pages = (
                f"page {self.page}"
                if self.end_page in (None, self.page)
                else f"pages {self.page}-{self.end_page}"
            )
            where += f", {pages}"
        if self.outlet:
            where += f" ({self.outlet})"
        if not self.speaker:
            return where
        who = f"{self.speaker} ({self.role})" if self.role else self.speaker
        return f"{who}, quoted in {where}"


@dataclass(frozen=True)
class Agreement:
    """Citations of different sources that state the same fact, or conflicting claims."""

    kind: str  # "agree" or "conflict"
    citations: list[int]  # the `n` of the citations involved
    note: str


@dataclass(frozen=True)
class Answer:
    """An answer whose markers `[n]` refer to `citations` with the same `n`."""

    question: str
    text: str
    citations: list[Citation]
    passages: list[Passage]
    grounded: bool
    unsupported: list[str]
    mode: str  # "extractive" or "llm"
    agreements: list[Agreement] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return asdict(self)
