"""Provenance: where a piece of text sits in its source file."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Span:
    """A run of a source file's text: `file_text[start_char:end_char]`, on lines `start_line..end_line`.

    Every record that points into a file (chunk, passage, sentence, quote, citation) is a Span,
    so provenance travels with the text from the moment it is read and is never searched for later.
    """

    source: str
    start_char: int
    end_char: int
    start_line: int
    end_line: int


def page_of(page_starts: tuple[int, ...], offset: int) -> int | None:
    """1-based page holding `offset`, given each page's first offset; None for unpaged text."""
    if not page_starts:
        return None
    return max(1, bisect_right(page_starts, offset))
