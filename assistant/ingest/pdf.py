"""PDF articles: pypdf's text per page, lines of a paragraph joined, pages separated by a blank
line; `page_starts` maps offsets to page numbers."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.errors import InputError
from assistant.ingest.titles import title_of
from assistant.models import Document
from assistant.text.dates import date_of

SUFFIXES = (".pdf",)


def read_pdf(path: Path, raw: bytes, source: str, sha: str) -> Document:
    """A PDF file's text as a Document; `raw` are its bytes, `sha` their sha256."""
    from io import BytesIO

    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
        info_title = (reader.metadata.title if reader.metadata else None) or ""
    except Exception as exc:
        raise InputError(f"{path}: cannot read the PDF ({type(exc).__name__}: {exc})") from exc
    text, starts = "", []
    for page in pages:
        starts.append(len(text))
        text += _reflow(page) + "\n\n"
    if not text.strip():
        raise InputError(
            f"{path}: the PDF has no extractable text (a scan?); OCR it or give the text as .txt"
        )
    return Document(
        source=source,
        text=text,
        sha256=sha,
        title=str(info_title).strip() or title_of(text),
        date=date_of(text),
        page_starts=tuple(starts),
    )


def _reflow(page: str) -> str:
    """A page's lines, joined within paragraphs: a line ends a paragraph only after . ! ? or a quote."""
    paragraphs: list[str] = []
    current = ""
    for line in page.replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current.endswith("-") and not current.endswith(" -"):
            current = current[:-1] + line
        else:
            current = f"{current} {line}" if current else line
        if re.search(r"[.!?][\"”’)]?$|[”\"]$", line):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)
