"""One writer at a time: ingest, remove and reindex hold a lock file in the data dir."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.errors import IndexWriteError, IngestBusyError


@contextmanager
def writer_lock(lock_path: Path, location: str, wait: float = 0.0) -> Iterator[None]:
    """Hold `lock_path` while writing; another holder makes this wait `wait` s, then refuse.

    The lock is an OS-level file lock, so it is released when its process dies, even by SIGKILL.
    """
    from filelock import FileLock, Timeout

    owner = lock_path.with_name(lock_path.name + ".owner")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(lock_path), timeout=wait)
        lock.acquire()
    except Timeout:
        raise IngestBusyError(
            f"Another ingest is writing to {location} ({_describe(owner)}). Wait for it to finish, "
            "or pass --wait SECONDS to queue behind it."
        ) from None
    except OSError as exc:
        raise IndexWriteError(
            f"Cannot create the lock file {lock_path} ({exc.strerror or exc}): the data dir is "
            "read-only or full. What was stored before is unchanged."
        ) from exc
    try:
        with contextlib.suppress(OSError):  # only a courtesy for the message above
            owner.write_text(f"pid {os.getpid()}, since {time.strftime('%H:%M:%S')}")
        yield
    finally:
        lock.release()


def _describe(owner: Path) -> str:
    try:
        return owner.read_text().strip() or "another process"
    except OSError:
        return "another process"
