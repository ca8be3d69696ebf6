"""What an ingest did, and what the index holds."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
    `encodings` names the encoding of every file that was not UTF-8. `quotes_stopped` files
    are indexed with their passages, but finding their quotes was stopped (the reason says
    why: the file's work budget), so they have no quotes.
    """

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[FileProblem] = field(default_factory=list)
    failed: list[FileProblem] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)
    quotes_stopped: list[FileProblem] = field(default_factory=list)
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
