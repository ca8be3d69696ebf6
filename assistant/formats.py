"""HTML news pages and PDF articles as Documents of extracted text.

Offsets into such a document count in its extracted text, which ingest stores under the data
dir (`extracted/`) and names in every chunk and citation (`extracted`); `source` stays the
original file. HTML: main text and metadata by trafilatura (boilerplate, navigation and
comments left out). PDF: pypdf's text per page, lines of a paragraph joined, pages separated
by a blank line; `page_starts` maps offsets to page numbers.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from assistant.errors import InputError
from assistant.records import Document

HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)
SUFFIXES = HTML_SUFFIXES + PDF_SUFFIXES
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_converted(path: Path, source: str) -> Document:
    """Read an .html/.htm or .pdf file into a Document of its extracted text."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    sha = hashlib.sha256(raw).hexdigest()
    if path.suffix.lower() in PDF_SUFFIXES:
        return _pdf(path, raw, source, sha)
    return _html(path, raw, source, sha)


def _html(path: Path, raw: bytes, source: str, sha: str) -> Document:
    import trafilatura

    from assistant.reading import date_of, title_of

    try:
        extracted = trafilatura.bare_extraction(
            raw, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
        )
    except Exception as exc:
        raise InputError(f"{path}: cannot parse the HTML ({type(exc).__name__}: {exc})") from exc
    text = (getattr(extracted, "text", None) or "").strip() if extracted else ""
    if not text:
        raise InputError(f"{path}: no article text found in the page; save the article itself, or as .txt")
    text = text.replace("\r\n", "\n") + "\n"
    page_date = getattr(extracted, "date", None)
    return Document(
        source=source,
        text=text,
        sha256=sha,
        title=(getattr(extracted, "title", None) or title_of(text)).strip(),
        date=page_date if page_date and _ISO.fullmatch(page_date) else date_of(text),
        outlet=getattr(extracted, "sitename", None) or None,
    )


def _pdf(path: Path, raw: bytes, source: str, sha: str) -> Document:
    from io import BytesIO

    from pypdf import PdfReader

    from assistant.reading import date_of, title_of

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


def store_extracted(document: Document, folder: Path) -> str:
    """Write the extracted text to `folder` (atomically, once per content); return its name.

    The name is relative to the working directory when inside it, like sources.
    """
    from assistant.reading import source_name

    key = hashlib.sha1(document.source.encode("utf-8")).hexdigest()[:16]
    target = folder / f"{key}-{document.sha256[:16]}.txt"
    data = document.text.encode("utf-8")
    if not (target.is_file() and target.read_bytes() == data):
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as tmp:
            tmp.write(data)
        os.replace(tmp.name, target)
    return source_name(target)
