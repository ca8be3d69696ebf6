"""Sentence boundaries as character spans, tuned for news prose.

A rule set rather than a model: every line break ends a sentence (news files keep one
paragraph a line), and `.`, `!`, `?` end one when followed by space and a capital,
digit, quote or bracket, unless the word before is a known abbreviation or an initial.
"""

from __future__ import annotations

import re

# Lower-cased words that end in a period without ending a sentence.
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "maj",
        "gov",
        "sen",
        "rep",
        "rev",
        "pres",
        "hon",
        "no",
        "nos",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "univ",
        "approx",
        "est",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "d.c",
    ]
)
_END = re.compile(r"[.!?…]+[\"”’'»)\]]*(?=\s+[\"“‘'«(\[]?[A-Z0-9À-ÖØ-Þ\"“‘«(\[])")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?…]*[\"”’'»)\]]*$")


def _is_abbreviation(text: str, end: int) -> bool:
    """True when the period ending at `end` belongs to an abbreviation or an initial."""
    if text[end - 1] != "." and not re.search(r"\.[\"”’'»)\]]+$", text[max(0, end - 4) : end]):
        return False
    match = _WORD_BEFORE.search(text, max(0, end - 40), end)
    if not match:
        return False
    word = match.group(1).rstrip(".").lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans `(start, end)` of the sentences of `text`, whitespace trimmed, in order.

    Example:
        >>> text = "Dr. Smith spoke. Then he left."
        >>> [text[s:e] for s, e in sentence_spans(text)]
        ['Dr. Smith spoke.', 'Then he left.']
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\r\n]+", text):
        start = line.start()
        for match in _END.finditer(text, line.start(), line.end()):
            if _is_abbreviation(text, match.end()):
                continue
            spans.append((start, match.end()))
            start = match.end()
        spans.append((start, line.end()))
    trimmed = []
    for start, end in spans:
        segment = text[start:end]
        stripped = segment.strip()
        if stripped:
            lead = len(segment) - len(segment.lstrip())
            trimmed.append((start + lead, start + lead + len(stripped)))
    return trimmed
