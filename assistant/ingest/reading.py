"""Reading a source file into a Document with exact offsets: one reader per format."""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.errors import InputError, SkippedFile
from assistant.ingest import html, pdf
from assistant.ingest.decoding import decode
from assistant.ingest.discovery import source_name
from assistant.ingest.titles import title_of
from assistant.models import Document
from assistant.text.dates import date_of

CONVERTED = html.SUFFIXES + pdf.SUFFIXES  # offsets count in their extracted text


def read_document(path: Path, max_bytes: int | None = None, source: str | None = None) -> Document:
    """Read a text file, detecting its encoding; newlines are kept as they are (HTML, PDF: their own readers).

    UTF-8 (a BOM is dropped) and UTF-16/32 with a BOM are read as such; anything else is
    decoded with the encoding charset-normalizer finds (cp1252, Latin-1, ...), recorded
    in `Document.encoding`. Offsets always count characters of the decoded text.

    `source` names the file in the index (default: `source_name(path)`).

    Raises:
        SkippedFile: binary, empty or whitespace only: nothing to index.
        InputError: too large, unreadable, or no text encoding fits.
    """
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(
                f"{path}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB limit; "
                "raise it with --max-file-mb (ASSISTANT_MAX_FILE_MB) or split the file"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    sha = hashlib.sha256(raw).hexdigest()
    source = source or source_name(path)
    if path.suffix.lower() in html.SUFFIXES:
        return html.read_html(path, raw, source, sha)
    if path.suffix.lower() in pdf.SUFFIXES:
        return pdf.read_pdf(path, raw, source, sha)
    text, encoding = decode(raw, path)
    if not text.strip():
        raise SkippedFile(f"{path}: empty or whitespace only, nothing to index")
    return Document(
        source=source,
        text=text,
        sha256=sha,
        title=title_of(text),
        date=date_of(text),
        encoding=encoding,
    )
