"""Finding source files and reading them into Documents with exact offsets."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from assistant.errors import InputError
from assistant.records import Document

SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")  # HTML and PDF: see assistant/formats.py
TITLE_MAX = 160
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH_RE = "|".join(_MONTHS + [r"Sept\.?"] + [m[:3] + r"\.?" for m in _MONTHS])
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_LONG_DATE = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}}),?\s+(\d{{4}})\b")
_DAY_FIRST_DATE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\s+(\d{{4}})\b")


def source_name(path: Path) -> str:
    """How a file is named in the index: relative to the working directory when inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def find_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """Each file to ingest, with None, or with the reason it cannot be ingested.

    Directories are walked recursively (hidden folders skipped, other suffixes ignored);
    a file named directly must exist and end in .txt or .md.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for folder, subdirs, names in os.walk(path):
                subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
                for name in sorted(names):
                    if name.lower().endswith(SUFFIXES) and not name.startswith("."):
                        yield Path(folder) / name, None
        elif not path.exists():
            yield path, "no such file or directory"
        elif path.suffix.lower() not in SUFFIXES:
            kinds = ".txt, .md, .html, .htm and .pdf"
            yield path, f"unsupported file type {path.suffix or '(none)'!r}: only {kinds} are read"
        else:
            yield path, None


def read_document(path: Path) -> Document:
    """Read a UTF-8 file (a BOM is dropped, newlines are kept as they are); HTML/PDF via formats.py."""
    from assistant import formats

    if path.suffix.lower() in formats.SUFFIXES:
        return formats.read_converted(path, source_name(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not valid UTF-8 (byte {exc.start}); convert it to UTF-8 and ingest again"
        ) from exc
    if "\x00" in text:
        raise InputError(f"{path}: contains NUL bytes, so it is not a text file")
    if not text.strip():
        raise InputError(f"{path}: empty or whitespace only, nothing to index")
    return Document(
        source=source_name(path),
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        title=title_of(text),
        date=date_of(text),
    )


def title_of(text: str) -> str:
    """The first non-empty line, shortened to TITLE_MAX characters."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= TITLE_MAX else line[: TITLE_MAX - 1].rstrip() + "…"
    return ""


def date_of(text: str) -> str | None:
    """The first valid date the text states, as YYYY-MM-DD, or None."""
    found: list[tuple[int, str]] = []
    for match in _ISO_DATE.finditer(text):
        iso = _valid_date(*match.groups())
        if iso:
            found.append((match.start(), iso))
            break
    abbreviations = [m[:3] for m in _MONTHS]
    for pattern, order in ((_LONG_DATE, (2, 0, 1)), (_DAY_FIRST_DATE, (2, 1, 0))):
        for match in pattern.finditer(text):
            year, month_name, day = (match.groups()[i] for i in order)
            iso = _valid_date(year, str(abbreviations.index(month_name[:3].title()) + 1), day)
            if iso:
                found.append((match.start(), iso))
                break
    return min(found)[1] if found else None


def _valid_date(year: str, month: str, day: str) -> str | None:
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
