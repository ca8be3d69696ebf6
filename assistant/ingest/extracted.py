"""Extracted text of HTML and PDF files, kept under the data dir: offsets of such a file count
in it, and every chunk and citation names it (`extracted`); `source` stays the original file."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from assistant.ingest.discovery import canonical_path
from assistant.models import Document


def store_extracted(document: Document, folder: Path) -> str:
    """Write the extracted text to `folder` (atomically, once per content); return its name.

    The name is the file's canonical path: a process started elsewhere opens it too.
    """
    key = hashlib.sha1(document.source.encode("utf-8")).hexdigest()[:16]
    target = folder / f"{key}-{document.sha256[:16]}.txt"
    data = document.text.encode("utf-8")
    if not (target.is_file() and target.read_bytes() == data):
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as tmp:
            tmp.write(data)
        os.replace(tmp.name, target)
    return canonical_path(target)
