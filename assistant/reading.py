"""Finding source files and reading them into Documents with exact offsets."""

from __future__ import annotations

import codecs
import datetime
import functools
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from assistant.errors import InputError, SkippedFile
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
    a file named directly must exist and end in .txt or .md. Broken symbolic links, special
    files (FIFOs, devices) and folders that cannot be read are reported, never followed.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            problems: list[tuple[Path, str]] = []
            unreadable_folder = functools.partial(_folder_problem, problems)
            for folder, subdirs, names in os.walk(path, onerror=unreadable_folder):
                subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
                for name in sorted(names):
                    if name.lower().endswith(SUFFIXES) and not name.startswith("."):
                        found = Path(folder) / name
                        yield found, _not_a_file(found)
            yield from problems
        elif path.is_symlink() and not path.exists():
            yield path, f"broken symbolic link to {os.readlink(path)}"
        elif not path.exists():
            yield path, "no such file or directory"
        elif path.suffix.lower() not in SUFFIXES:
            kinds = ".txt, .md, .html, .htm and .pdf"
            yield path, f"unsupported file type {path.suffix or '(none)'!r}: only {kinds} are read"
        else:
            yield path, _not_a_file(path)


def _folder_problem(problems: list[tuple[Path, str]], error: OSError) -> None:
    problems.append((Path(error.filename), f"cannot read folder ({error.strerror})"))


def _not_a_file(path: Path) -> str | None:
    """Why `path` (found in a folder or named) is not a regular file to read, or None."""
    if path.is_symlink() and not path.exists():
        return f"broken symbolic link to {os.readlink(path)}"
    if not path.is_file():
        return "not a regular file (a FIFO, socket or device); nothing is read from it"
    return None


def read_document(path: Path, max_bytes: int | None = None) -> Document:
    """Read a text file, detecting its encoding; newlines are kept as they are (HTML/PDF: formats.py).

    UTF-8 (a BOM is dropped) and UTF-16/32 with a BOM are read as such; anything else is
    decoded with the encoding charset-normalizer finds (cp1252, Latin-1, ...), recorded
    in `Document.encoding`. Offsets always count characters of the decoded text.

    Raises:
        SkippedFile: binary, empty or whitespace only: nothing to index.
        InputError: too large, unreadable, or no text encoding fits.
    """
    from assistant import formats

    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(
                f"{path}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB limit; "
                "raise it with --max-file-mb (ASSISTANT_MAX_FILE_MB) or split the file"
            )
        if path.suffix.lower() in formats.SUFFIXES:
            return formats.read_converted(path, source_name(path))
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    text, encoding = decode(raw, path)
    if not text.strip():
        raise SkippedFile(f"{path}: empty or whitespace only, nothing to index")
    return Document(
        source=source_name(path),
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        title=title_of(text),
        date=date_of(text),
        encoding=encoding,
    )


_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x7fELF", b"\x1f\x8b")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """The text of `raw` and the name of the encoding it was read with."""
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(codec), name
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path}: starts with a {name} byte-order mark but is not valid {name} "
                    f"(byte {exc.start + len(bom)}); convert it to UTF-8 and ingest again"
                ) from exc
    if raw.startswith(_BINARY_MAGIC) or b"\x00" in raw:
        raise SkippedFile(f"{path}: binary data (NUL bytes or an image/archive header), not text")
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        if best is None:
            raise InputError(
                f"{path}: no text encoding fits its bytes; convert it to UTF-8 and ingest again"
            ) from None
        text, encoding = str(best), best.encoding
    if len(_CONTROL.findall(text[:65536])) > 0.05 * min(len(text), 65536):
        raise SkippedFile(f"{path}: mostly control characters, so binary data rather than text")
    return text, encoding


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
