"""An ingest's model pass in a process of its own, so the model never waits for the interpreter.

Chroma's Rust bindings hold Python's interpreter lock for the whole of a write (0.1 to 0.2 s for
256 passages), and the quote finder (spaCy) holds it for most of its run. An ONNX Runtime call
that ended meanwhile could neither hand back its vectors nor start the next call, so its core sat
idle. In a process of its own the chunks' pass never waits for them (docs/evaluation.md, issue
17 round 6).

One worker per model file per process, started in the background when an ingest first needs it
and kept for the later ones. It is a new interpreter that runs `main` (never the caller's own
script, which `multiprocessing` would import again), and requests and replies are pickled over
its stdin and stdout. A pass that comes before the worker is ready runs in this process, as does
every pass once the worker could not start or died. The worker opens the same graph with the
same sessions, so a text's vectors are the same to the bit wherever they were made. A question's
vector and the quotes' pass are still made in this process.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from vectorstore.metering import Meter
    from vectorstore.onnx import OnnxEncoder

log = logging.getLogger(__name__)

Pooled = list[list["np.ndarray | None"]]

# A pass of fewer texts never starts the worker (a file or two: not worth a process); the first
# pass that does runs here while the worker loads, the later ones there.
WORKER_FROM = 64
_WORKERS: dict[Path, EncoderProcess] = {}
_WORKERS_LOCK = threading.Lock()


def encoder_process(encoder: OnnxEncoder) -> EncoderProcess:
    """The worker of `encoder`'s graph, one per process (started by its first pass)."""
    with _WORKERS_LOCK:
        if encoder.path not in _WORKERS:
            _WORKERS[encoder.path] = EncoderProcess(encoder)
        return _WORKERS[encoder.path]


class EncoderProcess:
    """`encoder.encode_spans` in a worker process once it is ready, in this process until then.

    Example:
        >>> worker = encoder_process(encoder)
        >>> vectors, sentences = worker.encode_spans(chunks, spans, 64, 640)
    """

    def __init__(self, encoder: OnnxEncoder) -> None:
        self.encoder = encoder
        self.broken = False
        self.meter: Meter | None = None  # a benchmark's (`metering`): the worker counts its calls too
        self._process: subprocess.Popen[bytes] | None = None
        self._ready = threading.Event()
        self._talking = threading.Lock()  # one request and its reply at a time
        self._starting = threading.Lock()

    def start(self) -> None:
        """Start the worker in the background, once; it loads the graph before its first pass."""
        with self._starting:
            if self._process is not None or self.broken:
                return
            package_parent = str(Path(__file__).resolve().parent.parent)
            env = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join([package_parent, os.environ.get("PYTHONPATH", "")]),
            }
            try:
                self._process = subprocess.Popen(
                    [sys.executable, "-c", "from vectorstore.worker import main; main()"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,  # never holds the caller's own stderr open
                    env=env,
                )
            except OSError as exc:
                self._give_up(exc)
                return
            atexit.register(self.stop)
        encoder = self.encoder
        load = (str(encoder.path), encoder.tokenizer.to_str(), encoder.max_tokens, encoder.threads)
        threading.Thread(target=self._load, args=(load,), name="model-worker-start", daemon=True).start()

    def ready(self, wait: float = 0.0) -> bool:
        """Whether the worker runs passes now (waiting up to `wait` seconds for it to load)."""
        return self._ready.wait(wait) and not self.broken

    def encode_spans(
        self,
        texts: list[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        batch_size: int,
        max_pieces: int | None,
    ) -> tuple[np.ndarray, Pooled]:
        """`OnnxEncoder.encode_spans(texts, spans, ...)`, in the worker when it is ready."""
        if len(texts) >= WORKER_FROM:
            self.start()
        if self.ready():
            listed = [list(s) for s in spans]
            reply = self._ask(("encode", texts, listed, batch_size, max_pieces, self.meter is not None))
            if reply is not None:
                vectors, pooled, usage = reply
                if self.meter is not None and usage is not None:
                    self.meter.note(*usage)
                return vectors, pooled
        return self.encoder.encode_spans(texts, spans, batch_size, max_pieces)

    def stop(self) -> None:
        """Stop the worker: it exits when its stdin closes (a later pass starts no new one)."""
        self.broken = True
        process = self._process
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(OSError):  # a worker that died broke its pipe
                process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _load(self, load: tuple[Any, ...]) -> None:
        if self._ask(("load", *load)) is not None:
            self._ready.set()

    def _ask(self, request: tuple[Any, ...]) -> Any:
        """The worker's reply to `request`; None, and no more requests, if it failed."""
        process = self._process
        with self._talking:
            if process is None or process.stdin is None or process.stdout is None or self.broken:
                return None
            try:
                pickle.dump(request, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                process.stdin.flush()
                ok, reply = pickle.load(process.stdout)
            except (OSError, EOFError, pickle.UnpicklingError) as exc:
                self._give_up(exc)
                return None
        if not ok:
            self._give_up(RuntimeError(reply))
            return None
        return reply

    def _give_up(self, exc: BaseException) -> None:
        if not self.broken:
            log.warning("The model's worker process stopped (%s); passes run in this process.", exc)
        self.broken = True
        if self._process is not None and self._process.poll() is None:
            self._process.kill()


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """The worker: answer pickled requests until its stdin closes."""
    from tokenizers import Tokenizer

    from vectorstore.metering import meter_sessions
    from vectorstore.onnx import OnnxEncoder

    encoder: OnnxEncoder | None = None
    while True:
        try:
            request = pickle.load(requests)
        except EOFError:
            return
        try:
            if request[0] == "load":
                path, tokenizer, max_tokens, threads = request[1:]
                encoder = OnnxEncoder(Path(path), Tokenizer.from_str(tokenizer), max_tokens, threads)
                encoder.single_session()
                reply: Any = "loaded"
            else:
                assert encoder is not None, "the graph was never loaded"
                texts, spans, batch_size, max_pieces, metered = request[1:]
                meter = meter_sessions(encoder) if metered else None  # a benchmark's
                vectors, pooled = encoder.encode_spans(texts, spans, batch_size, max_pieces)
                reply = (vectors, pooled, meter.take() if meter is not None else None)
            answer = (True, reply)
        except Exception as exc:  # reported to the caller, which runs its passes itself from then on
            answer = (False, f"{type(exc).__name__}: {exc}")
        try:
            pickle.dump(answer, replies, protocol=pickle.HIGHEST_PROTOCOL)
            replies.flush()
        except BrokenPipeError:  # the caller is gone (killed mid-ingest): so is its worker
            return


def main() -> None:
    """The worker process's entry: replies on what was stdout; anything printed goes to stderr
    (discarded: the caller's own stderr is never held open by its worker)."""
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must never land among the replies
    serve(sys.stdin.buffer, replies)
