"""Opening Chroma clients, telling its failures apart, and the two things Chroma has no public API for.

Everything that touches a Chroma internal lives in this module, each with a comment saying why;
`tests/test_store.py::test_chroma_internals_still_exist` fails when a Chroma release moves them.
"""

from __future__ import annotations

import errno
import logging
import shutil
from pathlib import Path
from typing import Any

from vectorstore.errors import DuplicateEntryError, IndexDamagedError, StoreUnavailableError, VectorStoreError
from vectorstore.hnsw import check_vector_files

logger = logging.getLogger(__name__)
# Embedded Chroma can hang instead of failing when the disk fills during a write, so a write
# needs this much room (plus four times its own size) before it starts.
MIN_FREE_BYTES = 16 * 1024 * 1024
_FULL_OR_READ_ONLY = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG, errno.EDQUOT}


def is_timeout(exc: BaseException) -> bool:
    """True when a Chroma server did not answer in time."""
    import httpx

    return isinstance(exc, httpx.TimeoutException | TimeoutError)


def is_write_refusal(exc: BaseException) -> bool:
    """True when an error says the disk is full or read-only, not that the index is broken.

    An OSError says so by its errno. Chroma's Rust core reports SQLite's refusals as an
    `InternalError` (or SQLite's own `OperationalError`) whose class is the same for a broken
    index, so for those only the message tells.
    """
    if isinstance(exc, OSError) and exc.errno in _FULL_OR_READ_ONLY:
        return True
    detail = f"{type(exc).__name__}: {exc}"
    lowered = detail.lower()
    return any(
        cue in lowered
        for cue in (
            "readonly",
            "read-only",
            "disk is full",
            "no space",
            "permission denied",
            "file too large",
        )
    )


def chroma_errors() -> Any:
    """`chromadb.errors`, imported when first needed (importing chromadb takes a second)."""
    import chromadb.errors

    return chromadb.errors


def check_room(data_dir: Path | None, payload: int, location: str) -> None:
    """Refuse a write of about `payload` bytes that the data dir's disk has no room for."""
    assert data_dir is not None
    free = shutil.disk_usage(data_dir).free
    if free < MIN_FREE_BYTES + 4 * payload:
        raise StoreUnavailableError(
            f"Cannot write to the index in {location}: the disk is full or read-only "
            f"({free / 1e6:.1f} MB free, {(MIN_FREE_BYTES + 4 * payload) / 1e6:.1f} MB needed). "
            "What was stored before is unchanged; free space, then ingest again."
        )


def release_client(client: Any) -> None:
    """Forget the shared state of `client`'s path or server (see `forget_shared_system`)."""
    forget_shared_system(getattr(client, "_identifier", ""))  # set by Chroma's SharedSystemClient


def forget_shared_system(identifier: str) -> None:
    """Drop Chroma's per-process shared state for one path (or server), so the next client reads afresh.

    Chroma shares one `System` per path in a process and offers only `clear_system_cache()`,
    which forgets every path at once, or `close()`, which keeps the system while other clients
    hold it; so this pops the one entry itself.
    """
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(identifier, None)


def set_http_timeout(client: Any, timeout: float) -> None:
    """Make an HttpClient give up after `timeout` s: Chroma's own waits forever and has no setting."""
    import httpx

    client._server._session.timeout = httpx.Timeout(timeout)


def open_client(data_dir: Path | None, host: str | None, port: int | None, timeout: float) -> Any:
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if host is None:
        assert data_dir is not None
        if str(data_dir) in _READ_ONLY_COPIES:  # found read-only earlier in this process
            return chromadb.PersistentClient(path=str(_READ_ONLY_COPIES[str(data_dir)]), settings=settings)
        check_vector_files(data_dir)  # before Chroma's native code can crash on a damaged file
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(data_dir), settings=settings)
        except Exception as exc:
            if any(cue in str(exc) for cue in ("malformed", "not a database", "corrupt")):
                raise IndexDamagedError(
                    f"The index in {data_dir} is damaged ({exc}). "
                    "Run `assistant reindex` to rebuild it from the source files."
                ) from exc
            if is_write_refusal(exc) and (data_dir / "chroma.sqlite3").is_file():
                return _read_only_copy(data_dir, settings)
            raise StoreUnavailableError(f"Cannot open the index in {data_dir}: {exc}") from exc
    location = f"Chroma server {host}:{port or 8000}"
    try:
        import httpx

        # Chroma's client asks the server things as it is built, with no timeout: ask first.
        httpx.get(f"http://{host}:{port or 8000}/api/v2/heartbeat", timeout=timeout).raise_for_status()
        client = chromadb.HttpClient(host=host, port=port or 8000, settings=settings)
        # Chroma's own client waits forever for a reply
        set_http_timeout(client, timeout)
        client.heartbeat()
    except Exception as exc:
        if is_timeout(exc):
            raise StoreUnavailableError(
                f"{location} did not answer within {timeout:g} s. Check that it is running (not paused "
                "or overloaded), or raise --chroma-timeout."
            ) from exc
        raise unavailable(location, exc) from exc
    return client


_READ_ONLY_COPIES: dict[str, Path] = {}


def _read_only_copy(data_dir: Path, settings: Any) -> Any:
    """Embedded Chroma cannot open files it may not write: read a private copy instead.

    Writes still go nowhere: an ingest stops at the data dir's lock file, which it cannot create.
    """
    import atexit
    import tempfile

    import chromadb

    copy = Path(tempfile.mkdtemp(prefix="assistant-read-only-"))
    _READ_ONLY_COPIES[str(data_dir)] = copy
    atexit.register(shutil.rmtree, copy, ignore_errors=True)
    shutil.copytree(data_dir, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns("lexical*", "*.lock*"))
    logger.warning("The index in %s is read-only here: answering from a copy in %s.", data_dir, copy)
    return chromadb.PersistentClient(path=str(copy), settings=settings)


def unavailable(location: str, exc: Exception) -> VectorStoreError:
    return StoreUnavailableError(
        f"Cannot reach {location} ({type(exc).__name__}: {exc}). Check that it is running "
        "and that --chroma-host/--chroma-port are right."
    )


def classify_failure(
    exc: Exception, doing: str, location: str, embedded: bool, timeout: float, data_dir: Path | None = None
) -> VectorStoreError:
    """The error that says what really happened when Chroma failed while `doing` something.

    Embedded Chroma reports a disk that filled up during its work in a dozen ways, some naming
    no cause ("Error in compaction: Failed to apply logs to the metadata segment"): a failure
    while the data dir's disk has next to no room left is put down to that, not to damage.
    """
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, chroma_errors().DuplicateIDError):
        return DuplicateEntryError(
            f"Chroma refused a write to {location} that named the same id twice while {doing} "
            f"({detail}). Nothing of it was stored and the index is unchanged: give each file "
            "once and try again."
        )
    if not embedded:
        if is_timeout(exc):
            return StoreUnavailableError(
                f"{location} did not answer within {timeout:g} s while {doing}. "
                "Check that it is running (not paused or overloaded), or raise --chroma-timeout."
            )
        return unavailable(location, exc)
    if is_write_refusal(exc):
        return StoreUnavailableError(
            f"Cannot write to the index in {location} while {doing} ({detail}): the disk is "
            "full or read-only. What was stored before is unchanged; free space or fix the "
            "permissions, then ingest again."
        )
    free = _free_bytes(data_dir)
    if free is not None and free < MIN_FREE_BYTES:
        return StoreUnavailableError(
            f"Cannot write to the index in {location} while {doing} ({detail}): no space left, "
            f"the disk holds only {free / 1e6:.1f} MB free (another program may have filled it). "
            "What was stored before is unchanged; free space, then ingest again (if the same "
            "error comes back with space free, run `assistant reindex`)."
        )
    return IndexDamagedError(
        f"The index in {location} is damaged ({doing} failed: {detail}). "
        "Run `assistant reindex` to rebuild it from the source files."
    )


def _free_bytes(data_dir: Path | None) -> int | None:
    """Free bytes on the data dir's disk, or None when it cannot be told."""
    try:
        return shutil.disk_usage(data_dir).free if data_dir is not None else None
    except OSError:
        return None
