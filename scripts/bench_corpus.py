"""Corpora for `make bench`: the first SQuAD dev articles as files, and an index of 100,000+ chunks.

The large index is the 48 SQuAD dev articles written again and again under new names, each
copy with its own first line ("Copy 7 of ..."), so every chunk has its own id and source and the
first chunk of every copy its own text, while the rest of the text repeats: the vector cache
(keyed by content hash) embeds each distinct text once. The index is built once into
`bench/.cache/` and reused while its record matches.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from assistant.evaluation.datasets import EvalQuestion, sample, write_squad

REPO = Path(__file__).resolve().parent.parent
SQUAD = REPO.parent / "shared" / "eval" / "squad-dev-v1.1.json"
CACHE = REPO / "bench" / ".cache"


def squad_articles(folder: Path, count: int | None) -> tuple[list[Path], list[EvalQuestion]]:
    """The first `count` SQuAD dev articles (all when None) as files, and their questions."""
    every = folder.with_name(folder.name + "-all")
    questions = write_squad(SQUAD, every)
    files = sorted(every.glob("*.txt"))[:count]
    folder.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copy(path, folder / path.name)
    shutil.rmtree(every)
    names = {p.name for p in files}
    return [folder / p.name for p in files], [q for q in questions if q.spans[0][0] in names]


def squad_questions(n: int, seed: int = 7) -> list[str]:
    """`n` SQuAD dev questions, drawn as `assistant eval` draws them."""
    scratch = CACHE / "questions"
    shutil.rmtree(scratch, ignore_errors=True)
    questions = write_squad(SQUAD, scratch)
    shutil.rmtree(scratch)
    return [q.text for q in sample(questions, n, seed)]


def large_index(backend: str, chunks: int, log: Any) -> tuple[Path, dict[str, Any]]:
    """A data dir holding at least `chunks` chunks, built once (cached in bench/.cache)."""
    from assistant.api import Assistant

    data_dir = CACHE / f"index-{chunks}-{backend}"
    record_path = data_dir / "bench-record.json"
    if record_path.is_file():
        record = json.loads(record_path.read_text())
        if record.get("complete") and record.get("target_chunks") == chunks:
            return data_dir, record
    shutil.rmtree(data_dir, ignore_errors=True)
    files = CACHE / "squad-files"
    shutil.rmtree(files, ignore_errors=True)
    originals, _ = squad_articles(files / "original", None)
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in originals]
    assistant = Assistant(data_dir=data_dir, embedding_backend=backend)
    started = time.perf_counter()
    copy, stored = 0, 0
    while stored < chunks:
        folder = files / f"copy-{copy:03d}"
        folder.mkdir(parents=True)
        for name, text in texts:
            (folder / name).write_text(f"Copy {copy} of this article.\n{text}", encoding="utf-8")
        report = assistant.ingest([folder])
        stored += report.chunks
        copy += 1
        log(f"  large index: {copy} copies, {stored} chunks, {time.perf_counter() - started:.0f} s")
    assistant.retrieve("warm the BM25 index", k=1)  # built and saved once, here
    record = {
        "complete": True,
        "target_chunks": chunks,
        "chunks": assistant.store.count(),
        "copies": copy,
        "files": copy * len(texts),
        "build_seconds": round(time.perf_counter() - started, 1),
        "backend": backend,
    }
    record_path.write_text(json.dumps(record, indent=2))
    return data_dir, record
