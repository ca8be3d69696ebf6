"""Cutting a Document into chunks of whole sentences that the embedding model reads whole.

Sizes are counted in the model's own word pieces: MiniLM silently drops everything past
256 of them (special tokens included), so a longer chunk would be partly unsearchable.
A sentence longer than that limit on its own is the only thing ever cut, at word pieces.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from assistant.models import Chunk, Document
from assistant.text.sentences import sentence_spans

SPECIAL_TOKENS = 2  # [CLS] and [SEP]


class Chunker:
    """Packs sentences into chunks of about `target_tokens`, never more than `max_tokens`.

    Consecutive chunks share `overlap` sentences so that a fact stated across a chunk
    boundary is whole in at least one chunk.

    Example:
        chunker = Chunker(count_tokens=embedder.count_tokens, token_spans=embedder.token_spans,
                              max_tokens=embedder.max_tokens - 2)
        chunks = chunker.chunk(document)
    """

    def __init__(
        self,
        count_tokens: Callable[[list[str]], list[int]],
        token_spans: Callable[[str], list[tuple[int, int]]],
        max_tokens: int,
        target_tokens: int = 180,
        overlap: int = 1,
    ) -> None:
        if max_tokens < 8:
            raise ValueError("max_tokens must be at least 8")
        if not target_tokens >= 1:
            raise ValueError("target_tokens must be at least 1")
        if overlap < 0:
            raise ValueError("overlap must be 0 or more")
        self.count_tokens = count_tokens
        self.token_spans = token_spans
        self.max_tokens = max_tokens
        self.target_tokens = min(target_tokens, max_tokens)
        self.overlap = overlap

    @property
    def signature(self) -> str:
        """The settings that decide chunk boundaries; a file chunked otherwise is re-chunked."""
        return f"target={self.target_tokens},max={self.max_tokens},overlap={self.overlap}"

    def units(self, text: str) -> list[tuple[int, int, int]]:
        """Sentences as `(start, end, tokens)`, over-long ones cut to fit `max_tokens`."""
        spans = sentence_spans(text)
        counts = self.count_tokens([text[s:e] for s, e in spans]) if spans else []
        units: list[tuple[int, int, int]] = []
        for (start, end), tokens in zip(spans, counts, strict=True):
            if tokens <= self.max_tokens:
                units.append((start, end, tokens))
            else:
                units.extend(self._cut(text, start, end))
        return units

    def _cut(self, text: str, start: int, end: int) -> list[tuple[int, int, int]]:
        """Cut one over-long sentence at word-piece boundaries, preferring spaces."""
        pieces = []
        offsets = self.token_spans(text[start:end])
        first = 0
        while first < len(offsets):
            last = min(first + self.max_tokens, len(offsets))
            if last < len(offsets):
                # Step back to a token that starts a new word, so no word is split.
                for back in range(last, first + self.max_tokens // 2, -1):
                    if offsets[back][0] > offsets[back - 1][1]:
                        last = back
                        break
            piece_start = start + offsets[first][0]
            piece_end = start + offsets[last - 1][1]
            pieces.append((piece_start, piece_end, last - first))
            first = last
        return pieces

    def chunk(self, document: Document) -> list[Chunk]:
        """The chunks of `document`, in order, with offsets and 1-based lines."""
        text = document.text
        units = self.units(text)
        line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        chunks: list[Chunk] = []
        first = 0
        while first < len(units):
            last, tokens = first, units[first][2]
            while last + 1 < len(units) and tokens + units[last + 1][2] <= self.target_tokens:
                last += 1
                tokens += units[last][2]
            start, end = units[first][0], units[last][1]
            chunks.append(
                Chunk(
                    source=document.source,
                    chunk_index=len(chunks),
                    text=text[start:end],
                    start_char=start,
                    end_char=end,
                    start_line=bisect_right(line_starts, start),
                    end_line=bisect_right(line_starts, end - 1),
                    title=document.title,
                    date=document.date,
                    sha256=document.sha256,
                    outlet=document.outlet,
                    dateline=document.dateline,
                    extracted=document.extracted,
                    page_starts=",".join(map(str, document.page_starts)) or None,
                )
            )
            if last + 1 >= len(units):
                break
            first = max(first + 1, last + 1 - self.overlap)
        return chunks
