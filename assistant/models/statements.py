"""Attributed statements: who said what, where in the article."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.models.provenance import Span


@dataclass(frozen=True, kw_only=True)
class Quote(Span):
    """One attributed statement of an article: `quote == text[start_char:end_char]`.

    `speaker` is the person or body as the article names it (full name where it gives one),
    None when "he" or "the commander" cannot be resolved without guessing; `mention` is the
    words at `speaker_start:speaker_end` that point at the speaker ("he", "Palamar"). `unnamed`:
    the article describes the speaker but gives no name ("a senior Democrat"), and `speaker` is
    that description, as the article words it.
    """

    speaker: str | None
    role: str | None
    cue: str
    kind: str  # "direct" (in quotation marks) or "reported"
    quote: str
    mention: str
    speaker_start: int
    speaker_end: int
    speaker_line: int
    outlet: str | None = None
    title: str = ""
    date: str | None = None
    page: int | None = None
    extracted: str | None = None  # the stored extracted text offsets count in (HTML, PDF)
    unnamed: bool = False  # `speaker` describes someone the article does not name

    def label(self) -> str:
        """ "Palamar (the Azov regiment’s deputy commander)": who is speaking, for citations."""
        who = self.speaker or f"unresolved “{self.mention}”"
        return f"{who} ({self.role})" if self.role else who
