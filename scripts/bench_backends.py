"""Which embedding backend this CPU gets, and what each candidate costs here (`make bench`).

Prints the CPU's ISA, the backend a new index gets on it (`vectorstore.isa.choose_backend`) and
a row per candidate: CPU seconds of this process to embed the first PARAGRAPHS paragraphs of the
SQuAD dev articles (the median of ROUNDS rounds, the candidates taking turns in each round, so
load from other jobs falls on all alike), word pieces, the CPU seconds the ISA's peak would take
in the backend's precision (`bench_cpu.peak_ops` per core: int8, bf16 or fp32; CPU seconds
against CPU seconds, so other jobs on the machine do not count) and the ratio, the least cosine
to torch fp32, and whether a text's vector is the same alone as in a batch.

    python scripts/bench_backends.py [--paragraphs 96] [--rounds 3] [--backends onnx-int8 onnx]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cpu import FLOP_PER_WORD_PIECE, cpu_summary, peak_ops

from vectorstore.onnx import cores

REPO = Path(__file__).resolve().parent.parent
CANDIDATES = ("onnx-int8", "onnx", "torch-bf16", "torch")


def main() -> None:
    import numpy as np

    from vectorstore import Embedder
    from vectorstore.isa import choose_backend, cpu_info, isa_summary
    from vectorstore.modelfiles import default_cache_dir

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--paragraphs", type=int, default=96)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backends", nargs="+", choices=CANDIDATES, default=list(CANDIDATES))
    args = parser.parse_args()
    candidates = list(dict.fromkeys(["onnx-int8", *args.backends, "torch"]))  # the yardsticks: int8, fp32
    squad = json.loads((REPO.parent / "shared" / "eval" / "squad-dev-v1.1.json").read_text())
    texts = [p["context"] for a in squad["data"] for p in a["paragraphs"]][: args.paragraphs]
    _, flags = cpu_info()
    print(f"\nCPU: {cpu_summary()}; flags that choose: {isa_summary(flags)}")
    print(f"Backend a new index gets here: **{choose_backend(default_cache_dir())}**\n")
    embedders = {b: Embedder(backend=b, model_process=False) for b in candidates}
    for embedder in embedders.values():
        embedder.embed(texts[:2])  # loaded (and exported) before the clock
    pieces = sum(embedders["onnx"].count_tokens(texts)) + 2 * len(texts)
    seconds: dict[str, list[float]] = {b: [] for b in candidates}
    vectors = {}
    for _ in range(args.rounds):
        for backend, embedder in embedders.items():
            started = time.process_time()
            vectors[backend] = embedder.embed(texts)
            seconds[backend].append(time.process_time() - started)
    reference = vectors["torch"]
    print(f"{len(texts)} SQuAD paragraphs, {pieces:,} word pieces, {args.rounds} rounds by turns\n")
    print(
        "| backend | CPU s | min-max | x onnx-int8 | limit CPU s | x limit | min cos to fp32 | same alone |"
    )
    print("|---|---|---|---|---|---|---|---|")
    fastest = statistics.median(seconds["onnx-int8"])
    for backend in candidates:
        median = statistics.median(seconds[backend])
        precision = "int8" if backend == "onnx-int8" else "bf16" if backend.endswith("bf16") else "fp32"
        limit = pieces * FLOP_PER_WORD_PIECE / peak_ops(precision) * cores()  # one core's peak, CPU s
        cosine = float(np.min(np.sum(vectors[backend] * reference, axis=1)))
        alone = np.vstack([embedders[backend].embed([t]) for t in texts[:8]])
        same = np.allclose(alone, vectors[backend][:8], atol=1e-5)
        print(
            f"| {backend} | {median:.2f} | {min(seconds[backend]):.2f}-{max(seconds[backend]):.2f} "
            f"| {median / fastest:.2f} | {limit:.2f} ({precision}) | {median / limit:.1f}x | {cosine:.5f} "
            f"| {'yes' if same else 'no'} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
