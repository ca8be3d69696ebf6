"""Vectors already computed, keyed by a hash of the model and the text: the same text costs once.

An SQLite file (one per data dir) shared by processes. It is only a cache: if it cannot be
opened, read or written, embedding goes on without it. Writes run on a thread of their own
(`vector-cache`), so the thread that embeds goes on to its next batch at once; until a write has
landed, `get` finds its vectors in memory, and `flush` waits for the writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

_LOOKUP = 500  # keys per SELECT (SQLite caps the parameters of one statement)


class VectorCache:
    """Unit vectors by (model, text) content hash, in an SQLite file.

    Example:
        cache = VectorCache(Path(".assistant/vectors.sqlite"), model_key="all-MiniLM-L6-v2")
        cache.get(["a text"])          # {} until put
    """

    def __init__(self, path: Path, model_key: str, database: _Database | None = None) -> None:
        self.path = path
        self.model_key = model_key
        self._database = database or _Database(path)

    def keyed(self, model_key: str) -> VectorCache:
        """A cache of other keys in the same file, sharing this one's connections and writer thread:
        its writes queue behind this one's instead of sleeping on SQLite's busy handler."""
        return VectorCache(self.path, model_key, self._database)

    def key(self, text: str) -> bytes:
        """The content hash of `text` for this model."""
        return hashlib.sha256(f"{self.model_key}\0{text}".encode()).digest()[:20]

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors of those `texts` that have one."""
        import numpy as np

        keys = {self.key(t): t for t in texts}
        found = {keys[k]: np.frombuffer(b, dtype=np.float32) for k, b in self._database.waiting(keys).items()}
        wanted = [k for k, t in keys.items() if t not in found]
        with self._database.lock:
            db = self._database.connect()
            if db is None:
                return found
            try:
                for start in range(0, len(wanted), _LOOKUP):
                    part = wanted[start : start + _LOOKUP]
                    marks = ",".join("?" * len(part))
                    for key, blob in db.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({marks})", part
                    ):
                        found[keys[key]] = np.frombuffer(blob, dtype=np.float32)
            except sqlite3.Error:
                return found
        return found

    def put(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Remember the vector of each text (written on the cache's own thread)."""
        import numpy as np

        rows = {
            self.key(t): np.ascontiguousarray(v, dtype=np.float32).tobytes()
            for t, v in zip(texts, vectors, strict=True)
        }
        if rows:
            self._database.write(rows)

    def flush(self) -> None:
        """Wait until every vector put so far is written."""
        self._database.flush()


def cache_damage(path: Path) -> str | None:
    """What SQLite's `PRAGMA integrity_check` finds wrong with the cache file at `path`; None when
    it passes, is absent, or cannot be opened at all (then the cache is simply not used).

    The check reads the whole file (seconds for a cache of a few hundred MB), so a file unchanged
    since it last passed (same size and modification time, its journal too) is not read again.
    """
    if not path.is_file():
        return None
    checked = path.with_name(path.name + ".checked")
    with contextlib.suppress(OSError):
        if checked.read_text() == _stamp(path):
            return None
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=30)) as db:
            found = [str(row[0]) for row in db.execute("PRAGMA integrity_check")]
    except sqlite3.OperationalError:
        return None  # locked for longer than the timeout, or not ours to open: not damage
    except sqlite3.DatabaseError as exc:  # "file is not a database", "disk image is malformed"
        return str(exc)
    problems = [line for line in found if line != "ok"]
    if problems:
        return "; ".join(problems[:3]) + (" ..." if len(problems) > 3 else "")
    with contextlib.suppress(OSError):
        checked.write_text(_stamp(path))
    return None


def _stamp(path: Path) -> str:
    """Size and modification time of the cache file and its write-ahead log."""
    parts = []
    for name in (path.name, path.name + "-wal"):
        try:
            stat = path.with_name(name).stat()
        except OSError:
            parts.append("-")
        else:
            parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
    return " ".join(parts)


def drop_cache(path: Path) -> None:
    """Delete the cache file, its journal files and its check mark (the next use starts empty)."""
    for name in (path.name, path.name + "-wal", path.name + "-shm", path.name + ".checked"):
        path.with_name(name).unlink(missing_ok=True)


class _Database:
    """One SQLite connection to a cache file, and the lock its users take turns by."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._broken = False
        self._pending: dict[bytes, bytes] = {}  # rows put and not written yet
        self._pending_lock = threading.Lock()
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="vector-cache")
        self._writes: list[Future[None]] = []
        self._writing: sqlite3.Connection | None = None  # the writer thread's connection

    def waiting(self, keys: dict[bytes, str]) -> dict[bytes, bytes]:
        """The rows among `keys` put and not written yet."""
        with self._pending_lock:
            return {k: self._pending[k] for k in keys if k in self._pending}

    def write(self, rows: dict[bytes, bytes]) -> None:
        """Write `rows` on the writer thread; they are found in memory until then."""
        with self._pending_lock:
            self._pending.update(rows)
            self._writes = [w for w in self._writes if not w.done()]
            try:
                self._writes.append(self._writer.submit(self._insert, rows))
            except RuntimeError:  # the interpreter is shutting down: no more threads
                pass
            else:
                return
        self._insert(rows)

    def flush(self) -> None:
        with self._pending_lock:
            writes = list(self._writes)
        for write in writes:
            write.result()

    def _insert(self, rows: dict[bytes, bytes]) -> None:
        """Write rows on a connection of the writer's own: in WAL mode readers never wait for it."""
        try:
            if self._writing is None and self.connect() is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._writing = sqlite3.connect(
                        self.path, timeout=30, check_same_thread=False, isolation_level=None
                    )
            db = self._writing
            if db is None:
                return
            try:
                db.execute("BEGIN")
                db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows.items())
                db.execute("COMMIT")
            except sqlite3.Error:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
        finally:
            with self._pending_lock:
                for key, blob in rows.items():
                    if self._pending.get(key) is blob:
                        del self._pending[key]

    def connect(self) -> sqlite3.Connection | None:
        """The connection, opened on first use; None when the file cannot be used."""
        if self._db is None and not self._broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB) WITHOUT ROWID"
                )
                self._db = db
            except (OSError, sqlite3.Error):
                self._broken = True  # a cache: carry on without it
        return self._db
