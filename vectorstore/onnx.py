"""Sentence embeddings with ONNX Runtime: no torch in the process, texts batched by length.

The graph (see `vectorstore.export`) takes word-piece ids and returns unit vectors. Texts
are tokenized once, in Rust, sorted by length and cut into batches of similar length, so
padding costs little; each batch is padded with numpy and run as one call.

Threads are set, not left to ONNX Runtime's guess. A call of one batch (a question) runs on
one intra-op thread per core this process may run on (`os.sched_getaffinity`); a call of many
batches (an ingest) runs them side by side, one single-threaded call per core, which ran the
bench's chunks 1.6x as fast as each batch on both cores (docs/evaluation.md). One inter-op
thread (the graph is a chain), and no spinning between calls, which on a machine shared with
other jobs (or with our own Chroma writer thread) took a core from them while waiting.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from tokenizers import Tokenizer

# Fusions ONNX Runtime would apply whose fused CPU kernel is slower than the ops it replaces
# (1.32, measured on the int8 graph, one thread: SkipLayerNormalization took 9x the time of a
# LayerNormalization of the same rows, BiasGelu 1.8x an Add and a Gelu); left unfused, the
# bench's chunks cost 0.85x the CPU, vectors the same within 1e-6 (docs/evaluation.md, issue
# 17 round 5). A name ONNX Runtime does not know is ignored.
SLOW_FUSIONS = ("SkipLayerNormFusion", "BiasGeluFusion")


class OnnxEncoder:
    """Runs an exported sentence-embedding graph; `encode` mirrors SentenceTransformer's.

    Example:
        >>> encoder = OnnxEncoder(Path("model-int8.onnx"), tokenizer, max_tokens=256)
        >>> encoder.encode(["Who defends Azovstal?"]).shape
        (1, 384)
    """

    def __init__(self, path: Path, tokenizer: Tokenizer, max_tokens: int, threads: int | None = None) -> None:
        self.threads = threads or cores()
        # A call of one batch (a question) runs on all cores. A call of many (an ingest's
        # chunks) runs its batches side by side, one thread each: the graph's small,
        # memory-bound ops split over threads wait for each other at every op's end, which
        # made two threads on one batch 1.6x slower than two batches on one thread each.
        self.session: Any = open_session(path, self.threads)
        self.path = path
        self.single: Any = None if self.threads > 1 else self.session  # made at the first ingest
        self.tokenizer = tokenizer
        self.max_tokens = max_tokens
        self.dimension = int(self.session.get_outputs()[0].shape[-1])
        # One thread per core at a time: threads that share the encoder (ingest finds and
        # embeds quotes on one while it embeds chunks on another) take turns by batch. A call
        # on all cores claims every core, one claimer at a time so that two never deadlock.
        self._cores = threading.BoundedSemaphore(self.threads)
        self._claiming = threading.Lock()
        self._loading = threading.Lock()

    def encode(
        self, texts: list[str], batch_size: int = 32, max_pieces: int | None = None, beside: bool = False
    ) -> np.ndarray:
        """Unit float32 vectors for `texts`, in their order. With `beside` (work that runs beside
        other work, such as an ingest's quotes beside its chunks), one batch at a time on one
        core, on the calling thread: a batch on all cores would wait for every core to be free."""
        return self.encode_spans(texts, None, batch_size, max_pieces, beside)[0]

    def encode_spans(
        self,
        texts: list[str],
        spans: Sequence[Sequence[tuple[int, int]]] | None,
        batch_size: int = 32,
        max_pieces: int | None = None,
        beside: bool = False,
    ) -> tuple[np.ndarray, list[list[np.ndarray | None]]]:
        """Unit float32 vectors for `texts`, and for each of `spans` (character ranges within
        each text) the unit mean of its word pieces as the model read them in the whole text:
        a sentence's or quote's vector in context from the text's own pass (None for a span
        none of whose word pieces was read). Without `spans`, no span vectors.

        A call runs at most `batch_size` texts and, with `max_pieces`, at most that many word
        pieces padding included (one longer text still runs alone): short texts go many to a
        call, long ones few, so each call's activations stay about one size.
        """
        import numpy as np

        encodings = self.tokenizer.encode_batch(texts, add_special_tokens=True)
        ids = [_truncated(e.ids, self.max_tokens) for e in encodings]
        order = np.argsort([len(i) for i in ids], kind="stable")
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        pooled: list[list[np.ndarray | None]] = [[] for _ in texts]
        outputs = ["sentence_embedding"] + (["token_embeddings"] if spans is not None else [])

        def run(start: int, end: int, cores: int) -> None:
            rows = order[start:end]
            width = max(len(ids[r]) for r in rows)
            input_ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for n, r in enumerate(rows):
                input_ids[n, : len(ids[r])] = ids[r]
                mask[n, : len(ids[r])] = 1
            feed = {
                "input_ids": input_ids,
                "attention_mask": mask,
                "token_type_ids": np.zeros_like(input_ids),
            }
            with self._claim(cores):
                result = (self.session if cores > 1 else self.single_session()).run(outputs, feed)
            vectors[rows] = result[0]
            if spans is not None:
                for n, r in enumerate(rows):
                    read = len(ids[r])
                    offsets = list(encodings[r].offsets[:read])
                    if read < len(encodings[r].ids):  # cut: the last place holds [SEP]
                        offsets[-1] = (0, 0)
                    pooled[r] = span_means(result[1][n, :read], offsets, spans[r])

        cuts = batches([len(ids[r]) for r in order], batch_size, max_pieces)
        if beside or len(cuts) == 1 or self.threads == 1:
            for start, end in cuts:
                run(start, end, 1 if beside else self.threads)
        else:
            with ThreadPoolExecutor(self.threads, thread_name_prefix="onnx") as pool:
                for done in [pool.submit(run, start, end, 1) for start, end in cuts]:
                    done.result()
        return vectors, pooled

    def single_session(self) -> Any:
        """The single-threaded session of calls run side by side, made when first needed (a
        process that only answers questions never loads it)."""
        with self._loading:
            if self.single is None:
                self.single = open_session(self.path, 1)
            return self.single

    @contextmanager
    def _claim(self, cores: int) -> Iterator[None]:
        """Hold `cores` of the encoder's cores while a call runs."""
        with self._claiming:
            for _ in range(cores):
                self._cores.acquire()
        try:
            yield
        finally:
            for _ in range(cores):
                self._cores.release()


def batches(lengths: Sequence[int], batch_size: int, max_pieces: int | None) -> list[tuple[int, int]]:
    """(start, end) of each batch over texts of ascending `lengths`: at most `batch_size` texts,
    and at most `max_pieces` word pieces once padded to the longest, but never none."""
    found = []
    start = 0
    while start < len(lengths):
        end = start + 1
        while (
            end < len(lengths)
            and end - start < batch_size
            and (max_pieces is None or (end - start + 1) * lengths[end] <= max_pieces)
        ):
            end += 1
        found.append((start, end))
        start = end
    return found


def span_means(
    tokens: np.ndarray, offsets: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]
) -> list[np.ndarray | None]:
    """Unit mean of the word-piece vectors `tokens` lying inside each character span (special
    tokens, whose offsets are empty, never count); None for a span with no word piece read."""
    import numpy as np

    bounds = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
    real = bounds[:, 1] > bounds[:, 0]
    found: list[np.ndarray | None] = []
    for start, end in spans:
        inside = real & (bounds[:, 0] >= start) & (bounds[:, 1] <= end)
        if not inside.any():
            found.append(None)
            continue
        mean = tokens[inside].mean(axis=0)
        found.append((mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32))
    return found


def open_session(
    path: Path, threads: int, profile_prefix: str | None = None, unfused: Sequence[str] = SLOW_FUSIONS
) -> Any:
    """An ONNX Runtime session of the graph at `path` on `threads` intra-op threads, without the
    `unfused` graph fusions; ONNX Runtime's profiler writes to `profile_prefix`* when given
    (`scripts/profile_model.py`)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if profile_prefix is not None:
        options.enable_profiling = True
        options.profile_file_prefix = profile_prefix
    return onnxruntime.InferenceSession(
        str(path), options, providers=["CPUExecutionProvider"], disabled_optimizers=list(unfused)
    )


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _truncated(ids: list[int], limit: int) -> list[int]:
    """At most `limit` ids, keeping the closing [SEP] as the model's own tokenizer does."""
    return ids if len(ids) <= limit else [*ids[: limit - 1], ids[-1]]
