"""A document's title when nothing better names it: its first line."""

from __future__ import annotations

TITLE_MAX = 160


def title_of(text: str) -> str:
    """The first non-empty line, shortened to TITLE_MAX characters."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= TITLE_MAX else line[: TITLE_MAX - 1].rstrip() + "…"
    return ""
