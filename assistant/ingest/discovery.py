"""Finding the source files to ingest, and naming them."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")


def canonical_path(path: str | Path) -> str:
    """The one path a file is known by, whatever the working directory: absolute, normalized."""
    return Path(os.path.abspath(path)).as_posix()


def source_name(path: Path) -> str:
    """How a file new to the index is named: relative to the working directory when inside it.

    A file the index records already keeps its name (see `SourceNames`), wherever it is ingested from.
    """
    absolute = Path(canonical_path(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


class SourceNames:
    """Names of source files, one per file: a file is one source whatever the working directory.

    A file the manifest records (by its canonical path) keeps the name it was recorded under; a
    new file is named by `source_name`, or by its canonical path when that name is another file's.
    `kept` (name -> path, as `sources.json` holds them) counts as recorded too: `reindex` keeps
    every source's name. An old index may record one file under several names (ingested from two
    working directories): the first of them, relative names before absolute ones, is its name;
    `duplicates` lists the others.
    """

    def __init__(self, manifest: dict[str, dict[str, Any]], kept: dict[str, str] | None = None) -> None:
        given = {name: str(record.get("path") or name) for name, record in manifest.items()}
        recorded: dict[str, list[str]] = {}
        self._owner: dict[str, str] = {}  # name -> canonical path
        for name, path in {**(kept or {}), **given}.items():
            recorded.setdefault(canonical_path(path), []).append(name)
            self._owner[name] = canonical_path(path)
        self._names = {
            path: sorted(names, key=lambda n: (n.startswith("/"), len(n), n))[0]
            for path, names in recorded.items()
        }
        self._others = {path: [n for n in ns if n != self._names[path]] for path, ns in recorded.items()}

    def of(self, path: Path) -> str:
        """The source name of the file at `path`."""
        canonical = canonical_path(path)
        name = self._names.get(canonical)
        if name is None:
            fresh = source_name(path)
            name = fresh if self._owner.get(fresh, canonical) == canonical else canonical
            self._names[canonical] = name
            self._owner[name] = canonical
        return name

    def duplicates(self, path: Path) -> list[str]:
        """Other names the manifest records the file at `path` under (to be dropped)."""
        return self._others.get(canonical_path(path), [])


def find_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """Each file to ingest, once, with None, or with the reason it cannot be ingested.

    Directories are walked recursively (hidden folders skipped, other suffixes ignored);
    a file named directly must exist and end in one of SUFFIXES. Broken symbolic links, special
    files (FIFOs, devices) and folders that cannot be read are reported, never followed.
    A file reached twice (`. x.txt`, `x.txt x.txt`, `./x.txt $PWD/x.txt`) is one source, given once.
    """
    seen: set[str] = set()
    for path, problem in _found(paths):
        canonical = canonical_path(path)
        if canonical not in seen:
            seen.add(canonical)
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
