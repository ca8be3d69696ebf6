"""What a benchmark counts of the model's calls: word pieces and model time, outside the encoder.

The encoder (`vectorstore.onnx`) counts nothing. A benchmark asks `meter(encoder)`: the
encoder's ONNX Runtime sessions are wrapped in `MeteredSession`, which notes each call's word
pieces (its attention mask's ones) and its span of wall time, and the model's worker process
(`vectorstore.worker`) is asked to meter its own calls and send their counts back with each
reply. Model time is the wall time in which at least one call ran, here or in the worker
(`time.perf_counter` is the same clock in every process), so calls side by side count once.

    encoder = embedder._load()
    meter = metering.meter(encoder, worker.encoder_process(encoder))
    embedder.embed_in_context(chunks, spans)
    meter.word_pieces, meter.seconds
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

Spans = list[tuple[float, float]]


class Meter:
    """Word pieces run and the union of the wall-time spans in which calls ran."""

    def __init__(self) -> None:
        self.word_pieces = 0
        self._spans: Spans = []
        self._folded = 0.0  # seconds of spans folded out of `_spans`
        self._new: Spans = []  # spans not yet handed over by `take`
        self._new_pieces = 0
        self._lock = threading.Lock()

    @property
    def seconds(self) -> float:
        """Wall seconds in which at least one metered call ran."""
        with self._lock:
            return self._folded + sum(end - start for start, end in merged(self._spans))

    def note(self, word_pieces: int, spans: Sequence[tuple[float, float]]) -> None:
        """Count calls: their word pieces and the spans of time they ran."""
        with self._lock:
            self.word_pieces += word_pieces
            self._new_pieces += word_pieces
            self._spans.extend(spans)
            self._new.extend(spans)
            if len(self._spans) > 4096:  # old spans folded into a sum: a long run stays small
                union = merged(self._spans)
                self._folded += sum(end - start for start, end in union[:-256])
                self._spans = union[-256:]

    def take(self) -> tuple[int, Spans]:
        """The word pieces and spans noted since the last `take` (what a worker sends back)."""
        with self._lock:
            taken = (self._new_pieces, self._new)
            self._new_pieces, self._new = 0, []
            return taken


class MeteredSession:
    """An ONNX Runtime session whose `run` calls a `Meter` counts; anything else is the session's."""

    def __init__(self, session: Any, meter: Meter) -> None:
        self.session = session
        self.meter = meter

    def run(self, outputs: Any, feed: dict[str, Any], *args: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.session.run(outputs, feed, *args)
        finally:
            self.meter.note(int(feed["attention_mask"].sum()), [(start, time.perf_counter())])

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)


def meter(encoder: Any, worker: Any) -> Meter:
    """Meter `encoder`'s calls from now on (an `OnnxEncoder`, shared by the process: every
    embedder of its graph counts), and those of its `worker` (`worker.encoder_process(encoder)`);
    the same meter on a second call."""
    found = meter_sessions(encoder)
    worker.meter = found  # the worker meters its calls and sends the counts with its replies
    return found


def meter_sessions(encoder: Any) -> Meter:
    """Wrap both of `encoder`'s sessions (all cores, one core) in one `Meter`, once."""
    if isinstance(encoder.session, MeteredSession):
        return encoder.session.meter
    found = Meter()
    single = encoder.single_session()
    encoder.session = MeteredSession(encoder.session, found)
    encoder.single = encoder.session if single is encoder.session.session else MeteredSession(single, found)
    return found


def merged(spans: Sequence[tuple[float, float]]) -> Spans:
    """The union of time spans, as sorted disjoint spans."""
    union: Spans = []
    for start, end in sorted(spans):
        if union and start <= union[-1][1]:
            union[-1] = (union[-1][0], max(union[-1][1], end))
        else:
            union.append((start, end))
    return union
