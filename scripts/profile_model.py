"""Where the embedding model's time goes: ONNX Runtime's per-op kernel time over the bench's texts.

The 12 SQuAD bench articles are chunked as ingest chunks them (sentence spans too, as ingest
asks) and embedded with the backend's graph, batched as `Embedder` batches, with ONNX Runtime's
profiler on. Prints each op type's share of the kernel time, a figure that holds on a loaded
machine (wall seconds do not), and the process CPU seconds of the pass.

    python scripts/profile_model.py [--backend onnx-int8] [--threads 1] [--repeat 2]
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
    args = parser.parse_args()
    import onnxruntime

    from assistant.api import Assistant
    from assistant.ingest.reading import read_document
    from assistant.text.sentences import sentence_spans
    from vectorstore.modelfiles import offline_environment
    from vectorstore.onnx import SLOWER_FUSIONS, cores

    offline_environment()
    with tempfile.TemporaryDirectory(prefix="profile-model-") as scratch:
        files, _ = squad_articles(Path(scratch) / "articles", 12)
        assistant = Assistant(data_dir=Path(scratch) / "index", embedding_backend=args.backend)
        embedder = assistant.embedder
        chunks = [c.text for path in files for c in assistant.chunker.chunk(read_document(path))]
        encoder = embedder._load()
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = args.threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.enable_profiling = True
        options.profile_file_prefix = str(Path(scratch) / "ort")
        # the ingest's calls: batches side by side, one per core, each on `--threads` threads
        encoder.session = encoder.single = onnxruntime.InferenceSession(
            encoder.session._model_path,
            options,
            providers=["CPUExecutionProvider"],
            disabled_optimizers=SLOWER_FUSIONS,
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
    calls = f"{options.intra_op_num_threads} thread(s) a call, {cores()} calls side by side"
    print(f"{args.backend}, {len(chunks)} chunks, {calls}; {cpu_summary()}")
    print(f"last pass: {wall:.2f} s wall, {cpu:.2f} s CPU (all passes profiled)\n")
    print("| op | share of kernel time |\n|---|---|")
    for op, microseconds in kernel.most_common():
        if microseconds / total >= 0.005:
            print(f"| {op} | {microseconds / total:.1%} |")


if __name__ == "__main__":
    main()
