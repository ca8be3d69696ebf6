"""Uploaded files on disk: each kept under a name of its own, never written through a symbolic link.

An upload is stored as `uploads/<first 12 hex digits of its sha256>/<its own file name>`: two
files with the same name but different bytes never overwrite each other, the same bytes
uploaded twice land on the same path, and every listing still shows the name the reader chose.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

ACCEPTED = (".txt", ".md", ".html", ".htm", ".pdf")  # what `assistant ingest` reads
KEY_CHARS = 12
_SET_HERE: set[str] = set()  # GRADIO_TEMP_DIR values this process chose (not the user's)


@dataclass(frozen=True)
class Saved:
    """An upload kept on disk: where it is, and the file name it was uploaded under."""

    path: Path
    name: str


def accepted_types() -> str:
    """ ".txt, .md, .html, .htm or .pdf": the accepted suffixes, for messages."""
    return ", ".join(ACCEPTED[:-1]) + " or " + ACCEPTED[-1]


def save_uploads(paths: list[str], folder: Path, max_bytes: int) -> tuple[list[Saved], list[tuple[str, str]]]:
    """Copy acceptable uploads into `folder`; the saved files and (name, reason) for the others."""
    saved: list[Saved] = []
    problems: list[tuple[str, str]] = []
    for upload in paths:
        name = Path(upload).name
        if Path(name).suffix.lower() not in ACCEPTED:
            problems.append((name, f"only {accepted_types()} files can be ingested"))
            continue
        if Path(upload).stat().st_size > max_bytes:
            problems.append((name, f"larger than {max_bytes // 1000} kB"))
            continue
        try:
            target = store_upload(Path(upload), folder)
        except OSError as exc:
            problems.append((name, f"cannot be kept ({exc.strerror or exc})"))
            continue
        if all(s.path != target for s in saved):  # the same bytes twice: one file
            saved.append(Saved(target, name))
    return saved, problems


def store_upload(upload: Path, folder: Path) -> Path:
    """Write `upload` to its own path under `folder`; never through a symbolic link.

    The bytes go to a new temporary file (created exclusively) and are renamed into place:
    a rename replaces a link at the target instead of writing where it points.
    """
    data = upload.read_bytes()
    key = hashlib.sha256(data).hexdigest()[:KEY_CHARS]
    directory = _real_directory(_real_directory(folder) / key)
    target = directory / upload.name
    if not target.is_symlink() and target.is_file() and target.read_bytes() == data:
        return target
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def discard(path: Path, folder: Path) -> None:
    """Delete a kept upload (and its folder once empty); anything outside `folder` is left alone."""
    root = folder.resolve()
    directory = path.parent
    if directory.is_symlink() or directory.resolve().parent != root:
        return
    path.unlink(missing_ok=True)  # unlinks a link itself, never its target
    with contextlib.suppress(OSError):  # other files still in it
        directory.rmdir()


def is_upload(path: Path, folder: Path) -> bool:
    """Whether `path` is a file kept by `store_upload` under `folder`."""
    try:
        return path.parent.resolve().parent == folder.resolve() and not path.parent.is_symlink()
    except OSError:
        return False


def _real_directory(path: Path) -> Path:
    """`path` as a directory, created if missing; refused when it is a symbolic link or not a folder."""
    path.mkdir(parents=True, exist_ok=True)
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode) or not stat.S_ISDIR(mode):
        raise OSError(f"{path} is a symbolic link or not a folder; uploads are never written through one")
    return path


def private_temp_dir(data_dir: Path) -> Path:
    """Give Gradio a folder of this app's own for the uploads it receives (`GRADIO_TEMP_DIR`).

    Gradio serves what is in that folder at `/gradio_api/file=...`; the shared default
    (`/tmp/gradio`) would serve other apps' files too. A folder named by the user wins. Called
    before the app is built: Gradio reads the variable then.
    """
    named = os.environ.get("GRADIO_TEMP_DIR")
    if named and named not in _SET_HERE:
        return Path(named)
    folder = _real_directory(Path(data_dir).resolve() / "web-temp")
    folder.chmod(0o700)
    os.environ["GRADIO_TEMP_DIR"] = str(folder)
    _SET_HERE.add(str(folder))  # a later app of this process (another data dir) sets its own
    return folder


def gradio_folder() -> Path:
    """Where Gradio keeps the files it received (its `GRADIO_TEMP_DIR`)."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder())


def drop_temporary(paths: list[str], folder: Path) -> None:
    """Delete Gradio's copies of uploaded files (and their folders once empty), only inside `folder`."""
    root = folder.resolve()
    for upload in paths:
        path = Path(upload)
        try:
            if path.is_symlink() or not path.resolve().is_relative_to(root) or path.resolve() == root:
                continue
            path.unlink(missing_ok=True)
        except OSError:
            continue
        with contextlib.suppress(OSError):  # other files still in it
            if path.parent.resolve() != root:
                path.parent.rmdir()
