"""What `make bench` says about the CPU: model, ISA flags, peak arithmetic rate, FLOPs of a run.

The peak is an upper bound from the flags and the clock (`cpu MHz` of /proc/cpuinfo, the
nominal clock on a VM), assuming two vector FMA pipes per core, as on the Xeon Gold/Platinum
and EPYC (Zen 4 and later) parts this runs on:

- fp32: 2 FLOP per FMA x 16 lanes (AVX-512) or 8 (AVX2) x 2 pipes per cycle;
- int8: with AVX-512 VNNI, `vpdpbusd` does 64 multiply-adds (128 ops) x 2 pipes; with AVX-VNNI
  (256-bit) half that; without VNNI (AVX2 `vpmaddubsw`) twice the fp32 rate; with AMX, 1,024
  multiply-adds per cycle per core (the tile unit, 2,048 ops).

MiniLM-L6 (6 layers, hidden 384, feed-forward 1,536) costs 2 x (4 x 384 x 384 + 2 x 384 x 1536)
x 6 = 21.2 MFLOP per word piece in its projections, which the int8 backend runs in int8;
attention adds 4 x 384 x n per word piece of an n-piece text per layer (about 1.7 MFLOP at n =
180, run in fp32) and is left out: the figure is the one the issue names, a lower bound.
"""

from __future__ import annotations

import os
from pathlib import Path

FLOP_PER_WORD_PIECE = 2 * (4 * 384 * 384 + 2 * 384 * 1536) * 6
FLAGS = {
    "avx2": "AVX2",
    "avx512f": "AVX-512",
    "avx512_vnni": "AVX-512 VNNI",
    "avx_vnni": "AVX-VNNI",
    "avx512_bf16": "AVX-512 BF16",
    "amx_int8": "AMX-INT8",
    "amx_bf16": "AMX-BF16",
}


def _cpuinfo() -> dict[str, str]:
    info: dict[str, str] = {}
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        key, _, value = line.partition(":")
        info.setdefault(key.strip(), value.strip())
    return info


def cpu_flags() -> set[str]:
    """The ISA flags of the first CPU in /proc/cpuinfo."""
    return set(_cpuinfo().get("flags", "").split())


def cpu_summary() -> str:
    """`model, N cores at X GHz, ISA: ...`."""
    info = _cpuinfo()
    flags = cpu_flags()
    isa = ", ".join(name for flag, name in FLAGS.items() if flag in flags) or "no AVX2"
    return f"{info.get('model name', 'unknown CPU')}, {_cores()} cores at {_ghz():.2f} GHz; ISA: {isa}"


def _cores() -> int:
    return len(os.sched_getaffinity(0))


def _ghz() -> float:
    try:
        return float(_cpuinfo().get("cpu MHz", "0")) / 1000 or 2.0
    except ValueError:
        return 2.0


def peak_ops(precision: str) -> float:
    """Operations per second of all cores in `precision` ("fp32" or "int8"), an upper bound."""
    flags = cpu_flags()
    fp32 = 2 * (16 if "avx512f" in flags else 8 if "avx2" in flags else 4) * 2
    if precision == "fp32":
        per_cycle = fp32
    elif precision == "bf16":  # AMX tiles: 1,024 ops a cycle; AVX-512 BF16 `vdpbf16ps`: twice fp32
        per_cycle = 1024 if "amx_bf16" in flags else 2 * fp32 if "avx512_bf16" in flags else fp32
    elif "amx_int8" in flags:
        per_cycle = 2048
    elif "avx512_vnni" in flags:
        per_cycle = 256
    elif "avx_vnni" in flags:
        per_cycle = 128
    else:
        per_cycle = 2 * fp32
    return per_cycle * _ghz() * 1e9 * _cores()


def model_row(backend: str, word_pieces: int, seconds: float) -> list[str]:
    """Word pieces, FLOPs, model seconds, the FLOP limit, their ratio and the fraction of peak."""
    precision = "int8" if backend.startswith("onnx-int8") else "bf16" if backend.endswith("bf16") else "fp32"
    flops = word_pieces * FLOP_PER_WORD_PIECE
    limit = flops / peak_ops(precision)
    if not seconds:
        return [
            backend,
            f"{word_pieces:,}",
            f"{flops / 1e12:.2f}",
            "n/a",
            f"{limit:.2f} ({precision})",
            "",
            "",
        ]
    return [
        backend,
        f"{word_pieces:,}",
        f"{flops / 1e12:.2f}",
        f"{seconds:.2f}",
        f"{limit:.2f} ({precision})",
        f"{seconds / limit:.1f}x",
        f"{limit / seconds:.1%}",
    ]


MODEL_HEADER = [
    "model time, 12 articles",
    "word pieces",
    "TFLOP",
    "model s",
    "FLOP limit s",
    "x limit",
    "of peak",
]
