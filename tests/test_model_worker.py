"""The ingest's model pass in a worker process: the same vectors, counted once, and a fallback."""

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from assistant import Assistant
from vectorstore import Embedder, metering
from vectorstore.worker import EncoderProcess, encoder_process

TEXTS = [
    "The defenders of the city have been fighting alone for 71 days. They asked for help.",
    "Mariupol Mayor Vadym Boichenko on Thursday called for a full evacuation of the city.",
    "A recipe for bread. " * 40,
]
SPANS = [[(0, 63), (64, 84)], [(0, 84)], [(0, 20), (20, 40)]]


def test_the_worker_gives_the_same_vectors_and_sentence_vectors_to_the_bit_and_counts_its_calls() -> None:
    encoder = Embedder(backend="onnx-int8")._load()
    worker = encoder_process(encoder)
    worker.start()
    assert worker.ready(wait=120), "the worker did not load its graph"
    here_vectors, here_spans = encoder.encode_spans(TEXTS, SPANS, 64, 640)
    meter = metering.meter(encoder, worker)  # a benchmark's count, kept outside the encoder
    pieces, seconds = meter.word_pieces, meter.seconds
    vectors, spans = worker.encode_spans(TEXTS, SPANS, 64, 640)
    assert worker.ready() and not worker.broken
    assert np.array_equal(vectors, here_vectors)
    for ours, theirs in zip(spans, here_spans, strict=True):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            assert a is not None and b is not None and np.array_equal(a, b)
    # the bench's word pieces and model time include the worker's calls
    assert meter.word_pieces - pieces == sum(len(e.ids) for e in encoder.tokenizer.encode_batch(TEXTS))
    assert meter.seconds > seconds


def test_when_the_worker_dies_passes_run_in_this_process_with_the_same_vectors(tmp_path: Path) -> None:
    encoder = Embedder(backend="onnx-int8")._load()
    worker = EncoderProcess(encoder)  # a worker of its own, not the process's shared one
    worker.start()
    assert worker.ready(wait=120)
    assert worker._process is not None
    worker._process.kill()
    worker._process.wait()
    vectors, _ = worker.encode_spans(TEXTS, SPANS, 64, 640)
    assert worker.broken and not worker.ready()
    assert np.array_equal(vectors, encoder.encode_spans(TEXTS, SPANS, 64, 640)[0])
    worker.stop()


def test_an_ingest_with_the_worker_stores_the_vectors_an_ingest_without_it_stores(
    seeds: Path, tmp_path: Path
) -> None:
    worker = encoder_process(Embedder(backend="onnx-int8")._load())
    worker.start()
    assert worker.ready(wait=120)
    stored = {}
    for name, use in (("worker", True), ("here", False)):
        assistant = Assistant(data_dir=tmp_path / name, embedding_backend="onnx-int8")
        assistant.embedder.model_process = use
        assistant.ingest([seeds])
        stored[name] = {}
        for collection in (assistant.store, assistant.quote_index.store):  # the chunks and the quotes
            rows = collection._collection.get(include=["embeddings"])
            stored[name].update(zip(rows["ids"], rows["embeddings"], strict=True))
    assert worker.ready() and stored["worker"].keys() == stored["here"].keys()
    for key, vector in stored["worker"].items():
        assert np.array_equal(vector, stored["here"][key])


def test_the_worker_never_runs_the_callers_script_again(tmp_path: Path) -> None:
    """A worker started the way `multiprocessing` starts one would import the caller's script
    again, and a script without a main guard would run twice; this one is started with
    `python -m vectorstore.worker`."""
    script = tmp_path / "no_guard.py"
    script.write_text(
        textwrap.dedent(
            """
            from vectorstore import Embedder
            from vectorstore.worker import encoder_process
            print("script ran", flush=True)
            embedder = Embedder(backend="onnx-int8")
            worker = encoder_process(embedder._load())
            worker.start()
            print("ready", worker.ready(wait=120), flush=True)
            print("shape", worker.encode_spans(["one text"], [[(0, 3)]], 64, 640)[0].shape, flush=True)
            """
        )
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=True
    )
    assert done.stdout.count("script ran") == 1, done.stdout + done.stderr
    assert "ready True" in done.stdout
    assert "shape (1, 384)" in done.stdout
