"""Where the embedding model's time goes: ONNX Runtime's per-op kernel time over the bench's texts.

The 12 SQuAD bench articles are chunked as ingest chunks them (sentence spans too, as ingest
asks) and embedded with the backend's graph, batched as `Embedder` batches, with ONNX Runtime's
profiler on. Prints each op type's share of the kernel time, a figure that holds on a loaded
machine (wall seconds do not), and the process CPU seconds of the pass.

    python scripts/profile_model.py [--backend onnx-int8] [--threads 1] [--repeat 2] [--all-fusions]
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_corpus import squad_articles
from bench_cpu import cpu_summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", default="onnx-int8", help="onnx, onnx-int8 or onnx-int8-dynamic")
    parser.add_argument(
        "--threads", type=int, default=1, help="ONNX Runtime intra-op threads of each call (ingest: 1)"
    )
    parser.add_argument("--repeat", type=int, default=2, help="Passes over the texts (the first is warm-up)")
    parser.add_argument(
        "--all-fusions",
        action="store_true",
        help="Apply every ONNX Runtime fusion, also those vectorstore.onnx leaves out (as before round 5)",
    )
    args = parser.parse_args()
    from assistant.api import Assistant
    from assistant.ingest.reading import read_document
    from assistant.text.sentences import sentence_spans
    from vectorstore.modelfiles import offline_environment
    from vectorstore.onnx import SLOW_FUSIONS, cores, open_session

    offline_environment()
    with tempfile.TemporaryDirectory(prefix="profile-model-") as scratch:
        files, _ = squad_articles(Path(scratch) / "articles", 12)
        assistant = Assistant(data_dir=Path(scratch) / "index", embedding_backend=args.backend)
        embedder = assistant.embedder
        chunks = [c.text for path in files for c in assistant.chunker.chunk(read_document(path))]
        encoder = embedder._load()
        # the ingest's calls: batches side by side, one per core, each on `--threads` threads
        unfused = () if args.all_fusions else SLOW_FUSIONS
        encoder.session = encoder.single = open_session(
            encoder.path, args.threads, str(Path(scratch) / "ort"), unfused
        )
        spans = [sentence_spans(text) for text in chunks]
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            encoder.encode_spans(chunks, spans, embedder.batch_size, embedder.max_pieces)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        events = json.loads(Path(encoder.session.end_profiling()).read_text())
    kernel: collections.Counter[str] = collections.Counter()
    for event in events:
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            kernel[event["args"]["op_name"]] += event["dur"]
    total = sum(kernel.values())
    calls = f"{args.threads} thread(s) a call, {cores()} calls side by side"
    calls += f", left unfused: {', '.join(unfused) or 'none'}"
    print(f"{args.backend}, {len(chunks)} chunks, {calls}; {cpu_summary()}")
    print(f"last pass: {wall:.2f} s wall, {cpu:.2f} s CPU (all passes profiled)\n")
    print("| op | share of kernel time |\n|---|---|")
    for op, microseconds in kernel.most_common():
        if microseconds / total >= 0.005:
            print(f"| {op} | {microseconds / total:.1%} |")


if __name__ == "__main__":
    main()
