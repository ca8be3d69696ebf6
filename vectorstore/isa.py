"""Which embedding backend a new index gets on this CPU, from its ISA flags (/proc/cpuinfo).

Measured on AMD EPYC (2 cores, AVX-512 with BF16 and VNNI, no AMX), 2026-12-07, 160 SQuAD
paragraphs, CPU seconds of three paired rounds (other jobs on the machine): onnx-int8 2.4-2.5,
onnx (fp32) 4.6-5.2, torch-bf16 7.3-8.1, torch (fp32) 12.3-13.5. Without AMX, `onnx-int8` is
chosen. With AMX (`amx_bf16`), bf16 matrix products run on the tile unit and `torch-bf16` may
win (on a Sapphire Rapids Xeon it ran 1.98x torch fp32, and onnx-int8 there reached only 17.8x
its int8 FLOP limit): there both are timed once on a few made-up paragraphs, the faster kept,
and the choice written beside the ONNX exports (`backend-choice.json`, per CPU model and
flags), so later processes read it instead of measuring again.

Only a new index is given this choice: an index keeps the backend its vectors were made with
(the model name it records says which), on any machine. torch-bf16 holds the SQuAD quality
bound (hybrid hit@1/hit@5 0.805/0.950 against torch fp32's 0.804/0.950, first 12 dev articles,
1,000 questions, 2026-12-08: docs/evaluation.md, issue 29 round 2), so it stays a candidate.
"""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Callable
from pathlib import Path

FLAGS = ("amx_bf16", "amx_int8", "avx512_bf16", "avx512_vnni", "avx_vnni", "avx2", "avx512f")
DEFAULT = "onnx-int8"
MEASURED = ("onnx-int8", "torch-bf16")  # timed against each other on CPUs with AMX
CHOICE_FILE = "backend-choice.json"
# Paragraphs of many lengths, as an ingest's chunks are: torch-bf16 batches only equal lengths.
SAMPLE = [
    f"The council of district {i} met on Tuesday and voted to repair the bridge before the winter. "
    + "A spokeswoman said that families had asked for help with heating this year. " * (i % 6)
    + "The work would start next month. " * (i % 5)
    for i in range(48)
]


def cpu_info(path: Path = Path("/proc/cpuinfo")) -> tuple[str, frozenset[str]]:
    """(model name, ISA flags) of the first CPU listed; ("unknown", {}) where there is no such file."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "unknown", frozenset()
    info: dict[str, str] = {}
    for line in lines:
        key, _, value = line.partition(":")
        info.setdefault(key.strip(), value.strip())
    return info.get("model name", "unknown"), frozenset(info.get("flags", "").split())


def isa_summary(flags: frozenset[str]) -> str:
    """The flags that matter here, in FLAGS order: `avx512_bf16 avx512_vnni avx_vnni avx2 avx512f`."""
    return " ".join(f for f in FLAGS if f in flags) or "none of " + " ".join(FLAGS)


def choose_backend(
    cache_dir: Path,
    cpu: tuple[str, frozenset[str]] | None = None,
    timer: Callable[[str], float] | None = None,
) -> str:
    """The backend a new index gets on this CPU: `onnx-int8`, or on a CPU with AMX the faster of
    MEASURED, timed once (`timer(backend)` -> CPU seconds) and remembered in `cache_dir`."""
    model, flags = cpu if cpu is not None else cpu_info()
    if "amx_bf16" not in flags:
        return DEFAULT
    path = Path(cache_dir) / CHOICE_FILE
    key = f"{model}|{isa_summary(flags)}"
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if isinstance(known.get(key), dict) and known[key].get("backend") in MEASURED:
        return str(known[key]["backend"])
    timer = timer or (lambda backend: cpu_seconds(backend, Path(cache_dir)))
    seconds = {backend: min(timer(backend) for _ in range(2)) for backend in MEASURED}
    chosen = min(seconds, key=lambda b: seconds[b])
    known[key] = {
        "backend": chosen,
        "cpu_seconds": seconds,
        "measured": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(known, indent=2), encoding="utf-8")
    return chosen


def cpu_seconds(backend: str, cache_dir: Path) -> float:
    """CPU seconds of this process for `backend` to embed SAMPLE (model loaded beforehand)."""
    from vectorstore.embeddings import Embedder

    embedder = Embedder(backend=backend, cache_dir=cache_dir, model_process=False)
    embedder.embed(SAMPLE[:2])
    started = time.process_time()
    embedder.embed(SAMPLE)
    return time.process_time() - started
