"""Retrieved passages, their sentences, and answers whose every claim cites one."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.models.provenance import Span


@dataclass(frozen=True, kw_only=True)
class Passage(Span):
    """A retrieved chunk: `text` is exactly `file_text[start_char:end_char]`."""

    title: str
    date: str | None
    text: str
    score: float
    outlet: str | None = None
    dateline: str | None = None
    extracted: str | None = None  # the stored extracted text offsets refer to (HTML, PDF)
    page_starts: tuple[int, ...] = ()
    path: str | None = None  # the file's canonical path (the source name may be relative)

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
            path=metadata.get("path"),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return asdict(self)


@dataclass(frozen=True, kw_only=True)
class Sentence(Span):
    """One sentence of a retrieved passage, with its exact place in the file."""

    passage: int  # index into the retrieved passages
    title: str
    date: str | None
    text: str


@dataclass(frozen=True, kw_only=True)
class Citation(Span):
    """The exact sentence(s) of a file that support one claim; `quote == text[start_char:end_char]`."""

    n: int
    title: str
    date: str | None
    quote: str
    speaker: str | None = None  # who says the quote, when it is an attributed statement
    role: str | None = None
    outlet: str | None = None
    extracted: str | None = None  # offsets count in this stored text (HTML, PDF), not the file
    page: int | None = None
    end_page: int | None = None
    path: str | None = None  # the file's canonical path (the source name may be relative)

    def location(self) -> str:
        """The source as offsets name it: "a.txt", or "b.html (extracted text)" for HTML and PDF."""
        return f"{self.source} (extracted text)" if self.extracted else self.source

    def label(self) -> str:
        """ "Palamar (deputy commander), quoted in a.txt, lines 3-4": who speaks, where.

        For HTML and PDF, "b.html (extracted text), lines 1-2": lines and characters count in
        the text extracted from the file (`assistant show SOURCE --text` prints it).
        """
        where = f"{self.location()}, lines {self.start_line}-{self.end_line}"
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

    kind: str  # "agree", "conflict" or "figures" (different numbers for the same thing)
    citations: list[int]  # the `n` of the citations involved
    note: str

    @property
    def heading(self) -> str:
        """ "Sources agree", "Sources disagree" or "Figures differ"."""
        return {"agree": "Sources agree", "figures": "Figures differ"}.get(self.kind, "Sources disagree")


@dataclass(frozen=True)
class Answer:
    """An answer whose markers `[n]` refer to `citations` with the same `n`.

    `body` is the answer itself; `text` adds a line for each agreement or conflict
    between sources, as every plain-text reader shows it.
    """

    question: str
    body: str
    citations: list[Citation]
    passages: list[Passage]
    grounded: bool
    unsupported: list[str]
    mode: str  # "extractive" or "llm"
    agreements: list[Agreement] = field(default_factory=list)
    # "answered"; "partial" (the body says what no source gives, then what they do give);
    # "declined" (the sources do not say it: nothing is cited as the answer)
    status: str = "answered"
    near_miss: Citation | None = None  # a declined answer's closest passage: "not an answer"

    @property
    def text(self) -> str:
        """The body, then one line per agreement: `Sources disagree: ...`."""
        return "\n\n".join([self.body, *(f"{a.heading}: {a.note}" for a in self.agreements)])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields, `text` included."""
        return {"text": self.text, **asdict(self)}
