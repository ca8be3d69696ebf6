"""Markdown read as text: what a `.md` article's `**Port officials**` or `[the port site](...)` says.

Answers and titles quote `.md` sources; their Markdown is read here with markdown-it (the
CommonMark parser Gradio and rich use), keeping only the words: emphasis and links lose their
syntax, an image becomes its alt text, inline HTML stays literal text (never markup), code keeps
its content. The article panel still shows the file exactly as written.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

MARKDOWN_SUFFIXES = (".md",)
_WORDS = {"text", "text_special", "code_inline", "html_inline"}


def is_markdown(source: str) -> bool:
    """Whether `source` names a Markdown file (read as Markdown for display)."""
    return source.lower().endswith(MARKDOWN_SUFFIXES)


def markdown_as_text(text: str) -> str:
    """The words of inline Markdown `text`, without its syntax ("**Port** [site](x)" -> "Port site")."""
    words: list[str] = []
    for token in _parser().parseInline(text):
        for child in token.children or []:
            if child.type in _WORDS or child.type == "image":  # an image's content is its alt text
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append("\n")
    return "".join(words)


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})  # HTML in a document is text, never markup
