"""A document's title when its format names none (HTML and PDF metadata come first).

The first line that reads as a headline: short, not a finished sentence, not a date or a line of
site furniture ("NEW You can now listen to ..."); a Markdown heading loses its `#`. An article
with no such line is named by its first sentence.
"""

from __future__ import annotations

import re

from assistant.text.dates import date_of
from assistant.text.sentences import sentence_spans
from assistant.text.words import SITE_BOILERPLATE

TITLE_MAX = 160
HEADLINE_WORDS = 20  # a line of more words is a paragraph
_HEADING = re.compile(r"^#{1,6}\s+|\s+#+\s*$")
_DATE_WORDS = re.compile(r"^(date|updated|published|posted)\b[:\s]*", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")


def title_of(text: str) -> str:
    """The first line that reads as a headline, else the first sentence; at most TITLE_MAX characters."""
    lines = [_HEADING.sub("", line.strip()).strip() for line in text.splitlines()]
    content = [line for line in lines if line and not _furniture(line)]
    if content and _headline(content[0]):  # else the body starts at once: no headline line
        return _shortened(content[0])
    if not content:
        return ""
    first = content[0]
    spans = sentence_spans(first)
    return _shortened(first[spans[0][0] : spans[0][1]] if spans else first)


def _furniture(line: str) -> bool:
    """A date, a dateline-only line or site boilerplate: never a title."""
    lowered = line.lower()
    if any(phrase in lowered for phrase in SITE_BOILERPLATE):
        return True
    if not _LETTER.search(line):
        return True
    rest = _DATE_WORDS.sub("", line)
    # "May 5, 2022", "Published 10:00 GMT"
    dated = date_of(line) is not None or (rest != line and any(c.isdigit() for c in rest))
    return dated and len(rest.split()) <= 4


def _headline(line: str) -> bool:
    """Short and not a finished sentence (a headline may end in ? or !, rarely in a full stop)."""
    ending = line.rstrip("\"'”’»)")
    return len(line.split()) <= HEADLINE_WORDS and not ending.endswith((".", ",", ";", ":"))


def _shortened(line: str) -> str:
    """`line` cut to TITLE_MAX characters at a word boundary ("for the…", never "for the Ukr…")."""
    if len(line) <= TITLE_MAX:
        return line
    cut = line[:TITLE_MAX]
    cut = cut[: cut.rindex(" ")] if " " in cut else cut[: TITLE_MAX - 1]
    return cut.rstrip(" ,;:-–—") + "…"
