"""`make bench`: indexing throughput, cold start, warm latency at scale, peak memory.

Prints Markdown tables (median, min and max of several runs) with the date and the machine,
ready for docs/evaluation.md. Everything it writes lives in temporary folders or in `bench/.cache/`
(the 100,000-chunk index, built once): the user's `.assistant/` is never touched.

    python scripts/bench.py [--runs 3] [--chunks 100000] [--backend onnx-int8] [--quick] [--indexing-only]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_corpus import REPO, large_index, squad_articles, squad_questions
from bench_cpu import MODEL_HEADER, cpu_summary, model_row

BIN = Path(sys.executable).parent / "assistant"
SCRATCH = Path(tempfile.gettempdir())  # main() points it at its own temporary folder
SEED_QUESTIONS = [
    "How long have the defenders been fighting?",
    "Who is Vadym Boichenko?",
    "Who said Russian troops were driven out of Azovstal?",
    "What did Palamar ask the Supreme Commander-in-Chief?",
    "How many civilians left the plant on Sunday?",
    "What did Putin declare about Mariupol?",
    "What did Sergey Shoigu claim?",
    "Where are the Ukrainian troops and civilians hiding?",
    "What is the capital of France?",
    "Were evacuation corridors opened on Thursday?",
]
BACKENDS = ("torch", "onnx", "onnx-int8-dynamic", "onnx-int8")  # -dynamic: the int8 of before
NO_SENTENCES = "without sentence vectors"
NO_QUOTES = "without finding quotes"  # the tutorial's work only: chunks, their vectors, Chroma
IN_PROCESS = "with the model's pass in this process"  # as before issue 17 round 6 (no worker)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def spread(values: Sequence[float], digits: int = 2) -> str:
    """`median (min-max)` of `values`."""
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def environment(data_dir: Path) -> dict[str, str]:
    """The process environment without the user's ASSISTANT_* settings, on `data_dir`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env["ASSISTANT_DATA_DIR"] = str(data_dir)
    return env


def timed_process(args: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, int]:
    """Wall seconds of one process run to its end, and its peak RSS in MiB.

    The peak is the process's own VmHWM, read while it runs: the rusage of a child made by
    fork and exec also counts the parent's memory at the fork.
    """
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        peak = 0
        while process.poll() is None:
            peak = max(peak, peak_rss(process.pid))
            time.sleep(0.01)
        elapsed = time.perf_counter() - started
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(args)} exited {process.returncode}: {message}")
    return elapsed, peak


def peak_rss(pid: int) -> int:
    """VmHWM of a running process in MiB (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) // 1024 for line in status.splitlines() if line.startswith("VmHWM")), 0)


def machine() -> str:
    """CPU model, cores, memory, Python and library versions."""
    import chromadb
    import onnxruntime
    import torch

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {kib / 1024 / 1024:.0f} GiB RAM, no GPU; Python "
        f"{platform.python_version()}, torch {torch.__version__}, onnxruntime {onnxruntime.__version__}, "
        f"chromadb {chromadb.__version__}"
    )


def bench_indexing(
    runs: int, work: Path, backends: Sequence[str]
) -> tuple[list[list[str]], list[list[str]], list[str]]:
    """Characters per second of the tutorial pipeline and of this project, per backend (and, for
    onnx-int8, without the sentence vectors ingest pools from each chunk's pass, and without
    finding quotes: what each costs); the model's work and time per backend (median run); the
    questions about the articles indexed."""
    from assistant.api import Assistant
    from assistant.attribution.parsing import parser
    from assistant.evaluation.baselines import TutorialPipeline, tutorial_embeddings
    from assistant.evaluation.datasets import sample
    from vectorstore.worker import encoder_process

    files, questions = squad_articles(work / "articles", 12)
    characters = sum(len(p.read_text(encoding="utf-8")) for p in files)
    embeddings = tutorial_embeddings()
    embeddings.embed_documents(["warm up"])
    started = time.perf_counter()
    parser()  # our other model, spaCy's, also loaded before the clock starts
    spacy_load = time.perf_counter() - started
    variants = [(b, b) for b in backends]
    if "onnx-int8" in backends:
        variants.append((f"onnx-int8 {NO_SENTENCES}", "onnx-int8"))
        variants.append((f"onnx-int8 {NO_QUOTES}", "onnx-int8"))
        variants.append((f"onnx-int8 {IN_PROCESS}", "onnx-int8"))
    speeds: dict[str, list[float]] = {"tutorial": []}
    usage: dict[str, list[tuple[int, float]]] = {}
    for run in range(runs):
        started = time.perf_counter()
        TutorialPipeline(work / "articles", work / f"tutorial-{run}", embeddings=embeddings)
        speeds["tutorial"].append(characters / (time.perf_counter() - started))
        log(f"  tutorial run {run + 1}: {speeds['tutorial'][-1]:,.0f} chars/s")
        for name, backend in variants:
            warm = Assistant(data_dir=work / f"warm-{backend}", embedding_backend=backend)
            warm.embedder.embed(["load the model before the clock starts"])
            if backend != "torch":  # and the worker process of the ingest's model pass
                worker = encoder_process(warm.embedder._load())
                worker.start()
                worker.ready(wait=120)
            folder = work / f"index-{name.replace(' ', '-')}-{run}"
            assistant = Assistant(data_dir=folder, embedding_backend=backend)
            if name.endswith(NO_SENTENCES):
                assistant.embedder._in_context = None  # chunk vectors only, as before issue 14
            if name.endswith(IN_PROCESS):
                assistant.embedder.model_process = False
            if name.endswith(NO_QUOTES):
                assistant.quote_index = None  # type: ignore[assignment]  # the tutorial's work only
            pieces, seconds = model_usage(assistant.embedder)
            started = time.perf_counter()
            report = assistant.ingest([work / "articles"])
            speeds.setdefault(name, []).append(characters / (time.perf_counter() - started))
            after = model_usage(assistant.embedder)
            usage.setdefault(name, []).append((after[0] - pieces, after[1] - seconds))
            log(f"  {name} run {run + 1}: {speeds[name][-1]:,.0f} chars/s ({report.chunks} chunks)")
    rows = [["tutorial pipeline (torch, 1000-char chunks)", spread(speeds["tutorial"], 0), "1.00"]]
    for name, _ in variants:
        # each run against the tutorial of the same run, minutes apart: other jobs come and go
        ratios = [s / t for s, t in zip(speeds[name], speeds["tutorial"], strict=True)]
        rows.append([f"this project, {name}", spread(speeds[name], 0), spread(ratios)])
    if "onnx-int8" in backends:
        without = speeds[f"onnx-int8 {NO_SENTENCES}"]
        trade = [w / wo for w, wo in zip(speeds["onnx-int8"], without, strict=True)]
        rows.append(["sentence vectors at ingest: onnx-int8 speed with / without", "", spread(trade)])
        without = speeds[f"onnx-int8 {NO_QUOTES}"]
        trade = [w / wo for w, wo in zip(speeds["onnx-int8"], without, strict=True)]
        rows.append(["finding quotes at ingest: onnx-int8 speed with / without", "", spread(trade)])
        without = speeds[f"onnx-int8 {IN_PROCESS}"]
        trade = [w / wo for w, wo in zip(speeds["onnx-int8"], without, strict=True)]
        rows.append(["model's pass in a worker process: onnx-int8 speed with / without", "", spread(trade)])
    rows.insert(0, [f"{len(files)} articles, {characters:,} characters", "", ""])
    rows.append([f"(spaCy model loaded before the clock: {spacy_load:.1f} s)", "", ""])
    model = [
        model_row(f"{b}, during ingest", statistics.median_low(u)[0], statistics.median_low(u)[1])
        for b, u in ((b, sorted(usage[b], key=lambda x: x[1])) for b in backends)
    ]
    model += [model_row(f"{b}, model alone", *model_alone(b, files, runs, work)) for b in backends]
    return rows, model, [q.text for q in sample(questions, None, 7)]


def model_usage(embedder: Any) -> tuple[int, float]:
    """Word pieces run through `embedder`'s ONNX model by this process and its worker so far, and
    the model's seconds (`vectorstore.metering`; 0, 0.0 with torch, whose calls are not metered)."""
    from vectorstore import metering
    from vectorstore.embeddings import TORCH_BACKENDS
    from vectorstore.worker import encoder_process

    if embedder.backend in TORCH_BACKENDS:
        return 0, 0.0
    encoder = embedder._load()
    meter = metering.meter(encoder, encoder_process(encoder))
    return meter.word_pieces, meter.seconds


def model_alone(backend: str, files: Sequence[Path], runs: int, work: Path) -> tuple[int, float]:
    """Word pieces and seconds (fastest of `runs`) of the model over the corpus's chunks and their
    sentences, nothing else running: during ingest the quotes are found beside the model's pass,
    sharing the cores, so the model's wall time there is not the model's own."""
    from assistant.api import Assistant
    from assistant.ingest.reading import read_document
    from assistant.text.sentences import sentence_spans

    best: tuple[int, float] = (0, 0.0)
    for run in range(runs):
        assistant = Assistant(data_dir=work / f"alone-{backend}-{run}", embedding_backend=backend)
        chunks = [c.text for path in files for c in assistant.chunker.chunk(read_document(path))]
        pieces, seconds = model_usage(assistant.embedder)
        assistant.embedder.embed_in_context(chunks, [sentence_spans(text) for text in chunks])
        after = model_usage(assistant.embedder)
        if not best[1] or after[1] - seconds < best[1]:
            best = (after[0] - pieces, after[1] - seconds)
    return best


def bench_cold(runs: int, seeds_dir: Path, big_dir: Path | None, work: Path) -> list[list[str]]:
    """Wall time of new processes: --help, ask --json on an existing index, serve until its page answers."""
    rows = []
    env = environment(seeds_dir)
    question = SEED_QUESTIONS[0]
    rows.append(
        [
            "`assistant --help`",
            spread([timed_process([str(BIN), "--help"], env, work)[0] for _ in range(runs)]),
        ]
    )
    timed_process([str(BIN), "ask", question, "--json"], env, work)  # first use: BM25 cache, vectors
    asks = [timed_process([str(BIN), "ask", question, "--json"], env, work)[0] for _ in range(runs)]
    rows.append(["`assistant ask ... --json`, seeds index", spread(asks)])
    if big_dir is not None:
        big_env = environment(big_dir)
        timed_process(
            [str(BIN), "ask", "Which NFL team represented the AFC at Super Bowl 50?", "--json"], big_env, REPO
        )
        big = [
            timed_process(
                [str(BIN), "ask", "Which NFL team represented the AFC at Super Bowl 50?", "--json"],
                big_env,
                REPO,
            )[0]
            for _ in range(runs)
        ]
        rows.append(["`assistant ask ... --json`, 100k-chunk index", spread(big)])
    serves = [serve_until_page(seeds_dir, work, ask=False)[0] for _ in range(runs)]
    rows.append(["`assistant serve` until its page answers", spread(serves)])
    return rows


def serve_until_page(data_dir: Path, work: Path, ask: bool) -> tuple[float, int]:
    """Seconds until `assistant serve` answers its page; its peak RSS (MiB), after a question if `ask`."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port)],
        env=environment(data_dir),
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError("assistant serve exited before answering")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                    if page.status == 200:
                        break
            except OSError:
                time.sleep(0.05)
        elapsed = time.perf_counter() - started
        if ask:
            from gradio_client import Client

            client = Client(f"http://127.0.0.1:{port}/", verbose=False)
            for question in SEED_QUESTIONS[:3]:
                client.predict(question, api_name="/ask")
        return elapsed, peak_rss(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def latencies(
    assistant: Any, retrieve_questions: Sequence[str], ask_questions: Sequence[str], first_sight: bool = False
) -> list[str]:
    """p50 and p95 in ms of warm retrieve() and ask(), each question asked once.

    The vector cache starts empty (a kept index may hold the sentence vectors of an earlier
    bench run); with `first_sight`, the evidence caches are emptied before every question.
    """
    from vectorstore.cache import VectorCache

    vectors = Path(tempfile.mkdtemp(prefix="vectors-", dir=SCRATCH)) / "vectors.sqlite"
    assistant.embedder._vectors = VectorCache(vectors, f"{assistant.embedder.name}:bench")
    assistant.ask("warm up")  # model, BM25 index, chain: loaded before the clock starts
    figures = []
    for call, questions in (
        (lambda q: assistant.retrieve(q, k=5), retrieve_questions),
        (assistant.ask, ask_questions),
    ):
        times = []
        for question in questions:
            if first_sight:
                assistant.parts.scorer.clear()
                assistant.embedder._vectors = None
            started = time.perf_counter()
            call(question)
            times.append((time.perf_counter() - started) * 1000)
        figures += [f"{percentile(times, 50):.0f}", f"{percentile(times, 95):.0f}"]
    return figures


def first_sight(assistant: Any, questions: Sequence[str]) -> list[str]:
    """p50 in ms of a plain vector search (query vector, Chroma's nearest 5) and of `ask()` on
    passages never seen (evidence caches and vector cache emptied), question by question in
    turn in this process, and their ratio."""
    assistant.ask("warm up")
    assistant.embedder._vectors = None
    search, ask = [], []
    for question in questions:
        started = time.perf_counter()
        assistant.store.query(assistant.embedder.embed([question])[0], 5)
        search.append((time.perf_counter() - started) * 1000)
        assistant.parts.scorer.clear()
        started = time.perf_counter()
        assistant.ask(question)
        ask.append((time.perf_counter() - started) * 1000)
    plain, first = percentile(search, 50), percentile(ask, 50)
    return [f"{plain:.0f}", f"{first:.0f}", f"{percentile(ask, 95):.0f}", f"{first / plain:.1f}"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="Runs per indexing figure (cold starts: 5).")
    parser.add_argument("--chunks", type=int, default=100_000, help="Chunks in the large index.")
    parser.add_argument("--backend", default="onnx-int8", help="Backend of the cold-start and latency runs.")
    parser.add_argument("--quick", action="store_true", help="One run each, no large index (for a try).")
    parser.add_argument("--indexing-only", action="store_true", help="Only the indexing tables.")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="Indexing backends, comma-separated.")
    args = parser.parse_args()
    from vectorstore.modelfiles import offline_environment

    offline_environment()
    os.environ.pop("ASSISTANT_DATA_DIR", None)  # nothing here reads the user's settings
    load = os.getloadavg()[0]
    runs = 1 if args.quick else args.runs
    cold_runs = 1 if args.quick else 5
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as scratch:
        work = Path(scratch)
        global SCRATCH
        SCRATCH = work
        from assistant.api import Assistant

        log("indexing: tutorial pipeline vs this project")
        indexing, model, asked = bench_indexing(runs, work / "indexing", args.backends.split(","))
        if args.indexing_only:
            print(f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}.")
            print(f"CPU: {cpu_summary()}; 1-minute load average {load:.2f} at the start, ", end="")
            print(f"{os.getloadavg()[0]:.2f} at the end.\n")
            print(table(["indexing", "characters/s", "x tutorial"], indexing))
            print(table(MODEL_HEADER, model))
            print(f"Runs: median (min-max) of {runs}; took {time.perf_counter() - started:.0f} s.")
            return

        log("warm latency")
        shutil.copytree(REPO / "seeds", work / "seeds")
        os.chdir(work)
        seeds_index = work / "seeds-index"
        seeds = Assistant(data_dir=seeds_index, embedding_backend=args.backend)
        seeds.ingest([work / "seeds"])
        rows = [
            ["seeds", str(seeds.store.count()), *latencies(seeds, SEED_QUESTIONS * 3, SEED_QUESTIONS * 3)]
        ]
        questions = squad_questions(400 if not args.quick else 40)
        half = len(questions) // 2
        squad = Assistant(
            data_dir=work / "indexing" / f"index-{args.backend}-0", embedding_backend=args.backend
        )
        asked = asked[: len(questions)]
        figures = latencies(squad, asked[: len(asked) // 2], asked[len(asked) // 2 :])
        rows.append(["12 SQuAD articles (distinct text)", str(squad.store.count()), *figures])
        figures = latencies(squad, asked[: len(asked) // 2], asked[len(asked) // 2 :], first_sight=True)
        rows.append(
            ["same, every sentence new (evidence caches emptied)", str(squad.store.count()), *figures]
        )
        sight = [["12 SQuAD articles, every passage new", str(len(asked)), *first_sight(squad, asked)]]
        older = work / "indexing" / f"index-{args.backend}-{NO_SENTENCES.replace(' ', '-')}-0"
        if older.is_dir():  # an index built without sentence vectors: they are embedded at query time
            before = Assistant(data_dir=older, embedding_backend=args.backend)
            sight.append([f"same, index {NO_SENTENCES}", str(len(asked)), *first_sight(before, asked)])
        big_dir = None
        record: dict[str, Any] = {}
        if not args.quick:
            os.chdir(REPO)  # the large index names its sources relative to the repository
            big_dir, record = large_index(args.backend, args.chunks, log)
            big = Assistant(data_dir=big_dir, embedding_backend=args.backend)
            rows.append(
                [
                    f"{record['chunks']:,} chunks (SQuAD x{record['copies']})",
                    f"{record['chunks']:,}",
                    *latencies(big, questions[:half], questions[half:]),
                ]
            )
            os.chdir(work)

        log("cold start")
        cold = bench_cold(cold_runs, seeds_index, big_dir, work)

        log("peak memory")
        memory = []
        ingest_peak = [
            timed_process(
                [str(BIN), "ingest", str(work / "indexing" / "articles")],
                environment(work / f"rss-{n}"),
                work,
            )[1]
            for n in range(runs)
        ]
        memory.append(["`assistant ingest` (12 SQuAD articles, new index)", spread(ingest_peak, 0)])
        server_peak = [serve_until_page(seeds_index, work, ask=True)[1] for _ in range(runs)]
        memory.append(["`assistant serve` after 3 questions (seeds)", spread(server_peak, 0)])

    print(f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; `{args.backend}` unless named.")
    print(f"CPU: {cpu_summary()}; load average at the end: {os.getloadavg()[0]:.2f}.\n")
    print(table(["indexing", "characters/s", "x tutorial"], indexing))
    print(table(MODEL_HEADER, model))
    print(table(["cold start (new process)", "seconds"], cold))
    print(table(["warm latency, ms", "chunks", "retrieve p50", "retrieve p95", "ask p50", "ask p95"], rows))
    print(
        table(["first sight, ms", "questions", "vector search p50", "ask p50", "ask p95", "x search"], sight)
    )
    print(table(["peak RSS", "MiB"], memory))
    if record:
        print(f"Large index: {json.dumps(record)}\n")
    print(
        f"Runs: median (min-max) of {runs} (indexing, memory) or {cold_runs} (cold start); "
        f"bench took {time.perf_counter() - started:.0f} s."
    )


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
