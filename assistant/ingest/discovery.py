"""Finding the source files to ingest, and naming them."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")


def source_name(path: Path) -> str:
    """How a file is named in the index: relative to the working directory when inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def find_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """Each file to ingest, once, with None, or with the reason it cannot be ingested.

    Directories are walked recursively (hidden folders skipped, other suffixes ignored);
    a file named directly must exist and end in one of SUFFIXES. Broken symbolic links, special
    files (FIFOs, devices) and folders that cannot be read are reported, never followed.
    A file reached twice (`. x.txt`, `x.txt x.txt`, `./x.txt $PWD/x.txt`) is one source, given once.
    """
    seen: set[str] = set()
    for path, problem in _found(paths):
        source = source_name(path)
        if source not in seen:
            seen.add(source)
            yield path, problem


def _found(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
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
