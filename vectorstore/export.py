"""ONNX files made locally from a verified sentence-transformers folder, cached and checked.

Nothing is downloaded: the bundled all-MiniLM-L6-v2 (or any local BERT-like folder) is
exported once with `torch.onnx.export`, mean pooling and normalization included, and
quantized to int8 (`vectorstore.quantization`: per-channel weights, MatMul only, quantizing the
embedding lookup costs recall for no speed): `onnx-int8` quantizes activations per word piece,
so texts can be batched; `onnx-int8-dynamic`, ONNX Runtime's dynamic recipe, runs one text per
call and opens indexes built before that (their model name ends in `+int8`). The result lives in
`<cache dir>/onnx/<model>-<weights sha256>-v<recipe>/` beside a manifest holding its own
sha256, so a damaged or half-written file is detected and exported again. Each export is
written to a private folder that is renamed into place whole: concurrent processes never see
a partial export.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vectorstore.errors import ModelError
from vectorstore.modelfiles import file_sha256, offline_environment
from vectorstore.quantization import quantize_dynamic_int8, quantize_per_row_int8

RECIPE = 5  # bump when the export or quantization changes: older exports are then ignored
MANIFEST = "manifest.json"
FILES = {"onnx": "model.onnx", "onnx-int8": "model-int8-rows.onnx", "onnx-int8-dynamic": "model-int8.onnx"}


def exported_model(
    folder: Path,
    fingerprint: str,
    backend: str,
    cache_dir: Path,
    check_source: Callable[[], None] | None = None,
) -> Path:
    """Path of the verified ONNX file of `backend` for the model in `folder`; exported if needed.

    `fingerprint` identifies the source weights (their sha256): a different model, or a
    changed one, gets its own export. `check_source` runs before an export (it verifies
    the source files); a verified export is used without reading the source weights.
    """
    if backend not in FILES:
        raise ValueError(f"backend must be one of {sorted(FILES)}, not {backend!r}")
    target = cache_dir / "onnx" / f"{folder.name}-{fingerprint[:16]}-v{RECIPE}"
    path = target / FILES[backend]
    try:
        manifest = json.loads((target / MANIFEST).read_text())
        if path.is_file() and file_sha256(path) == manifest["sha256"][FILES[backend]]:
            return path
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing, damaged or from another recipe: export again
    if check_source is not None:
        check_source()
    _export_into(folder, target)
    return path


def _export_into(folder: Path, target: Path) -> None:
    """Export both files to a private folder, then put it in place of `target` whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        try:
            export_onnx(folder, scratch / FILES["onnx"])
            quantize_dynamic_int8(scratch / FILES["onnx"], scratch / FILES["onnx-int8-dynamic"])
            quantize_per_row_int8(scratch / FILES["onnx-int8-dynamic"], scratch / FILES["onnx-int8"])
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError(
                f"Cannot export the embedding model in {folder} to ONNX ({type(exc).__name__}: {exc}). "
                "Use --embedding-backend torch, which needs no export."
            ) from exc
        sums = {name: file_sha256(scratch / name) for name in FILES.values()}
        (scratch / MANIFEST).write_text(json.dumps({"recipe": RECIPE, "source": str(folder), "sha256": sums}))
        stale = target.with_name(f".{target.name}-stale-{os.getpid()}")
        if target.exists():
            target.rename(stale)  # a damaged export: move it aside, then replace it
        try:
            scratch.rename(target)
        except OSError:
            if not (target / MANIFEST).is_file():  # another process did not just finish one
                raise
        shutil.rmtree(stale, ignore_errors=True)
    except OSError as exc:
        raise ModelError(
            f"Cannot write the ONNX export to {target} ({exc}). Set ASSISTANT_CACHE_DIR to a "
            "writable folder, or use --embedding-backend torch."
        ) from exc
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def export_onnx(folder: Path, out: Path) -> None:
    """Transformer, mean pooling and L2 normalization as one fp32 ONNX graph.

    The graph also returns each word piece's vector (`token_embeddings`, the transformer's
    last hidden state): ingest pools them over the sentences and quotes of a chunk, so their
    vectors cost no model pass of their own (`OnnxEncoder.encode_spans`).
    """
    import torch
    from transformers import AutoModel

    offline_environment()
    model = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()
    _check_mean_pooling(folder)
    pooled = _pooled_module(model)
    sample = torch.ones((2, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes: dict[str, Any] = {name: {0: "batch", 1: "tokens"} for name in names}
    axes["sentence_embedding"] = {0: "batch"}
    axes["token_embeddings"] = {0: "batch", 1: "tokens"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes on shapes; the graph is checked by the tests
        torch.onnx.export(
            pooled,
            (sample, sample, torch.zeros_like(sample)),
            str(out),
            input_names=names,
            output_names=["sentence_embedding", "token_embeddings"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
            do_constant_folding=True,
        )


def _pooled_module(model: Any) -> Any:
    import torch

    class MeanPooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1), hidden

    return MeanPooled()


def _check_mean_pooling(folder: Path) -> None:
    """The graph pools by mean: refuse a model whose own pooling is another."""
    config = folder / "1_Pooling" / "config.json"
    if config.is_file() and not json.loads(config.read_text()).get("pooling_mode_mean_tokens", False):
        raise ModelError(
            f"The model in {folder} does not pool by mean, which the ONNX export assumes: "
            "use --embedding-backend torch for it."
        )
