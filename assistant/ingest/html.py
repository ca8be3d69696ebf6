"""HTML news pages: the main text and metadata, by trafilatura (boilerplate, navigation and
comments left out). Offsets count in the extracted text (see `assistant.ingest.extracted`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.errors import InputError
from assistant.ingest.titles import title_of
from assistant.models import Document
from assistant.text.dates import date_of, is_iso_date

SUFFIXES = (".html", ".htm")
_SEPARATORS = r"\s+[|\-\u2013\u2014:\u00b7\u2022\u00bb/]+\s+"  # "Headline - Site", "Site | Headline"


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
    sitename = getattr(extracted, "sitename", None) or None
    title = page_title(raw, sitename) or getattr(extracted, "title", None) or title_of(text)
    return Document(
        source=source,
        text=text,
        sha256=sha,
        title=title.strip(),
        date=page_date if page_date and is_iso_date(page_date) else date_of(text),
        outlet=sitename,
    )


def page_title(raw: bytes, sitename: str | None = None) -> str | None:
    """The page's `<title>`, without the site's name before or after it; None when it has no other.

    Trafilatura prefers a lone `<h1>` (often a section label such as "Live updates") and meta
    tags; the `<title>` is what the page calls itself, so it comes first here.
    """
    import trafilatura

    tree: Any = trafilatura.load_html(raw)
    found = tree.find(".//title") if tree is not None else None
    title = " ".join(found.text_content().split()) if found is not None else ""
    if sitename and title:
        site = re.escape(" ".join(sitename.split()))
        title = re.sub(rf"^{site}{_SEPARATORS}|{_SEPARATORS}{site}$", "", title, flags=re.IGNORECASE)
        if title.casefold() == sitename.casefold():
            return None
    return title or None
