"""HTML news pages: the main text and metadata, by trafilatura (boilerplate, navigation and
comments left out). Offsets count in the extracted text (see `assistant.ingest.extracted`)."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import InputError
from assistant.ingest.titles import title_of
from assistant.models import Document
from assistant.text.dates import date_of, is_iso_date

SUFFIXES = (".html", ".htm")


def read_html(path: Path, raw: bytes, source: str, sha: str) -> Document:
    """An HTML file's article text as a Document; `raw` are its bytes, `sha` their sha256."""
    import trafilatura

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
        date=page_date if page_date and is_iso_date(page_date) else date_of(text),
        outlet=getattr(extracted, "sitename", None) or None,
    )
